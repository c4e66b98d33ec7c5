"""`rulesync memory` at 10,000 entries: search, brief, the post-write hook and a full
rebuild, whole processes.

    python benchmarks/bench_memory.py [--entries 10000] [--runs 9]

Builds a throw-away home (data, cache and Claude folders under a temp dir, never the real
home) holding `--entries` entry files in the project's Claude memory folder, and a project
with the rulesync.yaml that `rulesync init` writes plus `memory: {hooks: true}`, then times:
- `rulesync memory sync --rebuild`: every file read, parsed and indexed again, plus MEMORY.md;
- `rulesync memory search WORD` on a warm index (the freshness check of docs/memory.md
  included: the folders' stamp and one slice of stats), for a ranked word, an umlaut
  spelling (`Groesse` finding `Größe`) and a substring fallback; and a search right after a
  file was added, which does the full check (every file stat-ed).
Figures are the median wall time of `--runs` runs (one run for the rebuild, and its best of
three), measured around `subprocess.run`, so Python start-up is included. Also timed:
`memory brief --for codex` (and `--for gemini --hook`) on a warm index, and `memory hook`
with a PostToolUse payload for a file outside the memory, for one changed entry file (its
title changed: the index is written; its body edited, with Claude's Edit payload and the
text from before: the journal of rulesync/memory/pending.py) and for a new entry file.
Targets: search ≤ 50 ms, brief ≤ 50 ms, hook ≤ 30 ms, rebuild ≤ 3 s.

`--cpu` times the CPU seconds (user + sys) of each process instead of wall time: on a
shared, loaded machine wall time mostly measures the wait for a core.

`--instructions` counts the instructions each process runs (valgrind's callgrind, user
space only) instead of timing it: the same figure at any load, so one run is enough
(`--runs 1`); the full rebuild is left out. Compare with `python -c pass` on the same line.

`--before TREE` (an older source tree: `git archive COMMIT rulesync | tar -x -C TREE`) runs
every timed command alternately from that tree and from this one, in the same minutes
(`PYTHONPATH` puts the tree first; the editable install only appends this worktree), and
prints both figures on one line. The hook and the brief are also timed as `rulesync
mirror` writes them into the agents' settings: the `rulesync-hook` launcher next to this
Python, with `-C PROJECT` (pip's console script `rulesync` would import `re`, with enum and
functools, before rulesync runs; see scripts/rulesync-hook).
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
from collections.abc import Callable
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
    # A real setup: the rulesync.yaml `rulesync init` writes, with the memory hooks on.
    init = [sys.executable, "-m", "rulesync", "init"]
    subprocess.run(init, cwd=project, env=environ, check=True, capture_output=True)
    with (project / "rulesync.yaml").open("a") as config:
        config.write("\nmemory: {hooks: true}\n")
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


#: The source trees timed, by label: this one alone, or `before` and `now` (--before).
TREES: dict[str, Path | None] = {"now": None}
#: Each tree's seconds, by label.
Times = dict[str, list[float]]


def timed(
    project: Path, environ: dict[str, str], *args: str, stdin: str | None = None
) -> tuple[Times, str]:
    """Run `rulesync memory ARGS` in the project directory, as an agent's shell tool does,
    once from each tree; the seconds by tree, and the last run's output."""
    return _each_tree([sys.executable, "-m", "rulesync", "memory", *args], project, environ, stdin)


def timed_installed(
    project: Path, environ: dict[str, str], *args: str, stdin: str | None = None
) -> tuple[Times, str]:
    """`rulesync-hook -C PROJECT memory ARGS`, the launcher mirror writes into the agents'
    settings (run from the project folder, as the agents run them)."""
    script = Path(sys.executable).with_name("rulesync-hook")
    command = [str(script), "-C", str(project), "memory", *args]
    return _each_tree(command, project, environ, stdin)


def _each_tree(
    command: list[str], project: Path, environ: dict[str, str], stdin: str | None
) -> tuple[Times, str]:
    times: Times = {}
    output = ""
    if INSTRUCTIONS:
        command = [*CALLGRIND, *command]
    for label, tree in TREES.items():
        env = dict(environ) if tree is None else {**environ, "PYTHONPATH": str(tree)}
        started, cpu_before = time.perf_counter(), _children_cpu()
        done = subprocess.run(
            command, env=env, cwd=project, capture_output=True, text=True, input=stdin
        )
        elapsed = time.perf_counter() - started
        if CPU_TIME:
            elapsed = _children_cpu() - cpu_before
        if INSTRUCTIONS:
            elapsed = _collected(done.stderr)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr}")
        times[label] = [elapsed]
        output = done.stdout
    return times, output


