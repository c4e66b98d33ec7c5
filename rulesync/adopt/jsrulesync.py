"""A `.rulesync/` tree from the JavaScript tool of the same name (rulesync on npm), read in place.

Its layout is ours; its frontmatter has more: targets for other tools (`cursor`, `copilot` …),
blocks of options for them (`cursor:`, `agentsmd:`, `antigravity:` …) and `localRoot`. Until
the loader accepts those, `import --from rulesync-js` rewrites the files it must, keeping what
rulesync honours and leaving out the rest with a warning. Each rewritten file's original is kept
under `<source>/.js-originals/`. docs/adoption.md lists the fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rulesync.source.loader import SKILL_FILE
from rulesync.source.names import TARGET_ALIASES, TARGETS, canonical_target
from rulesync.source.schema import SCHEMAS

from .base import ImportContext
from .readfront import ReadError, read_agent_file
from .sourcefile import SourceFile, item_source

NAME = "rulesync-js"
CONFIG_FILES = ("rulesync.jsonc", "rulesync.json")
BACKUP_FOLDER = ".js-originals"
#: the JavaScript tool's target names for the agents rulesync writes
JS_TARGETS = {"claudecode-legacy": "claude", "agentsmd": "codex"}
_COMMA = r",(?![^{]*\})"  # a comma outside `{a,b}`


def read(ctx: ImportContext) -> None:
    source = ctx.root / ctx.source
    kinds = (
        ("rule", "rules", "*.md"),
        ("command", "commands", "**/*.md"),
        ("subagent", "subagents", "*.md"),
        ("skill", "skills", f"*/{SKILL_FILE}"),
    )
    for kind, folder, pattern in kinds:
        for path in ctx.files_below(f"{ctx.source}/{folder}", pattern):
            _normalise(ctx, kind, path)
    for legacy in sorted(source.glob("*.md")) if source.is_dir() else []:
        ctx.warn(
            ctx.display(legacy),
            f"a rule in the old layout is not read; move it to {ctx.source}/rules/",
        )


def _normalise(ctx: ImportContext, kind: str, path: Path) -> None:
    display = ctx.display(path)
    raw = path.read_bytes()
    try:
        parsed = read_agent_file(raw, display)
    except ReadError as error:
        ctx.fail(error.problem)
        return
    honoured = _Honoured(ctx, kind, display)
    fields, overrides = honoured.split(parsed.data)
    if not honoured.changed:
        return
    relative = path.relative_to(ctx.root / ctx.source).as_posix()
    folder, _, rest = relative.partition("/")
    ctx.add(folder, rest, item_source(kind, fields, parsed.body, overrides), display)
    ctx.backups.append(SourceFile(f"{ctx.source}/{BACKUP_FOLDER}/{relative}", raw, display))


class _Honoured:
    """Splits one file's frontmatter into what rulesync honours; notes whether it dropped any."""

    def __init__(self, ctx: ImportContext, kind: str, display: str) -> None:
        self.ctx, self.kind, self.display = ctx, kind, display
        self.changed = False

    def split(self, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        schema = SCHEMAS[self.kind]
        fields: dict[str, Any] = {}
        overrides: dict[str, dict[str, Any]] = {}
        for key, value in data.items():
            if key in schema and value is None:
                self.changed = True  # `key:` with no value: the loader wants a value
            elif key == "globs" and self.kind == "rule":
                fields.update(self._globs(value))
            elif key in schema:
                fields[key] = value
            elif key == "targets":
                fields["targets"] = self._targets(value)
            elif key in TARGET_ALIASES and isinstance(value, Mapping):
                overrides[TARGET_ALIASES[key]] = self._block(key, value)
            elif key == "localRoot" and value is not True:
                self.changed = True  # false is the default: nothing is lost
            else:
                self._drop(_ignored(key))
        return fields, {target: block for target, block in overrides.items() if block}

    def _drop(self, message: str) -> None:
        self.ctx.warn(self.display, message)
        self.changed = True

    def _block(self, key: str, block: Mapping[str, Any]) -> dict[str, Any]:
        kept = {k: v for k, v in block.items() if k in SCHEMAS[self.kind] and k != "name"}
        for sub_key in block:
            if sub_key not in kept:
                self._drop(f"`{key}.{sub_key}` is ignored")
        return kept

    def _targets(self, value: Any) -> list[str]:
        names = [str(n) for n in ([value] if isinstance(value, str) else list(value or []))]
        kept: list[str] = []
        for name in names:
            if name in JS_TARGETS:
                self.changed = True
                name = JS_TARGETS[name]
            if name != "*" and canonical_target(name) is None:
                self._drop(f"target `{name}` is ignored (rulesync does not write for it)")
            elif name not in kept:
                kept.append(name)
        if names and not kept:
            self.ctx.warn(self.display, "none of its targets is an agent rulesync writes for")
        return kept

    def _globs(self, value: Any) -> dict[str, Any]:
        """The old comma-separated text becomes a list (a comma inside `{a,b}` stays)."""
        if isinstance(value, str) and re.search(_COMMA, value):
            self.changed = True
            return {"globs": [part.strip() for part in re.split(_COMMA, value) if part.strip()]}
        return {"globs": value}


def _ignored(key: str) -> str:
    if key == "localRoot":
        return "`localRoot` is ignored: this rule goes into the shared rules files"
    return f"`{key}` is ignored (rulesync does not write for that tool)"


# --- the JavaScript tool's configuration -----------------------------------------------


def config_targets(root: Path) -> tuple[str, ...] | None:
    """The targets in rulesync.jsonc that rulesync writes, or None without such a file."""
    for name in CONFIG_FILES:
        path = root / name
        if path.is_file():
            data = _jsonc(path.read_text(encoding="utf-8-sig"))
            value = data.get("targets", ["*"]) if isinstance(data, dict) else ["*"]
            names = [value] if isinstance(value, str) else [str(v) for v in value]
            if "*" in names:
                return TARGETS
            mapped = (canonical_target(JS_TARGETS.get(n, n)) for n in names)
            chosen = {t for t in mapped if t is not None}
            return tuple(t for t in TARGETS if t in chosen) or None
    return None


def _jsonc(text: str) -> Any:
    """JSON with comments and trailing commas, as the JavaScript tool writes it."""
    token = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
    stripped = token.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    stripped = re.sub(r",(\s*[}\]])", r"\1", stripped)
    try:
        return json.loads(stripped)
    except ValueError:
        return {}


def looks_like_js_tree(root: Path) -> bool:
    return any((root / name).is_file() for name in CONFIG_FILES)
