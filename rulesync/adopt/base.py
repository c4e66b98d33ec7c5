"""What every importer shares: the context it fills, and the result it hands back."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rulesync.errors import Problem
from rulesync.render.outputs import Warning

from .sourcefile import SourceFile


@dataclass(frozen=True)
class ReadOriginal:
    """An agent file import read whole (a nested CLAUDE.md), that mirror does not write again:
    import removes it once mirror renders every rule it held elsewhere (cleanup.py)."""

    path: str  # project-relative
    sha256: str  # of the bytes import read: a file changed since is left alone
    rules: tuple[str, ...]  # the source files staged from it


@dataclass(frozen=True)
class Imported:
    """What an importer read: the source files it built, and the agent files they replace."""

    agent: str
    files: tuple[SourceFile, ...]
    #: agent files whose whole content is now in the source: import rewrites them as mirror
    #: renders them. Every other agent file is left for `rulesync mirror`.
    consumed: frozenset[str]
    warnings: tuple[Warning, ...]
    backups: tuple[SourceFile, ...] = ()  # originals kept aside before a file is rewritten
    #: symlinks (project-relative) that import replaces with real files: the context files
    #: and agent files read through them are now in the source. Their targets stay untouched.
    links: frozenset[str] = frozenset()
    originals: tuple[ReadOriginal, ...] = ()  # files import removes once mirror has run


@dataclass
class ImportContext:
    """Handed to an importer: where to read, where the source goes, and what was found."""

    root: Path
    source: str  # the source folder, relative to the root (`.rulesync`)
    lint: Mapping[str, Any] = field(default_factory=dict)  # `lint:` of rulesync.yaml
    files: dict[str, SourceFile] = field(default_factory=dict)
    consumed: set[str] = field(default_factory=set)
    warnings: list[Warning] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    backups: list[SourceFile] = field(default_factory=list)
    links: set[str] = field(default_factory=set)
    originals: list[ReadOriginal] = field(default_factory=list)

    def warn(self, path: str, message: str, line: int | None = None) -> None:
        self.warnings.append(Warning(path, message, line))

    def fail(self, problem: Problem) -> None:
        self.problems.append(problem)

    def consume(self, display: str, link: str | None = None) -> None:
        """`display` is now wholly in the source; `link`, the symlink it was read through,
        is replaced by real files when import writes."""
        self.consumed.add(display)
        if link is not None:
            self.links.add(link)

    def add(
        self, folder: str, relative: str, content: bytes, origin: str, *, executable: bool = False
    ) -> None:
        """Stage `<source>/<folder>/<relative>`."""
        path = f"{self.source}/{folder}/{relative}"
        self.files[path] = SourceFile(path, content, origin, executable)

    def free_name(self, folder: str, stem: str, suffix: str) -> str:
        """`stem`, or `stem-2`, `stem-3` … when another file already took that name."""
        name, number = stem, 2
        while f"{self.source}/{folder}/{name}{suffix}" in self.files:
            name, number = f"{stem}-{number}", number + 1
        return name

    def display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def read(self, relative: str) -> bytes | None:
        path = self.root / relative
        return path.read_bytes() if path.is_file() else None

    def files_below(self, folder: str, pattern: str) -> Iterator[Path]:
        base = self.root / folder
        if base.is_dir():
            yield from sorted(p for p in base.glob(pattern) if p.is_file())

    def result(self, agent: str) -> Imported:
        return Imported(
            agent,
            tuple(self.files[p] for p in sorted(self.files)),
            frozenset(self.consumed),
            tuple(self.warnings),
            tuple(self.backups),
            frozenset(self.links),
            tuple(self.originals),
        )


Reader = Callable[[ImportContext], None]
