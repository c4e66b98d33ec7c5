"""Regular expressions compiled on first use: a module's import compiles none of them.

A one-file pre-commit run imports the prefilter and the suppression comments on every call,
and most files need a few of their patterns or none (compiling them all cost about as much
as linting a short file).
"""

from __future__ import annotations

import re
import sys

TYPE_CHECKING = False  # not from typing: imported on every lint run
if TYPE_CHECKING:
    from collections.abc import Iterator


class LazyPattern:
    """`re.compile(pattern, flags)`, compiled when one of its methods is first called."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)
