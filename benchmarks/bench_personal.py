"""`rulesync mirror --global` / `check --global` against the same content as a project.

    python benchmarks/bench_personal.py [--runs 10]

The large project (benchmarks/gen_large_project.py: 200 rules, 100 commands, 50 skills,
20 subagents) is laid out twice: as a project, and as the personal folder of a scratch HOME
(`~/.config/rulesync`, state in `~/.local/state`). Each figure is the median and minimum wall
time of `--runs` whole `rulesync` processes. The global run adds only the placement of each
output (a path map and an lstat per path part), so it should cost what the project run costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_large_project import generate

RULESYNC = str(Path(sys.executable).with_name("rulesync"))


def run(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode())
    return elapsed


def measure(
    label: str, runs: int, prepare: Callable[[], tuple[Path, dict[str, str]]], args: list[str]
) -> None:
    walls = []
    for _ in range(runs):
        cwd, env = prepare()
        walls.append(run(args, cwd, env))
    print(
        f"{label:<34} median {statistics.median(walls) * 1000:7.1f} ms   min {min(walls) * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="rulesync-bench-personal-"))
    project = generate(work / "template")
    personal = work / "personal-template"
    shutil.copytree(project / ".rulesync", personal)
    shutil.copy(project / "rulesync.yaml", personal / "rulesync.yaml")
    counter = iter(range(10**6))
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "CODEX_", "CLAUDE_", "GEMINI_"))
    }
    base["RULESYNC_CACHE_DIR"] = str(work / "cache")

    def fresh_project() -> tuple[Path, dict[str, str]]:
        target = work / f"project-{next(counter)}"
        shutil.copytree(project, target)
        return target, base

    def fresh_home() -> tuple[Path, dict[str, str]]:
        home = work / f"home-{next(counter)}"
        shutil.copytree(personal, home / ".config" / "rulesync")
        return home, {**base, "HOME": str(home)}

    mirrored_project = fresh_project()
    run([RULESYNC, "mirror"], *mirrored_project)
    mirrored_home = fresh_home()
    run([RULESYNC, "mirror", "--global"], *mirrored_home)
    files = sum(1 for p in mirrored_home[0].rglob("*") if p.is_file() and ".config" not in p.parts)
    print(
        f"large personal layer: {files} user-level files; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}"
    )
    measure("mirror (fresh)", runs, fresh_project, [RULESYNC, "mirror"])
    measure("mirror --global (fresh)", runs, fresh_home, [RULESYNC, "mirror", "--global"])
    measure("mirror (nothing to write)", runs, lambda: mirrored_project, [RULESYNC, "mirror"])
    measure(
        "mirror --global (nothing to write)",
        runs,
        lambda: mirrored_home,
        [RULESYNC, "mirror", "--global"],
    )
    measure("check (in sync)", runs, lambda: mirrored_project, [RULESYNC, "check"])
    measure(
        "check --global (in sync)", runs, lambda: mirrored_home, [RULESYNC, "check", "--global"]
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
