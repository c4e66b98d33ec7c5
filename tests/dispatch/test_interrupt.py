"""Ctrl-C and SIGTERM during a dispatch: exit 130 and everything the vendor started is gone."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .processes import live_members, recorded, running

# gemini is not a target here, so nothing is mirrored: the real rulesync runs in a subprocess.
YAML = "targets: [claude]\ndispatch:\n  kill_grace: 0.2\n"


def wait_for(path: Path, proc: subprocess.Popen[str]) -> dict[str, int]:
    deadline = time.monotonic() + 20
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"the fake never got ready (rc {proc.returncode}):\n{out}\n{err}")
        time.sleep(0.02)
    data: dict[str, int] = json.loads(path.read_text())
    return data


@pytest.mark.parametrize(
    ("signum", "extra"), [(signal.SIGINT, []), (signal.SIGTERM, ["--fallback", "claude"])]
)
def test_a_signal_kills_the_vendor_group_and_exits_130(
    signum: signal.Signals, extra: list[str], fakes, build_tree, tmp_path: Path
) -> None:
    root = build_tree({"rulesync.yaml": YAML})
    ready = tmp_path / "ready.json"
    env = {**os.environ, "FAKE_GEMINI_MODE": "hang", "FAKE_READY_FILE": str(ready)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rulesync",
            "-C",
            str(root),
            "dispatch",
            "--to",
            "gemini",
            "--timeout",
            "60",
            *extra,
            "hi",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    fake = wait_for(ready, proc)
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert (
        "rulesync: interrupted: interrupted; gemini was stopped with every process it started (exit 130, run "
        in err
    )
    assert "falling back" not in err
    assert live_members(fake["pgid"]) == []
    assert fake["child"] not in live_members(fake["pgid"])
    assert not fakes.called("claude")
    with sqlite3.connect(fakes.log) as connection:
        logged = connection.execute("SELECT target, class, exit_code FROM attempts").fetchall()
    assert logged == [("gemini", "interrupted", 130)]


def test_ctrl_c_ends_a_grandchild_that_left_the_session(fakes, build_tree, tmp_path: Path) -> None:
    root = build_tree({"rulesync.yaml": YAML})
    ready, pids = tmp_path / "ready.json", tmp_path / "pids"
    env = {
        **os.environ,
        "FAKE_GEMINI_MODE": "escape-hang",
        "FAKE_READY_FILE": str(ready),
        "FAKE_PIDS_FILE": str(pids),
    }
    command = ["-C", str(root), "dispatch", "--to", "gemini", "--timeout", "60", "hi"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "rulesync", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    fake = wait_for(ready, proc)
    escaped = recorded(pids)["escaped"]
    assert running(escaped)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "rulesync: ended 2 processes that gemini had started and left running\n" in err
    assert not running(escaped)
    assert live_members(fake["pgid"]) == []
