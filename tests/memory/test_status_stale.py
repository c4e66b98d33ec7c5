"""The `memory N stale` segment of `rulesync status`, and `stale_count` behind it."""

from __future__ import annotations

import datetime as dt
import json
import time

from rulesync.memory.layout import resolve
from rulesync.memory.stale import stale_count
from rulesync.memory.store import Store
from rulesync.status.main import run
from tests.memory.conftest import MemoryEnv

TODAY = dt.datetime.now(dt.timezone.utc).date()


def _add(memory_env: MemoryEnv, title: str, days_ago: int) -> None:
    layout = resolve(memory_env.project, memory_env.environ, claude=True)
    store = Store(layout, today=lambda: TODAY - dt.timedelta(days=days_ago))
    try:
        store.add(category="project", title=title, description="d", body="", agent="cli")
    finally:
        store.close()


def _status(memory_env: MemoryEnv, *, as_json: bool = False) -> str:
    return run(
        memory_env.environ, str(memory_env.project), time.time(), as_json=as_json, fmt="plain"
    )


def test_the_segment_counts_entries_not_verified_for_90_days(memory_env: MemoryEnv) -> None:
    (memory_env.project / "rulesync.yaml").write_text("targets: [claude]\n")
    _add(memory_env, "Fresh", 3)
    _add(memory_env, "Old one", 120)
    _add(memory_env, "Older one", 400)
    line = _status(memory_env)
    assert line.endswith(" · memory 2 stale"), line
    assert json.loads(_status(memory_env, as_json=True))["memory_stale"] == 2
    _add(memory_env, "Another old one", 91)  # the index changed: the memo is not used
    assert _status(memory_env).endswith(" · memory 3 stale")


def test_no_segment_without_stale_entries_memory_or_project(memory_env: MemoryEnv) -> None:
    assert "memory" not in _status(memory_env)  # not a rulesync project
    (memory_env.project / "rulesync.yaml").write_text("targets: [claude]\n")
    assert "memory" not in _status(memory_env)  # no index yet
    assert json.loads(_status(memory_env, as_json=True))["memory_stale"] is None
    _add(memory_env, "Fresh", 1)
    assert "memory" not in _status(memory_env)  # nothing stale: no segment


def test_a_damaged_index_is_no_count_and_no_traceback(memory_env: MemoryEnv) -> None:
    (memory_env.project / "rulesync.yaml").write_text("targets: [claude]\n")
    _add(memory_env, "Old", 200)
    index = resolve(memory_env.project, memory_env.environ, claude=True).index_path
    for suffix in ("-wal", "-shm"):
        (index.parent / (index.name + suffix)).unlink(missing_ok=True)
    index.write_bytes(b"not a database at all" * 100)
    assert stale_count(str(index), TODAY) is None
    assert "memory" not in _status(memory_env)
