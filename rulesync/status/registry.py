"""The usage readers, by provider: each module has `read(environ, now) -> Reading`.

Adding a provider is one line here plus its module; modules are imported when read.
"""

from __future__ import annotations

import importlib

from rulesync.status.reading import Reading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from rulesync.status.memo import Memo

    Reader = Callable[[Mapping[str, str], float, Memo | None], Reading]

READERS: dict[str, str] = {
    "claude": "rulesync.status.claude",
    "codex": "rulesync.status.codex",
    "gemini": "rulesync.status.gemini",
}


def reader(provider: str) -> Reader | None:
    module = READERS.get(provider)
    if module is None:
        return None
    read: Reader = importlib.import_module(module).read
    return read


def read_all(
    environ: Mapping[str, str],
    now: float,
    providers: Iterable[str] = READERS,
    memo: Memo | None = None,
) -> dict[str, Reading]:
    readings = {}
    for provider in providers:
        read = reader(provider)
        if read is not None:
            readings[provider] = read(environ, now, memo)
    return readings
