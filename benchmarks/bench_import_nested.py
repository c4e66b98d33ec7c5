"""`rulesync import --from claude --dry-run` on a monorepo with nested CLAUDE.md files.

    python benchmarks/bench_import_nested.py [--runs 7] [--packages 40] [--files 200]

Builds a project with a root CLAUDE.md and `--packages` packages (`packages/p<n>/CLAUDE.md`),
each with `--files` source files spread over 10 folders, plus a `node_modules` of the same
size that the walk must skip. Figures are whole `rulesync` processes: median and minimum wall
time of `--runs` runs, with the number of folders and files in the tree.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RULESYNC = str(Path(sys.executable).with_name("rulesync"))


def build(root: Path, packages: int, files: int) -> tuple[int, int]:
    folders = written = 0
    (root / "CLAUDE.md").write_text("# Monorepo\n\nUse pnpm.\n")
    for top in ("packages", "node_modules"):
        for n in range(packages):
            package = root / top / f"p{n}"
            if top == "packages":
                package.mkdir(parents=True)
                (package / "CLAUDE.md").write_text(f"# Package {n}\n\nRule {n}.\n")
                written += 1
            for f in range(files):
                folder = package / "src" / f"d{f % 10}"
                if not folder.is_dir():
                    folder.mkdir(parents=True)
                    folders += 1
                (folder / f"f{f}.ts").write_text("export {};\n")
                written += 1
    return folders, written


def timed(root: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [RULESYNC, "-C", str(root), "import", "--from", "claude", "--dry-run"],
            capture_output=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(result.stderr.decode())
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--packages", type=int, default=40)
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        folders, written = build(root, args.packages, args.files)
        times = timed(root, args.runs)
    print(f"python {platform.python_version()}, {args.packages} packages with a CLAUDE.md")
    print(f"tree: {folders} source folders, {written} files (half under node_modules)")
    print(
        f"import --from claude --dry-run: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f} s over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
