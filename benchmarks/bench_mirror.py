"""Mirror benchmark: fresh mirror, a run with nothing to write, and `rulesync --version`.

    python benchmarks/bench_mirror.py [--runs 10]

Each figure is the median wall time of whole `rulesync` processes (what a user waits for),
and the peak RSS of the slowest kind of run, read from the children's rusage.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_large_project import generate

RULESYNC = str(Path(sys.executable).with_name("rulesync"))


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stdout.decode()}{proc.stderr.decode()}")
    return wall, _child_peak_rss()


def _child_peak_rss() -> int:
    # ru_maxrss of children is the max over all waited-for children; run each kind in a fresh
    # interpreter (see measure_peak) to get per-kind peaks.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def measure(label: str, runs: int, prepare, args: list[str]) -> None:
    walls = []
    for _ in range(runs):
        cwd = prepare()
        walls.append(timed(args, cwd)[0])
    peak = measure_peak(prepare(), args)
    print(
        f"{label:<28} median {statistics.median(walls) * 1000:7.1f} ms   "
        f"min {min(walls) * 1000:7.1f} ms   peak RSS {peak / 1024:5.1f} MiB"
    )


def measure_peak(cwd: Path, args: list[str]) -> int:
    code = (
        "import resource, subprocess, sys; "
        f"subprocess.run({args!r}, cwd={str(cwd)!r}, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="rulesync-bench-"))
    template = generate(work / "template")
    counter = iter(range(10**6))

    def fresh() -> Path:
        target = work / f"fresh-{next(counter)}"
        shutil.copytree(template, target)
        return target

    mirrored = fresh()
    subprocess.run([RULESYNC, "mirror"], cwd=mirrored, capture_output=True, check=True)
    files = sum(1 for p in mirrored.rglob("*") if p.is_file())
    print(
        f"large project: {files} files after mirror; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}"
    )
    measure("rulesync --version", runs, lambda: mirrored, [RULESYNC, "--version"])
    measure("mirror (fresh)", runs, fresh, [RULESYNC, "mirror"])
    measure("mirror (nothing to write)", runs, lambda: mirrored, [RULESYNC, "mirror"])
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
