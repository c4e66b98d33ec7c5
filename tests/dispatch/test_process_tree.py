"""Nothing a vendor started outlives the dispatch: not a background child that ignores SIGTERM
and closed its output, not a grandchild that left the session with setsid, after a normal
exit, a timeout or Ctrl-C. And nothing that is not the vendor's is touched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rulesync.dispatch import proctree
from rulesync.dispatch.request import Invocation
from rulesync.dispatch.runner import Outcome, run_process

from .processes import exists, recorded, running

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the tree is followed in /proc"
)


@pytest.fixture
def pids_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "pids"
    monkeypatch.setenv("FAKE_PIDS_FILE", str(path))
    return path


@pytest.fixture(autouse=True)
def no_survivors(pids_file: Path) -> object:
    """Whatever a test asserts, no recorded process is left behind for the next one."""
    yield None
    if pids_file.exists():
        for pid in recorded(pids_file).values():
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def run_fake(fakes, mode: str, *, timeout: float = 20.0, grace: float = 0.2, sink=None) -> Outcome:
    fakes.mode("claude", mode)
    return run_process(
        Invocation((str(fakes.bin_dir / "claude"),), None),
        cwd=Path.cwd(),
        env=os.environ,
        timeout=timeout,
        grace=grace,
        on_stdout=sink or (lambda data: None),
        on_stderr=lambda data: None,
    )


def test_a_background_child_that_ignores_sigterm_is_ended_after_a_normal_exit(
    fakes, pids_file: Path
) -> None:
    outcome = run_fake(fakes, "linger")
    assert (outcome.returncode, outcome.timed_out, outcome.interrupted) == (0, False, False)
    assert outcome.stdout.text() == "answer from claude\n"
    assert outcome.leftovers == 1
    child = recorded(pids_file)["linger"]
    assert not exists(child), "killed and reaped, not left as a zombie"


def test_a_grandchild_that_left_the_session_is_ended_after_a_normal_exit(
    fakes, pids_file: Path
) -> None:
    outcome = run_fake(fakes, "escape")
    assert (outcome.returncode, outcome.timed_out) == (0, False)
    assert outcome.leftovers == 1
    assert not exists(recorded(pids_file)["escaped"])


def test_a_grandchild_that_left_the_session_is_ended_on_a_timeout(fakes, pids_file: Path) -> None:
    outcome = run_fake(fakes, "escape-hang", timeout=1.0)
    assert outcome.timed_out
    assert outcome.returncode == -signal.SIGKILL  # it ignores SIGTERM
    assert outcome.leftovers == 2  # the escaped grandchild and the hanging child
    assert not exists(recorded(pids_file)["escaped"])
    assert not exists(fakes.call("claude")["pid"])


POLITE_CHILD = """\
import os, signal, sys, time
def bye(*_):
    open(sys.argv[1], "w").write("SIGTERM")
    sys.exit(0)
signal.signal(signal.SIGTERM, bye)
with open(os.environ["FAKE_PIDS_FILE"], "a") as pids:
    pids.write(f"polite {os.getpid()}\\n")
time.sleep(600)
"""
POLITE_CLI = """\
import os, subprocess, sys, time
subprocess.Popen([sys.executable, sys.argv[1], sys.argv[2]], stdout=subprocess.DEVNULL)
while not os.path.exists(os.environ["FAKE_PIDS_FILE"]):
    time.sleep(0.01)
