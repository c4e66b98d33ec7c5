"""Load `.rulesync/` into a validated Project. Every problem is collected before raising."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from rulesync.errors import ConfigError, Problem
from rulesync.source.config import Config, load_config
from rulesync.source.frontmatter import FrontmatterError, Parsed, decode_source, parse
from rulesync.source.frontmatter_cache import FrontmatterCache
from rulesync.source.limits import SKILL_DESCRIPTION  # subagents have no limit (see limits.py)
from rulesync.source.model import Item, Kind, Project, SupportFile
from rulesync.source.names import (
    TARGET_ALIASES,
    TARGETS,
    canonical_target,
    command_name_problem,
    did_you_mean,
    skill_name_problem,
)
from rulesync.source.only import split_segments
from rulesync.source.raw_read import read_bytes
from rulesync.source.schema import COMMON_KEYS, SCHEMAS
from rulesync.sources.layers import Layer

SKILL_FILE = "SKILL.md"
READ_FIX = "check its permissions"
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


def load_project(
    root: Path, config: Config | None = None, layers: list[Layer] | None = None
) -> Project:
    """Read rulesync.yaml and the source tree; raise ConfigError listing every problem.

    `layers` are folders read like `.rulesync/`, lowest precedence first; by default the
    project's pinned sources (rulesync.sources.overlay), then its own source folder.
    """
    config = config or load_config(root)
    layers = _default_layers(config) if layers is None else layers
    if config.sources:  # the packs' names.yaml, under the project's own lint.identity names
        from rulesync.sources.names import with_pack_names

        config = with_pack_names(config, layers)
    cache = FrontmatterCache()
    try:
        return _load_with_packages(config, layers, cache)
    finally:
        cache.save()


def _load_with_packages(config: Config, layers: list[Layer], cache: FrontmatterCache) -> Project:
    project = _Loader(config, cache).load(layers)
    if not config.packages:
        return project
    from rulesync.source.packages import with_packages

    project, problems = with_packages(project, lambda package: _package_rules(package, cache))
    if problems:
        raise ConfigError(problems)
    return project


def _default_layers(config: Config) -> list[Layer]:
    own = Layer(config.source_dir, config.root)
    if not config.sources:
        return [own]
    from rulesync.sources.overlay import source_layers

    return [*source_layers(config.root, config.source, config.sources), own]


def _package_rules(
    config: Config, cache: FrontmatterCache | None = None
) -> tuple[tuple[Item, ...], list[str], list[Problem]]:
    """The rules of one monorepo package's source folder (rulesync.source.packages)."""
    loader = _Loader(config, cache)
    rules = loader._load_flat("rule", config.source_dir / "rules")
    loader._check_duplicates(rules)
    return rules, loader.seen_files, loader.problems


