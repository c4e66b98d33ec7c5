"""Context files below the root (`packages/api/AGENTS.md`, `src/GEMINI.md`,
`apps/web/CLAUDE.md`) back into rules.

Each becomes a rule scoped to its folder (`globs: packages/api/**`), which mirror renders into
the same file again (Gemini, Codex) or into `.claude/rules/<name>.md` with `paths:` (Claude).
A file rulesync wrote is cut at its markers, as at the root; a rule that sits in several
folders' files comes back once, with each folder in its `globs` (and once as well when the
agent's own rule files, `.claude/rules/`, hold it already). The same name with another
body comes back as a second rule (`name-2`), scoped to its own folders, with a warning. A
hand-kept file becomes one rule named after its folder; Claude's `@imports` in it are inlined
as at the root. Only regular files of at most 1 MiB, reached through real folders, are read
(never through a link); hidden folders, the source folder and dependency folders are not
searched. The walk keeps its own stack, so a deep tree costs no recursion.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field

from rulesync.errors import Problem

from .base import ImportContext, ReadOriginal
from .context import RuleDraft, has_markers, inline_imports, split_generated, stage_rules
from .readfront import ReadError, decode, generated_from

#: Folders never searched: tools' own trees, dependencies and build output.
SKIPPED = frozenset({"node_modules", "__pycache__", "venv", "dist", "build", "target", "vendor"})
#: A nested context file larger than this is not read (Claude Code skips such Markdown too).
MAX_BYTES = 1024 * 1024
#: The longest rule name made from a folder, in bytes (file names stop at 255).
MAX_NAME = 100


@dataclass
class _Merged:
    name: str
    body: str
    origin: str
    description: str | None = None
    globs: dict[str, None] = field(default_factory=dict)  # an ordered set
    files: list[str] = field(default_factory=list)  # the nested files it was read from


@dataclass(frozen=True)
class _Read:
    relative: str
    sha256: str
    drafts: list[RuleDraft]


def import_nested(
    ctx: ImportContext, filename: str, *, follow_imports: bool = False, personal: str = ""
) -> list[ReadOriginal]:
    """Stage a rule for each section of every `<folder>/<filename>` below the root; returns
    each file read, with the digest of its bytes and the source files staged from it. Files
    named `personal` (`CLAUDE.local.md`) are named in a note, never read."""
    merged: dict[tuple[str, str], _Merged] = {}
    first_of: dict[str, _Merged] = {}
    reads: list[_Read] = []
    for relative in nested_files(ctx, filename, personal):
        read = _read(ctx, relative, follow_imports=follow_imports)
        if read is None:
            continue
        reads.append(read)
        for draft in read.drafts:
            entry = merged.get((draft.name, draft.body))
            if entry is None:
                entry = _Merged(draft.name, draft.body, relative, draft.description)
                merged[draft.name, draft.body] = entry
                _note_clash(ctx, first_of.setdefault(draft.name, entry), entry)
            entry.globs.update(dict.fromkeys(draft.globs))
            entry.files.append(relative)
    staged: dict[str, list[str]] = {}
    for entry in merged.values():
        draft = RuleDraft(entry.name, entry.body, tuple(entry.globs), entry.description)
        for path in stage_rules(ctx, [draft], entry.origin, first_is_root=False, reuse=True):
            for relative in entry.files:
                staged.setdefault(relative, []).append(path)
    return [ReadOriginal(r.relative, r.sha256, tuple(staged.get(r.relative, ()))) for r in reads]


def _note_clash(ctx: ImportContext, first: _Merged, entry: _Merged) -> None:
    if first is not entry:
        ctx.warn(
            entry.origin,
            f"rule `{entry.name}` here differs from the one in {first.origin}; both are "
            "imported, this one under a new name (`-2` …) scoped to its own folder: merge "
            "them by hand if they should be one rule",
        )


def nested_files(ctx: ImportContext, filename: str, personal: str = "") -> list[str]:
    """Project-relative paths of the regular files named `filename` in folders below the root,
    sorted; symlinks (files or folders) are never followed, and a symlinked or oversized
    `filename` is named in a warning. One pass over the tree, with an explicit stack."""
    found: list[str] = []
    source = ctx.source.strip("/")
    stack = [""]
    while stack:
        folder = stack.pop()
        for name, mode, size in _entries(ctx, folder):
            relative = f"{folder}/{name}" if folder else name
            if stat.S_ISDIR(mode) and _searched(relative, name, source):
                stack.append(relative)
            elif name == filename and folder:
                _take(ctx, relative, mode, size, found)
            elif name == personal and folder:
                ctx.warn(relative, "personal notes are not imported; Claude still reads them")
    return sorted(found)


def _entries(ctx: ImportContext, folder: str) -> list[tuple[str, int, int]]:
    """(name, lstat mode, size) of each entry in `folder`; a folder that cannot be listed is
    named in a warning."""
    path = ctx.root / folder if folder else ctx.root
    try:
        with os.scandir(path) as listing:
            found = [(entry.name, entry.stat(follow_symlinks=False)) for entry in listing]
    except OSError as error:
        ctx.warn(folder or ".", f"not searched for context files: {error.strerror}")
        return []
    return [(name, info.st_mode, info.st_size) for name, info in found]


def _take(ctx: ImportContext, relative: str, mode: int, size: int, found: list[str]) -> None:
    unfit = _unfit_folder(relative.rpartition("/")[0])
    if unfit is not None:
        shown = relative.encode("utf-8", "backslashreplace").decode("utf-8")
        ctx.warn(shown, f"not imported: {unfit}; move its text into a rule by hand")
    elif stat.S_ISLNK(mode):
        ctx.warn(relative, "not imported: a symlink (mirror never writes through one)")
    elif stat.S_ISREG(mode) and size > MAX_BYTES:
        ctx.warn(relative, "not imported: over 1 MiB")
    elif stat.S_ISREG(mode):
        found.append(relative)


def _unfit_folder(folder: str) -> str | None:
    """Why `folder/**` cannot scope a rule to exactly this folder, or None."""
    from rulesync.source.scopes import whole_folder

    try:
        folder.encode("utf-8")
    except UnicodeEncodeError:
        return "its folder's name is not UTF-8, which a rule's `globs` cannot hold"
    if whole_folder(f"{folder}/**") != folder:
        return (
            "its folder's name holds a glob character ([ ] { } * ? !), so `globs` would "
            "match other folders"
        )
    return None


def _rule_name(folder: str) -> str:
    """`packages/api` -> `packages-api`; a name too long for a file name keeps its tail and
    a digest of the folder, so two deep folders still get two rules."""
    name = folder.replace("/", "-")
    if len(name.encode("utf-8")) <= MAX_NAME:
        return name
    digest = hashlib.sha256(folder.encode("utf-8")).hexdigest()[:8]
    tail = name.encode("utf-8")[-(MAX_NAME - 9) :].decode("utf-8", "ignore").lstrip("-")
    return f"{tail}-{digest}"


def _searched(relative: str, name: str, source: str) -> bool:
    return not name.startswith(".") and name not in SKIPPED and relative != source


def _read(ctx: ImportContext, relative: str, *, follow_imports: bool) -> _Read | None:
    from rulesync.sync.safety import read_regular

    try:
        raw = read_regular(ctx.root / relative)
    except OSError as error:
        ctx.fail(Problem(relative, f"cannot read: {error.strerror}", fix="check its permissions"))
        return None
    if not isinstance(raw, bytes):  # replaced by a link or removed since the walk
        ctx.warn(relative, "not imported: it is no longer a regular file")
        return None
    try:
        text = decode(raw, relative)
    except ReadError as error:
        ctx.fail(error.problem)
        return None
    ctx.consume(relative)
    drafts = _drafts(ctx, relative, text, follow_imports)
    return _Read(relative, hashlib.sha256(raw).hexdigest(), drafts)


def _drafts(ctx: ImportContext, relative: str, text: str, follow_imports: bool) -> list[RuleDraft]:
    folder = relative.rpartition("/")[0]
    whole = (f"{folder}/**",)
    if generated_from(text) is not None or has_markers(text):
        drafts = split_generated(ctx, relative, text)
        return [RuleDraft(d.name, d.body, d.globs or whole, d.description) for d in drafts]
    if follow_imports:
        path = ctx.root / relative
        text = inline_imports(ctx, path, text, [path])
    return [RuleDraft(_rule_name(folder), text.strip("\n"), whole)]