"""


def test_a_leftover_gets_sigterm_first(tmp_path: Path, pids_file: Path) -> None:
    child, cli, done = tmp_path / "child.py", tmp_path / "cli.py", tmp_path / "cleaned-up"
    child.write_text(POLITE_CHILD)
    cli.write_text(POLITE_CLI)
    outcome = run_process(
        Invocation((sys.executable, str(cli), str(child), str(done)), None),
        cwd=tmp_path,
        env=os.environ,
        timeout=20.0,
        grace=10.0,
        on_stdout=lambda data: None,
        on_stderr=lambda data: None,
    )
    assert outcome.returncode == 0
    assert done.read_text() == "SIGTERM"
    assert outcome.duration < 9.0, "it left on SIGTERM; the grace was not waited out"
    assert not exists(recorded(pids_file)["polite"])


def test_processes_that_are_not_the_vendors_are_left_alone(fakes, pids_file: Path) -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    sibling = subprocess.Popen(sleeper)  # our own child, started before the vendor
    separate = subprocess.Popen(sleeper, start_new_session=True)
    stranger = int(
        subprocess.run(  # not ours at all: its parent exits at once
            [
                "sh",
                "-c",
                f"{sleeper[0]} -c 'import time; time.sleep(60)' </dev/null >/dev/null 2>&1 & echo $!",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    try:
        outcome = run_fake(fakes, "escape-hang", timeout=1.0)
        assert outcome.timed_out
        assert not exists(recorded(pids_file)["escaped"])
        assert sibling.poll() is None
        assert separate.poll() is None
        assert running(stranger)
    finally:
        for process in (sibling, separate):
            process.kill()
            process.wait()
        os.kill(stranger, signal.SIGKILL)


def test_rulesync_is_a_subreaper_only_while_the_vendor_runs(fakes) -> None:
    during: list[bool] = []
    assert not proctree._is_subreaper()
    run_fake(fakes, "ok", sink=lambda data: during.append(proctree._is_subreaper()))
    assert during and all(during)
    assert not proctree._is_subreaper()


def test_without_a_subreaper_a_leftover_in_the_session_is_still_ended(
    fakes, pids_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(proctree, "_become_subreaper", lambda: False)
    monkeypatch.setattr(proctree, "_is_subreaper", lambda: False)
    outcome = run_fake(fakes, "linger")
    assert outcome.returncode == 0
    assert outcome.leftovers == 1
    assert not running(recorded(pids_file)["linger"])


def test_without_proc_the_process_group_is_ended(
    fakes, pids_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(proctree, "PROC", "/no-such-proc")
    monkeypatch.setattr(proctree, "_become_subreaper", lambda: False)
    monkeypatch.setattr(proctree, "_is_subreaper", lambda: False)
    outcome = run_fake(fakes, "linger")
    assert outcome.returncode == 0
    assert not running(recorded(pids_file)["linger"])


@pytest.mark.parametrize("mode", ["linger", "escape"])
def test_dispatch_ends_the_leftovers_and_says_so(
    mode: str, fakes, fake_api, project: Path, pids_file: Path, run_cli
) -> None:
    fakes.mode("claude", mode)
    result = run_cli("-C", project, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "answer from claude\n"
    assert "rulesync: ended 1 process that claude had started and left running\n" in (result.stderr)
    assert [pid for pid in recorded(pids_file).values() if exists(pid)] == []


def test_dispatch_timeout_ends_the_escaped_grandchild(
    fakes, fake_api, project: Path, pids_file: Path, run_cli
) -> None:
    fakes.mode("claude", "escape-hang")
    result = run_cli("-C", project, "dispatch", "--to", "claude", "--timeout", "1", "hi")
    assert result.exit_code == 124, result.stderr
    assert "rulesync: ended 2 processes that claude had started and left running\n" in (
        result.stderr
    )
    assert not exists(recorded(pids_file)["escaped"])
    assert not exists(fakes.call("claude")["pid"])


FORKING_CHAIN = """\
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
os.setsid()
for depth in range(200):  # each process starts the next, then stays: a growing chain
    with open(os.environ["FAKE_PIDS_FILE"], "a") as pids:
        pids.write(f"chain-{depth} {os.getpid()}\\n")
    time.sleep(0.02)
    if os.fork() != 0:
        break
time.sleep(600)
"""


def test_a_leftover_that_keeps_forking_is_ended(tmp_path: Path, pids_file: Path) -> None:
    chain = tmp_path / "chain.py"
    chain.write_text(FORKING_CHAIN)
    code = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, {str(chain)!r}], stdout=subprocess.DEVNULL)\n"
        "time.sleep(0.5)\n"
    )
    outcome = run_process(
        Invocation((sys.executable, "-c", code), None),
        cwd=tmp_path,
        env=os.environ,
        timeout=20.0,
        grace=0.3,
        on_stdout=lambda data: None,
        on_stderr=lambda data: None,
    )
    assert outcome.returncode == 0
    pids = recorded(pids_file)
    assert len(pids) >= 5
    assert [role for role, pid in pids.items() if exists(pid)] == []
    assert outcome.leftovers >= len(pids) - 1  # the last one may have been caught mid-fork
