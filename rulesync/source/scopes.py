"""Where a rule applies: its `globs`, read as folders of the project. Pure: no I/O.

A rule whose every pattern is a whole folder (`packages/api/**`) is *folder-scoped*: Gemini and
Codex get it in that folder's own context file, which they load only for work inside it. Any
other pattern keeps the "Applies to files matching …" line, in the file of its nearest folder
(the longest literal folder all its patterns share). docs/mirror.md has the vendor facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from typing import Any

#: Patterns that mean "every file": no scope at all.
MATCH_ALL = frozenset({"*", "**", "**/*"})
#: `scopes:` values: nested folder files (default), or everything in the root files (as before).
LAYOUTS = ("nested", "root")
_WILDCARD = re.compile(r"[*?\[\]{}!]")
#: Tails that make a folder pattern cover the whole folder.
_WHOLE_FOLDER = ("/**", "/**/*")
#: Folders never written into, whatever a pattern says.
_NOT_OURS = frozenset({".git"})

Reporter = Callable[[str, tuple[str | int, ...], "str | None"], None]


class Scope(Frozen):
    """The patterns a rule has (match-all ones dropped), the folders it renders into
    ("" is the project root), and whether each folder is the whole of its scope."""

    __slots__ = ("patterns", "folders", "whole")  # noqa: RUF023 - the field order
    patterns: tuple[str, ...]
    folders: tuple[str, ...]
    whole: bool

    def __init__(self, patterns: tuple[str, ...], folders: tuple[str, ...], whole: bool) -> None:
        self._set(patterns=patterns, folders=folders, whole=whole)

    @property
    def scoped(self) -> bool:
        return bool(self.patterns)


UNSCOPED = Scope((), ("",), True)


def patterns_of(globs: Any) -> tuple[str, ...]:
    """`globs` as a tuple of patterns, without those that match everything."""
    found = [globs] if isinstance(globs, str) else list(globs or [])
    return tuple(p for p in (str(g).strip() for g in found) if p and p not in MATCH_ALL)


def scope_of(globs: Any) -> Scope:
    patterns = patterns_of(globs)
    if not patterns:
        return UNSCOPED
    whole = [whole_folder(p) for p in patterns]
    if all(folder for folder in whole):
        folders = tuple(dict.fromkeys(f for f in whole if f is not None))
        return Scope(patterns, folders, True)
    return Scope(patterns, (common_folder([literal_folder(p) for p in patterns]),), False)


def whole_folder(pattern: str) -> str | None:
    """`packages/api/**` -> `packages/api`; None when the pattern is not a whole folder."""
    clean = _clean(pattern)
    for tail in _WHOLE_FOLDER:
        if clean.endswith(tail):
            folder = clean[: -len(tail)]
            plain = folder and not _WILDCARD.search(folder) and safe_folder(folder)
            return folder if plain else None
    return None


def literal_folder(pattern: str) -> str:
    """The folders before the first wildcard: `src/app/*.ts` -> `src/app`; `*.ts` -> ``."""
    parts = _clean(pattern).split("/")[:-1]
    literal: list[str] = []
    for part in parts:
        if _WILDCARD.search(part):
            break
        literal.append(part)
    folder = "/".join(literal)
    return folder if safe_folder(folder) else ""


def common_folder(folders: Sequence[str]) -> str:
    """The deepest folder that holds all of `folders`."""
    split = [f.split("/") if f else [] for f in folders]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if any(part != parts[0] for part in parts):
            break
        common.append(parts[0])
    return "/".join(common)


def safe_folder(folder: str) -> bool:
    """A relative folder of plain names: no `..`, `.`, empty parts, backslashes or `.git`."""
    if not folder:
        return True
    parts = folder.split("/")
    return all(
        part not in ("", ".", "..")
        and part not in _NOT_OURS
        and "\\" not in part
        and "\0" not in part
        for part in parts
    )


def _clean(pattern: str) -> str:
    clean = pattern.strip()
    while clean.startswith("./"):
        clean = clean[2:]
    return clean.lstrip("/")


def in_folder(folder: str, filename: str) -> str:
    return f"{folder}/{filename}" if folder else filename


# --- rulesync.yaml ----------------------------------------------------------------------


def layout_of(value: Any, problem: Reporter) -> str:
    if value is None:
        return LAYOUTS[0]
    if value not in LAYOUTS:
        problem(
            f"`scopes` must be one of {', '.join(LAYOUTS)}",
            ("scopes",),
            "`nested` writes folder-scoped rules into that folder's files; `root` keeps "
            "every rule in the root files",
        )
        return LAYOUTS[0]
    return str(value)


def packages_of(value: Any, problem: Reporter) -> tuple[str, ...]:
    """`packages: [packages/*, tools/cli]`: relative folder patterns (`*` within one name)."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problem(
            "`packages` must be a list of folders", ("packages",), "e.g. `packages: [packages/*]`"
        )
        return ()
    found: list[str] = []
    for index, item in enumerate(items):
        text = str(item).strip().strip("/") if isinstance(item, str) else ""
        if not text or "**" in text or not safe_folder(text.replace("*", "x")):
            problem(
                f"`packages` entry `{item}` must be a folder inside the project",
                ("packages", index),
                "use a relative folder, with `*` for any one name (e.g. `packages/*`)",
            )
        elif text not in found:
            found.append(text)
    return tuple(found)
