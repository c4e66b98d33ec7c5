"""Identity lint speed: MB/s in-process, and one file through the CLI as pre-commit runs it.

    .venv/bin/python benchmarks/bench_identity.py [--corpus DIR …] [--runs N]

The corpus defaults to the Node.js API docs that Debian's nodejs package installs
(/usr/share/doc/nodejs/api, 3.5 MB of real Markdown) or, failing that, the Markdown files of
the installed Python packages. Twenty names are configured, from products to German
companies and people. Targets: >= 20 MB/s in-process, <= 120 ms for the one-file CLI run.

The CLI is timed with bytecode caching on (as after `pip install` or in pre-commit's
environment), in a temporary PYTHONPYCACHEPREFIX so the work tree stays clean.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

NAMES = [
    "GitHub",
    "GitLab",
    "JavaScript",
    "TypeScript",
    "PostgreSQL",
    "macOS",
    "WebAssembly",
    "OpenSSL",
    "Chromium",
    "Kubernetes",
    "Müller GmbH",
    "Jürgen Weiß",
    "Björn Schäfer",
    "Zürich Versicherung",
    "Deutsche Bahn",
    "Siemens",
    "Microsoft",
    "Docker",
    "LinkedIn",
    "YouTube",
]
DEFAULT_CORPUS = Path("/usr/share/doc/nodejs/api")


def main() -> None:
    options = _arguments()
    files = _corpus(options.corpus)
    if not files:
        sys.exit("no Markdown files found; pass --corpus DIR")
    _machine()
    _in_process(files, options.runs)
    _cli(files, options.runs)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="*", default=None)
    parser.add_argument("--runs", type=int, default=7)
    return parser.parse_args()


def _corpus(dirs: list[Path] | None) -> list[Path]:
    roots = dirs or ([DEFAULT_CORPUS] if DEFAULT_CORPUS.is_dir() else [_site_packages()])
    return sorted(p for root in roots for p in root.rglob("*.md") if p.is_file())


def _site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def _machine() -> None:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print(f"machine: {platform.machine()} {cpu}, {os.cpu_count()} cores, {platform.system()}")
    print(f"python: {platform.python_version()}")


def _in_process(files: list[Path], runs: int) -> None:
    from lints.engine import decode, document_from_text, kind_for, lint_document, lint_text
    from lints.rules.identity import build

    rule = build({"names": NAMES})
    blobs = [(str(p), p.read_bytes(), kind_for(p)) for p in files]
    size = sum(len(data) for _, data, _ in blobs) / 1e6
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        findings = [
            f
            for path, data, kind in blobs
            for f in lint_text(path, decode(data, path).text, [rule], kind)
        ]
        timings.append(time.perf_counter() - started)
    parsed = sum(rule.might_match(decode(d, p).text, k) for p, d, k in blobs)
    print(f"corpus: {len(files)} files, {size:.2f} MB; {len(NAMES)} names")
    print(
        f"in-process: {size / statistics.median(timings):.1f} MB/s median of {runs} "
        f"(best {size / min(timings):.1f} MB/s); read+decode+lint; "
        f"{parsed} of {len(files)} files needed the Markdown parse; {len(findings)} findings"
    )
    started = time.perf_counter()
    full = [
        f
        for path, data, kind in blobs
        for f in lint_document(document_from_text(path, decode(data, path).text, kind), [rule])
    ]
    elapsed = time.perf_counter() - started
    agree = "identical" if full == findings else "DIFFERENT"
    print(f"always parsing: {size / elapsed:.1f} MB/s; findings {agree} to the fast path")


FAST_PATH = (
    "import os, sys; from pathlib import Path; from rulesync.linting.lint_run import fast_main; "
    "sys.exit(fast_main(sys.argv[1:], os.environ, cwd=Path.cwd(), interactive=False))"
)


def _cli(files: list[Path], runs: int) -> None:
    script = Path(sys.executable).with_name("rulesync")
    sample = sorted(files, key=lambda p: p.stat().st_size)[len(files) // 2]
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp, "project")
        project.mkdir()
        names = "".join(f"      - {name}\n" for name in NAMES)
        (project / "rulesync.yaml").write_text(f"lint:\n  identity:\n    names:\n{names}")
        (project / "doc.md").write_bytes(sample.read_bytes())
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(temp, "pycache"))
        lint_args = ["lint", "--only", "identity", "doc.md"]
        commands = {
            "rulesync console script": [str(script), *lint_args],
            "fast path without click": [sys.executable, "-c", FAST_PATH, *lint_args[1:]],
            "for scale, python -c pass": [sys.executable, "-c", "pass"],
        }
        print(
            f"cli: `rulesync lint --only identity doc.md` on {sample.name} "
            f"({sample.stat().st_size} B), as pre-commit runs it:"
        )
        for label, command in commands.items():
            median, best = _wall(command, project, env, max(runs, 15))
            print(f"  {label}: {median:.0f} ms median (best {best:.0f} ms)")


def _wall(command: list[str], cwd: Path, env: dict[str, str], runs: int) -> tuple[float, float]:
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)  # warm caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, min(timings) * 1000


if __name__ == "__main__":
    main()
