"""The one place a vendor process is started: no shell, its own session and process group,
stdin fed, stdout and stderr streamed live while a bounded copy is kept. When it ends (by
itself, on a timeout or on Ctrl-C), everything it started is ended too (SIGTERM, then SIGKILL
after a grace period); proctree.py says how the tree is tracked.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from rulesync.dispatch.capture import BoundedBuffer, Captured
from rulesync.dispatch.proctree import Terminated, end_tree, watching
from rulesync.dispatch.request import Invocation
from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from typing import IO, Any, Literal

    Pumped = Literal["done", "timeout", "leftovers"]

Sink = Callable[[bytes], None]

CHUNK = 64 * 1024
POLL_SECONDS = 0.2
# After the CLI itself exits, how long its output may stay open (held by a leftover child).
DRAIN_SECONDS = 1.0


class Outcome(Frozen):
    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "returncode",
        "stdout",
        "stderr",
        "started_at",
        "duration",
        "timed_out",
        "interrupted",
        "missing",
        "error",
        "leftovers",
    )
    returncode: int | None  # None: never started
    stdout: Captured
    stderr: Captured
    started_at: float  # seconds since the epoch
    duration: float  # seconds
    timed_out: bool
    interrupted: bool
    missing: bool  # the program was not found (or is not executable)
    error: str | None  # why it could not start
    leftovers: int  # processes it started that were still running when it ended

    def __init__(
        self,
        returncode: int | None,
        stdout: Captured,
        stderr: Captured,
        started_at: float,
        duration: float,
        timed_out: bool = False,
        interrupted: bool = False,
        missing: bool = False,
        error: str | None = None,
        leftovers: int = 0,
    ) -> None:
        self._set(
            returncode=returncode,
            stdout=stdout,
            stderr=stderr,
            started_at=started_at,
            duration=duration,
            timed_out=timed_out,
            interrupted=interrupted,
            missing=missing,
            error=error,
            leftovers=leftovers,
        )

    @classmethod
    def never_started(cls, *, missing: bool, error: str | None = None) -> Outcome:
        empty = Captured(b"", b"", 0)
        return cls(None, empty, empty, time.time(), 0.0, missing=missing, error=error)


__all__ = ["Outcome", "Sink", "Terminated", "find_program", "run_process"]


def run_process(
    invocation: Invocation,
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    grace: float,
    on_stdout: Sink,
    on_stderr: Sink,
    stdin_prefix: Callable[[], bytes] | None = None,
) -> Outcome:
    """Run `invocation` in `cwd` with exactly `env`, streaming its output to the sinks.

    `stdin_prefix`, called once the process has started, gives what goes on its stdin
    before `invocation.stdin` (ignored when that is None): work the vendor need not wait
    for before its exec.
    """
    started_at, clock = time.time(), time.monotonic()
    buffers = (BoundedBuffer(), BoundedBuffer())
    timed_out = interrupted = False
    # The handlers stay while cleaning up: a second signal must not orphan the tree.
    with _signals_raise_terminated(), watching() as watch:
        try:
            proc = _start(invocation, cwd, env)
        except OSError as error:
            return _not_started(error)
        try:
            stdin = invocation.stdin
            if stdin is not None and stdin_prefix is not None:
                stdin = stdin_prefix() + stdin
            sinks = (on_stdout, on_stderr)
            pumped = _pump(proc, stdin, clock + timeout, buffers, sinks)
            timed_out = pumped == "timeout" or not _wait(proc, clock + timeout)
        except (KeyboardInterrupt, Terminated):
            interrupted, timed_out = True, False
        finally:
            leftovers = end_tree(proc, watch, grace)
            _close_pipes(proc)
    return Outcome(
        returncode=proc.returncode,
        stdout=buffers[0].snapshot(),
        stderr=buffers[1].snapshot(),
        started_at=started_at,
        duration=time.monotonic() - clock,
        timed_out=timed_out,
        interrupted=interrupted,
        leftovers=leftovers,
    )


def _start(invocation: Invocation, cwd: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(invocation.argv),
        stdin=subprocess.DEVNULL if invocation.stdin is None else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=dict(env),
        start_new_session=True,  # no controlling terminal; its group is the fallback to kill
        bufsize=0,
    )


def _not_started(error: OSError) -> Outcome:
    missing = isinstance(error, (FileNotFoundError, PermissionError))
    return Outcome.never_started(missing=missing, error=str(error))


def find_program(name: str, search_path: str | None, root: Path) -> str | None:
    """Like `shutil.which` (without its import cost); a path with a slash is taken relative
    to the project root, so `command: ./bin/gemini` in rulesync.yaml means the project's."""
    if os.sep in name:
        candidate = os.path.join(root, name)
        return candidate if _is_executable(candidate) else None
    for folder in (search_path if search_path is not None else os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or os.curdir, name)
        if _is_executable(candidate):
            return candidate
    return None


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _pump(
    proc: subprocess.Popen[bytes],
    stdin: bytes | None,
    deadline: float,
    buffers: tuple[BoundedBuffer, BoundedBuffer],
    sinks: tuple[Sink, Sink],
) -> Pumped:
    with selectors.DefaultSelector() as selector:
        if stdin is not None and proc.stdin is not None:
            os.set_blocking(proc.stdin.fileno(), False)
            selector.register(proc.stdin, selectors.EVENT_WRITE, _Feeder(stdin))
        for stream, buffer, sink in zip((proc.stdout, proc.stderr), buffers, sinks, strict=True):
            assert stream is not None
            selector.register(stream, selectors.EVENT_READ, _Reader(buffer, sink))
        return _loop(proc, selector, deadline)


