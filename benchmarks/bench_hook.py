"""The agent hook (`rulesync lint --hook claude`) on hostile edits: time and peak memory.

    python benchmarks/bench_hook.py [--runs 3]

Each case is one Edit payload whose `file_path` names something an attacker could plant in
a checkout: a link to /dev/zero, a FIFO, a 300 MB file, and, for scale, an ordinary
Markdown file at the size the hook still reads for context. Figures are whole processes:
the median wall time of `--runs` runs and the peak RSS of one run, read with os.wait4 so
no other child counts. Before the fix, /dev/zero reached 2.6 GB, a FIFO hung for ever and
a 300 MB file cost 308 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIG = "lint:\n  identity:\n    names:\n      - GitHub\n"
PARAGRAPH = (
    "Die Firma betreibt ihre Dienste auf GitHub und in eigenen Rechenzentren. "
    "Every release is tagged, signed and published with its notes.\n\n"
)


def build(root: Path) -> dict[str, str]:
    """The project, and each case's file name in it."""
    (root / "rulesync.yaml").write_text(CONFIG)
    (root / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(root / "pipe.md")
    with (root / "big.md").open("wb") as stream:
        stream.truncate(300_000_000)
    from rulesync.linting.agent_hook import MAX_CONTEXT_BYTES

    count = (MAX_CONTEXT_BYTES - 100) // len(PARAGRAPH)
    (root / "doc.md").write_text("# Doc\n\n" + PARAGRAPH * count + "The end.\n")
    return {
        "link to /dev/zero": "zero.md",
        "FIFO": "pipe.md",
        "300 MB file": "big.md",
        f"{(root / 'doc.md').stat().st_size / 1e6:.2f} MB Markdown": "doc.md",
    }


def run_once(root: Path, name: str) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB and exit code of one hook run."""
    payload = {
        "cwd": str(root),
        "tool_name": "Edit",
        "tool_input": {"file_path": name, "old_string": "The end.", "new_string": "On Github."},
    }
    command = [sys.executable, "-m", "rulesync", "-C", str(root), "lint", "--hook", "claude"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(payload).encode())
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss // 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        for label, name in build(root).items():
            results = [run_once(root, name) for _ in range(runs)]
            median = statistics.median(seconds for seconds, _, _ in results)
            peak = max(rss for _, rss, _ in results)
            codes = sorted({code for _, _, code in results})
            print(f"{label:>24}: {median:.2f} s median of {runs}, peak RSS {peak} MB, exit {codes}")


if __name__ == "__main__":
    main()
