"""`rulesync lint DIR` on every core: the same output, order and exit code as a serial run;
serial where workers cannot start or die; Ctrl-C stops the workers and exits 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from rulesync.linting import parallel

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are forked on Linux only"
)

CONFIG = textwrap.dedent(
    """\
    lint:
      identity:
        names: [GitHub, Müller GmbH]
      umlaut:
        lang: de
    """
)


def _docs(count: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"rulesync.yaml": CONFIG}
    for index in range(count):
        clean = "All GitHub here, and Müller GmbH.\n\n" * (index % 3)
        files[f"docs/d{index:02d}.md"] = (
            f"# Doc {index}\n\n{clean}We use Github {index} times; Fuer die Pruefung.\n"
        )
    files["docs/sub/z.txt"] = "Die Groesse der Datei.\n"
    return files


@pytest.fixture(autouse=True)
def no_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def many(build_tree: Any) -> Path:
    root: Path = build_tree(_docs(40))
    return root


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES", 1 << 62)


def _parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "_usable_cores", lambda: 2)


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the workers forked (in this process: the parent)."""
    forked: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    return forked


@pytest.mark.parametrize("output_format", ["text", "json", "github", "sarif"])
def test_workers_print_what_a_serial_run_prints(
    many: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    _serial(monkeypatch)
    serial = run_cli("-C", many, "lint", "--format", output_format, "docs")
    _parallel(monkeypatch)
    forked = _forks(monkeypatch)
    workers = run_cli("-C", many, "lint", "--format", output_format, "docs")
    assert len(forked) == 2
    assert serial.exit_code == workers.exit_code == 1
    assert workers.stdout == serial.stdout
    assert workers.stderr == serial.stderr
    assert serial.stdout.count("identity") >= 40


def test_the_order_of_the_files_is_kept(
    many: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _parallel(monkeypatch)
    result = run_cli("-C", many, "lint", "--only", "identity", "docs")
    paths = [line.split(":", 1)[0] for line in result.stdout.splitlines()]
    assert paths == [f"docs/d{index:02d}.md" for index in range(40)]


def test_an_unreadable_file_is_reported_in_its_place_with_exit_2(
    build_tree: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _docs(6)
    files["docs/d03.md"] = b"binary\x00data"
    files["docs/d05.md"] = b"caf\xe9\n"
    root = build_tree(files)
    _serial(monkeypatch)
    serial = run_cli("-C", root, "lint", "docs")
    _parallel(monkeypatch)
    workers = run_cli("-C", root, "lint", "docs")
    assert serial.exit_code == workers.exit_code == 2
    assert (workers.stdout, workers.stderr) == (serial.stdout, serial.stderr)
    assert "docs/d03.md: looks binary" in workers.stderr
    assert workers.stderr.index("d03.md") < workers.stderr.index("d05.md")


def test_a_clean_run_exits_0(
    build_tree: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    files: dict[str, str | bytes] = {"rulesync.yaml": CONFIG}
    files.update({f"docs/{n}.md": "GitHub und Müller GmbH.\n" for n in range(9)})
    root = build_tree(files)
    _parallel(monkeypatch)
    forked = _forks(monkeypatch)
    result = run_cli("-C", root, "lint", "docs")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert len(forked) == 2


def test_fix_runs_serially(many: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _parallel(monkeypatch)
    forked = _forks(monkeypatch)
    result = run_cli("-C", many, "lint", "--only", "identity", "--fix", "docs")
    assert result.exit_code == 1
    assert forked == []
    assert "Github" not in (many / "docs" / "d07.md").read_text(encoding="utf-8")


def test_a_small_run_or_one_file_is_linted_here(
    many: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = _forks(monkeypatch)
    monkeypatch.setattr(parallel, "_usable_cores", lambda: 2)
    assert run_cli("-C", many, "lint", "docs").exit_code == 1  # 2 KB: under MIN_BYTES
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    assert run_cli("-C", many, "lint", "docs/d01.md").exit_code == 1  # one file
    monkeypatch.setattr(parallel, "_usable_cores", lambda: 1)
    assert run_cli("-C", many, "lint", "docs").exit_code == 1  # one core
    assert forked == []


def test_when_fork_fails_the_run_is_serial(
    many: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serial(monkeypatch)
    serial = run_cli("-C", many, "lint", "docs")
    _parallel(monkeypatch)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    result = run_cli("-C", many, "lint", "docs")
    assert (result.exit_code, result.stdout, result.stderr) == (
        serial.exit_code,
        serial.stdout,
        serial.stderr,
    )


def test_the_size_counts_only_regular_files(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 600)
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    assert parallel._more_than([big, fifo, tmp_path / "gone.md"], 500)
    assert not parallel._more_than([big, fifo, tmp_path / "gone.md"], 600)


# --- map_in_workers --------------------------------------------------------------------------


def _square(number: int) -> int:
    return number * number


def test_results_come_back_in_item_order() -> None:
    items = list(range(203))
    assert parallel.map_in_workers(_square, items, 2) == [n * n for n in items]
    assert parallel.map_in_workers(_square, items[:1], 2) == [0]


def _dies_on_seven(number: int) -> int:
    if number == 7:
        os._exit(3)
    return number


def test_a_worker_that_dies_gives_none() -> None:
    assert parallel.map_in_workers(_dies_on_seven, list(range(30)), 2) is None


def _fails_from_five(number: int) -> int:
    if number >= 5:
        raise ValueError(f"bad item {number}")
    return number


def test_the_first_error_in_item_order_is_raised() -> None:
    with pytest.raises(ValueError, match="bad item 5"):
        parallel.map_in_workers(_fails_from_five, list(range(40)), 2)


def _unpicklable(number: int) -> object:
    return lambda: number


def test_a_result_that_cannot_be_sent_gives_none() -> None:
    assert parallel.map_in_workers(_unpicklable, list(range(4)), 2) is None


def test_no_worker_is_left_behind(tmp_path: Path) -> None:
    before = _children()
    assert parallel.map_in_workers(_square, list(range(50)), 2) is not None
    assert parallel.map_in_workers(_dies_on_seven, list(range(50)), 2) is None
    assert _children() == before


def _children() -> set[str]:
    path = Path(f"/proc/self/task/{os.getpid()}/children")
    return set(path.read_text().split()) if path.exists() else set()


# --- Ctrl-C ----------------------------------------------------------------------------------

DRIVER = textwrap.dedent(
    """\
    import os, sys, time
    from rulesync.linting import lint_run, parallel

    parallel.MIN_BYTES = 0
    parallel._usable_cores = lambda: 2
    parent = os.getpid()
    real = lint_run._linted

    def slow(target, rules):
        if os.getpid() != parent:
            with open(os.path.join(sys.argv[1], f"worker-{os.getpid()}"), "w"):
                pass
            time.sleep(60)
        return real(target, rules)

    lint_run._linted = slow
    from rulesync.cli import main

    sys.exit(main(["lint", "docs"]))
    """
)


@pytest.mark.parametrize("to_group", [True, False], ids=["terminal", "parent-only"])
def test_ctrl_c_stops_the_workers_and_exits_130(many: Path, tmp_path: Path, to_group: bool) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(driver), str(markers)],
        cwd=many,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
    )
    try:
        deadline = time.monotonic() + 30
        while len(list(markers.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(markers.iterdir())) == 2, "both workers started"
        if to_group:  # Ctrl-C in a terminal: the whole process group
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.kill(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130
    assert stdout == b""
    assert stderr == b"rulesync: interrupted\n"
    workers = [int(marker.name.split("-")[1]) for marker in markers.iterdir()]
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or _zombie(pid), f"worker {pid} left running"


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except OSError:
        return True
