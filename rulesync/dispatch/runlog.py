"""The run log: one SQLite row per attempt, in WAL mode so parallel dispatches can write.

The file lives in the user's state directory (see state.py). The prompt itself is stored only
with --log-prompt (and redacted); otherwise only its size and SHA-256.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rulesync.record import Frozen

if TYPE_CHECKING:
    import sqlite3

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id             INTEGER PRIMARY KEY,
    run_id         TEXT    NOT NULL,
    attempt        INTEGER NOT NULL,   -- 1 for the first target, 2 for the first fallback, …
    parent_run_id  TEXT,
    target         TEXT    NOT NULL,
    model          TEXT,
    class          TEXT    NOT NULL,   -- ok, failed, quota, auth, untrusted-workspace, …
    exit_code      INTEGER NOT NULL,   -- rulesync's exit code for the class
    returncode     INTEGER,            -- the vendor CLI's own (NULL: it never started)
    duration_s     REAL    NOT NULL,
    started_at     TEXT    NOT NULL,   -- ISO 8601, UTC
    prompt_bytes   INTEGER NOT NULL,
    prompt_sha256  TEXT    NOT NULL,
    prompt         TEXT,               -- only with --log-prompt, redacted
    reset_time     TEXT,               -- the vendor's words, e.g. "3pm (Europe/Berlin)"
    message        TEXT    NOT NULL,   -- the one-line outcome, redacted
    cwd            TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_started ON attempts (started_at);
CREATE INDEX IF NOT EXISTS attempts_run ON attempts (run_id);
"""


class Row(Frozen):
    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "run_id",
        "attempt",
        "parent_run_id",
        "target",
        "model",
        "failure_class",
        "exit_code",
        "returncode",
        "duration_s",
        "started_at",
        "prompt_bytes",
        "prompt_sha256",
        "prompt",
        "reset_time",
        "message",
        "cwd",
    )
    run_id: str
    attempt: int
    parent_run_id: str | None
    target: str
    model: str | None
    failure_class: str
    exit_code: int
    returncode: int | None
    duration_s: float
    started_at: str
    prompt_bytes: int
    prompt_sha256: str
    prompt: str | None
    reset_time: str | None
    message: str
    cwd: str

    def __init__(
        self,
        run_id: str,
        attempt: int,
        parent_run_id: str | None,
        target: str,
        model: str | None,
        failure_class: str,
        exit_code: int,
        returncode: int | None,
        duration_s: float,
        started_at: str,
        prompt_bytes: int,
        prompt_sha256: str,
        prompt: str | None,
        reset_time: str | None,
        message: str,
        cwd: str,
    ) -> None:
        self._set(
            run_id=run_id,
            attempt=attempt,
            parent_run_id=parent_run_id,
            target=target,
            model=model,
            failure_class=failure_class,
            exit_code=exit_code,
            returncode=returncode,
            duration_s=duration_s,
            started_at=started_at,
            prompt_bytes=prompt_bytes,
            prompt_sha256=prompt_sha256,
            prompt=prompt,
            reset_time=reset_time,
            message=message,
            cwd=cwd,
        )

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(zip(self.__slots__, self._values(), strict=True))
        data["class"] = data.pop("failure_class")
        return data


_COLUMNS = tuple("class" if name == "failure_class" else name for name in Row.__slots__)


def append(path: Path, row: Row) -> None:
    """Add one attempt. Raises OSError or sqlite3.Error when the log cannot be written."""
    connection = _connect(path)
    try:
        with connection:
            values = row._values()
            placeholders = ", ".join("?" for _ in _COLUMNS)
            connection.execute(
                f"INSERT INTO attempts ({', '.join(_COLUMNS)}) VALUES ({placeholders})", values
            )
    finally:
        connection.close()


def recent(path: Path, limit: int) -> list[Row]:
    """The newest `limit` attempts, newest first; [] when nothing was logged yet."""
    if not path.is_file():
        return []
    connection = _connect(path)
    try:
        cursor = connection.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM attempts ORDER BY started_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [Row(*values) for values in cursor.fetchall()]
    finally:
        connection.close()


def _connect(path: Path) -> sqlite3.Connection:
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fresh = not path.exists()
    connection = sqlite3.connect(path, timeout=5.0)
    if fresh:
        os.chmod(path, 0o600)  # prompts may be logged: keep the file private
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    if connection.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        with connection:
            connection.executescript(SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return connection
