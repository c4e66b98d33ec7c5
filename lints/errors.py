"""Errors raised by the lint library. The rulesync CLI turns them into exit code 2."""

from __future__ import annotations


class LintError(Exception):
    """Base of every error the lint library raises on bad input."""


class LintConfigError(LintError):
    """A rule's options are invalid. `key_path` locates the bad value, e.g. ("names", 3, "wrong")."""

    def __init__(self, message: str, key_path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.key_path = key_path


class UnreadableFileError(LintError):
    """A file could not be linted: unreadable, not UTF-8, or binary. The message names the fix."""
