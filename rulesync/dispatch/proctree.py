"""Ending everything a vendor CLI started, including what left its process group.

The vendor runs in its own session and process group, but a process group does not hold a
process that calls `setsid()` (a daemonising helper), and a background child that outlives
the CLI is reparented to init, where nothing finds it. So, on Linux, rulesync makes itself a
*child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`) while the vendor runs: a descendant
orphaned by its parent's exit is then reparented to rulesync instead of init, whatever its
session or group. The vendor's tree is then exactly the processes whose parent chain in
`/proc/*/stat` leads to the vendor, or to a child of rulesync that rulesync did not already
have before the vendor started. After the vendor's main process ends (normally, on a timeout
or on Ctrl-C), every live member gets SIGTERM, then, after the grace period, SIGKILL, round
after round until none is left (a process can fork between two rounds); each orphan rulesync
inherited is reaped.

Why a subreaper: it needs no privileges, costs one system call, and catches every escape a
process can make without privileges (setsid, setpgid, double fork). A cgroup would also hold
the tree, but creating one needs a delegated cgroup (root or systemd), which a pre-commit or
CI run does not have. A process group alone misses `setsid`.

A signal goes through a pidfd opened after the process was checked to be in the tree (still
the same start time), so a pid reused by an unrelated process is never signalled.

Where prctl is refused but `/proc` exists, the processes still below the vendor and those
still in its session are ended; an orphan that left the session went to init and is missed.
Without `/proc` (macOS, BSD), the vendor's process group is signalled, as before: that misses
a process that left the group.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from typing import Any

PR_SET_CHILD_SUBREAPER = 36
PR_GET_CHILD_SUBREAPER = 37
POLL_SECONDS = 0.05
KILL_ROUNDS_SECONDS = 5.0  # a process stuck in the kernel (D state) ignores even SIGKILL
PROC = "/proc"


class Terminated(Exception):
    """rulesync itself got SIGTERM or SIGHUP while a vendor ran (raised by the runner's
    handler); while a tree is being ended it only means "no more grace"."""


class _Stat:
    """The fields of /proc/PID/stat that the tree needs (a plain class: no typing import)."""

    __slots__ = ("state", "ppid", "session", "start")  # noqa: RUF023 - stat's order

    def __init__(self, state: str, ppid: int, session: int, start: int) -> None:
        self.state = state
        self.ppid = ppid
        self.session = session
        self.start = start  # clock ticks after boot: a pid with another start is another process


Members = set[tuple[int, int]]  # (pid, start time)


class Watch(Frozen):
    """What is known before the vendor starts: whether orphans come to us, and which
    children we already had (they and their own children are never ours to end)."""

    __slots__ = ("subreaper", "baseline")  # noqa: RUF023 - the field order
    subreaper: bool
    baseline: frozenset[tuple[int, int]]  # (pid, start time) of our children before the run

    def __init__(
        self,
        subreaper: bool,
        baseline: frozenset[tuple[int, int]],
    ) -> None:
        self._set(subreaper=subreaper, baseline=baseline)

    @property
    def exact(self) -> bool:
        """Whether the tree can be followed in /proc, rather than by process group only."""
        return os.path.isdir(PROC)


@contextmanager
def watching() -> Iterator[Watch]:
    """Be a child subreaper for the duration (Linux), noting the children we have already.

    The attribute is the whole process's; it is set only while a vendor runs, and cleared
    afterwards unless the process was a subreaper already (then it is left as it was).
    """
    became = _become_subreaper()
    try:
        subreaper = became or _is_subreaper()
        yield Watch(subreaper, _our_children() if subreaper else frozenset())
    finally:
        if became:
            _prctl(PR_SET_CHILD_SUBREAPER, 0)


def end_tree(proc: subprocess.Popen[bytes], watch: Watch, grace: float) -> int:
    """SIGTERM every live process of the vendor's tree, SIGKILL what is left after `grace`
    seconds, reap what rulesync inherited, and wait for the main process. Returns how many
    processes besides the main one were still running."""
    if not watch.exact:
        return _end_group(proc, grace)
    tree = _Tree(proc, watch)
    seen: Members = set()
    live: Members | None = None
    deadline = time.monotonic() + grace
    try:
        live = tree.signal_live(signal.SIGTERM)
        while live and time.monotonic() < deadline:
            seen |= live
            time.sleep(POLL_SECONDS)
            live = tree.signal_live(signal.SIGTERM)
    except (KeyboardInterrupt, Terminated):
        live = None  # asked again: no more grace
    if live is None or live:
        seen |= _kill_rounds(tree)
    _wait_uninterrupted(proc)
    return len({pid for pid, _start in seen if pid != proc.pid})


class _Tree:
    """The vendor's main process and every process whose parent chain leads to it or to a new
    child of ours (an orphan we inherited as subreaper); without the subreaper, every process
    still in the vendor's session instead of the orphans."""

    def __init__(self, proc: subprocess.Popen[bytes], watch: Watch) -> None:
        self.proc = proc
        self.watch = watch
        stat = _read_stat(proc.pid)
        self.leader_start = None if stat is None else stat.start
        self.me = os.getpid()

    def members(self) -> dict[int, _Stat]:
        """The vendor's processes now, zombies included."""
        table = _scan()
        children: dict[int, list[int]] = {}
        for pid, stat in table.items():
            children.setdefault(stat.ppid, []).append(pid)
        pending = [pid for pid, stat in table.items() if self._is_root(pid, stat)]
        found: dict[int, _Stat] = {}
        while pending:
            pid = pending.pop()
            if pid not in found:
                found[pid] = table[pid]
                pending.extend(children.get(pid, ()))
        return found

    def _is_root(self, pid: int, stat: _Stat) -> bool:
        if pid == self.proc.pid:
            return self.proc.returncode is None and self._since_leader(stat)
        if not self.watch.subreaper:
            # Orphans went to init; those still in the vendor's session can be found. (With
            # the subreaper they are all below us, and a session id, once its processes are
            # gone, may be reused by a stranger's new session.)
            return stat.session == self.proc.pid and self._since_leader(stat)
        orphan = stat.ppid == self.me
        return orphan and (pid, stat.start) not in self.watch.baseline

    def _since_leader(self, stat: _Stat) -> bool:
        return self.leader_start is None or stat.start >= self.leader_start

    def signal_live(self, signum: signal.Signals) -> Members:
        """Signal every live member; reap the zombies we inherited. Returns the live ones."""
        self.proc.poll()
        live: Members = set()
        for pid, stat in self.members().items():
            if stat.state == "Z":
                self._reap(pid, stat)
            else:
                live.add((pid, stat.start))
                _send(pid, stat.start, signum)
        return live

    def _reap(self, pid: int, stat: _Stat) -> None:
        if pid == self.proc.pid or stat.ppid != self.me:
            return  # the main process is Popen's to reap; others' zombies go with their parent
        with suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _kill_rounds(tree: _Tree) -> Members:
    """SIGKILL until no member is alive (one may fork between two rounds); signals that
    arrive meanwhile do not stop it. Returns what it saw alive."""
    seen: Members = set()
    deadline = time.monotonic() + KILL_ROUNDS_SECONDS
    while time.monotonic() < deadline:
        try:
            live = tree.signal_live(signal.SIGKILL)
            if not live:
                break
            seen |= live
            time.sleep(POLL_SECONDS / 5)
        except (KeyboardInterrupt, Terminated):
            continue
    return seen


