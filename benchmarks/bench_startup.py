"""Start-up CPU of the per-keystroke commands, this tree against an older one, interleaved.

    git archive <old commit> | tar -x -C /tmp/before
    python benchmarks/bench_startup.py --before /tmp/before [--only memory|status|dispatch]
        [--entries 10000] [--runs 11] [--files 3000] [--megabytes 300]

On the shared, loaded machine a figure from one run is not comparable with one from another
hour; this runs each command alternately from both source trees, in the same minutes, and
prints the median and best CPU time (user + sys) of each. Both run as
`python -S -m rulesync …` with `PYTHONPATH=<tree>:<site-packages>`: `-S` keeps the editable
install of this worktree from shadowing the older tree (so `python -S -c pass` is the floor,
a few ms below `python -c pass`). Bytecode is written and reused for both trees.

Commands (on `--entries` memory entries built by bench_memory.py, in a throw-away home):
`memory search` (ranked and umlaut), `memory brief` (codex, and gemini as a hook), and
`memory hook` for a write outside the memory and for one changed entry file. `status` on
bench_status.py's fixture (`--files` Codex sessions, `--megabytes` in all, a run log, a
mirrored sample project), outside and inside the project. `dispatch --to claude hi` in a
mirrored copy of sample-project/ with a fake `claude` that exits at once (whole process;
bench_dispatch.py has the CPU time to the vendor's exec). Each tree gets its own copy of
the state and cache folders, so neither invalidates the other's memo.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_dispatch  # noqa: E402 - the fixtures, shared
import bench_memory  # noqa: E402
import bench_status  # noqa: E402

SITE = sysconfig.get_paths()["purelib"]
PER_TREE = ("RULESYNC_STATE_DIR", "RULESYNC_CACHE_DIR")


def cpu_ms(
    tree: Path,
    args: list[str],
    environ: dict[str, str],
    cwd: Path,
    stdin: bytes | None,
) -> float:
    env = {**environ, "PYTHONPATH": f"{tree}{os.pathsep}{SITE}"}
    for name in PER_TREE:
        if name in env:
            env[name] = f"{env[name]}-{tree.name}"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-S", *args], input=stdin, capture_output=True, env=env, cwd=cwd
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree}: {' '.join(args)}: exit {done.returncode}\n{done.stderr!r}")
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


def compare(
    label: str,
    trees: dict[str, Path],
    runs: int,
    args: list[str],
    environ: dict[str, str],
    cwd: Path,
    stdin: bytes | None = None,
    before_each: Callable[[], None] | None = None,
) -> None:
    times: dict[str, list[float]] = {name: [] for name in trees}
    for number in range(runs + 1):  # the first round writes the bytecode
        for name, tree in trees.items():
            if before_each is not None:
                before_each()
            elapsed = cpu_ms(tree, args, environ, cwd, stdin)
            if number:
                times[name].append(elapsed)
    figures = "   ".join(
        f"{name} median {statistics.median(values):5.1f} ms, best {min(values):5.1f}"
        for name, values in times.items()
    )
    print(f"{label:<36} {figures}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the older source tree")
    parser.add_argument("--only", choices=("memory", "status", "dispatch"), action="append")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--megabytes", type=int, default=300)
    options = parser.parse_args()
    trees = {"before": options.before.resolve(), "after": HERE.parent}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {options.runs} runs")
    with tempfile.TemporaryDirectory() as temp:
        compare("python -S -c pass", trees, options.runs, ["-c", "pass"], {**os.environ}, HERE)
        for part in options.only or ("memory", "status", "dispatch"):
            folder = Path(temp) / part
            folder.mkdir()
            PARTS[part](folder, trees, options)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def memory_part(base: Path, trees: dict[str, Path], options: argparse.Namespace) -> None:
    project, environ = bench_memory.build(base, options.entries)
    subprocess.run(
        [sys.executable, "-m", "rulesync", "memory", "sync", "--rebuild"],
        env=environ,
        cwd=project,
        capture_output=True,
        check=True,
    )
    folder = bench_memory.project_dir(project, environ)
    entry = folder / "entry-00007.md"
    edits = iter(range(1_000_000))

    def change_entry() -> None:
        text = entry.read_text()
        entry.write_text(text.replace("Entry 7 ", f"Entry 7 e{next(edits)} ", 1))

    memory = ["-m", "rulesync", "memory"]
    outside = {"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py")}}
    inside = {"tool_name": "Write", "tool_input": {"file_path": str(entry)}}
    runs = options.runs
    print(f"memory: {options.entries} entries")
    for label, args in (
        ("memory search latency", ["search", "--limit", "10", "latency"]),
        ("memory search Groesse", ["search", "--limit", "10", "Groesse"]),
        ("memory brief --for codex", ["brief", "--for", "codex"]),
        ("memory brief --for gemini --hook", ["brief", "--for", "gemini", "--hook"]),
    ):
        compare(label, trees, runs, [*memory, *args], environ, project)
    hook = [*memory, "hook"]
    compare(
        "memory hook, a write outside memory",
        trees,
        runs,
        hook,
        environ,
        project,
        json.dumps(outside).encode(),
    )
    compare(
        "memory hook, one changed entry file",
        trees,
        runs,
        hook,
        environ,
        project,
        json.dumps(inside).encode(),
        change_entry,
    )


def status_part(base: Path, trees: dict[str, Path], options: argparse.Namespace) -> None:
    bench_status.build_sessions(base / "codex", options.files, options.megabytes)
    bench_status.build_state(base / "state")
    project = base / "project"
    shutil.copytree(bench_status.SAMPLE, project)
    environ = {
        **os.environ,
        "CODEX_HOME": str(base / "codex"),
        "RULESYNC_STATE_DIR": str(base / "state"),
        "RULESYNC_CACHE_DIR": str(base / "cache"),
        "NO_COLOR": "1",
    }
    rulesync = [sys.executable, "-m", "rulesync"]
    subprocess.run([*rulesync, "mirror"], cwd=project, env=environ, capture_output=True)
    bench_status.dated_back(project)
    subprocess.run([*rulesync, "lint", "docs"], cwd=project, env=environ, capture_output=True)
    for tree in trees.values():
        for name in PER_TREE:
            if Path(environ[name]).exists():
                shutil.copytree(environ[name], f"{environ[name]}-{tree.name}")
    print(f"status: {options.files} Codex session files, {options.megabytes} MB")
    status = ["-m", "rulesync", "status"]
    compare("status (outside a project)", trees, options.runs, status, environ, base)
    compare("status (in the sample project)", trees, options.runs, status, environ, project)


def dispatch_part(base: Path, trees: dict[str, Path], options: argparse.Namespace) -> None:
    bin_dir = base / "bin"
    bin_dir.mkdir()
    bench_dispatch.make_cli(bin_dir, "claude", "#!/bin/bash\ncat > /dev/null\n")
    environ = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "RULESYNC_STATE_DIR": str(base / "state"),
        "RULESYNC_CACHE_DIR": str(base / "cache"),
        "HOME": str(base / "home"),
    }
    project = base / "sample-project"
    shutil.copytree(bench_dispatch.SAMPLE, project)
    subprocess.run(
        [sys.executable, "-m", "rulesync", "mirror"], cwd=project, env=environ, check=True,
        capture_output=True,
    )  # fmt: skip
    bench_status.dated_back(project)
    print("dispatch: sample-project, a fake claude that exits at once")
    args = ["-m", "rulesync", "dispatch", "--to", "claude", "hi"]
    compare("dispatch --to claude (whole process)", trees, options.runs, args, environ, project)


PARTS = {"memory": memory_part, "status": status_part, "dispatch": dispatch_part}


if __name__ == "__main__":
    main()
