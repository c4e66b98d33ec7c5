"""Adopted skill folders that mirror now writes elsewhere: import removes them.

Gemini CLI reads `.gemini/skills/` and `.agents/skills/`; Codex reads `.codex/skills/` and
`.agents/skills/` (see rulesync/targets/skill_layout.py). When an imported skill (or a Codex
command-skill) is rendered by mirror into the *other* folder that the same CLI reads, the
adopted original would sit beside mirror's copy, and the CLI would see the skill twice.

So import removes the original, and nothing else: only files it imported (their content is
now in the source), only regular files (lstat, never a link), reached through real folders
only (checked again right before the removal), and only when the bytes are still those it
read. Then the folders the removal left empty, up to the skill's own folder, and only real
ones. Each removal is listed in the report (and in `--dry-run`).

The same goes for a nested `CLAUDE.md` (`packages/api/CLAUDE.md`) that import took in as a
folder-scoped rule: mirror renders that rule for Claude Code into `.claude/rules/<name>.md`
with `paths:` (or into the root CLAUDE.md with `scopes: root`), never into a nested CLAUDE.md,
so the original beside it would make Claude read the rule twice. It is removed, under the same
checks, only when mirror renders every rule it held for Claude; its folder always stays.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rulesync.render.outputs import Warning
from rulesync.sync.unmanaged import CLI_NAMES, SKILL_FOLDERS

from .base import ReadOriginal

#: every project skill folder Gemini CLI or Codex reads
_ALL_FOLDERS = tuple(dict.fromkeys(f for folders in SKILL_FOLDERS.values() for f in folders))


@dataclass(frozen=True)
class Removal:
    """An adopted file that import removes, since mirror writes what it held elsewhere."""

    path: str  # project-relative: `.gemini/skills/tidy/SKILL.md`
    sha256: str  # of the bytes import read: a file changed since is left alone
    #: `.gemini/skills/tidy`: emptied folders are removed up to this one ("": none is)
    skill_folder: str
    why: str  # for the report


#: Where mirror writes a command for the CLIs that read skill folders (a TOML command for
#: Gemini, a command-skill in `.codex/skills/` for Codex).
_COMMAND_OUTPUTS = (".gemini/commands/", ".codex/skills/")


def _skill_place(path: str) -> tuple[str, str] | None:
    """`<skill folder>/<name>/...` -> (skill folder, name), for the folders Gemini or Codex read."""
    for folder in _ALL_FOLDERS:
        rest = path.removeprefix(f"{folder}/")
        if rest != path and "/" in rest:
            return folder, rest.split("/", 1)[0]
    return None


def _skill_moved(folder: str, name: str, rendered: set[tuple[str, str]]) -> str | None:
    """Why the skill `<folder>/<name>/` is a duplicate once mirror has run, or None."""
    for cli, folders in SKILL_FOLDERS.items():
        if folder not in folders:
            continue
        other = next((f for f in folders if f != folder and (f, name) in rendered), None)
        if other is not None:
            return (
                f"imported into the source; mirror writes the skill to {other}/{name}/, which "
                f"{CLI_NAMES[cli]} reads as well, so this copy would make it see the skill twice"
            )
    return None


def _command_moved(paths: list[str]) -> str:
    shown = " and ".join(paths)
    return (
        f"a command mirrored as a skill, imported into the source as a command; mirror now "
        f"writes it as {shown}, so this copy would show the command twice (or as a skill too)"
    )


def _moved_places(
    outputs: Iterable[tuple[str, str]], commands: Mapping[str, str]
) -> dict[tuple[str, str], str]:
    """(skill folder, name) -> why, for each adopted place mirror now writes elsewhere.

    `outputs` are (path, source) of what mirror renders; `commands` maps the source file of a
    command that import made from a command-skill to that skill's SKILL.md."""
    rendered: set[tuple[str, str]] = set()
    by_command: dict[str, list[str]] = {}
    for path, source in outputs:
        place = _skill_place(path)
        if place is not None and path == f"{place[0]}/{place[1]}/SKILL.md":
            rendered.add(place)
        if source in commands and path.startswith(_COMMAND_OUTPUTS):
            by_command.setdefault(source, []).append(path)
    moved: dict[tuple[str, str], str] = {}
    for source, origin in commands.items():
        place = _skill_place(origin)
        if place is not None and source in by_command:
            moved[place] = _command_moved(sorted(by_command[source]))
    for name in {name for _folder, name in rendered}:
        for folder in _ALL_FOLDERS:
            why = _skill_moved(folder, name, rendered)
            if why is not None and (folder, name) not in moved:
                moved[folder, name] = why
    # mirror writes a skill right there: the adopted files are rewritten, not removed
    return {place: why for place, why in moved.items() if place not in rendered}


def adopted_duplicates(
    root: Path,
    consumed: Iterable[str],
    outputs: Iterable[tuple[str, str]],
    links: Collection[str],
    commands: Mapping[str, str],
) -> tuple[tuple[Removal, ...], tuple[Warning, ...]]:
    """The removals, and a warning for each adopted duplicate that cannot be removed safely."""
    moved = _moved_places(outputs, commands)
    if not moved:
        return (), ()
    removals: list[Removal] = []
    warnings: list[Warning] = []
    for path in sorted(consumed):
        place = _skill_place(path)
        why = moved.get(place) if place is not None else None
        if place is None or why is None:
            continue
        kept = _unsafe(root, path, links)
        if kept is not None:
            warnings.append(Warning(path, f"not removed: {kept}; {why}: delete it yourself"))
            continue
        try:  # a regular file, through real folders or a link that import replaces first
            content = (root / path).read_bytes()
        except OSError as error:
            warnings.append(Warning(path, f"not removed: cannot read it ({error.strerror})"))
            continue
        digest = hashlib.sha256(content).hexdigest()
        removals.append(Removal(path, digest, f"{place[0]}/{place[1]}", why))
    return tuple(removals), tuple(warnings)