def _wait_uninterrupted(proc: subprocess.Popen[bytes]) -> None:
    while True:
        try:
            proc.wait()
            return
        except (KeyboardInterrupt, Terminated):
            continue


def _send(pid: int, start: int, signum: signal.Signals) -> None:
    """Signal `pid` only if it is still the process with that start time."""
    pidfd = _pidfd(pid)
    try:
        now = _read_stat(pid)
        if now is None or now.start != start:
            return
        if pidfd is None:
            os.kill(pid, signum)
        else:
            signal.pidfd_send_signal(pidfd, signum)
    except (ProcessLookupError, PermissionError):
        pass
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _pidfd(pid: int) -> int | None:
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        fd: int = opener(pid)
    except OSError:  # gone, or no pidfds here (kernel before 5.3): os.kill after the check
        return None
    return fd


def _scan() -> dict[int, _Stat]:
    table: dict[int, _Stat] = {}
    try:
        names = os.listdir(PROC)
    except OSError:
        return table
    for name in names:
        if name.isdigit():
            stat = _read_stat(int(name))
            if stat is not None:
                table[int(name)] = stat
    return table


def _read_stat(pid: int) -> _Stat | None:
    try:
        fd = os.open(f"{PROC}/{pid}/stat", os.O_RDONLY)
        try:
            data = os.read(fd, 4096)  # far more than a stat line
        finally:
            os.close(fd)
        fields = data[data.rindex(b")") + 2 :].split()
        return _Stat(fields[0].decode("ascii"), int(fields[1]), int(fields[3]), int(fields[19]))
    except (OSError, ValueError, IndexError, UnicodeDecodeError):
        return None  # gone meanwhile, or not a process we can read


def _our_children() -> frozenset[tuple[int, int]]:
    if not os.path.isdir(PROC):
        return frozenset()
    me = os.getpid()
    return frozenset((pid, stat.start) for pid, stat in _scan().items() if stat.ppid == me)


def _end_group(proc: subprocess.Popen[bytes], grace: float) -> int:
    """Without /proc: SIGTERM to the vendor's process group, SIGKILL after `grace`."""
    _signal_group(proc.pid, signal.SIGTERM)
    end = time.monotonic() + grace
    try:
        while _group_alive(proc) and time.monotonic() < end:
            time.sleep(POLL_SECONDS)
    except (KeyboardInterrupt, Terminated):
        pass  # asked again: no more grace
    _signal_group(proc.pid, signal.SIGKILL)
    _wait_uninterrupted(proc)
    return 0


def _group_alive(proc: subprocess.Popen[bytes]) -> bool:
    proc.poll()  # reap the leader, so it does not count as alive
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _become_subreaper() -> bool:
    """True when this call made the process a subreaper (and so must undo it)."""
    if _is_subreaper():
        return False
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def _is_subreaper() -> bool:
    libc = _libc()
    if libc is None:
        return False
    import ctypes

    flag = ctypes.c_int(0)
    if libc.prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(flag), 0, 0, 0) != 0:
        return False
    return flag.value != 0


def _prctl(option: int, value: int) -> bool:
    libc = _libc()
    return libc is not None and libc.prctl(option, value, 0, 0, 0) == 0


_LIBC: list[Any] = []


def _libc() -> Any:
    """The C library's prctl, on Linux; None elsewhere or when it cannot be loaded."""
    if not sys.platform.startswith("linux"):
        return None
    if not _LIBC:
        try:
            import ctypes

            library: Any = ctypes.CDLL(None, use_errno=True)
            library.prctl.argtypes = None
            _LIBC.append(library)
        except (OSError, AttributeError):
            _LIBC.append(None)
    return _LIBC[0]
