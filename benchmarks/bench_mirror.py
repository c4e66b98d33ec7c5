"""Mirror benchmark: fresh mirror, a run with nothing to write, and `rulesync --version`.

    python benchmarks/bench_mirror.py [--runs 10] [--before OLD_CHECKOUT]

With `--before`, fresh mirrors of the code in OLD_CHECKOUT (run as `PYTHONPATH=OLD_CHECKOUT`,
e.g. a `git archive` of the commit before a change, bytecode compiled) and of this code
alternate run by run, so both see the same load; only that comparison is printed.

Each figure is the median wall time of whole `rulesync` processes (what a user waits for),
the median CPU time (user + system: on a shared, loaded machine the wall time stretches with
other jobs, the CPU time much less) with the medians of its two parts (the system part of a
fresh mirror is mostly the kernel creating its files and folders), and the peak RSS of the slowest kind of run, read from
the children's rusage. Target (issue #16): a fresh mirror of the large project <= 0.5 s.

"Fresh" is a copy of the project with no outputs, run with rulesync's cache folder as earlier
runs left it (the parsed rulesync.yaml and frontmatter, the compiled templates: what a second
clone or a re-run finds); "cold cache" gives each run an empty cache folder, as on a
machine's very first run.

PYTHONDONTWRITEBYTECODE is dropped for the children, as an installed wheel has its .pyc files:
with it set, every run would compile every module again and measure that instead.
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
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
FRESH_TARGET = 0.5


def timed(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """Wall seconds, and user and system CPU seconds, of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env or ENV, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stdout.decode()}{proc.stderr.decode()}")
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def measure(
    label: str, runs: int, prepare, args: list[str], target: float | None = None, env=None
) -> None:
    """`env`: a function giving each run's environment (by default ENV)."""
    walls, users, systems = [], [], []
    for _ in range(runs):
        cwd = prepare()
        wall, user, system = timed(args, cwd, env() if env else None)
        walls.append(wall)
        users.append(user)
        systems.append(system)
    peak = measure_peak(prepare(), args)
    cpu = statistics.median(u + s for u, s in zip(users, systems, strict=True))
    line = (
        f"{label:<26} wall {statistics.median(walls) * 1000:6.1f} ms (min "
        f"{min(walls) * 1000:6.1f})   CPU {cpu * 1000:6.1f} ms = user "
        f"{statistics.median(users) * 1000:5.1f} + sys {statistics.median(systems) * 1000:5.1f}   "
        f"peak RSS {peak / 1024:4.1f} MiB"
    )
    if target is not None:
        line += f"   (target <= {target * 1000:.0f} ms CPU: {'met' if cpu <= target else 'MISSED'})"
    print(line)


def measure_peak(cwd: Path, args: list[str]) -> int:
    code = (
        "import resource, subprocess, sys; "
        f"subprocess.run({args!r}, cwd={str(cwd)!r}, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=ENV, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def compare(before: Path, runs: int, prepare) -> None:
    """Fresh mirrors of the old and the new code, alternating (the first one of each pair
    swaps every run); medians of user, system and user + system CPU."""
    envs = {"before": {**ENV, "PYTHONPATH": str(before)}, "after": ENV}
    for env in envs.values():  # the warm-up: bytecode and the cache folder, as users have them
        subprocess.run([RULESYNC, "mirror"], cwd=prepare(), env=env, capture_output=True)
    cpu: dict[str, list[tuple[float, float]]] = {name: [] for name in envs}
    loads = []
    for run in range(runs):
        for name in list(envs) if run % 2 == 0 else list(reversed(envs)):
            _wall, user, system = timed([RULESYNC, "mirror"], prepare(), envs[name])
            cpu[name].append((user, system))
        loads.append(os.getloadavg()[0])
    print(f"mirror (fresh), {runs} runs each, interleaved; load {min(loads):.1f}-{max(loads):.1f}")
    for name, rows in cpu.items():
        user = statistics.median(u for u, _ in rows) * 1000
        system = statistics.median(s for _, s in rows) * 1000
        total = statistics.median(u + s for u, s in rows) * 1000
        print(f"  {name:<7} CPU {total:6.1f} ms = user {user:5.1f} + sys {system:5.1f} (medians)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", type=Path, help="an old checkout to compare with")
    options = parser.parse_args()
    runs = options.runs
    work = Path(tempfile.mkdtemp(prefix="rulesync-bench-"))
    template = generate(work / "template")
    counter = iter(range(10**6))

    def fresh() -> Path:
        target = work / f"fresh-{next(counter)}"
        shutil.copytree(template, target)
        return target

    mirrored = fresh()
    subprocess.run([RULESYNC, "mirror"], cwd=mirrored, env=ENV, capture_output=True, check=True)
    files = sum(1 for p in mirrored.rglob("*") if p.is_file())
    print(
        f"large project: {files} files after mirror; {os.cpu_count()} CPUs; "
        f"Python {sys.version.split()[0]}; load {os.getloadavg()[0]:.2f}"
    )
    if options.before is not None:
        compare(options.before.resolve(), runs, fresh)
        shutil.rmtree(work)
        return
    measure("rulesync --version", runs, lambda: mirrored, [RULESYNC, "--version"])
    measure("mirror (fresh)", runs, fresh, [RULESYNC, "mirror"], FRESH_TARGET)

    def empty_cache() -> dict[str, str]:
        return {**ENV, "RULESYNC_CACHE_DIR": tempfile.mkdtemp(dir=work, prefix="cache-")}

    measure("mirror (fresh, cold cache)", runs, fresh, [RULESYNC, "mirror"], env=empty_cache)
    measure("mirror (nothing to write)", runs, lambda: mirrored, [RULESYNC, "mirror"])
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
