"""The freshness rule of `freshness.py`: a search stats every file only when a folder changed,
the last full check is old, or the index was written; otherwise one slice of files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from rulesync.memory import freshness
from rulesync.memory import index as index_module
from rulesync.memory.freshness import dirs_stamp, settled
from rulesync.memory.store import Store
from tests.memory.conftest import MemoryEnv
from tests.memory.test_store import add

HOUR_AGO = time.time() - 3600


def _settle(store: Store) -> None:
    """Backdate both folders, as if nothing had changed there for an hour."""
    for folder in (store.layout.user_dir, store.layout.project_dir):
        if folder.is_dir():
            os.utime(folder, (HOUR_AGO, HOUR_AGO))


def _store_with(memory_env: MemoryEnv, count: int) -> tuple[Store, list[str]]:
    store = memory_env.store()
    ids = [add(store, f"Entry number {n}", description=f"about thing {n}") for n in range(count)]
    add(store, "Who I am", category="user")
    _settle(store)
    store.search("entry")  # the full check after the writes stores the folders' stamp
    return store, ids


def _no_full_check(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    def refuse() -> None:
        raise AssertionError("a full check ran")

    monkeypatch.setattr(store.index, "_scan", refuse)


def _edit_in_place(path: Path, old: str, new: str) -> None:
    folder_times = os.stat(path.parent)
    with path.open("r+", encoding="utf-8") as handle:  # same inode, same folder entry
        text = handle.read().replace(old, new)
        handle.seek(0)
        handle.write(text)
        handle.truncate()
    assert os.stat(path.parent).st_mtime_ns == folder_times.st_mtime_ns


def test_a_settled_search_stats_one_slice_not_every_file(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = _store_with(memory_env, 5)
    _no_full_check(monkeypatch, store)
    assert len(store.search("entry")) == 5
    path = store.layout.project_dir / f"{ids[2]}.md"
    _edit_in_place(path, "Entry number 2", "Zebra crossing")
    assert [row.id for row in store.search("zebra")] == [ids[2]]


def test_an_in_place_edit_is_found_within_the_rotation(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = _store_with(memory_env, 12)
    monkeypatch.setattr(freshness, "slice_size", lambda total: 4)
    _no_full_check(monkeypatch, store)
    for entry_id in (ids[0], ids[7], ids[11]):
        path = store.layout.project_dir / f"{entry_id}.md"
        number = entry_id.rsplit("-", 1)[-1]
        _edit_in_place(path, f"Entry number {number}", f"Quokka {number}")
    found: set[str] = set()
    for _ in range(4):  # 13 files, 4 a search: every file once in four searches
        found |= {row.id for row in store.search("quokka")}
    assert found == {ids[0], ids[7], ids[11]}


def test_a_new_file_by_hand_changes_the_folder_and_is_found_at_once(
    memory_env: MemoryEnv,
) -> None:
    store, _ids = _store_with(memory_env, 3)
    (store.layout.project_dir / "by-hand.md").write_text(
        "---\nname: by-hand\ndescription: written by hand\ntype: reference\n---\nxylophone\n"
    )
    assert [row.id for row in store.search("xylophone")] == ["by-hand"]
    (store.layout.project_dir / "by-hand.md").unlink()
    assert store.search("xylophone") == []


def test_an_old_full_check_is_done_again(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ids = _store_with(memory_env, 3)
    scans: list[int] = []
    real_scan = store.index._scan

    def counted() -> dict:
        scans.append(1)
        return real_scan()

    monkeypatch.setattr(store.index, "_scan", counted)
    store.search("entry")
    assert scans == []
    monkeypatch.setattr(index_module, "FULL_CHECK_EVERY", 0.0)
    store.search("entry")
    assert scans == [1]


def test_a_write_makes_the_next_reader_check_in_full(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = _store_with(memory_env, 3)
    other = memory_env.store()  # another process's view
    other.edit(ids[0], title="Renamed entry")
    scans: list[int] = []
    real_scan = store.index._scan
    monkeypatch.setattr(store.index, "_scan", lambda: scans.append(1) or real_scan())
    assert [row.title for row in store.search("renamed")] == ["Renamed entry"]
    assert scans == [1]
    other.close()


def test_a_fresh_folder_stamp_is_not_trusted() -> None:
    now = time.time_ns()
    assert not settled(f"1:{now - 10_000_000} 2:{now - 10**11}", now)
    assert settled(f"1:{now - 2 * 10**9} -", now)


def test_sync_always_checks_every_file(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = _store_with(memory_env, 3)
    monkeypatch.setattr(freshness, "slice_size", lambda total: 0)
    _edit_in_place(store.layout.project_dir / f"{ids[1]}.md", "Entry number 1", "Walrus")
    assert dirs_stamp(store.layout)  # folders unchanged, yet sync re-reads the file
    report = store.sync()
    assert report.changed == 1
    assert [row.id for row in store.search("walrus")] == [ids[1]]


def _quick(memory_env: MemoryEnv, *words: str) -> tuple[list[str], str]:
    """`memory search WORDS` as a process: the ids found, and what it imported."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rulesync", "memory", "search", *words],
        cwd=memory_env.project,
        env=memory_env.environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [line.split()[0] for line in done.stdout.splitlines()], done.stderr


def test_the_quick_search_reads_a_settled_index_without_the_store(
    memory_env: MemoryEnv,
) -> None:
    store, ids = _store_with(memory_env, 3)
    store.close()
    found, imported = _quick(memory_env, "entry")
    assert sorted(found) == sorted(ids)
    assert "rulesync.memory.store" not in imported
    assert "dataclasses" not in imported
    modules = {line.rsplit("|", 1)[-1].strip() for line in imported.splitlines()}
    heavy = {"pathlib", "hashlib", "re", "json", "typing", "string", "datetime", "sqlite3"}
    assert "rulesync.memory.paths" in modules
    assert modules & heavy == set()
    # an in-place edit: the slice (all four files here) sees it, the store re-indexes it
    path = store.layout.project_dir / f"{ids[1]}.md"
    _edit_in_place(path, "Entry number 1", "Narwhal")
    found, imported = _quick(memory_env, "narwhal")
    assert found == [ids[1]]
    assert "rulesync.memory.store" in imported
    # a new file by hand moves the folder's stamp: found at once
    (store.layout.project_dir / "by-hand.md").write_text(
        "---\nname: by-hand\ndescription: written by hand\ntype: reference\n---\nokapi\n"
    )
    assert _quick(memory_env, "okapi")[0] == ["by-hand"]


def test_the_brief_hook_on_a_settled_index_imports_no_json_re_datetime_or_sqlite3(
    memory_env: MemoryEnv,
) -> None:
    """The SessionStart hook's JSON comes from json's C encoder (brief.hook_output) and the
    index from _sqlite3 (sqlite_api): json imports re, the sqlite3 package datetime."""
    import json
    import subprocess
    import sys

    store, _ids = _store_with(memory_env, 3)
    store.close()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rulesync", "-C", str(memory_env.project),
         "memory", "brief", "--for", "gemini", "--hook"],
        cwd=memory_env.project, env=memory_env.environ, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    context = json.loads(done.stdout)["hookSpecificOutput"]["additionalContext"]
    assert "Entry number 2" in context
    modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "rulesync.memory.brief" in modules
    assert "rulesync.memory.store" not in modules  # the quick path
    assert modules & {"json", "re", "datetime", "sqlite3", "pathlib", "typing"} == set()
