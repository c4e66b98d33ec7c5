"""Dispatch's CPU time to the vendor's exec, this tree against an older one, interleaved.

    git archive <old commit> | tar -x -C /tmp/before
    python benchmarks/bench_dispatch_before.py --before /tmp/before [--runs 15]

Each round runs `rulesync dispatch --to claude hi` once with each tree (`python -S`, the tree
first on PYTHONPATH, as `bench_startup.py` does), so both see the same load. The figure is
the CPU time the rulesync process had used when the fake `claude` started (bench_dispatch's
stamping fake, from /proc/PPID/schedstat): the part of issue #15's 80 ms target that
rulesync controls. Two cases: no rulesync.yaml, and a mirrored copy of sample-project/
dated a minute back. The first two rounds (bytecode, memo) are not counted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_dispatch  # noqa: E402
import bench_status  # noqa: E402

SITE = sysconfig.get_paths()["purelib"]
WARM_UP = 2


def cpu_to_exec(tree: Path, name: str, cwd: Path, environ: dict[str, str], stamp: Path) -> float:
    env = {
        **environ,
        "PYTHONPATH": f"{tree}{os.pathsep}{SITE}",
        "PYTHONPYCACHEPREFIX": str(stamp.parent / f"pycache-{name}"),
        "RULESYNC_CACHE_DIR": str(stamp.parent / f"cache-{name}"),
        "RULESYNC_STATE_DIR": str(stamp.parent / f"state-{name}"),
    }
    subprocess.run(
        [sys.executable, "-S", "-m", "rulesync", "dispatch", "--to", "claude", "hi"],
        cwd=cwd, env=env, capture_output=True, check=True,
    )  # fmt: skip
    return int(stamp.read_text().split()[1]) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the older source tree")
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    trees = {"before": options.before.resolve(), "after": HERE.parent}
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        bin_dir = root / "bin"
        bin_dir.mkdir()
        bench_dispatch.make_cli(bin_dir, "claude", bench_dispatch.STAMPING_CLI)
        stamp = root / "stamp"
        environ = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "BENCH_STAMP": str(stamp),
            "HOME": str(root / "home"),
        }
        environ.pop("PYTHONDONTWRITEBYTECODE", None)
        project = root / "sample-project"
        shutil.copytree(bench_dispatch.SAMPLE, project)
        subprocess.run(
            [sys.executable, "-m", "rulesync", "mirror"], cwd=project, env=environ, check=True,
            capture_output=True,
        )  # fmt: skip
        bench_status.dated_back(project)
        empty = root / "anywhere"
        empty.mkdir()
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {options.runs} runs")
        for label, cwd in (
            ("dispatch, no rulesync.yaml", empty),
            ("dispatch, sample-project", project),
        ):
            times: dict[str, list[float]] = {name: [] for name in trees}
            for number in range(options.runs + WARM_UP):
                for name, tree in trees.items():
                    cpu = cpu_to_exec(tree, name, cwd, environ, stamp)
                    if number >= WARM_UP:
                        times[name].append(cpu)
            figures = "   ".join(
                f"{name} median {statistics.median(values):6.1f} ms (best {min(values):5.1f})"
                for name, values in times.items()
            )
            print(f"{label:<28} CPU to exec: {figures}", flush=True)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