class _Loader:
    def __init__(self, config: Config, cache: FrontmatterCache | None = None) -> None:
        self.config = config
        self.cache = cache
        self.root = config.root
        self.problems: list[Problem] = []
        self.seen_files: list[str] = []
        self.plain_folders: set[Path] = set()
        self.layer = Layer(config.source_dir, config.root)

    def load(self, layers: list[Layer]) -> Project:
        source = self.config.source_dir
        if not source.is_dir():
            fix = f"create {self.config.source}/rules/ with a rule, or run `rulesync init`"
            raise ConfigError([Problem(self.config.source, "source folder not found", fix=fix)])
        kinds: list[list[tuple[Item, ...]]] = [[], [], [], []]
        for layer in layers:
            for found, group in zip(kinds, self._load_layer(layer), strict=True):
                found.append(group)
        rules, commands, skills, subagents = (_stack(groups) for groups in kinds)
        rules = _one_root_per_stack(kinds[0], rules)
        self._check_roots(rules)
        if self.problems:
            raise ConfigError(self.problems)
        return Project(
            self.config, rules, commands, skills, subagents, tuple(sorted(self.seen_files))
        )

    def _load_layer(self, layer: Layer) -> tuple[tuple[Item, ...], ...]:
        self.layer, self.root = layer, layer.fence
        self.plain_folders = set()
        source = layer.folder
        groups = (
            self._load_flat("rule", source / "rules"),
            self._load_commands(source / "commands"),
            self._load_skills(source / "skills"),
            self._load_flat("subagent", source / "subagents", recursive=True),
        )
        for group in groups:
            self._check_duplicates(group)
        return groups

    # --- walking the tree -------------------------------------------------------------

    def _load_flat(self, kind: Kind, folder: Path, *, recursive: bool = False) -> tuple[Item, ...]:
        """Rules are flat; subagents may sit in subfolders, as in `.claude/agents/`."""
        files = self._walk(folder, ".md", recursive=recursive)
        items = (self._load_file(kind, path, path.stem) for _, path in files)
        return tuple(item for item in items if item is not None)

    def _load_commands(self, folder: Path) -> tuple[Item, ...]:
        items = []
        for relative, path in self._walk(folder, ".md"):
            name = relative.removesuffix(".md")
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
            if skill_dir.is_symlink() and not self._usable_link(skill_dir):
                continue
            files = dict(self._walk(skill_dir))
            if not files:
                continue  # an empty folder, e.g. left behind by a deletion: git ignores it too
            if SKILL_FILE not in files:
                self.problems.append(
                    Problem(
                        self._display(skill_dir),
                        f"skill folder has no {SKILL_FILE}",
                        fix=f"add {SKILL_FILE} or remove the folder",
                    )
                )
                continue
            item = self._load_file("skill", files.pop(SKILL_FILE), skill_dir.name)
            if item is not None:
                support = self._support_files(files)
                items.append(item.replace(files=support))
        return tuple(items)

    def _support_files(self, files: dict[str, Path]) -> tuple[SupportFile, ...]:
        """The skill's other files, copied byte for byte (they may be binary)."""
        support = []
        for relative, path in sorted(files.items()):
            display = self._display(path)
            self.seen_files.append(display)
            try:
                content = read_bytes(path)
            except OSError as error:
                self.problems.append(
                    Problem(display, f"cannot read: {error.strerror}", fix=READ_FIX)
                )
                continue
            support.append(SupportFile(relative, content, os.access(path, os.X_OK)))
        return tuple(support)

    def _walk(
        self, top: Path, suffix: str = "", *, recursive: bool = True
    ) -> list[tuple[str, Path]]:
        """(relative posix name, path) of the regular files under `top` that end in `suffix`
        (only those directly in `top` when not `recursive`).

        A symlink, to a file or a folder, is followed when it stays inside the project, and
        is an error when it leaves it or dangles. A folder link that leads back into `top`,
        to a folder holding `top`, or to a folder already read is an error too (a loop or a
        repeat), so every real folder is read once. FIFOs, sockets and devices are errors:
        reading one could block forever.
        """
        if not top.is_dir() or not self._inside_project(top):
            return []
        found: list[tuple[str, Path]] = []
        top_real = os.path.realpath(top)
        walked = {top_real}
        pending = [(top, "", top_real)]
        while pending:
            folder, prefix, folder_real = pending.pop()
            for entry in self._entries(folder):
                path, relative = Path(entry.path), prefix + entry.name
                link, folder_entry = entry.is_symlink(), entry.is_dir()
                if not (recursive if folder_entry else relative.endswith(suffix)):
                    continue  # a file that is not ours to read, or a folder of a flat kind
                if link and not self._usable_link(path):
                    continue
                if folder_entry:
                    # realpath only where a link is: a plain folder's real path is its name
                    real = os.path.realpath(path) if link else f"{folder_real}{os.sep}{entry.name}"
                    if self._first_visit(path, real, link, top_real, walked):
                        pending.append((path, f"{relative}/", real))
                elif entry.is_file():
                    if self._allowed(path):
                        found.append((relative, path))
                else:
                    self.problems.append(
                        Problem(
                            self._display(path),
                            "is not a regular file (a FIFO, socket or device)",
                            fix="remove it from the source folder",
                        )
                    )
        return sorted(found)

    def _entries(self, folder: Path) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as entries:
                return sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            self.problems.append(
                Problem(self._display(folder), f"cannot read: {error.strerror}", fix=READ_FIX)
            )
            return []

    def _usable_link(self, path: Path) -> bool:
        """A symlink that stays inside the project and leads somewhere (else a problem)."""
        if not self._inside_project(path):
            return False
        if path.exists():
            return True
        self.problems.append(
            Problem(
                self._display(path),
                "is a broken symlink: what it points to does not exist",
                fix="remove the link, or restore what it points to",
            )
        )
        return False

    def _first_visit(
        self, folder: Path, real: str, link: bool, top_real: str, walked: set[str]
    ) -> bool:
        inside_top = real == top_real or real.startswith(top_real + os.sep)
        holds_top = top_real.startswith(real + os.sep)
        if real not in walked and not (link and (inside_top or holds_top)):
            walked.add(real)
            return True
        self.problems.append(
            Problem(
                self._display(folder),
                "leads to a folder that is read already, through a symlink (a loop or a repeat)",
                fix="remove the symlink, or point it at a folder outside this one",
            )
        )
        return False

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
                fix="copy what it points to into the project instead",
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
        text, root = str(path), str(self.root)
        if os.sep == "/" and text.startswith(root) and text[len(root) : len(root) + 1] == "/":
            return self.layer.prefix + text[len(root) + 1 :]  # what relative_to gives, faster
        return self.layer.prefix + path.relative_to(self.root).as_posix()

    def _allowed(self, path: Path) -> bool:
        """A source layer supplies only the files its `path:` and `include:` select."""
        allowed = self.layer.allowed
        return allowed is None or path.relative_to(self.layer.folder).as_posix() in allowed

    # --- one file ---------------------------------------------------------------------

    def _load_file(self, kind: Kind, path: Path, name: str) -> Item | None:
        display = self._display(path)
        self.seen_files.append(display)
        try:
            parsed = parse(decode_source(read_bytes(path), display), display, self.cache)
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
            if self.layer.prefix:  # a pinned source: not ours to convert
                hint = "the pack is written for the JavaScript rulesync: leave this file out with the source's `include:`"
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


def _stack(groups: list[tuple[Item, ...]]) -> tuple[Item, ...]:
    """Items of every layer, lowest first; an item replaces a lower one of the same name."""
    winner = {item.name: index for index, group in enumerate(groups) for item in group}
    return tuple(
        item for index, group in enumerate(groups) for item in group if winner[item.name] == index
    )


def _one_root_per_stack(
    groups: list[tuple[Item, ...]], rules: tuple[Item, ...]
) -> tuple[Item, ...]:
    """The root rule comes from the highest layer that has one; lower roots become plain rules."""
    top = max(
        (i for i, group in enumerate(groups) if any(r.fields.get("root") is True for r in group)),
        default=None,
    )
    if top is None:
        return rules
    keep = {id(rule) for rule in groups[top]}
    return tuple(
        rule
        if id(rule) in keep or rule.fields.get("root") is not True
        else rule.replace(fields={**rule.fields, "root": False})
        for rule in rules
    )
