"""The post-write hook's lean path (`hook_lean.py`) leaves what the full path leaves.

Each case runs the hook twice on the same written file: once on the lean path (the full
path replaced by a trap), once with `RULESYNC_NO_QUICK=1` (the full path, `Store.reindex`)
from the same saved index and MEMORY.md; the index's rows, text and meta and both MEMORY.md
files must be identical.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from rulesync.memory import hook, index_md
from rulesync.memory.layout import Layout
from tests.memory.conftest import MemoryEnv, tree_digest
from tests.test_hook_launcher import LAUNCHER, imported_modules

State = tuple[object, ...]


def _layout(env: MemoryEnv) -> Layout:
    store = env.store()
    try:
        store.add(category="feedback", title="Run uv sync first", description="pip is not used", body="b", agent="claude")  # fmt: skip
        store.add(category="project", title="Release frozen", description="until May", body="c", agent="codex")  # fmt: skip
        store.add(category="reference", title="Dashboards", description="in Grafana", body="d", agent="claude")  # fmt: skip
        store.add(category="user", title="Prefers German", description="answers in German", body="e", agent="claude")  # fmt: skip
    finally:
        store.close()
    return store.layout


def _state(layout: Layout) -> State:
    connection = sqlite3.connect(layout.index_path)
    try:
        files = connection.execute("SELECT rowid, * FROM files ORDER BY rowid").fetchall()
        text = connection.execute("SELECT rowid, * FROM fts ORDER BY rowid").fetchall()
        meta = connection.execute("SELECT * FROM meta ORDER BY key").fetchall()
    finally:
        connection.close()
    return (files, text, meta, _memory_md(layout.project_dir), _memory_md(layout.user_dir))


def _memory_md(folder: Path) -> str | None:
    path = folder / "MEMORY.md"
    return path.read_text() if path.exists() else None


def _run_hook(path: Path, env: MemoryEnv) -> int:
    payload = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(path)}})
    return hook.main(io.BytesIO(payload.encode()), env.project)


def _run(env: MemoryEnv, argv: list[str], payload: str) -> subprocess.CompletedProcess[str]:
    """`argv` in its own process, in the project, with the payload on stdin."""
    return subprocess.run(
        argv,
        input=payload,
        capture_output=True,
        text=True,
        cwd=env.project,
        env=env.environ,
        check=False,
        timeout=60,
    )


def _saved(layout: Layout, backup: Path) -> Callable[[], None]:
    """Copy the index and both MEMORY.md files aside; the returned call puts them back."""
    backup.mkdir()
    places = [layout.index_path, layout.project_dir / "MEMORY.md", layout.user_dir / "MEMORY.md"]
    for number, place in enumerate(places):
        if place.exists():
            shutil.copy2(place, backup / str(number))
    for suffix in ("-wal", "-shm"):
        assert not Path(str(layout.index_path) + suffix).exists()  # every connection closed

    def restore() -> None:
        for number, place in enumerate(places):
            shutil.copy2(backup / str(number), place)

    return restore


def _trap(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the full path with a recorder: the list of files it was called for."""
    calls: list[str] = []

    def full(written: str, root: object) -> int:
        calls.append(written)
        return 0

    monkeypatch.setattr(hook, "_index_fully", full)
    return calls


def _both_paths(
    env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, path: Path
) -> tuple[State, State]:
    layout = env.store().layout
    restore = _saved(layout, tmp_path / "backup")
    with monkeypatch.context() as patched:
        calls = _trap(patched)
        patched.delenv("RULESYNC_NO_QUICK", raising=False)
        assert _run_hook(path, env) == 0
    assert calls == []  # the lean path did it all
    lean = _state(layout)
    restore()
    monkeypatch.setenv("RULESYNC_NO_QUICK", "1")
    assert _run_hook(path, env) == 0
    return lean, _state(layout)


ENTRY = (
    "---\nname: {id}\ntitle: {title}\ndescription: {description}\ntype: {kind}\n"
    "created: 2026-11-20\nupdated: {updated}\nlast_verified: 2026-11-20\nagent: claude\n---\n\n"
    "{body}\n"
)


def _entry(folder: Path, entry_id: str, title: str, **fields: str) -> Path:
    values = {"description": "what it is", "kind": "project", "updated": "2026-11-20"}
    values.update(fields)
    path = folder / f"{entry_id}.md"
    path.write_text(ENTRY.format(id=entry_id, title=title, body="Größe matters.", **values))
    return path


