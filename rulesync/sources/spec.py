"""The `sources:` entries of rulesync.yaml, validated with the line of every problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from rulesync.errors import Problem

CONFIG_NAME = "rulesync.yaml"
KEYS = ("repo", "rev", "path", "include")
LineOf = Callable[..., "int | None"]


@dataclass(frozen=True)
class SourceSpec:
    """One pack: `repo` (URL or local path), `rev` (tag, branch or commit), the folder
    inside the repository that holds its rules/commands/skills/subagents, and globs of the
    files taken from it (relative to `path`; empty: every file)."""

    repo: str
    rev: str
    path: str = ""
    include: tuple[str, ...] = ()
    index: int = 0

    @property
    def name(self) -> str:
        """The repository's last path part: generated notes name pack files by it
        (`agent-rules:rules/x.md`), so a new rev changes only what its content changes."""
        return self.repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or self.repo

    @property
    def label(self) -> str:
        """How messages name the pack: `agent-rules@v1.4.0`."""
        return f"{self.name}@{self.rev}"


def parse_sources(value: Any, line_of: LineOf) -> tuple[tuple[SourceSpec, ...], list[Problem]]:
    """The specs of a `sources:` value, and every problem with its line."""
    problems: list[Problem] = []
    if value is None:
        return (), problems
    if not isinstance(value, list):
        fix = "write a list: `sources:` then `  - repo: …` lines"
        if isinstance(value, str):
            fix += f"; the folder of your own rules is `source: {value}` (no s)"
        problems.append(Problem(CONFIG_NAME, "`sources` must be a list", line_of("sources"), fix))
        return (), problems
    specs = []
    for index, entry in enumerate(value):
        spec = _entry(entry, index, line_of, problems)
        if spec is not None:
            specs.append(spec)
    _duplicates(specs, line_of, problems)
    return tuple(specs), problems


def _entry(entry: Any, index: int, line_of: LineOf, problems: list[Problem]) -> SourceSpec | None:
    def problem(message: str, *keys: str, fix: str | None = None) -> None:
        problems.append(Problem(CONFIG_NAME, message, line_of("sources", index, *keys), fix))

    if not isinstance(entry, dict):
        problem(f"`sources[{index}]` must be a mapping", fix="e.g. `- repo: URL` and `rev: v1.0`")
        return None
    before = len(problems)
    for key in entry:
        if key not in KEYS:
            problem(f"unknown key `{key}` in a source", str(key), fix=f"known: {', '.join(KEYS)}")
    repo = _text(entry, "repo", problem, required=True)
    rev = _text(entry, "rev", problem, required=True)
    if repo.startswith("-"):
        problem("`repo` must not start with `-`", "repo", fix="give a URL or a path")
    if rev.startswith("-") or any(c.isspace() for c in rev):
        problem(f"`rev` {rev!r} is not a tag, branch or commit", "rev")
    path = _text(entry, "path", problem)
    if path and _escapes(path):
        problem("`path` must be a relative folder inside the repository", "path", fix="no `..`")
    include = _include(entry.get("include"), problem)
    if len(problems) > before:
        return None
    return SourceSpec(repo, rev, path.strip("/"), include, index)


def _text(
    entry: dict[str, Any], key: str, problem: Callable[..., None], *, required: bool = False
) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            problem(f"a source needs `{key}`", fix=f"add `{key}:` to it")
        return ""
    if not isinstance(value, str) or not value.strip():
        problem(f"`{key}` must be text", key)
        return ""
    return value.strip()


def _include(value: Any, problem: Callable[..., None]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        problem("`include` must be a list of globs", "include", fix="e.g. `include: [rules/*]`")
        return ()
    globs = []
    for glob in value:
        if not isinstance(glob, str) or not glob.strip():
            problem("`include` entries must be text", "include")
        elif _escapes(glob):
            problem(f"`include` glob {glob!r} leaves the source's folder", "include", fix="no `..`")
        else:
            globs.append(glob.strip())
    return tuple(globs)


def _escapes(relative: str) -> bool:
    """An absolute path, a `..` part, a backslash or a NUL: nothing a pack may name."""
    if relative.startswith(("/", "~")) or "\\" in relative or "\0" in relative:
        return True
    if len(relative) > 1 and relative[1] == ":":  # C:/…
        return True
    return ".." in PurePosixPath(relative).parts


def _duplicates(specs: list[SourceSpec], line_of: LineOf, problems: list[Problem]) -> None:
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        key = (spec.repo, spec.path)
        if key in seen:
            problems.append(
                Problem(
                    CONFIG_NAME,
                    f"source {spec.repo} {spec.path or '(root)'} is listed twice",
                    line_of("sources", spec.index),
                    "keep one entry; use `include:` to take more files",
                )
            )
        seen.add(key)
