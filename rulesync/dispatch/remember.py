"""After the run: leave in the status memo what the next dispatch asks before it starts.

Two answers cost a dispatch most before its vendor starts: whether the mirrored rules are in
place (the plan) and whether a target is out of quota (the run log, through sqlite3). Both
are kept in the status memo (rulesync.status.memo) under the stats of the files they come
from, so the next dispatch, and the status line, read them in a millisecond when nothing
changed. The memo only ever saves time: any failure here is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path


def remember(root: Path, environ: Mapping[str, str], *, project: bool) -> None:
    with suppress(Exception):
        from rulesync.status.drift import drift_state
        from rulesync.status.memo import Memo
        from rulesync.status.runlog import quota_marks

        memo = Memo(environ)
        if project:
            drift_state(str(root), memo)
        quota_marks(environ, memo)
        memo.save()
