"""The lints on one long line: MB/s at 0.5, 2 and 20 MB, which must stay flat (linear time).

    .venv/bin/python benchmarks/bench_long_line.py [--sizes 0.5 2 20] [--rules identity umlaut]
        [--shape prose|markup]

Each file is a single line of generated text, without a newline until its end. `prose`:
sentences with the configured names spelt right and wrong, URLs, e-mail addresses, inline
code, links and HTML, as a hand-edited or minified file has them. `markup`: the names only
in code spans, HTML, comments and link targets, so the prefilter rules out candidate after
candidate on the one line. Figures are in-process (read, decode, lint)
with CPU time beside wall time, since other processes on a shared machine stretch the wall
time: a quadratic step shows as MB/s falling with the size. The identity lint was quadratic
here (0.5 / 1 / 2 MB took 1.1 / 2.4 / 7.9 s, and 20 MB did not finish in 120 s).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from bench_identity import NAMES  # noqa: E402

from lints.registry import Rule  # noqa: E402

SENTENCES = (
    "We moved the code from Github to GitLab last spring, and the team liked it. ",
    "Read https://github.com/example/project/blob/main/README.md before you start. ",
    "Mail jürgen.weiss@example.de or call the desk of Müller GmbH in Zürich. ",
    "The build calls `github-actions --dry-run` and then runs the tests in Docker. ",
    "Juergen Weiss said the Kubernetes cluster and the PostgreSQL database are fine. ",
    "See the [guide](https://docs.example.com/linkedin) and <b>Javascript</b> notes. ",
    "Die Änderungen für Björn Schäfer wurden über die Deutsche Bahn verschickt. ",
    "Plain prose without any names in it, long enough to be a typical sentence here. ",
)
#: Names only in code, HTML and link targets: the prefilter's worst case, every candidate
#: ruled out one by one (then the parse, which finds nothing).
MARKUP = (
    "Call `Github.login()` and `github-cli`, ",
    'see <a href="x" title="Github">the page</a> and [the docs](https://x.org/Github) ',
    "or [JavaScript](https://x.org/Javascript) <!-- Github --> then stop. ",
)


def main() -> None:
    options = _arguments()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; Python "
        f"{platform.python_version()}; load {os.getloadavg()[0]:.2f}"
    )
    rules = _rules(options.rules)
    sentences = MARKUP if options.shape == "markup" else SENTENCES
    print(f"shape: {options.shape}")
    for size in options.sizes:
        text = _long_line(sentences, int(size * 1_000_000))
        for name, rule in rules.items():
            _measure(name, rule, text)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 2.0, 20.0])
    parser.add_argument("--rules", nargs="+", default=["identity"])
    parser.add_argument("--shape", choices=["prose", "markup"], default="prose")
    return parser.parse_args()


def _rules(names: list[str]) -> dict[str, Rule]:
    from lints.registry import build_rule

    options = {"identity": {"names": NAMES}, "umlaut": {"lang": "de"}}
    return {name: build_rule(name, options[name]) for name in names}


def _long_line(sentences: tuple[str, ...], size: int) -> str:
    """`size` bytes of UTF-8 on one line (plus the final newline)."""
    block = "".join(sentences)
    count = size // len(block.encode()) + 1
    data = (block * count).encode()[:size]
    return data.decode("utf-8", errors="ignore").rstrip() + "\n"


def _measure(name: str, rule: Rule, text: str) -> None:
    from lints.engine import decode, lint_text

    data = text.encode()
    wall, cpu = time.perf_counter(), time.process_time()
    findings = lint_text("long.md", decode(data, "long.md").text, [rule], "markdown")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    megabytes = len(data) / 1e6
    print(
        f"{name:<9} {megabytes:5.1f} MB one line: {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
        f"{megabytes / cpu:5.2f} MB/s (CPU); {len(findings)} findings"
    )


if __name__ == "__main__":
    main()