def test_an_added_entry_leaves_the_same_index_and_memory_md(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = _layout(memory_env).project_dir
    path = _entry(folder, "new-cache", "The cache lives in /var/cache", updated="2026-11-26")
    lean, full = _both_paths(memory_env, monkeypatch, tmp_path, path)
    assert lean == full
    assert "- [The cache lives in /var/cache](new-cache.md) — project: what it is" in str(lean[3])


def test_an_edited_body_leaves_the_same_index_and_memory_md_untouched(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = _layout(memory_env).project_dir
    path = folder / "release-frozen.md"
    path.write_text(path.read_text().replace("\nc\n", "\nc, and the tag is v2.0 (Größe)\n"))
    lean, full = _both_paths(memory_env, monkeypatch, tmp_path, path)
    assert lean == full
    files = lean[0]
    assert isinstance(files, list)
    text = lean[1]
    assert isinstance(text, list)
    assert any("groesse" in str(row) for row in text)  # the new body is indexed, folded
    assert sum(1 for row in files if row[3] == "release-frozen.md") == 1


def test_an_unchanged_line_does_not_rewrite_memory_md(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _layout(memory_env).project_dir
    path = folder / "release-frozen.md"
    memory_md = folder / "MEMORY.md"
    before = (memory_md.stat().st_ino, memory_md.stat().st_mtime_ns, memory_md.read_bytes())
    path.write_text(path.read_text().replace("\nc\n", "\nc and more\n"))
    calls = _trap(monkeypatch)
    assert _run_hook(path, memory_env) == 0
    assert calls == []
    after = (memory_md.stat().st_ino, memory_md.stat().st_mtime_ns, memory_md.read_bytes())
    assert after == before  # an atomic rewrite would give a new inode


def test_a_title_change_leaves_the_same_index_and_memory_md(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = _layout(memory_env).project_dir
    path = folder / "release-frozen.md"
    path.write_text(path.read_text().replace("title: Release frozen", "title: Release thawed"))
    lean, full = _both_paths(memory_env, monkeypatch, tmp_path, path)
    assert lean == full
    assert "- [Release thawed](release-frozen.md)" in str(lean[3])
    assert "Release frozen" not in str(lean[3])


def test_a_user_entry_title_change_leaves_the_same_state(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = _layout(memory_env).user_dir
    path = folder / "prefers-german.md"
    path.write_text(path.read_text().replace("title: Prefers German", "title: Prefers English"))
    lean, full = _both_paths(memory_env, monkeypatch, tmp_path, path)
    assert lean == full
    assert "- [Prefers English](prefers-german.md)" in str(lean[4])


def test_a_secret_gives_exit_2_and_the_same_message_on_both_paths(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = _layout(memory_env)
    path = _entry(layout.project_dir, "keys", "Where the key is")
    path.write_text(path.read_text() + "key: sk-ant-api03-" + "a" * 40 + "\n")
    before = _state(layout)
    with monkeypatch.context() as patched:
        calls = _trap(patched)
        assert _run_hook(path, memory_env) == hook.EXIT_SECRET
    assert calls == []
    lean_message = capsys.readouterr().err
    monkeypatch.setenv("RULESYNC_NO_QUICK", "1")
    assert _run_hook(path, memory_env) == hook.EXIT_SECRET
    assert capsys.readouterr().err == lean_message
    assert f"{path}:13: holds what looks like" in lean_message
    assert _state(layout) == before  # not indexed, MEMORY.md untouched


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_links_and_fifos_are_left_alone_by_the_lean_path(
    kind: str, memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    layout = _layout(memory_env)
    outside = tmp_path / "outside"
    outside.mkdir()
    _entry(outside, "secret-place", "Outside")
    digest = tree_digest(outside)
    path = layout.project_dir / "linked.md"
    if kind == "symlink":
        path.symlink_to(outside / "secret-place.md")
    else:
        os.mkfifo(path)
    before = _state(layout)
    calls = _trap(monkeypatch)
    assert _run_hook(path, memory_env) == 0  # a FIFO is never opened: this does not hang
    assert calls == []
    assert _state(layout) == before
    assert tree_digest(outside) == digest


def test_an_invalid_entry_falls_back_to_the_full_path(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "broken.md"
    path.write_text("no frontmatter here\n")
    calls = _trap(monkeypatch)
    assert _run_hook(path, memory_env) == 0
    assert calls == [str(path)]


def test_the_lean_hook_imports_neither_pathlib_nor_the_store(memory_env: MemoryEnv) -> None:
    folder = _layout(memory_env).project_dir
    path = folder / "release-frozen.md"
    path.write_text(path.read_text().replace("title: Release frozen", "title: Release moved"))
    payload = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(path)}})
    code = (
        "import sys\n"
        "from rulesync.memory.hook import main\n"
        "code = main(sys.stdin.buffer)\n"
        "loaded = [m for m in ('pathlib', 'rulesync.memory.store', 'rulesync.memory.index',"
        " 'rulesync.memory.layout') if m in sys.modules]\n"
        "print(code, loaded)\n"
    )
    result = _run(memory_env, [sys.executable, "-c", code], payload)
    assert result.stdout.strip() == "0 []", result.stderr
    assert "- [Release moved](release-frozen.md)" in (folder / "MEMORY.md").read_text()


def test_an_edit_by_the_lean_hook_imports_no_json_re_datetime_or_sqlite3_package(
    memory_env: MemoryEnv,
) -> None:
    """json imports re (and enum), the sqlite3 package imports datetime: about 12 ms of a
    hook that has a budget of 30 (docs/memory.md, Speed)."""
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    text = path.read_text()
    assert text.endswith("\nc\n")
    path.write_text(text[:-2] + "The freeze holds until May.\n")
    payload = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(path)}})
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from rulesync.memory.hook import main\n"
        "code = main(sys.stdin.buffer)\n"
        "heavy = ('json', 're', 'enum', 'datetime', 'sqlite3', 'yaml', 'pathlib', 'typing')\n"
        "print(code, [m for m in heavy if m in sys.modules and m not in before])\n"
    )
    result = _run(memory_env, [sys.executable, "-c", code], payload)
    assert result.stdout.strip() == "0 []", result.stderr
    _files, text_rows, _meta, _project_md, _user_md = _state(layout)
    assert [row[3] for row in text_rows if "freeze holds" in str(row[3])] == [
        "the freeze holds until may."
    ]


def test_a_title_change_beyond_the_block_leaves_memory_md_and_the_same_state(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(index_md, "MAX_LINES", 2)  # the block lists two of the three
    layout = _layout(memory_env)
    folder = layout.project_dir
    block = (folder / "MEMORY.md").read_text()
    assert "(dashboards.md)" not in block  # reference comes after feedback and project
    assert "- … 1 more: run" in block
    path = folder / "dashboards.md"
    path.write_text(path.read_text().replace("title: Dashboards", "title: Dashboards moved"))
    lean, full = _both_paths(memory_env, monkeypatch, tmp_path, path)
    assert lean == full
    assert lean[3] == block
    assert "Dashboards moved" in str(lean[0])  # the row has the new title


def test_a_file_claude_wrote_itself_leaves_the_same_state(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = _layout(memory_env).project_dir
    path = folder / "testing-style.md"  # Claude's own keys only: dates from the mtime
    path.write_text(
        "---\nname: testing-style\ndescription: Integration tests hit a real database\n"
        "type: feedback\n---\n\nNo mocks for the database layer.\n"
    )
    lean, full = _both_paths(memory_env, monkeypatch, tmp_path, path)
    assert lean == full
    expected = (
        "- [testing-style](testing-style.md) — feedback: Integration tests hit a real database"
    )
    assert expected in str(lean[3])


def test_a_write_through_a_link_to_the_memory_folder_leaves_the_same_state(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The folder's text differs from the layout's: the lean path resolves both, as the
    full path does, and indexes the file in the folder the link names."""
    layout = _layout(memory_env)
    alias = tmp_path / "alias" / "memory"
    alias.parent.mkdir()
    alias.symlink_to(layout.project_dir)
    _entry(layout.project_dir, "via-link", "Written via a link")
    lean, full = _both_paths(memory_env, monkeypatch, tmp_path, alias / "via-link.md")
    assert lean == full
    assert "(via-link.md)" in str(lean[3])
    other = tmp_path / "other" / "memory"
    other.mkdir(parents=True)
    _entry(other, "not-ours", "Somewhere else")
    monkeypatch.delenv("RULESYNC_NO_QUICK")  # set by _both_paths for its second run
    calls = _trap(monkeypatch)
    assert _run_hook(other / "not-ours.md", memory_env) == 0
    assert calls == []
    assert "not-ours" not in str(_state(layout)[0])


def test_an_edit_through_the_launcher_imports_no_functools_re_or_contextlib(
    memory_env: MemoryEnv,
) -> None:
    """The whole process, as the agents' settings start it: `functools` (which `_sqlite3`
    asks for on Python 3.11+, and `contextlib` and `re` import) costs about 5 ms of the
    hook's 30 (docs/memory.md, Speed)."""
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    path.write_text(path.read_text().replace("title: Release frozen", "title: Release thawed"))
    payload = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(path)}})
    result = _run(
        memory_env, [sys.executable, "-X", "importtime", str(LAUNCHER), "memory", "hook"], payload
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = imported_modules(result.stderr)
    assert "_sqlite3" in imported  # the lean path indexed the file itself
    assert not {"functools", "collections", "contextlib", "re", "json"} & imported
    assert "- [Release thawed](release-frozen.md)" in (layout.project_dir / "MEMORY.md").read_text()
    _files, text_rows, _meta, _project_md, _user_md = _state(layout)
    assert any("release thawed" in str(row) for row in text_rows)
