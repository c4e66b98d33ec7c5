"""`rulesync memory` at 10,000 entries: search, brief, the post-write hook and a full
rebuild, whole processes.

    python benchmarks/bench_memory.py [--entries 10000] [--runs 9]

Builds a throw-away home (data, cache and Claude folders under a temp dir, never the real
home) holding `--entries` entry files in the project's Claude memory folder, then times:
- `rulesync memory sync --rebuild`: every file read, parsed and indexed again, plus MEMORY.md;
- `rulesync memory search WORD` on a warm index (the freshness check of docs/memory.md
  included: the folders' stamp and one slice of stats), for a ranked word, an umlaut
  spelling (`Groesse` finding `Größe`) and a substring fallback; and a search right after a
  file was added, which does the full check (every file stat-ed).
Figures are the median wall time of `--runs` runs (one run for the rebuild, and its best of
three), measured around `subprocess.run`, so Python start-up is included. Also timed:
`memory brief --for codex` (and `--for gemini --hook`) on a warm index, and `memory hook`
with a PostToolUse payload for a file outside the memory and for one changed entry file.
Targets: search ≤ 50 ms, brief ≤ 50 ms, hook ≤ 30 ms, rebuild ≤ 3 s.

`--cpu` times the CPU seconds (user + sys) of each process instead of wall time: on a
shared, loaded machine wall time mostly measures the wait for a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "cache",
    "deploy",
    "release",
    "schema",
    "Größe",
    "Straße",
    "Übersicht",
    "migration",
    "token",
    "vault",
    "budget",
    "dashboard",
    "latency",
    "index",
    "worker",
    "queue",
    "backup",
    "restore",
    "review",
    "owner",
    "policy",
]


def build(base: Path, count: int) -> tuple[Path, dict[str, str]]:
    from rulesync.memory.entry import Entry, render
    from rulesync.memory.layout import resolve

    project = base / "project"
    project.mkdir()
    environ = {
        **os.environ,
        "HOME": str(base / "home"),
        "XDG_DATA_HOME": str(base / "home" / "data"),
        "XDG_CACHE_HOME": str(base / "home" / "cache"),
        "CLAUDE_CONFIG_DIR": str(base / "home" / "claude"),
        "RULESYNC_MEMORY_HOME": str(base / "home" / "memory"),
        "RULESYNC_MEMORY_INDEX_DIR": str(base / "home" / "index"),
    }
    # An installed package has its bytecode; without this every run would compile rulesync's
    # modules from source again (this shell sets PYTHONDONTWRITEBYTECODE=1).
    environ.pop("PYTHONDONTWRITEBYTECODE", None)
    folder = resolve(project, environ, claude=True).project_dir
    folder.mkdir(parents=True)
    day = dt.date(2026, 11, 27)
    for number in range(count):
        picked = [WORDS[(number * k + 3) % len(WORDS)] for k in (1, 7, 13)]
        entry = Entry(
            id=f"entry-{number:05d}",
            category=("project", "feedback", "reference", "user")[number % 4],
            title=f"Entry {number} about {picked[0]}",
            description=f"How the {picked[1]} relates to the {picked[2]}",
            body=("Some Markdown text about " + " and ".join(picked) + ".\n") * 4,
            created=day,
            updated=day,
            last_verified=day,
            agent="bench",
        )
        (folder / f"{entry.id}.md").write_bytes(render(entry))
    return project, environ


def timed(
    project: Path, environ: dict[str, str], *args: str, stdin: str | None = None
) -> tuple[float, str]:
    """Run `rulesync memory ARGS` in the project directory, as an agent's shell tool does."""
    command = [sys.executable, "-m", "rulesync", "memory", *args]
    started, cpu_before = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        command, env=environ, cwd=project, capture_output=True, text=True, input=stdin
    )
    elapsed = time.perf_counter() - started
    if CPU_TIME:
        elapsed = _children_cpu() - cpu_before
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return elapsed, done.stdout