def _loop(
    proc: subprocess.Popen[bytes], selector: selectors.BaseSelector, deadline: float
) -> Pumped:
    exited_at: float | None = None
    while selector.get_map():
        now = time.monotonic()
        if now >= deadline:
            return "timeout"
        if exited_at is None and proc.poll() is not None:
            exited_at = now
        if exited_at is not None and now - exited_at > DRAIN_SECONDS:
            return "leftovers"
        for key, _events in selector.select(min(deadline - now, POLL_SECONDS)):
            key.data(selector, key.fileobj)
    return "done"


class _Reader:
    def __init__(self, buffer: BoundedBuffer, sink: Sink) -> None:
        self.buffer = buffer
        self.sink = sink

    def __call__(self, selector: selectors.BaseSelector, stream: IO[bytes]) -> None:
        data = os.read(stream.fileno(), CHUNK)
        if not data:
            selector.unregister(stream)
            stream.close()
            return
        self.buffer.write(data)
        self.sink(data)


class _Feeder:
    def __init__(self, data: bytes) -> None:
        self.view = memoryview(data)
        self.offset = 0

    def __call__(self, selector: selectors.BaseSelector, stream: IO[bytes]) -> None:
        try:
            self.offset += os.write(stream.fileno(), self.view[self.offset : self.offset + CHUNK])
        except BlockingIOError:
            return
        except BrokenPipeError:  # the CLI exited or closed stdin without reading it all
            self.offset = len(self.view)
        if self.offset >= len(self.view):
            selector.unregister(stream)
            stream.close()


def _wait(proc: subprocess.Popen[bytes], deadline: float) -> bool:
    try:
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return False
    return True


def _close_pipes(proc: subprocess.Popen[bytes]) -> None:
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None and not stream.closed:
            stream.close()


@contextmanager
def _signals_raise_terminated() -> Iterator[None]:
    """While a vendor runs, SIGTERM and SIGHUP to rulesync kill the vendor's group too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {
        sig: signal.signal(sig, _raise_terminated) for sig in (signal.SIGTERM, signal.SIGHUP)
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(signal.Signals(signum).name)
