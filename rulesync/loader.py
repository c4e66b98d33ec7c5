"""Load `.rulesync/` into a validated Project. Every problem is collected before raising."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from rulesync.config import Config, load_config
from rulesync.errors import ConfigError, Problem
from rulesync.frontmatter import FrontmatterError, Parsed, decode_source, parse
from rulesync.limits import SKILL_DESCRIPTION  # subagents have no limit (see limits.py)
from rulesync.model import Item, Kind, Project, SupportFile
from rulesync.names import (
    TARGET_ALIASES,
    TARGETS,
    canonical_target,
    command_name_problem,
    did_you_mean,
    skill_name_problem,
)
from rulesync.only import split_segments
from rulesync.schema import COMMON_KEYS, SCHEMAS

SKILL_FILE = "SKILL.md"
#: Frontmatter keys of the JavaScript rulesync's other tools; `import --from rulesync-js` maps them.
JS_TOOL_KEYS = frozenset(
    [
        "localRoot",
        "agentsmd",
        "cursor",
        "copilot",
        "antigravity",
        "opencode",
        "cline",
        "roo",
        "windsurf",
        "kiro",
        "junie",
        "augmentcode",
        "warp",
        "qwencode",
        "kilo",
        "amazonqcli",
    ]
)


def load_project(root: Path, config: Config | None = None) -> Project:
    """Read rulesync.yaml and the source tree; raise ConfigError listing every problem."""
    loader = _Loader(config or load_config(root))
    return loader.load()


class _Loader:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root
        self.problems: list[Problem] = []
        self.seen_files: list[str] = []
        self.plain_folders: set[Path] = set()

    def load(self) -> Project:
        source = self.config.source_dir
        if not source.is_dir():
            fix = f"create {self.config.source}/rules/ with a rule, or run `rulesync init`"
            raise ConfigError([Problem(self.config.source, "source folder not found", fix=fix)])
        rules = self._load_flat("rule", source / "rules")
        commands = self._load_commands(source / "commands")
        skills = self._load_skills(source / "skills")
        subagents = self._load_flat("subagent", source / "subagents", "**/*.md")
        self._check_roots(rules)
        for group in (rules, commands, skills, subagents):
            self._check_duplicates(group)
        if self.problems:
            raise ConfigError(self.problems)
        return Project(
            self.config, rules, commands, skills, subagents, tuple(sorted(self.seen_files))
        )

    # --- walking the tree -------------------------------------------------------------

    def _load_flat(self, kind: Kind, folder: Path, pattern: str = "*.md") -> tuple[Item, ...]:
        """Rules are flat; subagents may sit in subfolders, as in `.claude/agents/`."""
        items = (
            self._load_file(kind, path, path.stem) for path in self._markdown_files(folder, pattern)
        )
        return tuple(item for item in items if item is not None)

    def _load_commands(self, folder: Path) -> tuple[Item, ...]:
        items = []
        for path in self._markdown_files(folder, "**/*.md"):
            name = path.relative_to(folder).with_suffix("").as_posix()
            problems = [command_name_problem(part) for part in name.split("/")]
            if any(problems):
                fix = "rename the file"
                self.problems.extend(
                    Problem(self._display(path), p, fix=fix) for p in problems if p
                )
                continue
            item = self._load_file("command", path, name)
            if item is not None:
                items.append(item)
        return tuple(items)

    def _load_skills(self, folder: Path) -> tuple[Item, ...]:
        if not folder.is_dir():
            return ()
        items = []
        for skill_dir in sorted(p for p in folder.iterdir() if p.is_dir() or p.is_symlink()):
            if not self._inside_project(skill_dir):
                continue
            skill_file = skill_dir / SKILL_FILE
            if not any(p.is_file() for p in skill_dir.rglob("*")):
                continue  # an empty folder, e.g. left behind by a deletion: git ignores it too
            if not skill_file.is_file():
                self.problems.append(
                    Problem(
                        self._display(skill_dir),
                        f"skill folder has no {SKILL_FILE}",
                        fix=f"add {SKILL_FILE} or remove the folder",
                    )
                )
                continue
            item = self._load_file("skill", skill_file, skill_dir.name)
            if item is not None:
                files = self._support_files(skill_dir)
                items.append(Item(**{**item.__dict__, "files": files}))
        return tuple(items)

    def _support_files(self, skill_dir: Path) -> tuple[SupportFile, ...]:
        files = []
        for path in sorted(skill_dir.rglob("*")):
            if path.is_dir() or (path.name == SKILL_FILE and path.parent == skill_dir):
                continue
            if not self._inside_project(path):
                continue
            self.seen_files.append(self._display(path))
            executable = os.access(path, os.X_OK)
            files.append(
                SupportFile(path.relative_to(skill_dir).as_posix(), path.read_bytes(), executable)
            )
        return tuple(files)

    def _markdown_files(self, folder: Path, pattern: str) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob(pattern) if p.is_file() and self._inside_project(p))

    def _inside_project(self, path: Path) -> bool:
        if not self._through_symlink(path):
            return True
        resolved = path.resolve()
        if resolved == self.root or self.root in resolved.parents:
            return True
        self.problems.append(
            Problem(
                self._display(path),
                f"is a symlink to {resolved}, outside the project",
                fix="copy the file into the project instead",
            )
        )
        return False

    def _through_symlink(self, path: Path) -> bool:
        """Is the path, or a folder between it and the root, a symlink? (Cached per folder.)"""
        if path.is_symlink():
            return True
        folder = path.parent
        if folder == self.root or folder in self.plain_folders:
            return False
        if folder.is_symlink() or self._through_symlink(folder):
            return True
        self.plain_folders.add(folder)
        return False

    def _display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # --- one file ---------------------------------------------------------------------

    def _load_file(self, kind: Kind, path: Path, name: str) -> Item | None:
        display = self._display(path)
        self.seen_files.append(display)
        try:
            parsed = parse(decode_source(path.read_bytes(), display), display)
        except FrontmatterError as error:
            self.problems.append(error.problem)
            return None
        except OSError as error:
            self.problems.append(
                Problem(
                    display, f"cannot read: {error.strerror}", fix="check the file's permissions"
                )
            )
            return None
        before = len(self.problems)
        fields, overrides = self._split_fields(kind, parsed, display)
        targets = self._targets(parsed, display)
        name = self._name(kind, name, fields, parsed, display)
        segments, only_problems = split_segments(parsed.body, display, parsed.body_line)
        self.problems.extend(only_problems)
        self._require_description(kind, fields, parsed, display)
        if len(self.problems) > before:
            return None
        return Item(
            kind, name, display, fields, overrides, targets, tuple(segments), parsed.body_line
        )

    def _split_fields(
        self, kind: Kind, parsed: Parsed, display: str
    ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        schema = SCHEMAS[kind]
        fields: dict[str, Any] = {}
        overrides: dict[str, dict[str, Any]] = {}
        for key, value in parsed.data.items():
            if key in TARGET_ALIASES:
                overrides[TARGET_ALIASES[key]] = self._override_block(
                    kind, key, value, parsed, display
                )
            elif key in schema:
                self._check_value(schema[key], value, (key,), parsed, display)
                fields[key] = value
            elif key not in COMMON_KEYS:
                self._unknown_key(key, (key,), [*schema, *COMMON_KEYS, *TARGETS], parsed, display)
        return fields, overrides

    def _override_block(
        self, kind: Kind, key: str, value: Any, parsed: Parsed, display: str
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problems.append(
                Problem(
                    display,
                    f"`{key}:` must be a block of overrides for {key}",
                    parsed.line_of(key),
                    "indent `field: value` lines under it",
                )
            )
            return {}
        schema = SCHEMAS[kind]
        block: dict[str, Any] = {}
        for sub_key, sub_value in value.items():
            sub_key = str(sub_key)
            if sub_key in schema and sub_key != "name":
                self._check_value(schema[sub_key], sub_value, (key, sub_key), parsed, display)
                block[sub_key] = sub_value
            else:
                self._unknown_key(
                    sub_key,
                    (key, sub_key),
                    [k for k in schema if k != "name"],
                    parsed,
                    display,
                    where=f" in `{key}:`",
                )
        return block

    def _check_value(
        self, check: Any, value: Any, keys: tuple[str, ...], parsed: Parsed, display: str
    ) -> None:
        wrong = check(value)
        if wrong:
            self.problems.append(
                Problem(display, f"`{'.'.join(keys)}` {wrong}", parsed.line_of(*keys))
            )

    def _unknown_key(
        self,
        key: str,
        keys: tuple[str, ...],
        known: list[str],
        parsed: Parsed,
        display: str,
        where: str = "",
    ) -> None:
        hint = did_you_mean(key, known) or f"known keys: {', '.join(sorted(known))}"
        if key in JS_TOOL_KEYS:
            hint = "this looks like a tree of the JavaScript rulesync: run `rulesync import --from rulesync-js`"
        self.problems.append(
            Problem(display, f"unknown key `{key}`{where}", parsed.line_of(*keys), hint)
        )

    def _targets(self, parsed: Parsed, display: str) -> tuple[str, ...]:
        enabled = self.config.targets
        value = parsed.data.get("targets")
        if value is None or value == "*" or value == ["*"]:
            return enabled
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list):
            self.problems.append(
                Problem(
                    display,
                    "`targets` must be a list of targets",
                    parsed.line_of("targets"),
                    "e.g. `targets: [claude, codex]`",
                )
            )
            return ()
        chosen = set()
        for name in names:
            target = canonical_target(str(name))
            if target is None:
                hint = did_you_mean(str(name), TARGET_ALIASES) or f"use {', '.join(TARGETS)}"
                self.problems.append(
                    Problem(display, f"unknown target `{name}`", parsed.line_of("targets"), hint)
                )
            else:
                chosen.add(target)
        return tuple(t for t in enabled if t in chosen)

    def _name(
        self, kind: Kind, default: str, fields: dict[str, Any], parsed: Parsed, display: str
    ) -> str:
        if kind not in ("skill", "subagent"):
            return default
        name = fields.get("name", default)
        if not isinstance(name, str):
            return default
        wrong = skill_name_problem(name)
        if wrong:
            self.problems.append(
                Problem(display, wrong, parsed.line_of("name"), "rename it, e.g. `code-reviewer`")
            )
        elif kind == "skill" and name != default:
            self.problems.append(
                Problem(
                    display,
                    f"skill name `{name}` must equal its folder name `{default}`",
                    parsed.line_of("name"),
                    f"rename the folder or set `name: {default}`",
                )
            )
        return name

    def _require_description(
        self, kind: Kind, fields: dict[str, Any], parsed: Parsed, display: str
    ) -> None:
        if kind not in ("skill", "subagent"):
            return
        description = fields.get("description")
        if not isinstance(description, str) or not description.strip():
            self.problems.append(
                Problem(
                    display,
                    f"a {kind} needs a `description`",
                    1,
                    "add `description: what it does and when to use it`",
                )
            )
        elif kind == "skill" and len(description) > SKILL_DESCRIPTION:
            self.problems.append(
                Problem(
                    display,
                    f"`description` is longer than {SKILL_DESCRIPTION} characters, the "
                    "Agent Skills limit",
                    parsed.line_of("description"),
                    "shorten it",
                )
            )

    # --- across files -----------------------------------------------------------------

    def _check_roots(self, rules: tuple[Item, ...]) -> None:
        roots = [rule for rule in rules if rule.fields.get("root") is True]
        for extra in roots[1:]:
            self.problems.append(
                Problem(
                    extra.path,
                    f"a second root rule (the first is {roots[0].path})",
                    1,
                    "set `root: true` on one rule only",
                )
            )

    def _check_duplicates(self, items: tuple[Item, ...]) -> None:
        counts = Counter(item.name for item in items)
        for item in items:
            if counts[item.name] > 1:
                first = next(i for i in items if i.name == item.name)
                if first is not item:
                    self.problems.append(
                        Problem(
                            item.path,
                            f"duplicate {item.kind} name `{item.name}` (also in {first.path})",
                            1,
                            "give each a unique `name`",
                        )
                    )
