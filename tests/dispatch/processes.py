"""Which processes are still alive (zombies do not count)."""

from __future__ import annotations

import os
from pathlib import Path


def live_members(pgid: int) -> list[int]:
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: ask the kernel whether the group exists at all
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        pass
    else:
        return stat[stat.rindex(")") + 2] != "Z"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def exists(pid: int) -> bool:
    """Whether `pid` is in the process table at all, zombies included (Linux)."""
    return Path(f"/proc/{pid}").exists()


def recorded(path: Path) -> dict[str, int]:
    """The "role pid" lines a fake CLI wrote to $FAKE_PIDS_FILE."""
    pairs = (line.split() for line in path.read_text().splitlines())
    return {role: int(pid) for role, pid in pairs}
