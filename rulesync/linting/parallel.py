"""`rulesync lint DIR` on every core: the files of a big run linted in forked worker processes.

Linting is CPU-bound pure Python, so threads would not help; forked workers inherit the
configured rules (patterns compiled, lexicon loaded) instead of building them again. Only a
run worth the fork uses them: more than one file and more than MIN_BYTES in all, on Linux
(fork). Each worker takes every n-th chunk of files and sends its results back through a
pipe; the parent puts them back in the order of the files, so the output is the same, byte
for byte, as a serial run's. Where a worker cannot be started, or dies, the whole run is
linted serially instead (the caller gets None).

Workers ignore Ctrl-C; the parent kills them and the CLI exits 130, with no traceback from
any worker. No executor thread is involved (concurrent.futures can hang for ever when a
worker is killed in the middle of sending its result).
"""

from __future__ import annotations

import os
import signal
import stat
import sys
from collections.abc import Callable, Sequence
from typing import NamedTuple, NoReturn, TypeVar

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

#: A run smaller than this (in bytes of its files) is linted in this process: forking and
#: sending the results back would cost more than a second core saves.
MIN_BYTES = 1_000_000
#: Items in a chunk, at most: chunks are dealt to the workers in turn, so small ones keep
#: both cores busy to the end whatever the files cost.
MAX_CHUNK = 8
_READ = 1 << 20


class _Worker(NamedTuple):
    pid: int
    pipe: int  # the read end of the pipe the worker sends its pickled results through


def worker_count(paths: Sequence[str | os.PathLike[str]]) -> int:
    """Workers worth starting for linting `paths`: 0 (lint them here) or the usable cores."""
    cores = _usable_cores()
    if cores < 2 or len(paths) < 2 or not _can_fork():
        return 0
    if not _more_than(paths, MIN_BYTES):
        return 0
    return min(cores, len(paths))


def map_in_workers(
    function: Callable[[_Item], _Result], items: Sequence[_Item], workers: int
) -> list[_Result] | None:
    """`[function(item) for item in items]`, computed in `workers` forked processes.

    None when a worker could not be started or died: the caller then does the work itself.
    An exception raised by `function` is raised here (the first in item order), as in a
    serial run.
    """
    shares = _shares(len(items), workers)
    started: list[_Worker] = []
    try:
        for share in shares:
            started.append(_start(function, items, share))
        answers = [_answer(worker) for worker in started]
    except KeyboardInterrupt:
        _kill(started)
        raise
    except OSError:  # fork or pipe failed (EAGAIN, EMFILE): lint here
        _kill(started)
        return None
    finally:
        for worker in started:
            os.close(worker.pipe)
    if any(answer is None for answer in answers):
        return None
    return _in_order(len(items), [a for answer in answers if answer for a in answer])


def _shares(count: int, workers: int) -> list[list[int]]:
    """The item indices of each worker: chunks of up to MAX_CHUNK, dealt in turn."""
    size = max(1, min(MAX_CHUNK, count // (workers * 4)))
    chunks = [range(start, min(start + size, count)) for start in range(0, count, size)]
    return [[i for chunk in chunks[w::workers] for i in chunk] for w in range(workers)]


def _start(
    function: Callable[[_Item], _Result], items: Sequence[_Item], share: list[int]
) -> _Worker:
    """Fork a worker for `share`. Ctrl-C is held back meanwhile, so that no worker can be
    left running unknown to the parent (the parent's KeyboardInterrupt comes just after)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # pragma: no cover  (the child: coverage does not follow it)
            _work(function, items, share, (read_end, write_end), held)
        os.close(write_end)
        return _Worker(pid, read_end)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _work(
    function: Callable[[_Item], _Result],
    items: Sequence[_Item],
    share: list[int],
    pipe: tuple[int, int],
    held: set[int | signal.Signals],
) -> NoReturn:  # pragma: no cover  (runs in the child)
    """Run `function` over this worker's share, send the pickled answers, and leave without
    running the parent's exit handlers or flushing its buffered output."""
    code = 1
    try:
        import pickle

        os.close(pipe[0])
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)

        answers: list[tuple[int, bool, object]] = []
        for index in share:
            try:
                answers.append((index, True, function(items[index])))
            except Exception as error:  # raised by the parent, in item order
                answers.append((index, False, error))
                break
        data = memoryview(pickle.dumps(answers, pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(pipe[1], data) :]
        code = 0
    finally:
        os._exit(code)


def _answer(worker: _Worker) -> list[tuple[int, bool, object]] | None:
    """The worker's answers, or None when it died or sent something broken."""
    import pickle

    pieces = []
    while piece := os.read(worker.pipe, _READ):
        pieces.append(piece)
    _pid, status = os.waitpid(worker.pid, 0)
    if status != 0:
        return None
    try:
        answers: list[tuple[int, bool, object]] = pickle.loads(b"".join(pieces))
    except Exception:  # truncated or not ours: lint here instead
        return None
    return answers


def _in_order(count: int, answers: list[tuple[int, bool, object]]) -> list[_Result] | None:
    """The results by item index; the first error in item order is raised."""
    answers.sort(key=lambda answer: answer[0])
    for _index, ok, value in answers:
        if not ok:
            assert isinstance(value, BaseException)
            raise value
    if len(answers) != count:
        return None
    return [value for _index, _ok, value in answers]  # type: ignore[misc]


def _kill(workers: list[_Worker]) -> None:
    """Stop the workers at once and reap them (their pipes are closed by the caller)."""
    for worker in workers:
        try:
            os.kill(worker.pid, signal.SIGKILL)
            os.waitpid(worker.pid, 0)
        except OSError:  # reaped already
            continue


def _usable_cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return len(affinity(0))
    return os.cpu_count() or 1


def _can_fork() -> bool:
    if not sys.platform.startswith("linux"):  # macOS: fork is unsafe with system frameworks
        return False
    from multiprocessing import get_all_start_methods

    return "fork" in get_all_start_methods()


def _more_than(paths: Sequence[str | os.PathLike[str]], limit: int) -> bool:
    """Whether the regular files among `paths` hold more than `limit` bytes (stat only: a
    FIFO or a device is never opened here, and a path that fails to stat counts 0)."""
    total = 0
    for path in paths:
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(status.st_mode):
            total += status.st_size
            if total > limit:
                return True
    return False
