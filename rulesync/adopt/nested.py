"""Context files below the root (`packages/api/AGENTS.md`, `src/GEMINI.md`) back into rules.

Each becomes a rule scoped to its folder (`globs: packages/api/**`), which mirror renders into
the same file again. A file rulesync wrote is cut at its markers, as at the root; a rule that
sits in several folders' files comes back once, with each folder in its `globs`. A hand-kept
file becomes one rule named after its folder. Only regular files reached through real folders
are read; hidden folders, the source folder and dependency folders are not searched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .base import ImportContext
from .context import RuleDraft, has_markers, split_generated, stage_rules
from .readfront import ReadError, decode, generated_from

#: Folders never searched: tools' own trees, dependencies and build output.
SKIPPED = frozenset({"node_modules", "__pycache__", "venv", "dist", "build", "target", "vendor"})


@dataclass
class _Merged:
    body: str
    globs: list[str] = field(default_factory=list)
    origin: str = ""
    description: str | None = None


def import_nested(ctx: ImportContext, filename: str) -> None:
    """Stage a rule for each section of every `<folder>/<filename>` below the root."""
    merged: dict[str, _Merged] = {}
    for relative in nested_files(ctx, filename):
        for draft in _drafts(ctx, relative):
            entry = merged.get(draft.name)
            if entry is None or entry.body != draft.body:
                name = draft.name if entry is None else f"{draft.name}@{relative}"
                entry = merged.setdefault(name, _Merged(draft.body, [], relative))
            entry.globs.extend(g for g in draft.globs if g not in entry.globs)
    for name, entry in merged.items():
        draft = RuleDraft(name.partition("@")[0], entry.body, tuple(entry.globs))
        stage_rules(ctx, [draft], entry.origin, first_is_root=False)


def nested_files(ctx: ImportContext, filename: str) -> list[str]:
    """Project-relative paths of the regular files named `filename` in folders below the root,
    sorted; symlinked files and folders are left out (with a warning for files)."""
    found: list[str] = []
    source = ctx.source.strip("/")
    for folder, dirs, names in os.walk(ctx.root):
        relative = os.path.relpath(folder, ctx.root).replace(os.sep, "/")
        dirs[:] = sorted(d for d in dirs if _searched(relative, d, source))
        if relative == "." or filename not in names:
            continue
        path = f"{relative}/{filename}"
        if os.path.islink(os.path.join(folder, filename)):
            ctx.warn(path, "not imported: a symlink (mirror never writes through one)")
        elif os.path.isfile(os.path.join(folder, filename)):
            found.append(path)
    return sorted(found)


def _searched(parent: str, name: str, source: str) -> bool:
    relative = name if parent == "." else f"{parent}/{name}"
    return not name.startswith(".") and name not in SKIPPED and relative != source


def _drafts(ctx: ImportContext, relative: str) -> list[RuleDraft]:
    raw = ctx.read(relative)
    if raw is None:
        return []
    try:
        text = decode(raw, relative)
    except ReadError as error:
        ctx.fail(error.problem)
        return []
    ctx.consume(relative)
    folder = relative.rpartition("/")[0]
    whole = (f"{folder}/**",)
    if generated_from(text) is not None or has_markers(text):
        drafts = split_generated(ctx, relative, text)
        return [RuleDraft(d.name, d.body, d.globs or whole, d.description) for d in drafts]
    return [RuleDraft(folder.replace("/", "-"), text.strip("\n"), whole)]
