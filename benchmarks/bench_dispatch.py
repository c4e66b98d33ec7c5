"""Dispatch overhead: from starting `rulesync dispatch` to the vendor process's exec.

    python benchmarks/bench_dispatch.py [--runs 15]

The vendor is a fake `claude` (a bash script) that writes $EPOCHREALTIME as soon as it runs
and exits. "to exec" is that stamp minus the moment the rulesync process was started; it
includes bash's own start-up, measured separately as the baseline. "total" is the whole
`rulesync dispatch` process, including the run-log write after the vendor exits.
"rulesync CPU to exec" is the CPU time the rulesync process had used when the fake started
(from /proc/PPID/schedstat): on a loaded machine the wall time includes waiting for a CPU.
Target: to exec <= 80 ms. The projects are mirrored and then dated a minute back (as a
project edited a while ago), and each case starts with one unmeasured run, which leaves
the status memo that lets a dispatch skip the plan when nothing changed.

Python runs as an installed package would: with bytecode cached (in a temporary
PYTHONPYCACHEPREFIX, so nothing is written into the work tree), even when the environment
sets PYTHONDONTWRITEBYTECODE; `--no-bytecode` keeps that setting, so the package (not the
standard library, which has its bytecode) is compiled on every run. For reference it also
times `rulesync --version` (the interpreter) and `rulesync dispatch --help` (click and the
command group), the floor that dispatch builds on.

A last figure is the peak RSS of `rulesync dispatch --json` while the fake floods 256 MiB
of output, which must stay bounded.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RULESYNC = str(Path(sys.executable).with_name("rulesync"))
SAMPLE = Path(__file__).resolve().parent.parent / "sample-project"
#: Stamps the wall time, and the CPU time its parent (rulesync) had used by then: the first
#: field of /proc/PPID/schedstat, nanoseconds on a CPU. Under load the wall time grows with
#: the queue; the CPU time much less.
STAMPING_CLI = (
    "#!/bin/bash\n"
    "read -r cpu _ < /proc/$PPID/schedstat 2>/dev/null || cpu=0\n"
    'printf "%s %s" "$EPOCHREALTIME" "$cpu" > "$BENCH_STAMP"\n'
    "cat > /dev/null\n"
)
FLOODING_CLI = "#!/bin/bash\ncat > /dev/null\nhead -c 268435456 /dev/zero | tr '\\0' x\n"


def make_cli(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(script)
    path.chmod(0o755)


def stamp_delay(
    args: list[str], cwd: Path, env: dict[str, str], stamp: Path
) -> tuple[float, float, float]:
    """Seconds from starting `args` to the fake's stamp, and to the end of the process; and
    the CPU seconds the parent had used at the stamp."""
    stamp.unlink(missing_ok=True)
    start = time.time()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=False)
    end = time.time()
    if proc.returncode != 0 or not stamp.exists():
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr.decode()}")
    wall, cpu_ns = stamp.read_text().split()
    return float(wall) - start, end - start, int(cpu_ns) / 1e9


def plain_wall(args: list[str], cwd: Path, env: dict[str, str], runs: int) -> list[float]:
    """Wall milliseconds of each run of a whole process (after one warm-up run)."""
    walls = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=True)
        walls.append((time.perf_counter() - start) * 1000)
    return walls[1:]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    label: str, runs: int, args: list[str], cwd: Path, env: dict[str, str], stamp: Path
) -> None:
    stamp_delay(args, cwd, env, stamp)  # warm the page cache
    cpu_before = cpu_seconds()
    pairs = [stamp_delay(args, cwd, env, stamp) for _ in range(runs)]
    cpu = (cpu_seconds() - cpu_before) / runs * 1000
    to_exec = [p[0] * 1000 for p in pairs]
    total = [p[1] * 1000 for p in pairs]
    own_cpu = (
        ""
        if label.startswith("baseline")
        else (f", rulesync CPU to exec {statistics.median(p[2] * 1000 for p in pairs):5.1f} ms")
    )
    print(
        f"{label:<34} to exec median {statistics.median(to_exec):6.1f} ms  "
        f"(min {min(to_exec):5.1f}, max {max(to_exec):5.1f})   "
        f"total median {statistics.median(total):6.1f} ms, CPU {cpu:5.1f} ms{own_cpu}"
    )


def small_project(root: Path) -> Path:
    project = root / "project"
    (project / ".rulesync" / "rules").mkdir(parents=True)
    (project / "rulesync.yaml").write_text("targets: [claude]\n")
    (project / ".rulesync" / "rules" / "main.md").write_text(
        "---\nroot: true\n---\n# Rules\n\nBe brief.\n"
    )
    return mirrored(project)


def sample_project(root: Path) -> Path:
    """A copy of the repository's sample-project (three targets, 49 mirrored files)."""
    project = root / "sample-project"
    shutil.copytree(SAMPLE, project)
    return mirrored(project)


