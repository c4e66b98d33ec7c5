"""The post-write hook's journal (`pending.py`): an edit that keeps the entry's MEMORY.md
line and place waits there, and every reader indexes it before it reads.

Claude Code sends the file's text from before the write (`tool_response.originalFile`);
with it the hook can tell such an edit without opening the index.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rulesync.memory import brief, hook, pending
from rulesync.memory.layout import Layout
from rulesync.memory.paths import lean_layout
from tests.memory.conftest import MemoryEnv
from tests.memory.test_hook_lean import _run
from tests.test_hook_launcher import LAUNCHER, imported_modules


def _layout(env: MemoryEnv) -> Layout:
    store = env.store()
    try:
        store.add(category="feedback", title="Run uv sync first", description="pip is not used", body="b", agent="claude")  # fmt: skip
        store.add(category="project", title="Release frozen", description="until May", body="The freeze holds.", agent="codex")  # fmt: skip
    finally:
        store.close()
    layout = store.layout
    for folder in (layout.user_dir, layout.project_dir):  # settled: the stamp is stored
        if folder.exists():
            os.utime(folder, ns=(folder.stat().st_atime_ns, time.time_ns() - 5 * 10**9))
    store = env.store()
    try:
        store.search("freeze", None, 5)  # a full check: the index is current, its stamp stored
    finally:
        store.close()
    return layout


def _claude_payload(path: Path, original: str | None, tool: str = "Edit") -> str:
    response: dict[str, object] = {"filePath": str(path), "structuredPatch": []}
    if original is not None:
        response["originalFile"] = original
    return json.dumps(
        {"tool_name": tool, "tool_input": {"file_path": str(path)}, "tool_response": response}
    )


def _gemini_payload(path: Path, original: str, *, new_file: bool = False) -> str:
    """Gemini CLI's AfterTool payload for `replace` (0.61.0): the result's display holds the
    text from before the write."""
    display = {
        "fileDiff": "--- a\n+++ b\n",
        "fileName": path.name,
        "filePath": str(path),
        "originalContent": original,
        "newContent": path.read_text(),
        "diffStat": {},
        "isNewFile": new_file,
    }
    return json.dumps(
        {
            "hook_event_name": "AfterTool",
            "cwd": str(path.parent),
            "tool_name": "replace",
            "tool_input": {"file_path": str(path), "old_string": "x", "new_string": "y"},
            "tool_response": {"llmContent": "ok", "returnDisplay": display},
        }
    )


def _hook(env: MemoryEnv, payload: str) -> int:
    return hook.main(io.BytesIO(payload.encode()), env.project)


def _journal(layout: Layout) -> Path:
    return Path(pending.journal_path(str(layout.index_path)))


def _body_rows(layout: Layout) -> list[str]:
    connection = sqlite3.connect(layout.index_path)
    try:
        return [str(row[0]) for row in connection.execute("SELECT body FROM fts ORDER BY rowid")]
    finally:
        connection.close()


def _edit_in_place(path: Path, old: str, new: str) -> str:
    """Replace `old` by `new` (the same length) in the file itself, keeping its mtime: an
    edit that neither the folder's stamp nor the file's mtime and size can show."""
    assert len(old.encode()) == len(new.encode())
    before = path.read_text()
    status = path.stat()
    with path.open("r+b") as handle:  # the same inode: the folder does not change
        handle.write(before.replace(old, new).encode())
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    return before


def _search(env: MemoryEnv, *words: str) -> subprocess.CompletedProcess[str]:
    """The plain `memory search` an agent runs: its quick path first."""
    return _run(env, [sys.executable, "-m", "rulesync", "memory", "search", "--json", *words], "")


def test_a_body_edit_waits_in_the_journal_and_the_next_search_finds_it(
    memory_env: MemoryEnv,
) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    memory_md = layout.project_dir / "MEMORY.md"
    md_before = (memory_md.stat().st_ino, memory_md.read_bytes())
    rows_before = _body_rows(layout)
    original = _edit_in_place(path, "The freeze holds.", "The thaw is near.")

    assert _hook(memory_env, _claude_payload(path, original)) == 0

    assert _journal(layout).read_text() == "project\trelease-frozen.md\n"
    assert _body_rows(layout) == rows_before  # the index was not opened
    assert (memory_md.stat().st_ino, memory_md.read_bytes()) == md_before
    found = _search(memory_env, "thaw")
    assert found.returncode == 0, found.stderr
    assert [row["id"] for row in json.loads(found.stdout)] == ["release-frozen"]
    assert not _journal(layout).exists()
    assert "the thaw is near." in _body_rows(layout)
    assert "the freeze holds." not in _body_rows(layout)


def test_geminis_replace_carries_the_text_from_before_too(memory_env: MemoryEnv) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    original = _edit_in_place(path, "The freeze holds.", "The thaw is near.")
    assert _hook(memory_env, _gemini_payload(path, original)) == 0
    assert _journal(layout).read_text() == "project\trelease-frozen.md\n"
    found = _search(memory_env, "thaw")
    assert [row["id"] for row in json.loads(found.stdout)] == ["release-frozen"], found.stderr


def test_without_the_journal_the_quick_search_would_miss_that_edit(
    memory_env: MemoryEnv,
) -> None:
    """The control for the test above: the same edit, not journaled, is invisible to the
    quick path (the same mtime and size, the same folder), which is why readers check it."""
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    _edit_in_place(path, "The freeze holds.", "The thaw is near.")
    found = _search(memory_env, "thaw")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout) == []


def test_the_indexed_rows_are_those_the_index_path_writes(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    original = _edit_in_place(path, "The freeze holds.", "The thaw is near.")
    assert _hook(memory_env, _claude_payload(path, original)) == 0
    store = memory_env.store()
    try:
        store.search("thaw", None, 5)  # applies the journal
    finally:
        store.close()
    journaled = _tables(layout)
    path.write_text(original)
    store = memory_env.store()
    try:
        store.sync(rebuild=True)
    finally:
        store.close()
    path.write_text(original.replace("The freeze holds.", "The thaw is near."))
    monkeypatch.setenv("RULESYNC_NO_QUICK", "1")  # the index path, Store.reindex
    assert _hook(memory_env, _claude_payload(path, original)) == 0
    assert not _journal(layout).exists()
    assert _tables(layout) == journaled


def _tables(layout: Layout) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every column but the rowids, and each row's mtime checked against its file."""
    connection = sqlite3.connect(layout.index_path)
    try:
        files = connection.execute(
            "SELECT scope, name, mtime_ns, size, id, category, title, description, created,"
            " updated, last_verified, agent, problem FROM files ORDER BY scope, name"
        ).fetchall()
        text = connection.execute("SELECT title, description, body FROM fts").fetchall()
    finally:
        connection.close()
    for scope, name, mtime_ns, *_rest in files:
        folder = layout.user_dir if scope == "user" else layout.project_dir
        assert (folder / str(name)).stat().st_mtime_ns == mtime_ns
    return [row[:2] + row[3:] for row in files], sorted(text)


