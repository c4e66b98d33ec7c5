"""The process runner: streaming, bounded capture, stdin, timeouts and group kills."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rulesync.dispatch.capture import HEAD_BYTES, TAIL_BYTES, BoundedBuffer
from rulesync.dispatch.request import Invocation
from rulesync.dispatch.runner import Outcome, run_process

from .processes import live_members


def python(code: str, stdin: bytes | None = None) -> Invocation:
    return Invocation((sys.executable, "-c", code), stdin)


class Sink:
    def __init__(self) -> None:
        self.size = 0
        self.chunks: list[bytes] = []

    def __call__(self, data: bytes) -> None:
        self.size += len(data)
        if len(self.chunks) < 4:
            self.chunks.append(data)


def run(
    invocation: Invocation, timeout: float = 20.0, grace: float = 0.2
) -> tuple[Outcome, Sink, Sink]:
    out, err = Sink(), Sink()
    outcome = run_process(
        invocation,
        cwd=Path.cwd(),
        env=os.environ,
        timeout=timeout,
        grace=grace,
        on_stdout=out,
        on_stderr=err,
    )
    return outcome, out, err


def test_streams_and_captures_both_outputs() -> None:
    code = "import sys; print('to out'); print('to err', file=sys.stderr); sys.exit(4)"
    outcome, out, err = run(python(code))
    assert outcome.returncode == 4
    assert (outcome.stdout.text(), outcome.stderr.text()) == ("to out\n", "to err\n")
    assert (b"".join(out.chunks), b"".join(err.chunks)) == (b"to out\n", b"to err\n")
    assert not (outcome.timed_out or outcome.interrupted or outcome.missing)


def test_a_flood_is_streamed_in_full_but_captured_within_bounds() -> None:
    code = (
        "import sys\n"
        "block = b'x' * 1023 + b'\\n'\n"
        "for _ in range(32 * 1024): sys.stdout.buffer.write(block)\n"
        "sys.stdout.buffer.write(b'END-OF-FLOOD\\n')\n"
    )
    outcome, out, _err = run(python(code))
    total = 32 * 1024 * 1024 + len(b"END-OF-FLOOD\n")
    assert out.size == total
    assert outcome.stdout.total == total
    assert outcome.stdout.truncated
    assert len(outcome.stdout.head) + len(outcome.stdout.tail) == HEAD_BYTES + TAIL_BYTES
    assert outcome.stdout.tail.endswith(b"END-OF-FLOOD\n")
    assert f"[… {total - HEAD_BYTES - TAIL_BYTES} bytes not kept …]" in outcome.stdout.text()


def test_a_large_prompt_goes_in_by_stdin_without_deadlock() -> None:
    prompt = b"p" * (4 * 1024 * 1024)
    code = "import sys; data = sys.stdin.buffer.read(); sys.stdout.buffer.write(data)"
    outcome, out, _err = run(python(code, stdin=prompt))
    assert outcome.returncode == 0
    assert out.size == len(prompt)


def test_a_cli_that_never_reads_stdin_does_not_block_the_runner() -> None:
    outcome, _out, _err = run(python("pass", stdin=b"p" * (1024 * 1024)))
    assert outcome.returncode == 0


def test_no_stdin_means_devnull() -> None:
    code = "import sys; print(repr(sys.stdin.read()))"
    outcome, _out, _err = run(python(code, stdin=None))
    assert outcome.stdout.text() == "''\n"


def test_a_timeout_kills_the_whole_group_even_when_sigterm_is_ignored(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    code = (
        "import os, signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "child = subprocess.Popen([sys.executable, '-c', "
        "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpgid(0)}} {{child.pid}}')\n"
        "time.sleep(600)\n"
    )
    outcome, _out, _err = run(python(code), timeout=0.5)
    assert outcome.timed_out
    assert outcome.returncode == -9
    pgid, child = map(int, pids.read_text().split())
    assert live_members(pgid) == []
    assert child not in live_members(pgid)


def test_a_leftover_child_holding_the_output_is_killed_after_the_cli_exits(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    code = (
        "import os, subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpgid(0)}} {{child.pid}}')\n"
        "print('done', flush=True)\n"
    )
    outcome, out, _err = run(python(code), timeout=20.0)
    assert outcome.returncode == 0
    assert not outcome.timed_out
    assert b"".join(out.chunks) == b"done\n"
    pgid, _child = map(int, pids.read_text().split())
    assert live_members(pgid) == []


def test_a_missing_program(tmp_path: Path) -> None:
    outcome, _out, _err = run(Invocation((str(tmp_path / "no-such-cli"),), b"hi"))
    assert outcome.missing
    assert outcome.returncode is None


def test_bounded_buffer_keeps_head_and_tail() -> None:
    buffer = BoundedBuffer(head=4, tail=6)
    for piece in (b"abc", b"defgh", b"ijklmnop", b"qrstuvwxyz"):
        buffer.write(piece)
    captured = buffer.snapshot()
    assert (captured.head, captured.tail, captured.total) == (b"abcd", b"uvwxyz", 26)
    assert captured.text() == "abcd\n[… 16 bytes not kept …]\nuvwxyz"


def test_bounded_buffer_small_output_is_whole() -> None:
    buffer = BoundedBuffer(head=4, tail=6)
    buffer.write(b"hello")
    captured = buffer.snapshot()
    assert not captured.truncated
    assert captured.text() == "hello"
