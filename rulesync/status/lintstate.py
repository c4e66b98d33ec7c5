"""The status line's `lint` segment: what lint runs in this project last found.

`rulesync lint` (run by hand, by pre-commit or by CI) records, for each file it linted inside
the project, the file's stats and the number of findings, under the rules chosen (`--only`,
`--lang`). The status line never lints; it stats the recorded files and says:

    lint ok      every recorded file is as it was when linted, and none had a finding
    lint 3       they are as they were, and 3 findings stand
    lint ?       nothing recorded yet, or a recorded file changed, moved or went away,
                 or rulesync.yaml or rulesync changed since (the rules may differ)

So `ok` speaks for the files a lint run saw (with pre-commit: every file committed through
the hook), never for files no run has seen. A file written in the second before it is
recorded (RACY_S) is recorded as unknown, since a change in the same clock tick would not
show in its stats.

One file per project in the state folder (`lint/<hash of the root>.txt`): the root on its
first line, then `selection ␟ path ␟ stats ␟ findings` lines. Runs update it under an
exclusive flock (pre-commit runs batches in parallel) and replace it by rename, so the
status line reads it without a lock. Any failure to record drops nothing silently: the run
goes on, and a file whose entry could not be updated has changed stats anyway. A file a run
could not lint (unreadable, or rewritten by --fix) is marked unknown, never dropped, so the
segment cannot turn `ok` by forgetting it.
"""

from __future__ import annotations

import os
import time
import zlib

from rulesync import __version__
from rulesync.status.memo import SEP
from rulesync.status.store import read_bytes, state_dir, write_atomically

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

OK, FINDINGS, UNKNOWN = "ok", "findings", "unknown"
CONFIG_NAME = "rulesync.yaml"
FOLDER = "lint"
MAX_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 100_000
RACY_S = 1.0
_RACY = "racy"
_UNKNOWN_FILE = "unknown"


def record_path(root: str, environ: Mapping[str, str]) -> str:
    data = root.encode("utf-8", "surrogateescape")
    name = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.txt"
    return os.path.join(state_dir(environ), FOLDER, name)


def record(
    root: str,
    selection: str,
    linted: Iterable[tuple[str, int]],
    forget: Iterable[str],
    environ: Mapping[str, str],
) -> None:
    """Keep the findings of `linted` (path, count); mark `forget` (paths linted without a
    usable result) unknown. Raises OSError when the record cannot be written."""
    import fcntl

    path = record_path(root, environ)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        entries = _entries(path, root)
        now, config = time.time(), _config_stats(root)
        for given, count in linted:
            relative = _relative(root, given)
            if relative is not None:
                entries[(selection, relative)] = (
                    f"{_file_stats(root, relative, now)}{SEP}{config}{SEP}{count}"
                )
        for given in forget:
            relative = _relative(root, given)
            if relative is not None:  # unknown until linted again, never dropped: no `ok`
                entries[(selection, relative)] = f"{_UNKNOWN_FILE}{SEP}{config}{SEP}?"
        _write(path, root, entries)
    finally:
        os.close(lock)  # releases the flock


def lint_state(root: str, environ: Mapping[str, str]) -> tuple[str, int | None]:
    """(OK, 0), (FINDINGS, n) or (UNKNOWN, None), from the record alone."""
    entries = _entries(record_path(root, environ), root)
    if not entries:
        return UNKNOWN, None
    config, total = _config_stats(root), 0
    for (_selection, relative), value in entries.items():
        stats, recorded_config, count = [*value.split(SEP), "", "", ""][:3]
        if recorded_config != config or stats != _file_stats(root, relative, None):
            return UNKNOWN, None
        if not count.isdigit():
            return UNKNOWN, None
        total += int(count)
    return (FINDINGS, total) if total else (OK, 0)


def _entries(path: str, root: str) -> dict[tuple[str, str], str]:
    raw = read_bytes(path, MAX_BYTES)
    lines = (raw or b"").decode("utf-8", "surrogateescape").split("\n")
    if lines[0] != f"{__version__}{SEP}{root}":
        return {}  # none yet, another version's, or a clash of hashes: nothing known
    entries = {}
    for line in lines[1 : MAX_ENTRIES + 1]:
        parts = line.split(SEP, 2)
        if len(parts) == 3:
            entries[(parts[0], parts[1])] = parts[2]
    return entries


def _write(path: str, root: str, entries: dict[tuple[str, str], str]) -> None:
    if len(entries) > MAX_ENTRIES:
        entries = {}  # too many to keep: nothing known rather than a partial `ok`
    lines = [f"{__version__}{SEP}{root}"]
    lines += [
        f"{selection}{SEP}{relative}{SEP}{value}"
        for (selection, relative), value in entries.items()
    ]
    write_atomically(path, "\n".join(lines).encode("utf-8", "surrogateescape"))


def _relative(root: str, given: str) -> str | None:
    """The path inside the project, as recorded; None outside it or not recordable."""
    real = os.path.realpath(given)
    if not real.startswith(root.rstrip(os.sep) + os.sep):
        return None
    relative = real[len(root.rstrip(os.sep)) + 1 :]
    return None if SEP in relative or "\n" in relative else relative


def _file_stats(root: str, relative: str, recording_at: float | None) -> str:
    try:
        info = os.stat(os.path.join(root, relative))
    except (OSError, ValueError):
        return "absent"
    if recording_at is not None and info.st_mtime > recording_at - RACY_S:
        return _RACY  # never equal to what a later stat gives: unknown until linted again
    return f"{info.st_size}.{info.st_mtime_ns}.{info.st_ino}.{info.st_mode}"


def _config_stats(root: str) -> str:
    try:
        info = os.stat(os.path.join(root, CONFIG_NAME))
    except (OSError, ValueError):
        return "absent"
    return f"{info.st_size}.{info.st_mtime_ns}.{info.st_ino}"