def _with_field(text: str, key: str, value: str) -> str:
    """The entry text with the frontmatter line `key: …` set to `value`."""
    lines = text.split("\n")
    [number] = [n for n, line in enumerate(lines) if line.startswith(f"{key}: ")]
    lines[number] = f"{key}: {value}"
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("key", "value", "line_changes"),
    [
        ("title", "Release thawed", True),
        ("description", "until June", True),
        ("type", "feedback", True),
        ("updated", "2026-01-02", False),  # the only project entry: its place stays first
    ],
)
def test_an_edit_of_the_line_or_its_place_updates_memory_md_at_once(
    memory_env: MemoryEnv, key: str, value: str, line_changes: bool
) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    memory_md = layout.project_dir / "MEMORY.md"
    before = memory_md.read_text()
    original = path.read_text()
    path.write_text(_with_field(original, key, value))

    assert _hook(memory_env, _claude_payload(path, original)) == 0

    assert not _journal(layout).exists()  # the index path: it knows the old line and place
    after_hook = memory_md.read_text()
    assert (after_hook != before) is line_changes
    store = memory_env.store()
    try:
        store.sync()  # every file checked, MEMORY.md rendered from the index
    finally:
        store.close()
    assert memory_md.read_text() == after_hook


@pytest.mark.parametrize(
    "payload_of",
    [
        lambda path, original: _claude_payload(path, None, tool="Write"),  # Write: a new file
        lambda path, original: json.dumps(  # an AfterTool payload without the display
            {"tool_name": "replace", "tool_input": {"file_path": str(path)}, "tool_response": {}}
        ),
        lambda path, original: _gemini_payload(path, original, new_file=True),
        lambda path, original: json.dumps(  # a display whose text is not text
            {
                "tool_name": "replace",
                "tool_input": {"file_path": str(path)},
                "tool_response": {"returnDisplay": {"isNewFile": False, "originalContent": 1}},
            }
        ),
        lambda path, original: _claude_payload(path, original.replace("type:", "kind:")),
        lambda path, original: _claude_payload(path, original + "\ufffd"),
        lambda path, original: _claude_payload(path, "---\nname: x\n---\n"),
    ],
    ids=[
        "claude-create",
        "gemini-no-display",
        "gemini-new-file",
        "not-text",
        "invalid-before",
        "undecodable-before",
        "claude-format",
    ],
)
def test_without_a_valid_text_from_before_the_hook_indexes_at_once(
    memory_env: MemoryEnv, payload_of: object
) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    original = _edit_in_place(path, "The freeze holds.", "The thaw is near.")
    os.utime(path)  # a new mtime: the index path must see a change to re-index it
    assert callable(payload_of)
    assert _hook(memory_env, payload_of(path, original)) == 0
    assert not _journal(layout).exists()
    assert "the thaw is near." in _body_rows(layout)


