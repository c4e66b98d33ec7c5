"""`rulesync lint --hook` on hostile payloads and files: no hang, no traceback, bounded reads.

The decisions these tests pin down (docs/lint-identity.md, "When the payload is broken"):
- a broken payload (not JSON, nested too deeply, too large, the wrong shape) warns with
  exit 1 and the write goes ahead;
- an edit's file is read for context only when it is a regular file of at most 512 KiB;
  otherwise the new text is linted on its own, with a note;
- a NUL in the text is read as U+FFFD, so the names around it are linted.
Cases that could hang run the hook in a subprocess with a timeout, so a hang fails the test.
"""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from treestate import tree_state as tree_digest

from rulesync.linting.agent_hook import MAX_CONTEXT_BYTES, MAX_PAYLOAD_BYTES, _apply, _Edit

CONFIG = "lint:\n  identity:\n    names:\n      - GitHub\n"
BLOCKED = "rulesync lint blocked this write to {path}. Fix and write again:\n"
WRONG_CASE = '- {path}:{line}:{col}: write "GitHub", not "Github": wrong case\n'
ALWAYS = "Always spell these names exactly so: GitHub.\n"
GOES_AHEAD = "the write goes ahead unlinted"


def edit(root: Path, file_path: str, old: str, new: str) -> dict[str, Any]:
    tool_input = {"file_path": file_path, "old_string": old, "new_string": new}
    return {"cwd": str(root), "tool_name": "Edit", "tool_input": tool_input}


def write(root: Path, file_path: str, content: str) -> dict[str, Any]:
    tool_input = {"file_path": file_path, "content": content}
    return {"cwd": str(root), "tool_name": "Write", "tool_input": tool_input}


@pytest.fixture
def project(build_tree: Any) -> Path:
    root: Path = build_tree({"rulesync.yaml": CONFIG, "docs/a.md": "# Title\n\nText.\n"})
    return root


@pytest.fixture
def hook(run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run the hook in-process with `payload` (a dict, text or bytes) on stdin."""

    def run(root: Path, payload: dict[str, Any] | str | bytes) -> Any:
        if isinstance(payload, dict):
            payload = json.dumps(payload)
        raw = payload if isinstance(payload, bytes) else payload.encode()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        return run_cli("-C", root, "lint", "--hook", "claude")

    return run


def hook_process(
    root: Path, payload: dict[str, Any], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The hook as the agent runs it, killed (and the test failed) after 60 s."""
    return subprocess.run(
        [sys.executable, "-m", "rulesync", "-C", str(root), "lint", "--hook", "claude"],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def note(path: str, reason: str) -> str:
    return f"note: {path} {reason}; the new text was linted without the rest of it\n"


# --- the edited file: type, size, place ---------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_an_edit_of_a_fifo_returns_at_once_without_opening_it(project: Path) -> None:
    os.mkfifo(project / "docs/pipe.md")
    started = time.monotonic()
    done = hook_process(project, edit(project, "docs/pipe.md", "Text.", "Github text."))
    assert time.monotonic() - started < 30
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        BLOCKED.format(path="docs/pipe.md")
        + WRONG_CASE.format(path="docs/pipe.md", line=1, col=1)
        + ALWAYS
        + note("docs/pipe.md", "is a FIFO, not a regular file")
    )
    assert stat.S_ISFIFO((project / "docs/pipe.md").lstat().st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_an_edit_of_a_link_to_dev_zero_reads_nothing(project: Path) -> None:
    (project / "docs/zero.md").symlink_to("/dev/zero")
    done = hook_process(project, edit(project, "docs/zero.md", "x", "Clean text."))
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        "rulesync lint --hook: " + note("docs/zero.md", "is a character device, not a regular file")
    )


def test_an_edit_of_a_socket_is_not_opened(tmp_path: Path, build_tree: Any) -> None:
    root: Path = build_tree({"rulesync.yaml": CONFIG})
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "s.md"))
    except OSError:
        pytest.skip("socket path too long here")
    try:
        done = hook_process(root, edit(root, "s.md", "x", "Github"))
    finally:
        server.close()
    assert done.returncode == 2
    assert done.stderr.endswith(note("s.md", "is a socket, not a regular file"))


