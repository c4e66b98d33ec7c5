"""Dispatch's run log: the last quota failure of each provider, and when it resets.

Read-only (SQLite `mode=ro`): a status line never creates or migrates the log. Only the
newest RECENT_ROWS attempts are read, through the `started_at` index. A provider counts as out
of quota when its latest real attempt ended in `quota`. Attempts dispatch skipped because of
limits are logged as `quota` with no return code (the vendor never ran): they restate an
earlier fact, so they are not read as a new one.
"""

from __future__ import annotations

import os

from rulesync.status.memo import REC, SEP, Memo, clean, stat_key
from rulesync.status.reading import Record
from rulesync.status.store import state_dir
from rulesync.status.timefmt import as_epoch, reset_epoch

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

LOG_NAME = "runs.sqlite3"  # as rulesync.dispatch.state.LOG_NAME
RECENT_ROWS = 500
#: When the vendor printed no reset time we understand, a quota failure holds this long.
DEFAULT_HOLD_S = 15 * 60
_QUERY = (
    "SELECT target, class, started_at, reset_time FROM attempts "
    "WHERE NOT (class = 'quota' AND returncode IS NULL) "
    "ORDER BY started_at DESC, id DESC LIMIT ?"
)


class QuotaMark(Record):
    """`target` failed with a quota error at `since`; it is expected back at `until`."""

    __slots__ = ("target", "since", "until", "reset_text", "reset_known")  # noqa: RUF023 (the field order)
    target: str
    since: float
    until: float
    reset_text: str | None  # the vendor's words
    reset_known: bool  # False: `until` is since + DEFAULT_HOLD_S

    def __init__(
        self, target: str, since: float, until: float, reset_text: str | None, reset_known: bool
    ) -> None:
        self._set(
            target=target, since=since, until=until, reset_text=reset_text, reset_known=reset_known
        )


def log_path(environ: Mapping[str, str]) -> str:
    return os.path.join(state_dir(environ), LOG_NAME)


def quota_marks(environ: Mapping[str, str], memo: Memo | None = None) -> dict[str, QuotaMark]:
    """Per target whose latest attempt hit a quota: the mark; {} when there is no log or it
    cannot be read (a damaged log never stops a status line or a dispatch)."""
    path = log_path(environ)
    if not os.path.isfile(path):
        return {}
    key = _log_key(path)
    known = memo.get("runlog", key) if memo else None
    if known is not None:
        return _decode(known)
    try:
        rows = _recent(path)
    except Exception:  # sqlite3.Error, OSError, a damaged file: no facts from the log
        return {}
    marks = marks_from_rows(rows)
    if memo is not None:
        memo.put("runlog", key, _encode(marks))
    return marks


def _log_key(path: str) -> str:
    """The log's stats; an empty write-ahead file (a reader opens one) counts as none."""
    wal = path + "-wal"
    try:
        wal_key = stat_key(wal) if os.stat(wal).st_size else "-"
    except OSError:
        wal_key = "-"
    return f"{stat_key(path)}:{wal_key}"


def _encode(marks: dict[str, QuotaMark]) -> str:
    return REC.join(
        SEP.join(
            (
                clean(m.target),
                repr(m.since),
                repr(m.until),
                "1" if m.reset_known else "",
                clean(m.reset_text or ""),
            )
        )
        for m in marks.values()
    )


def _decode(text: str) -> dict[str, QuotaMark]:
    marks = {}
    for item in text.split(REC) if text else ():
        parts = item.split(SEP)
        try:
            target, since, until, known, said = parts
            marks[target] = QuotaMark(target, float(since), float(until), said or None, bool(known))
        except ValueError:
            return {}
    return marks


def marks_from_rows(rows: list[tuple[object, ...]]) -> dict[str, QuotaMark]:
    latest: dict[str, tuple[object, ...]] = {}
    for row in rows:
        if isinstance(row[0], str):
            latest.setdefault(row[0], row)
    marks = {}
    for target, (_, failure_class, started_at, reset_text) in latest.items():
        since = as_epoch(started_at)
        if failure_class != "quota" or since is None:
            continue
        text = reset_text if isinstance(reset_text, str) else None
        until = reset_epoch(text, since)
        marks[target] = QuotaMark(
            target, since, until or since + DEFAULT_HOLD_S, text, until is not None
        )
    return marks


def _recent(path: str) -> list[tuple[object, ...]]:
    import sqlite3
    from pathlib import Path

    uri = Path(path).absolute().as_uri() + "?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=0.5)
    try:
        return [tuple(row) for row in connection.execute(_QUERY, (RECENT_ROWS,)).fetchall()]
    finally:
        connection.close()