def nested_claude_removals(
    root: Path,
    originals: Iterable[ReadOriginal],
    outputs: Iterable[tuple[str, str, bytes, str]],
    links: Collection[str],
) -> tuple[tuple[Removal, ...], tuple[Warning, ...]]:
    """Removals for the nested CLAUDE.md files whose every rule mirror renders for Claude;
    `outputs` are (path, source, wanted bytes, action) of what mirror renders. A file whose
    rules Claude would not get from mirror (claude not a target, a conflict) is kept, named."""
    rendered = _rendered_for_claude(outputs)
    removals: list[Removal] = []
    warnings: list[Warning] = []
    for original in originals:
        if not original.rules:
            continue
        missing = [rule for rule in original.rules if rule not in rendered]
        if missing:
            warnings.append(Warning(original.path, _kept_why(missing)))
            continue
        kept = _unsafe(root, original.path, links)
        if kept is not None:
            warnings.append(
                Warning(original.path, f"not removed: {kept}; {NESTED_CLAUDE_WHY}: delete it")
            )
            continue
        removals.append(Removal(original.path, original.sha256, "", NESTED_CLAUDE_WHY))
    return tuple(removals), tuple(warnings)


NESTED_CLAUDE_WHY = (
    "imported into the source as a folder-scoped rule; mirror writes it for Claude Code "
    "(to .claude/rules/ with `paths:`), so this copy would make Claude read the rule twice"
)


def _rendered_for_claude(outputs: Iterable[tuple[str, str, bytes, str]]) -> set[str]:
    """The rules mirror writes for Claude: into one of Claude's rule files, or as a section
    of the root CLAUDE.md (`scopes: root`). A conflict is not written, so it does not count.
    One pass over the outputs."""
    from rulesync.targets.base import SECTION_MARKER

    head, _, tail = SECTION_MARKER.partition("{source}")
    rendered: set[str] = set()
    for path, source, wanted, action in outputs:
        if action == "conflict":
            continue
        if path.startswith(".claude/rules/"):
            rendered.add(source)
        elif path == "CLAUDE.md":
            for line in wanted.decode("utf-8", "replace").split("\n"):
                if line.startswith(head) and line.endswith(tail):
                    rendered.add(line[len(head) : len(line) - len(tail)])
    return rendered


def _kept_why(missing: list[str]) -> str:
    shown = ", ".join(missing)
    return (
        f"imported, but not removed: mirror does not write {shown} for Claude Code (claude "
        "is not in `targets:`, or its file is a conflict), and Claude reads this file; edit "
        "the rule in the source from now on, and delete this file once mirror writes it"
    )


def _unsafe(root: Path, path: str, links: Collection[str]) -> str | None:
    """Why `path` may not be removed: a folder on its way is a link that import does not
    replace (or a file), or the path itself is not a regular file."""
    parts = path.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if folder in links:
            return None if _is_regular(root / path) else "it is not a regular file"
        mode = _lstat_mode(root / folder)
        if mode is not None and stat.S_ISLNK(mode):
            return f"{folder} is a symlink, and rulesync removes nothing through one"
        if mode is None or not stat.S_ISDIR(mode):
            return f"{folder} is not a folder"
    if not _is_regular(root / path, follow=False):
        return "it is a symlink or not a regular file"
    return None


def _lstat_mode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def _is_regular(path: Path, *, follow: bool = True) -> bool:
    try:
        mode = os.stat(path).st_mode if follow else os.lstat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode)


def remove_adopted(
    root: Path, source: str, removals: Iterable[Removal]
) -> tuple[list[str], list[Warning]]:
    """Remove each file, checked again now (real folders, a regular file, the same bytes),
    then the folders left empty up to each skill's folder. Returns (removed, left alone)."""
    from rulesync.sync.safety import PathGuard, read_regular

    guard = PathGuard(root, source)
    removed: list[str] = []
    left: list[Warning] = []
    emptied: set[str] = set()
    for removal in removals:
        problem = guard.reason(removal.path)
        current = read_regular(root / removal.path) if problem is None else None
        if problem is not None or not isinstance(current, bytes):
            why = problem[0] if problem is not None else "it is no longer a regular file"
            left.append(Warning(removal.path, f"not removed: {why}"))
            continue
        if hashlib.sha256(current).hexdigest() != removal.sha256:
            left.append(Warning(removal.path, "not removed: it changed while import ran"))
            continue
        try:
            os.unlink(root / removal.path)
        except OSError as error:  # a folder made read-only: the rest still goes
            left.append(Warning(removal.path, f"not removed: {error.strerror}"))
            continue
        removed.append(removal.path)
        emptied.update(_folders_up_to(removal.path, removal.skill_folder))
    for folder in sorted(emptied, key=lambda f: (-f.count("/"), f)):
        _remove_if_empty(root / folder)
    return removed, left


def _folders_up_to(path: str, top: str) -> list[str]:
    """The folders of `path` from its own up to `top`, included."""
    found = []
    folder = path.rpartition("/")[0]
    while folder and (folder == top or folder.startswith(f"{top}/")):
        found.append(folder)
        folder = folder.rpartition("/")[0]
    return found


def _remove_if_empty(path: Path) -> None:
    """rmdir only a real folder (never a link) that is empty; anything else stays."""
    mode = _lstat_mode(path)
    if mode is None or not stat.S_ISDIR(mode):
        return
    with contextlib.suppress(OSError):  # not empty: something import did not take is there
        os.rmdir(path)
