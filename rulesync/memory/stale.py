"""The number of stale entries, cheaply: for the status line (`memory N stale`).

Stale here means not verified for `STALE_DAYS` days, the one `review` finding the index
answers alone (the others read every file or the project). The index is read as it is,
read-only, without the freshness check, the store or the lock.
"""

from __future__ import annotations

import datetime as dt

STALE_DAYS = 90


def stale_count(index_path: str, today: dt.date, days: int = STALE_DAYS) -> int | None:
    """Entries last verified more than `days` days before `today`; None without an index."""
    import sqlite3
    from urllib.parse import quote

    limit = (today - dt.timedelta(days=days)).isoformat()
    try:
        connection = sqlite3.connect(f"file:{quote(index_path)}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        sql = "SELECT count(*) FROM files WHERE problem IS NULL AND last_verified < ?"
        return int(connection.execute(sql, (limit,)).fetchone()[0])
    except sqlite3.Error:
        return None  # damaged, busy or an older schema: the next `memory` command mends it
    finally:
        connection.close()
