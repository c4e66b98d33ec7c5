"""The sqlite3 API for the commands an agent runs per write or per session, without the
start-up of the `sqlite3` package.

`sqlite3` is `from _sqlite3 import *` plus date adapters, and for those it imports
`datetime` (about 3 ms at start-up, more than the post-write hook's whole query). The
post-write hook, `memory search` and `memory brief` pass only text and integers, so they
call the extension module directly: the same `connect`, `Connection` and `Error` objects.
A Python without `_sqlite3` gets the package.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: start-up counts
if TYPE_CHECKING:
    from types import ModuleType


def sqlite3() -> ModuleType:
    """The module that holds `connect` and `Error`: `_sqlite3`, else `sqlite3`."""
    try:
        import _sqlite3  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        import sqlite3 as package

        return package
    return _sqlite3  # type: ignore[no-any-return,unused-ignore]
