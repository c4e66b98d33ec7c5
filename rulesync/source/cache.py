"""Parse results kept on disk, keyed by the text they came from.

Reading `rulesync.yaml` with ruamel.yaml (import and parse) costs 50 to 80 ms on a 2-core
VM: more than everything else a `rulesync check` with nothing to do, or a pre-commit lint
of a clean file, spends. A given text always parses to the same result, so the result is
kept as JSON, with the text itself, under a checksum of the text (zlib's CRC-32: hashlib
would cost its own import), and the next run reads the JSON instead.

Where: `$RULESYNC_CACHE_DIR`, else `$XDG_CACHE_HOME/rulesync`, else `~/.cache/rulesync`.
`RULESYNC_NO_CACHE=1` turns the cache off. The cache only ever saves time: an entry that
cannot be read, parsed or written is ignored, and nothing in the project is written.
Entries are a few kilobytes, one per distinct text; deleting the folder is always safe.
"""

from __future__ import annotations

import os
import zlib

from rulesync import __version__

TYPE_CHECKING = False  # not from typing: `check` and `dispatch` start-up counts
if TYPE_CHECKING:
    from typing import Any


def cache_dir() -> str | None:
    """The cache folder, or None when the cache is off."""
    if os.environ.get("RULESYNC_NO_CACHE"):
        return None
    chosen = os.environ.get("RULESYNC_CACHE_DIR")
    if chosen:
        return chosen
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "rulesync")


def load(kind: str, text: str) -> Any | None:
    """What `store` kept for this kind of parse of `text`, or None."""
    path = _entry(kind, text)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        from rulesync.lean_json import loads  # json.loads without importing json

        entry = loads(raw)
    except (OSError, ValueError, RecursionError):  # RecursionError: `[[[[…` nested deep
        return None
    if not isinstance(entry, dict) or entry.get("text") != text:
        return None  # another text with the same checksum, or a broken entry
    return entry.get("value")


def store(kind: str, text: str, value: Any) -> None:
    """Keep `value` for `text`, when JSON gives it back unchanged (not dates, say)."""
    path = _entry(kind, text)
    if path is None:
        return
    import json

    try:
        dumped = json.dumps({"text": text, "value": value}, ensure_ascii=False)
        if json.loads(dumped)["value"] != value:  # key order is meaningful, and kept
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(dumped)
        os.replace(temporary, path)
    except (OSError, TypeError, ValueError):
        return


def _entry(kind: str, text: str) -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    data = text.encode("utf-8", "surrogatepass")
    name = f"{zlib.crc32(data):08x}-{len(data)}.json"  # the entry holds the text to compare
    return os.path.join(folder, f"{kind}-{__version__}", name)