def test_an_edit_of_a_file_past_the_size_cap_lints_the_new_text_alone(
    project: Path, hook: Any
) -> None:
    big = project / "docs/big.md"
    with big.open("wb") as stream:  # sparse: nothing to write
        stream.truncate(MAX_CONTEXT_BYTES + 1)
    result = hook(project, edit(project, str(big), "x", "Github"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        BLOCKED.format(path="docs/big.md")
        + WRONG_CASE.format(path="docs/big.md", line=1, col=1)
        + ALWAYS
        + note("docs/big.md", "is larger than 512 KiB")
    )


def test_an_edit_of_a_folder_or_a_file_that_is_not_utf8(project: Path, hook: Any) -> None:
    (project / "docs/folder.md").mkdir()
    (project / "docs/latin.md").write_bytes("Gr\u00fc\u00dfe\n".encode("latin-1"))
    folder = hook(project, edit(project, "docs/folder.md", "x", "Clean."))
    assert (folder.exit_code, folder.stderr) == (
        0,
        "rulesync lint --hook: " + note("docs/folder.md", "is a directory, not a regular file"),
    )
    latin = hook(project, edit(project, "docs/latin.md", "x", "Clean."))
    assert (latin.exit_code, latin.stderr) == (
        0,
        "rulesync lint --hook: " + note("docs/latin.md", "is not UTF-8 text"),
    )


def test_an_edit_outside_the_project_is_read_for_context_only(
    project: Path, tmp_path: Path, hook: Any
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.md").write_text("```\ncode\n```\n\nProse here.\n")
    before = tree_digest(outside)
    in_code = hook(project, edit(project, str(outside / "o.md"), "code", "Github"))
    assert (in_code.exit_code, in_code.stderr) == (0, "")  # in context: inside a code block
    in_prose = hook(project, edit(project, str(outside / "o.md"), "here", "on Github"))
    assert in_prose.exit_code == 2
    assert WRONG_CASE.format(path=outside / "o.md", line=5, col=10) in in_prose.stderr
    assert tree_digest(outside) == before


def test_a_file_path_with_a_nul_in_it_is_no_traceback(project: Path, hook: Any) -> None:
    result = hook(project, edit(project, "docs/a\x00.md", "x", "Github"))
    assert result.exit_code == 2
    assert WRONG_CASE.format(path="docs/a\x00.md", line=1, col=1) in result.stderr


# --- NUL in the text ------------------------------------------------------------------------


def test_a_nul_in_written_content_is_linted_around(project: Path, hook: Any) -> None:
    result = hook(project, write(project, "docs/n.md", "Hello Github\x00 and Github\n"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        BLOCKED.format(path="docs/n.md")
        + WRONG_CASE.format(path="docs/n.md", line=1, col=7)
        + WRONG_CASE.format(path="docs/n.md", line=1, col=19)
        + ALWAYS
    )


def test_a_nul_in_an_edit_and_in_its_file(project: Path, hook: Any) -> None:
    (project / "docs/n.md").write_bytes(b"# T\n\nOld\x00 text.\n")
    result = hook(project, edit(project, "docs/n.md", "Old\x00", "New\x00 Github"))
    assert result.exit_code == 2
    assert result.stderr == (
        BLOCKED.format(path="docs/n.md")
        + WRONG_CASE.format(path="docs/n.md", line=3, col=6)
        + ALWAYS
    )


# --- broken payloads ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "stdin nests JSON too deeply to be a tool call"),
        (
            '{"tool_name": "Write", "tool_input": {"file_path": "a.md", "content": "Github",'
            ' "x": ' + "[" * 100_000 + "]" * 100_000 + "}}",
            "stdin nests JSON too deeply to be a tool call",
        ),
        ('{"n": ' + "9" * 5000 + "}", "stdin is not a tool call (Exceeds the limit"),
        ("", "stdin is not JSON (Expecting value at line 1)"),
        (b"\xff\xfe{", "stdin is not JSON (Expecting value at line 1)"),
        ("[1, 2]", "stdin is not a JSON object with `tool_name` and `tool_input`"),
    ],
)
def test_a_broken_payload_warns_and_lets_the_write_through(
    project: Path, hook: Any, payload: str | bytes, reason: str
) -> None:
    result = hook(project, payload)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"rulesync lint --hook: {reason}")
    assert result.stderr.endswith(f"; {GOES_AHEAD}\n")
    assert "Traceback" not in result.stderr


