"""`rulesync check` benchmark on the large project (200 rules, 100 commands, 50 skills,
20 subagents, all three targets).

    python benchmarks/bench_check.py [--runs 15] [--live]

Figures are whole `rulesync` processes (what CI and pre-commit wait for): the median and
minimum wall time of `--runs` runs, the median CPU time (user + system), and the peak RSS of one more run, read with
resource.getrusage(RUSAGE_CHILDREN) in a fresh interpreter so no other child inflates it.

These situations are measured:

- nothing drifted: the case CI sees on every push (targets: <= 0.2 s, <= 60 MB);
- nothing drifted, full render: no usable fingerprint in the lock (first check after an
  upgrade, or a CRLF checkout), so every file is rendered and compared;
- one hand edit: a full render plus the diff and the way back to the rule;
- every rule changed: all 200 rule sources edited, so CLAUDE.md, GEMINI.md and AGENTS.md
  each differ in 200 places (target: <= 1 s; difflib took 37-70 s here);
- every rule hand-edited: the same 200 edits made in the three context files instead, so
  each needs the diff and the way back;
- a 20 MB one-line file hand-edited (a small project of its own): no step may be quadratic
  in the length of a line.

By default the code under test is a frozen copy of rulesync/, lints/ and templates/ (put first
on PYTHONPATH): the lock's fingerprint covers our own code, so edits to the checkout while the
benchmark runs would otherwise turn every run into a full render. `--live` uses the checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_large_project import generate  # noqa: E402

RULESYNC = str(Path(sys.executable).with_name("rulesync"))
WALL_TARGET, RSS_TARGET_MIB = 0.2, 60.0
EVERY_RULE_TARGET = 1.0
LONG_LINE_BYTES = 20_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--live", action="store_true", help="run the checkout, not a copy")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rulesync-bench-check-"))
    try:
        env = _environment(work, options.live)
        project = generate(work / "project")
        _run([RULESYNC, "mirror"], project, env)
        print(_machine(project))
        _report("check, nothing drifted", options.runs, project, env, _no_change, target=True)
        _report("check, full render", options.runs, project, env, _forget_fingerprint)
        _report("check, one hand edit", options.runs, project, env, _hand_edit, expect=1)
        every = EVERY_RULE_TARGET
        _report("every rule changed", options.runs, project, env, _every_rule, 1, every)
        _report("every rule hand-edited", options.runs, project, env, _every_section, 1, every)
        long_line = _long_line_project(work / "long-line", env)
        runs = max(3, options.runs // 3)
        _report("20 MB line hand-edited", runs, long_line, env, _edit_long_line, expect=1)
    finally:
        shutil.rmtree(work)


def _environment(work: Path, live: bool) -> dict[str, str]:
    # An installed wheel has compiled .pyc files; PYTHONDONTWRITEBYTECODE (set in some dev
    # shells) would recompile every module on every run and measure that instead.
    dropped = ("GITHUB_ACTIONS", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    if live:
        return env
    code = work / "code"
    repo = HERE.parent
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("rulesync", "lints", "templates"):
        shutil.copytree(repo / name, code / name, ignore=ignore)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    return env


def _machine(project: Path) -> str:
    files = sum(1 for p in project.rglob("*") if p.is_file())
    return (
        f"large project: {files} files after mirror; {os.cpu_count()} CPUs; "
        f"{platform.machine()}; Python {platform.python_version()}; load {os.getloadavg()[0]:.2f}"
    )


def _no_change(project: Path) -> None:
    return None


def _forget_fingerprint(project: Path) -> None:
    lock = project / ".rulesync/mirror.lock"
    data = json.loads(lock.read_text())
    data["inputs"] = None
    lock.write_text(json.dumps(data, indent=2) + "\n")


def _hand_edit(project: Path) -> None:
    claude = project / "CLAUDE.md"
    claude.write_text(claude.read_text().replace("Item two.", "Item two, edited.", 1))


def _every_rule(project: Path) -> None:
    for rule in sorted((project / ".rulesync/rules").glob("*.md")):
        rule.write_text(rule.read_text().replace("Item two.", "Item two, changed.", 1))


def _every_section(project: Path) -> None:
    for name in ("CLAUDE.md", "GEMINI.md", "AGENTS.md"):
        path = project / name
        path.write_text(path.read_text().replace("Item two.", "Item two, edited."))


def _long_line_project(root: Path, env: dict[str, str]) -> Path:
    words = "Prose with github.com, `code` and Müller in one line. "
    line = words * (LONG_LINE_BYTES // len(words.encode()))
    (root / ".rulesync/commands").mkdir(parents=True)
    (root / "rulesync.yaml").write_text("targets: [claude]\n")
    (root / ".rulesync/commands/long.md").write_text(line + "\n")
    _run([RULESYNC, "mirror"], root, env)
    return root


def _edit_long_line(project: Path) -> None:
    path = project / ".claude/commands/long.md"
    text = path.read_text()
    middle = len(text) // 2
    path.write_text(text[:middle] + "hand edit " + text[middle:])


def _report(
    label: str,
    runs: int,
    project: Path,
    env: dict[str, str],
    prepare: Callable[[Path], None],
    expect: int = 0,
    wall_target: float | None = None,
    *,
    target: bool = False,
) -> None:
    copy = project.parent / label.replace(" ", "-").replace(",", "")
    shutil.copytree(project, copy)
    prepare(copy)
    args = [RULESYNC, "check"]
    _run(args, copy, env, expect)  # warm the file cache and the frozen copy's .pyc files
    timings = [_timed(args, copy, env, expect) for _ in range(runs)]
    walls = [wall for wall, _cpu in timings]
    cpu = statistics.median(cpu for _wall, cpu in timings)
    peak_mib = _peak_rss_kib(args, copy, env) / 1024
    median = statistics.median(walls)
    line = (
        f"{label:<26} median {median * 1000:6.1f} ms   min {min(walls) * 1000:6.1f} ms   "
        f"CPU {cpu * 1000:6.1f} ms   peak RSS {peak_mib:5.1f} MiB"
    )
    if target:
        ok = median <= WALL_TARGET and peak_mib <= RSS_TARGET_MIB
        line += f"   (target <= {WALL_TARGET * 1000:.0f} ms, <= {RSS_TARGET_MIB:.0f} MB: {'met' if ok else 'MISSED'})"
    if wall_target is not None:
        met = "met" if median <= wall_target else "MISSED"
        line += f"   (target <= {wall_target * 1000:.0f} ms: {met})"
    print(line)


def _run(args: list[str], cwd: Path, env: dict[str, str], expect: int = 0) -> None:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=False)
    if done.returncode != expect:
        raise SystemExit(
            f"{' '.join(args)} exited {done.returncode}, expected {expect}:\n"
            f"{done.stdout.decode()[-2000:]}{done.stderr.decode()[-2000:]}"
        )


def _timed(args: list[str], cwd: Path, env: dict[str, str], expect: int) -> tuple[float, float]:
    """Wall time, and the CPU time (user + system) of the process: on a shared machine
    the CPU time shows the work done when other jobs stretch the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    _run(args, cwd, env, expect)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def _peak_rss_kib(args: list[str], cwd: Path, env: dict[str, str]) -> int:
    """ru_maxrss of the children of a fresh interpreter that runs only this one command."""
    code = (
        "import resource, subprocess, sys; "
        f"subprocess.run({args!r}, cwd={str(cwd)!r}, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


if __name__ == "__main__":
    main()