def mirrored(project: Path) -> Path:
    """Mirror, then date every file a minute back, as in a project edited a while ago:
    files written this very second are never memoised (rulesync.status.drift, RACY_S)."""
    subprocess.run([RULESYNC, "-C", str(project), "mirror"], capture_output=True, check=True)
    when = time.time() - 60
    for folder, dirs, files in os.walk(project):
        for name in (*dirs, *files):
            os.utime(os.path.join(folder, name), (when, when), follow_symlinks=False)
    return project


def flood_peak_rss(folder: Path, env: dict[str, str]) -> float:
    """Peak RSS (MiB) of `rulesync dispatch --json` while the vendor floods its output."""
    code = (
        "import resource, subprocess, sys; "
        f"p = subprocess.run([{RULESYNC!r}, 'dispatch', '--to', 'llm', '--json', 'hi'], "
        f"cwd={str(folder)!r}, capture_output=True); "
        "assert p.returncode == 0, p.stderr; "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return int(proc.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-bytecode", action="store_true", help="compile every import")
    options = parser.parse_args()
    runs = options.runs
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        bin_dir = root / "bin"
        bin_dir.mkdir()
        make_cli(bin_dir, "claude", STAMPING_CLI)
        make_cli(bin_dir, "codex", STAMPING_CLI)
        make_cli(bin_dir, "llm", FLOODING_CLI)
        stamp = root / "stamp"
        env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "BENCH_STAMP": str(stamp),
            "RULESYNC_STATE_DIR": str(root / "state"),
        }
        if options.no_bytecode:  # the package's modules compiled on every run, as in this sandbox
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        bytecode = "without bytecode" if options.no_bytecode else "bytecode cached"
        load = os.getloadavg()[0]
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {load:.2f}, {bytecode}, {runs} runs each"
        )
        empty = root / "anywhere"
        empty.mkdir()
        for label, args in (
            ("floor: rulesync --version", [RULESYNC, "--version"]),
            ("floor: rulesync dispatch --help", [RULESYNC, "dispatch", "--help"]),
        ):
            walls = plain_wall(args, empty, env, runs)
            print(
                f"{label:<34} total median {statistics.median(walls):6.1f} ms  (min {min(walls):5.1f})"
            )
        measure("baseline: the fake alone", runs, [str(bin_dir / "claude")], empty, env, stamp)
        dispatch = [RULESYNC, "dispatch", "--to", "claude", "hi"]
        measure("dispatch, no rulesync.yaml", runs, dispatch, empty, env, stamp)
        project = small_project(root)
        measure("dispatch, project up to date", runs, dispatch, project, env, stamp)
        measure(
            "dispatch --no-sync, project",
            runs,
            [*dispatch[:-1], "--no-sync", "hi"],
            project,
            env,
            stamp,
        )
        sample = sample_project(root)
        measure("dispatch, sample-project", runs, dispatch, sample, env, stamp)
        measure(
            "dispatch --role code, sample-project",
            runs,
            [RULESYNC, "dispatch", "--role", "code", "hi"],
            sample,
            env,
            stamp,
        )
        print(f"{'peak RSS, 256 MiB output flood':<34} {flood_peak_rss(empty, env):6.1f} MiB")


if __name__ == "__main__":
    main()
