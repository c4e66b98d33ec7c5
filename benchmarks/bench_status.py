"""`rulesync status` whole-process time, with real-sized Codex session folders.

    python benchmarks/bench_status.py [--runs 21] [--files 3000] [--megabytes 300]

Builds in a temporary folder: a Codex home with `--files` session files spread over a year
of date folders (YYYY/MM/DD/rollout-*.jsonl), `--megabytes` in all, the newest a large file
whose last token_count event sits behind a few MB of other lines, and a session begun 40
days ago and resumed now, named by the last line of a 5 MB history.jsonl; a Claude
statusLine record; a run log of 2,000 attempts; and a copy of the sample project, mirrored,
dated a minute back and linted once (`rulesync lint docs`, for the lint segment). Then it
times the whole `rulesync status` process (median and worst, after a warm-up), with and
without the project (the drift state from the memo), the `--for claude` form with a payload
on stdin, and for reference `python -c pass` and `rulesync --version`.

Target: <= 50 ms whole process for `rulesync status`. Python runs with its bytecode cached in
a temporary PYTHONPYCACHEPREFIX, as an installed package would.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RULESYNC = str(Path(sys.executable).with_name("rulesync"))
SAMPLE = Path(__file__).resolve().parent.parent / "sample-project"


def event(used: float, now: float) -> str:
    limits = {
        "primary": {"used_percent": used, "window_minutes": 300, "resets_at": int(now + 4000)},
        "secondary": {"used_percent": 30.0, "window_minutes": 10080, "resets_at": int(now + 90000)},
    }
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 20))
    payload = {"type": "token_count", "info": None, "rate_limits": limits}
    return json.dumps({"timestamp": stamp, "type": "event_msg", "payload": payload})


def build_sessions(home: Path, files: int, megabytes: int) -> None:
    now = time.time()
    per_file = max(1, megabytes * 1024 * 1024 // files)
    filler = json.dumps({"type": "response_item", "payload": {"text": "x" * 900}}) + "\n"
    body = filler * max(1, per_file // len(filler))
    for index in range(files):
        day = time.gmtime(now - (files - index) * (365 * 86400 / files))
        folder = home / "sessions" / time.strftime("%Y/%m/%d", day)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"rollout-{time.strftime('%Y-%m-%dT%H-%M-%S', day)}-{index:05d}.jsonl"
        (folder / name).write_text(event(5.0, now) + "\n" + body)
    today = home / "sessions" / time.strftime("%Y/%m/%d", time.gmtime(now))
    today.mkdir(parents=True, exist_ok=True)
    tail = filler * (4 * 1024 * 1024 // len(filler))
    (today / "rollout-newest.jsonl").write_text(body + event(62.0, now) + "\n" + tail)
    build_resumed(home, now, body + event(71.0, now) + "\n" + tail)


def build_resumed(home: Path, now: float, text: str) -> None:
    """A session begun 40 days ago and resumed now: its file sits in that day's folder, and
    the 5 MB history.jsonl ends with a message of it (rulesync.status.codex.resumed_session)."""
    started = now - 40 * 86400
    ms = f"{int(started * 1000):012x}"
    session_id = f"{ms[:8]}-{ms[8:]}-7000-8000-000000000000"
    folder = home / "sessions" / time.strftime("%Y/%m/%d", time.localtime(started))
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H-%M-%S", time.localtime(started))
    (folder / f"rollout-{stamp}-{session_id}.jsonl").write_text(text)
    older = json.dumps({"session_id": "x" * 36, "ts": int(now) - 999, "text": "y" * 400}) + "\n"
    last = json.dumps({"session_id": session_id, "ts": int(now), "text": "go on"}) + "\n"
    (home / "history.jsonl").write_text(older * (5 * 1024 * 1024 // len(older)) + last)


def build_state(state: Path) -> None:
    from rulesync.dispatch import runlog
    from rulesync.status import claude

    state.mkdir(parents=True, exist_ok=True)
    now = time.time()
    payload = {"rate_limits": {"five_hour": {"used_percentage": 41, "resets_at": now + 3000}}}
    claude.remember(payload, {"RULESYNC_STATE_DIR": str(state)}, now - 30)
    for number in range(2000):
        started = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now - 86400 + number * 40))
        target = ("claude", "gemini", "codex", "ollama")[number % 4]
        row = runlog.Row(
            f"r{number}",
            1,
            None,
            target,
            None,
            "ok",
            0,
            0,
            1.0,
            started,
            1,
            "0" * 64,
            None,
            None,
            "finished",
            "/tmp",
        )
        runlog.append(state / "runs.sqlite3", row)


def dated_back(project: Path) -> None:
    """Every file a minute old, as in a project edited a while ago (files written this very
    second are never vouched for by the drift memo or the lint record)."""
    when = time.time() - 60
    for folder, dirs, files in os.walk(project):
        for name in (*dirs, *files):
            os.utime(os.path.join(folder, name), (when, when), follow_symlinks=False)


def wall(
    args: list[str], cwd: Path, env: dict[str, str], runs: int, stdin: bytes = b""
) -> list[float]:
    subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float], floor: float | None = None) -> float:
    """Print the figures; `floor` is the bare interpreter's median. Returns the median."""
    median = statistics.median(times)
    above = "" if floor is None else f"   (+{median - floor:5.1f} over python)"
    print(f"{label:<44} median {median:6.1f} ms   worst {max(times):6.1f} ms{above}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--megabytes", type=int, default=300)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-status-") as temp:
        base = Path(temp)
        build_sessions(base / "codex", options.files, options.megabytes)
        build_state(base / "state")
        project = base / "project"
        shutil.copytree(SAMPLE, project)
        env = {
            **os.environ,
            "CODEX_HOME": str(base / "codex"),
            "RULESYNC_STATE_DIR": str(base / "state"),
            "RULESYNC_CACHE_DIR": str(base / "cache"),
            "PYTHONPYCACHEPREFIX": str(base / "pycache"),
            "NO_COLOR": "1",
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([RULESYNC, "mirror"], cwd=project, env=env, capture_output=True, check=True)
        dated_back(project)
        subprocess.run([RULESYNC, "lint", "docs"], cwd=project, env=env, capture_output=True)
        size = sum(p.stat().st_size for p in (base / "codex").rglob("*.jsonl"))
        count = sum(1 for _ in (base / "codex").rglob("*.jsonl"))
        print(f"codex sessions: {count} files, {size / 1e6:.0f} MB; run log: 2000 attempts")
        line = subprocess.run(
            [RULESYNC, "status"], cwd=project, env=env, capture_output=True, check=True, text=True
        ).stdout.strip()
        print(f"line: {line}")
        payload = json.dumps({"model": {"display_name": "Opus"}, "cost": {"total_cost_usd": 0.5}})
        runs = options.runs
        floor = report("python -c pass", wall([sys.executable, "-c", "pass"], base, env, runs))
        claude_input = payload.encode()
        timings = {
            "rulesync --version": ([RULESYNC, "--version"], base, b""),
            "rulesync status (outside a project)": ([RULESYNC, "status"], base, b""),
            "rulesync status (in the sample project)": ([RULESYNC, "status"], project, b""),
            "rulesync status --json (project)": ([RULESYNC, "status", "--json"], project, b""),
            "rulesync status --for claude (project)": (
                [RULESYNC, "status", "--for", "claude"],
                project,
                claude_input,
            ),
            "rulesync dispatch --role research --explain": (
                [RULESYNC, "dispatch", "--role", "research", "--explain"],
                project,
                b"",
            ),
        }
        for label, (args, cwd, stdin) in timings.items():
            report(label, wall(args, cwd, env, runs, stdin), floor)


if __name__ == "__main__":
    main()
