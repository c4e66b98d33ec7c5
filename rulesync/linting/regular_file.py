"""Moved to rulesync.regular_file (one reader for the lint, the memory and mirror); these names
stay importable from here for the modules not yet moved over."""

from rulesync.regular_file import (
    NotARegularFile,
    TooLarge,
    kind_of,
    read_regular,
    read_regular_fd,
)

__all__ = ["NotARegularFile", "TooLarge", "kind_of", "read_regular", "read_regular_fd"]
