"""One exception base for everything the user can fix, with messages that name the fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, located as precisely as we can."""

    path: str
    message: str
    line: int | None = None
    fix: str | None = None

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
