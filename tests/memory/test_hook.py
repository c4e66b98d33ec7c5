"""`rulesync memory hook`: Claude PostToolUse and Gemini AfterTool payloads, hostile ones too."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rulesync.memory.hook import MAX_PAYLOAD, main
from tests.memory.conftest import MemoryEnv, tree_digest

ENTRY = "---\nname: {name}\ndescription: {description}\ntype: {kind}\n---\n\n{body}\n"


def _folder(env: MemoryEnv) -> Path:
    folder = env.store().layout.project_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(
    folder: Path, name: str, description: str, kind: str = "feedback", body: str = "b"
) -> Path:
    path = folder / f"{name}.md"
    path.write_text(ENTRY.format(name=name, description=description, kind=kind, body=body))
    return path


def _run(payload: object, env: MemoryEnv) -> int:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return main(io.BytesIO(raw), env.project)


def _ids(env: MemoryEnv) -> list[str]:
    store = env.store()
    try:
        return [row.id for row in store.index.rows()]
    finally:
        store.close()


def test_claude_write_is_indexed_and_memory_md_updated(memory_env: MemoryEnv) -> None:
    path = _write(_folder(memory_env), "uses-uv", "Run uv sync first")
    payload = {
        "session_id": "s", "hook_event_name": "PostToolUse", "tool_name": "Write",
        "tool_input": {"file_path": str(path), "content": path.read_text()},
        "tool_response": {"filePath": str(path), "success": True},
    }  # fmt: skip
    assert _run(payload, memory_env) == 0
    assert _ids(memory_env) == ["uses-uv"]
    memory_md = (path.parent / "MEMORY.md").read_text()
    assert "- [uses-uv](uses-uv.md) — feedback: Run uv sync first" in memory_md


def test_gemini_replace_with_a_relative_path_is_indexed(memory_env: MemoryEnv) -> None:
    folder = _folder(memory_env)
    _write(folder, "status", "Release frozen", kind="project")
    payload = {
        "hook_event_name": "AfterTool", "tool_name": "replace", "cwd": str(folder.parent),
        "tool_input": {"file_path": "memory/status.md", "old_string": "a", "new_string": "b"},
        "tool_response": {"llmContent": "ok"},
    }  # fmt: skip
    assert _run(payload, memory_env) == 0
    assert _ids(memory_env) == ["status"]


def test_a_deleted_entry_file_leaves_the_index(memory_env: MemoryEnv) -> None:
    path = _write(_folder(memory_env), "gone", "soon gone")
    assert _run({"tool_input": {"file_path": str(path)}}, memory_env) == 0
    path.unlink()
    assert _run({"tool_input": {"file_path": str(path)}}, memory_env) == 0
    assert _ids(memory_env) == []


def test_a_secret_is_refused_with_exit_2_and_not_indexed(
    memory_env: MemoryEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    token = "sk-ant-api03-" + "a1b2c3d4" * 6
    path = _write(_folder(memory_env), "key", "the key", kind="reference", body=f"key {token}")
    assert _run({"tool_input": {"file_path": str(path)}}, memory_env) == 2
    err = capsys.readouterr().err
    assert f"{path}:7: holds what looks like an API key or token; not indexed" in err
    assert token not in err
    assert _ids(memory_env) == []


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json .md memory",
        b"[1, 2, 3]",
        b'{"tool_input": "memory/x.md"}',
        b'{"tool_input": {"file_path": 7}} .md memory',
        b'{"tool_input": {"file_path": "memory/x.md"}}',  # relative without cwd
        b'{"tool_input": {"file_path": "/a/memory/x\\u0000.md"}}',
        b'{"tool_input": {"file_path": "/a/memory/\\udc80.md"}}',
        b"[" * 100_000 + b'"memory.md"',
        b'{"tool_input": {"file_path": "/etc/passwd"}}',
        b'{"tool_input": {"file_path": "/elsewhere/memory/MEMORY.md"}}',
        b'{"tool_input": {"file_path": "/elsewhere/memory/note.md"}}',
    ],
)
def test_hostile_or_foreign_payloads_exit_0_quietly(
    payload: bytes, memory_env: MemoryEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(payload, memory_env) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_an_oversized_payload_is_not_read_past_the_bound(memory_env: MemoryEnv) -> None:
    stream = io.BytesIO(b'{"tool_input": {"file_path": "/x/memory/a.md"}}' + b" " * MAX_PAYLOAD)
    assert main(stream, memory_env.project) == 0
    assert stream.tell() == MAX_PAYLOAD + 1


def test_links_and_fifos_in_the_memory_folder_are_ignored(
    memory_env: MemoryEnv, tmp_path: Path
) -> None:
    folder = _folder(memory_env)
    outside = tmp_path / "outside"
    outside.mkdir()
    _write(outside, "target", "outside the memory")
    before = tree_digest(outside)
    (folder / "link.md").symlink_to(outside / "target.md")
    os.mkfifo(folder / "pipe.md")
    for name in ("link.md", "pipe.md"):
        assert _run({"tool_input": {"file_path": str(folder / name)}}, memory_env) == 0
    assert _ids(memory_env) == []
    assert tree_digest(outside) == before
    assert not (folder / "MEMORY.md").exists()


def test_a_write_outside_memory_never_imports_sqlite3(memory_env: MemoryEnv) -> None:
    code = (
        "import io, sys\n"
        "from rulesync.cli import main\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[1].encode()))\n"
        "code = main(['memory', 'hook'])\n"
        "print(code, 'sqlite3' in sys.modules, 'click' in sys.modules, 'pathlib' in sys.modules)\n"
    )
    payload = json.dumps({"tool_input": {"file_path": str(memory_env.project / "src/app.py")}})
    done = subprocess.run(
        [sys.executable, "-c", code, payload],
        capture_output=True, text=True, cwd=memory_env.project, env=memory_env.environ,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "0 False False False\n", "")


def test_the_real_command_indexes_a_memory_file(memory_env: MemoryEnv) -> None:
    path = _write(_folder(memory_env), "real", "through the console entry")
    payload = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(path)}})
    done = subprocess.run(
        [sys.executable, "-m", "rulesync", "-C", str(memory_env.project), "memory", "hook"],
        input=payload, capture_output=True, text=True, env=memory_env.environ,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert _ids(memory_env) == ["real"]


def _real_command(memory_env: MemoryEnv, payload: bytes) -> subprocess.CompletedProcess[bytes]:
    """`rulesync -C PROJECT memory hook` as its own process: it ends with os._exit (cli.py),
    in a process that has not imported json (the C scanner's errors need json.decoder)."""
    return subprocess.run(
        [sys.executable, "-m", "rulesync", "-C", str(memory_env.project), "memory", "hook"],
        input=payload, capture_output=True, env=memory_env.environ, check=False, timeout=60,
    )  # fmt: skip


def test_the_real_command_refuses_a_secret_with_exit_2_and_its_message(
    memory_env: MemoryEnv,
) -> None:
    store = memory_env.store()
    store.add(category="project", title="Indexed first", description="d", body="b", agent="claude")
    store.close()
    token = "sk-ant-api03-" + "a1b2c3d4" * 6
    path = _write(_folder(memory_env), "key", "the key", kind="reference", body=f"key {token}")
    done = _real_command(memory_env, json.dumps({"tool_input": {"file_path": str(path)}}).encode())
    assert done.returncode == 2
    assert done.stdout == b""
    message = f"{path}:7: holds what looks like an API key or token; not indexed. Remove it"
    assert done.stderr.decode().startswith(message)
    assert token not in done.stderr.decode()
    assert _ids(memory_env) == ["indexed-first"]


@pytest.mark.parametrize(
    "payload",
    [
        b"not json .md memory",
        b'{"tool_input": {"file_path": "/a/memory/x.md"',  # cut short
        b'{"tool_input": {"file_path": "/a/memory/x\\q.md"}}',  # a bad escape
        b'{"tool_input": {"file_path": "/a/memory/x.md"}} trailing .md',
        b"[" * 100_000 + b'"memory.md"',
        b'{"tool_input": {"file_path": "/elsewhere/memory/note.md"}}',
    ],
)
def test_the_real_command_exits_0_quietly_on_hostile_payloads(
    memory_env: MemoryEnv, payload: bytes
) -> None:
    done = _real_command(memory_env, payload)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