def test_a_payload_past_the_size_cap_warns(project: Path, hook: Any) -> None:
    content = "x" * MAX_PAYLOAD_BYTES
    result = hook(project, write(project, "docs/huge.md", "Github " + content))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"rulesync lint --hook: stdin holds more than {MAX_PAYLOAD_BYTES >> 20} MiB, more than a "
        f"tool call; {GOES_AHEAD}\n"
    )


def test_a_closed_stdin_warns(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rulesync", "-C", str(project), "lint", "--hook", "claude"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"rulesync lint --hook: stdin is not JSON (Expecting value at line 1); {GOES_AHEAD}\n"
    )


def test_the_hook_gives_up_in_time_and_lets_the_write_through(project: Path) -> None:
    """stdin never closes: the deadline ends the hook, not the agent's own timeout."""
    env = {**os.environ, "RULESYNC_HOOK_TIMEOUT": "1"}
    command = [sys.executable, "-m", "rulesync", "-C", str(project), "lint", "--hook", "claude"]
    started = time.monotonic()
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as process:
        assert process.stdin is not None
        process.stdin.write(b'{"tool_name": "Write", ')
        process.stdin.flush()
        try:
            stdout, stderr = _wait(process)
        finally:
            process.kill()
    assert time.monotonic() - started < 30
    assert (process.returncode, stdout) == (1, b"")
    assert stderr == f"rulesync lint --hook: gave up after 1 s; {GOES_AHEAD}\n".encode()


def _wait(process: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """Wait for the process without closing its stdin; raise after 60 s."""
    assert process.stdout is not None and process.stderr is not None
    process.wait(timeout=60)
    return process.stdout.read(), process.stderr.read()


# --- applying edits -------------------------------------------------------------------------


def _char_model(text: str, edits: list[tuple[str, str, bool]]) -> tuple[str, set[int]] | None:
    """Each character with a flag: new or old; the reference for `_apply`."""
    chars = [(c, False) for c in text]
    for old, new, every in edits:
        current = "".join(c for c, _ in chars)
        position, found = current.find(old), []
        while position != -1:
            found.append(position)
            position = current.find(old, position + len(old)) if every else -1
        if not found:
            return None
        for start in reversed(found):
            chars[start : start + len(old)] = [(c, True) for c in new]
    return "".join(c for c, _ in chars), {i for i, (_, new) in enumerate(chars) if new}


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab", min_size=1, max_size=12),
    st.lists(
        st.tuples(
            st.text(alphabet="ab", min_size=1, max_size=3),
            st.text(alphabet="abX", max_size=4),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_applied_edits_mark_exactly_the_new_characters(
    text: str, edits: list[tuple[str, str, bool]]
) -> None:
    applied = _apply(text, [_Edit(*e) for e in edits])
    expected = _char_model(text, edits)
    if expected is None:
        assert applied is None
        return
    assert applied is not None
    new_text, parts = applied
    assert new_text == expected[0]
    assert {i for start, end in parts for i in range(start, end)} == expected[1]