def gathered(runs: list[Times]) -> Times:
    """The seconds of several `timed` calls, by tree."""
    merged: Times = {}
    for times in runs:
        for label, values in times.items():
            merged.setdefault(label, []).extend(values)
    return merged


def figures(times: Times) -> str:
    """`median …, best …` for each tree (`before: …; now: …` with --before)."""
    if len(times) == 1:
        return median_ms(next(iter(times.values())))
    return "; ".join(f"{label}: {median_ms(values)}" for label, values in times.items())


def one_tree(
    label: str, run: Callable[..., tuple[Times, str]], project: Path, environ: dict[str, str],
    *args: str, stdin: str | None = None,
) -> Times:  # fmt: skip
    """`run` from the tree `label` alone (for a command that needs a change before each)."""
    trees = dict(TREES)
    TREES.clear()
    TREES[label] = trees[label]
    try:
        return run(project, environ, *args, stdin=stdin)[0]
    finally:
        TREES.clear()
        TREES.update(trees)


CPU_TIME = False  # --cpu: CPU seconds (user + sys) of the child instead of wall time
INSTRUCTIONS = False  # --instructions: instructions run (callgrind), printed in millions
CALLGRIND = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]


def _collected(valgrind_output: str) -> float:
    """Callgrind's instruction count, in thousands of millions (printed times 1000: millions)."""
    for line in valgrind_output.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1]) / 1e9
    raise SystemExit(f"no instruction count from valgrind:\n{valgrind_output[-2000:]}")


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_ms(times: list[float], *, counted: bool = True) -> str:
    unit = "M instructions" if INSTRUCTIONS and counted else "ms"
    return f"median {statistics.median(times) * 1000:.0f} {unit}, best {min(times) * 1000:.0f}"


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
    """The post-write hook: a write outside the memory; one changed entry file, its body
    edited (Claude's Edit payload, which carries the text from before: the journal of
    pending.py) and its title changed (not listed in MEMORY.md: the index is written);
    and one new entry file (MEMORY.md's block rewritten)."""
    import json

    from rulesync.memory.layout import resolve

    folder = resolve(project, environ, claude=True).project_dir
    outside = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(project / "a.py")}})
    entry = folder / "entry-00007.md"
    payload = json.dumps({"tool_name": "Write", "tool_input": {"file_path": str(entry)}})
    original = entry.read_text()
    for how, run in (("", timed), (" (installed command)", timed_installed)):
        times = gathered([run(project, environ, "hook", stdin=outside)[0] for _ in range(runs)])
        print(f"hook, a write outside memory{how}: {figures(times)} (target ≤ 30 ms)")
        edits = []
        for number in range(runs):
            for label in TREES:  # a new title (not listed in MEMORY.md) before each tree's run
                # from the original each time: a title grown past 120 characters would make
                # the file invalid, and the hook would take the full path
                title = f"Entry 7 {how[2:5]}{number}{label} "
                entry.write_text(original.replace("Entry 7 ", title, 1))
                edits.append(one_tree(label, run, project, environ, "hook", stdin=payload))
        print(f"hook, one changed entry file, title{how}: {figures(gathered(edits))} (target ≤ 30 ms)")  # fmt: skip
        edits = []
        entry.write_text(original)  # the title as it was: only the body changes below
        for number in range(runs):
            for label in TREES:  # the body edited, as Claude's Edit tool reports it
                before = entry.read_text()
                entry.write_text(original.replace("Some Markdown", f"Some {how[2:5]}{number}{label}", 1))  # fmt: skip
                claude = json.dumps({
                    "tool_name": "Edit",
                    "tool_input": {"file_path": str(entry)},
                    "tool_response": {"filePath": str(entry), "originalFile": before},
                })  # fmt: skip
                edits.append(one_tree(label, run, project, environ, "hook", stdin=claude))
        print(f"hook, one changed entry file, body{how}: {figures(gathered(edits))} (target ≤ 30 ms)")  # fmt: skip
        added = []
        for number in range(runs):
            for label in TREES:  # a new feedback entry: MEMORY.md's block is rewritten
                name = f"new-{how[2:5]}{number}{label}"
                text = original.replace("name: entry-00007", f"name: {name}", 1)
                (folder / f"{name}.md").write_text(text.replace("type: user", "type: feedback"))
                written = json.dumps(
                    {"tool_name": "Write", "tool_input": {"file_path": str(folder / f"{name}.md")}}
                )
                added.append(one_tree(label, run, project, environ, "hook", stdin=written))
        print(f"hook, one new entry file{how}: {figures(gathered(added))} (target ≤ 30 ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions (valgrind callgrind) instead of timing: the same at any load",
    )
    parser.add_argument(
        "--before", type=Path, help="an older source tree, timed alternately with this one"
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time CPU (user + sys) of each process, not wall time: steadier on a loaded machine",
    )
    options = parser.parse_args()
    global CPU_TIME, INSTRUCTIONS
    CPU_TIME = options.cpu
    if options.before is not None:
        TREES.clear()
        TREES.update({"before": options.before.resolve(), "now": Path(__file__).parents[1]})
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {options.entries} entries")  # fmt: skip
    with tempfile.TemporaryDirectory() as temp:
        project, environ = build(Path(temp), options.entries)
        timed(project, environ, "list", "--category", "user")  # writes the bytecode once
        for args in (("hook",), ("brief", "--for", "codex"), ("search", "x")):
            timed_installed(project, environ, *args, stdin="{}")
        if options.instructions:  # the index as the counted runs find it, not counted
            timed(project, environ, "sync", "--rebuild")
            INSTRUCTIONS = True
        else:
            rebuilds = gathered([timed(project, environ, "sync", "--rebuild")[0] for _ in range(3)])
            for label, values in rebuilds.items():
                print(f"full rebuild (sync --rebuild), {label}: first {values[0] * 1000:.0f} ms, "
                      f"best {min(values) * 1000:.0f} ms  (target ≤ 3000 ms)")  # fmt: skip
        time.sleep(1.1)  # past freshness.SETTLE: the next full check stores the folders' stamp
        timed(project, environ, "search", "x")  # that full check, not counted
        for label, query in (
            ("ranked word", "latency"),
            ("umlaut spelling", "Groesse"),
            ("substring fallback", "atency an"),
        ):
            runs = []
            for _ in range(options.runs):
                elapsed, out = timed(project, environ, "search", "--limit", "10", query)
                runs.append(elapsed)
            hits = len(out.splitlines())
            print(f"search {label:<19} `{query}`: {figures(gathered(runs))}, {hits} hits (target ≤ 50 ms)")  # fmt: skip
        runs = []
        folder = project_dir(project, environ)
        for number in range(options.runs):  # a new file moves the folder's stamp
            for label in TREES:  # a new file before each tree's search
                (folder / f"added-{number}-{label}.md").write_text(
                    f"---\nname: added-{number}\ndescription: d\ntype: reference\n---\nbody\n"
                )
                runs.append(one_tree(label, timed, project, environ, "search", "latency"))
        print(f"search after a file was added (full check): {figures(gathered(runs))}")
        for label, run, args in (
            ("brief --for codex", timed, ("brief", "--for", "codex")),
            ("brief --for gemini --hook", timed, ("brief", "--for", "gemini", "--hook")),
            ("  the same, installed command", timed_installed, ("brief", "--for", "gemini", "--hook")),
        ):  # fmt: skip
            times = gathered([run(project, environ, *args)[0] for _ in range(options.runs)])
            print(f"{label:<26}: {figures(times)} (target ≤ 50 ms)")
        hook_times(project, environ, options.runs)
        bare = []
        for _ in range(options.runs):
            started, cpu_before = time.perf_counter(), _children_cpu()
            command = [*CALLGRIND] * INSTRUCTIONS + [sys.executable, "-c", "pass"]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            wall = time.perf_counter() - started
            if INSTRUCTIONS:
                bare.append(_collected(done.stderr))
            else:
                bare.append(_children_cpu() - cpu_before if CPU_TIME else wall)
        print(f"for scale, `python -c pass`: {median_ms(bare)}")
        print(
            f"for scale, lstat of every entry file (in-process): {median_ms(stat_floor(project, environ), counted=False)}"
        )
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
