"""What rendering produces: files as (path, bytes), plus warnings. No I/O here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Mode = Literal["owned", "merged"]


@dataclass(frozen=True)
class Output:
    """One file mirror wants on disk.

    `owned` files belong to rulesync: written whole, recorded in the lock, removed as orphans.
    `merged` files belong to the user (e.g. `.claude/settings.json`): rulesync only adds its own
    entries to what is there (and takes out the named entries it wrote that are no longer
    wanted), and never deletes the file.
    """

    path: str  # project-relative, posix
    content: bytes
    source: str  # the source file (or folder) it comes from, for reports
    targets: tuple[str, ...]
    mode: Mode = "owned"
    executable: bool = False
    #: for `merged` outputs: the file's current bytes (None when absent) -> the bytes wanted.
    merge: Callable[[bytes | None], bytes] | None = None
    #: for `merged` outputs: the names of the entries rulesync writes into the file
    #: (`mcp.github`), kept in the lock so that the next mirror can take out those it wrote
    #: and the source no longer declares (`RenderContext.written`)
    names: tuple[str, ...] = ()

    def wanted(self, current: bytes | None) -> bytes:
        return self.merge(current) if self.merge is not None else self.content


@dataclass(frozen=True)
class Warning:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