CPU_TIME = False  # --cpu: CPU seconds (user + sys) of the child instead of wall time


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms"


def project_dir(project: Path, environ: dict[str, str]) -> Path:
    from rulesync.memory.layout import resolve

    return resolve(project, environ, claude=True).project_dir


def stat_floor(project: Path, environ: dict[str, str]) -> list[float]:
    """One lstat per entry file, in-process: the floor of the per-search freshness check."""
    from rulesync.memory.layout import resolve

    folder = resolve(project, environ, claude=True).project_dir
    times = []
    for _ in range(5):
        started = time.perf_counter()
        for item in os.scandir(folder):
            item.stat(follow_symlinks=False)
        times.append(time.perf_counter() - started)
    return times


def hook_times(project: Path, environ: dict[str, str], runs: int) -> None:
    """The post-write hook: a write outside the memory, and one changed entry file."""
    import json

    from rulesync.memory.layout import resolve

    folder = resolve(project, environ, claude=True).project_dir
    outside = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py")}})
    times = [timed(project, environ, "hook", stdin=outside)[0] for _ in range(runs)]
    print(f"hook, a write outside memory: {median_ms(times)} (target ≤ 30 ms)")
    entry = folder / "entry-00007.md"
    payload = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(entry)}})
    times = []
    for number in range(runs):
        entry.write_text(entry.read_text().replace("Entry 7 ", f"Entry 7 v{number} ", 1))
        times.append(timed(project, environ, "hook", stdin=payload)[0])
    print(f"hook, one changed entry file: {median_ms(times)} (target ≤ 30 ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time CPU (user + sys) of each process, not wall time: steadier on a loaded machine",
    )
    options = parser.parse_args()
    global CPU_TIME
    CPU_TIME = options.cpu
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {options.entries} entries")  # fmt: skip
    with tempfile.TemporaryDirectory() as temp:
        project, environ = build(Path(temp), options.entries)
        timed(project, environ, "list", "--category", "user")  # writes the bytecode once
        rebuilds = [timed(project, environ, "sync", "--rebuild")[0] for _ in range(3)]
        print(f"full rebuild (sync --rebuild): first {rebuilds[0] * 1000:.0f} ms, "
              f"best {min(rebuilds) * 1000:.0f} ms  (target ≤ 3000 ms)")  # fmt: skip
        for label, query in (
            ("ranked word", "latency"),
            ("umlaut spelling", "Groesse"),
            ("substring fallback", "atency an"),
        ):
            times = []
            for _ in range(options.runs):
                elapsed, out = timed(project, environ, "search", "--limit", "10", query)
                times.append(elapsed)
            hits = len(out.splitlines())
            print(f"search {label:<19} `{query}`: {median_ms(times)}, {hits} hits (target ≤ 50 ms)")
        times = []
        folder = project_dir(project, environ)
        for number in range(options.runs):  # a new file moves the folder's stamp
            (folder / f"added-{number}.md").write_text(
                f"---\nname: added-{number}\ndescription: d\ntype: reference\n---\nbody\n"
            )
            times.append(timed(project, environ, "search", "--limit", "10", "latency")[0])
        print(f"search after a file was added (full check): {median_ms(times)}")
        for label, args in (
            ("brief --for codex", ("brief", "--for", "codex")),
            ("brief --for gemini --hook", ("brief", "--for", "gemini", "--hook")),
        ):
            times = [timed(project, environ, *args)[0] for _ in range(options.runs)]
            print(f"{label:<26}: {median_ms(times)} (target ≤ 50 ms)")
        hook_times(project, environ, options.runs)
        bare = []
        for _ in range(options.runs):
            started, cpu_before = time.perf_counter(), _children_cpu()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            wall = time.perf_counter() - started
            bare.append(_children_cpu() - cpu_before if CPU_TIME else wall)
        print(f"for scale, `python -c pass`: {median_ms(bare)}")
        print(
            f"for scale, lstat of every entry file (in-process): {median_ms(stat_floor(project, environ))}"
        )
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
