"""The sqlite3 API for the commands an agent runs per write or per session, without the
start-up of the `sqlite3` package.

`sqlite3` is `from _sqlite3 import *` plus date adapters, and for those it imports
`datetime` (about 3 ms at start-up, more than the post-write hook's whole query). The
post-write hook, `memory search` and `memory brief` pass only text and integers, so they
call the extension module directly: the same `connect`, `Connection` and `Error` objects.
A Python without `_sqlite3` gets the package.

From Python 3.11 on, `_sqlite3` asks `functools` for `lru_cache` when it is first imported
(each connection's statement cache is `lru_cache(size)(connection)`), and importing
`functools` costs more than the hook's own work: `collections`, `namedtuple`, and about 10
million instructions. `lru_cache` is a thin wrapper around `_functools._lru_cache_wrapper`,
the C cache itself, so while `_sqlite3` is imported `functools` is a module that holds only
that: the statement cache is the same C object either way. The stand-in is gone from
`sys.modules` before this function returns, so `import functools` anywhere later gets the real
module; when `functools` is already imported, or the stand-in is refused, nothing is replaced.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not from typing: start-up counts
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType


def sqlite3() -> ModuleType:
    """The module that holds `connect` and `Error`: `_sqlite3`, else `sqlite3`."""
    try:
        return _extension()
    except ImportError:
        import sqlite3 as package

        return package


def _extension() -> ModuleType:
    already = "functools" in sys.modules or "_sqlite3" in sys.modules
    stand_in = None if already else _functools_stand_in()
    if stand_in is not None:
        sys.modules["functools"] = stand_in
    try:
        import _sqlite3  # type: ignore[import-not-found,unused-ignore]
    finally:
        if stand_in is not None and sys.modules.get("functools") is stand_in:
            del sys.modules["functools"]
    return _sqlite3  # type: ignore[no-any-return,unused-ignore]


def _functools_stand_in() -> ModuleType | None:
    """A module named `functools` with `lru_cache` alone, built on the C cache, or None
    when this Python has no `_functools._lru_cache_wrapper`."""
    try:
        from _functools import _lru_cache_wrapper  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None

    def lru_cache(
        maxsize: int | None = 128, typed: bool = False
    ) -> Callable[[Callable[..., object]], Callable[..., object]]:
        def decorating(function: Callable[..., object]) -> Callable[..., object]:
            wrapper: Callable[..., object] = _lru_cache_wrapper(
                function, maxsize, typed, _cache_info
            )
            return wrapper

        return decorating

    stand_in = type(sys)("functools")
    stand_in.lru_cache = lru_cache  # type: ignore[attr-defined]
    return stand_in


def _cache_info(hits: int, misses: int, maxsize: int | None, size: int) -> tuple[object, ...]:
    """What `cache_info()` returns here (functools builds a named tuple of the same fields)."""
    return (hits, misses, maxsize, size)
