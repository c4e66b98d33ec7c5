"""One exception base for everything the user can fix, with messages that name the fix.

`Problem` is a plain class with `__slots__`, not a dataclass: nearly every command imports
this module, and `dataclasses` pulls in `inspect` (about 10 ms of start-up for a hook).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: every command imports this module
if TYPE_CHECKING:
    from collections.abc import Iterable

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class Problem:
    """One thing wrong with the user's input, located as precisely as we can (immutable)."""

    __slots__ = ("fix", "line", "message", "path")

    path: str
    message: str
    line: int | None
    fix: str | None

    def __init__(
        self, path: str, message: str, line: int | None = None, fix: str | None = None
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "fix", fix)

    def replace(
        self,
        *,
        path: str | None = None,
        message: str | None = None,
    ) -> Problem:
        """A copy with a new path or message (what `dataclasses.replace` gave before)."""
        return Problem(
            self.path if path is None else path,
            self.message if message is None else message,
            self.line,
            self.fix,
        )

    def _fields(self) -> tuple[str, str, int | None, str | None]:
        return (self.path, self.message, self.line, self.fix)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a Problem is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a Problem is immutable")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Problem)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __reduce__(self) -> tuple[type[Problem], tuple[str, str, int | None, str | None]]:
        return (Problem, self._fields())  # copy and pickle, despite the immutability

    def __repr__(self) -> str:
        return (
            f"Problem(path={self.path!r}, message={self.message!r}, "
            f"line={self.line!r}, fix={self.fix!r})"
        )

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.message}"
        return f"{text} ({self.fix})" if self.fix else text


class RulesyncError(Exception):
    """An error the user can fix. The CLI prints it and exits 2."""

    exit_code = EXIT_USAGE

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(path="rulesync", message=problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(RulesyncError):
    """`rulesync.yaml` or the source tree is invalid; nothing was written."""


class UnsafePathError(RulesyncError):
    """An output would land outside the project, or through a symlink that leaves it."""


class WriteError(RulesyncError):
    """The disk refused a read, write or delete (permissions, a full disk, a name too long)."""