def test_a_file_in_claudes_own_format_is_indexed_at_once(memory_env: MemoryEnv) -> None:
    """No `updated` in the file: its date is the file's mtime, which only the index knows
    from before the write."""
    layout = _layout(memory_env)
    path = layout.project_dir / "deploys.md"
    original = (
        "---\nname: deploys\ndescription: Deploys run on Fridays\ntype: project\n---\n\nOld.\n"
    )
    path.write_text(original)
    assert _hook(memory_env, _claude_payload(path, None, tool="Write")) == 0
    path.write_text(original.replace("Old.", "New."))
    assert _hook(memory_env, _claude_payload(path, original)) == 0
    assert not _journal(layout).exists()
    assert "new." in _body_rows(layout)


def test_a_secret_is_refused_before_anything_is_journaled(
    memory_env: MemoryEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    original = path.read_text()
    path.write_text(original.replace("The freeze holds.", "key: sk-ant-api03-" + "a" * 40))
    assert _hook(memory_env, _claude_payload(path, original)) == hook.EXIT_SECRET
    assert "release-frozen.md:" in capsys.readouterr().err
    assert not _journal(layout).exists()


def test_brief_reads_the_index_directly_only_when_nothing_waits(memory_env: MemoryEnv) -> None:
    layout = _layout(memory_env)
    lean = lean_layout(os.path.realpath(memory_env.project), memory_env.environ)
    assert lean is not None
    assert brief.fast(lean, "codex") is not None
    pending.append(str(layout.index_path), "project", "release-frozen.md")
    assert brief.fast(lean, "codex") is None  # the store's path applies the journal first


def test_the_journal_through_the_launcher_spares_sqlite(memory_env: MemoryEnv) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    original = _edit_in_place(path, "The freeze holds.", "The thaw is near.")
    hook = [str(LAUNCHER), "-C", str(memory_env.project), "memory", "hook"]
    result = _run(
        memory_env, [sys.executable, "-X", "importtime", *hook], _claude_payload(path, original)
    )
    assert result.returncode == 0, result.stderr
    imported = imported_modules(result.stderr)
    assert "rulesync.memory.pending" in imported
    assert not {"_sqlite3", "sqlite3", "rulesync.memory.index_sql", "re", "pathlib"} & imported
    assert _journal(layout).read_text() == "project\trelease-frozen.md\n"


@pytest.mark.parametrize(
    "content",
    [
        b"project\t../outside.md\n",
        b"project\trelease-frozen.md",  # no newline: not a line the hook wrote
        b"elsewhere\trelease-frozen.md\n",
        b"project\trelease\xff.md\n",
        b"x" * (pending.MAX_BYTES + 1),
    ],
    ids=["traversal", "unterminated", "scope", "undecodable", "too-big"],
)
def test_a_journal_that_cannot_be_trusted_means_every_file_is_read_again(
    memory_env: MemoryEnv, content: bytes
) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    _edit_in_place(path, "The freeze holds.", "The thaw is near.")
    outside = memory_env.project.parent / "outside.md"
    outside.write_text("---\nname: outside\n---\n")
    _journal(layout).write_bytes(content)
    assert pending.take(str(layout.index_path)) is None
    found = _search(memory_env, "thaw")
    assert found.returncode == 0, found.stderr
    assert [row["id"] for row in json.loads(found.stdout)] == ["release-frozen"]
    assert not _journal(layout).exists()
    assert outside.read_text() == "---\nname: outside\n---\n"


def test_a_link_in_the_journals_place_is_never_followed(memory_env: MemoryEnv) -> None:
    layout = _layout(memory_env)
    path = layout.project_dir / "release-frozen.md"
    target = memory_env.project / "victim.txt"
    target.write_text("keep me\n")
    _journal(layout).symlink_to(target)
    original = _edit_in_place(path, "The freeze holds.", "The thaw is near.")
    os.utime(path)  # a new mtime: the index path sees the change
    assert _hook(memory_env, _claude_payload(path, original)) == 0  # the index path instead
    assert "the thaw is near." in _body_rows(layout)
    assert pending.take(str(layout.index_path)) is None
    found = _search(memory_env, "thaw")
    assert found.returncode == 0, found.stderr
    assert not _journal(layout).is_symlink()
    assert target.read_text() == "keep me\n"


def test_a_rebuild_and_a_damaged_index_leave_no_journal(memory_env: MemoryEnv) -> None:
    layout = _layout(memory_env)
    pending.append(str(layout.index_path), "project", "release-frozen.md")
    store = memory_env.store()
    try:
        store.sync(rebuild=True)
    finally:
        store.close()
    assert not _journal(layout).exists()
    pending.append(str(layout.index_path), "project", "release-frozen.md")
    layout.index_path.write_bytes(b"not a database" * 100)
    found = _search(memory_env, "freeze")
    assert found.returncode == 0, found.stderr
    assert "rebuilt it from the files" in found.stderr
    assert not _journal(layout).exists()


def test_the_journal_keeps_each_file_once_in_order(tmp_path: Path) -> None:
    index = str(tmp_path / "project-x.db")
    assert pending.take(index) == []
    for scope, name in [("project", "b.md"), ("user", "a.md"), ("project", "b.md")]:
        pending.append(index, scope, name)
    assert pending.take(index) == [("project", "b.md"), ("user", "a.md")]
    pending.clear(index)
    pending.clear(index)  # already gone: not an error
    assert not pending.waiting(index)


@pytest.mark.parametrize(
    "name",
    ["MEMORY.md", ".hidden.md", "a\tb.md", "a\nb.md", "a/b.md", "notes.txt", "\udcff.md", ""],
)
def test_names_that_cannot_be_a_journal_line_are_refused(tmp_path: Path, name: str) -> None:
    assert not pending.can_name(name)
    with pytest.raises(ValueError, match="not a journal line"):
        pending.append(str(tmp_path / "project-x.db"), "project", name)
    assert not pending.waiting(str(tmp_path / "project-x.db"))
