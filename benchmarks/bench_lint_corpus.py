"""Identity and umlaut lint speed on a candidate-dense corpus: most files hold candidates.

    .venv/bin/python benchmarks/bench_lint_corpus.py [--corpus DIR …] [--size MB] [--runs N]
        [--part inprocess|process|latency|memory …]

The corpus is generated (Markdown with headings, lists, tables, fenced code, links, inline
code and quotes; English prose for the identity lint, German for the umlaut lint; about one
paragraph in four holds a candidate: a name in the wrong case, a transliterated umlaut).
With `--corpus DIR` the Markdown files there are used instead (real docs: nothing is fetched
over the network), with a candidate paragraph put in every 8 KB or so, at a blank line.

Figures, each with the native parser (pyromark) and with markdown-it forced
(RULESYNC_LINT_PARSER=markdown-it), the definition and fallback:
- in process: read, decode and lint every file; MB/s of CPU time and of wall time, and
  CPU ms per stage of the native route (prefilter, parse, keep, urls, ..., check);
- whole process: `rulesync lint --only RULE DIR` from start to exit, next to `codespell`
  on the same files when it is installed (it is not a dependency);
- one-file latency: `rulesync lint --only RULE doc.md` on a 6 KB file, as pre-commit runs it,
  and the instructions it executes (valgrind, when installed: the same under any load),
  next to those of the interpreter starting with `re` (the console script imports it);
- peak RSS for one file of 1, 4, 16 and 64 MB, candidate-dense and sparse.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

NAMES = ["GitHub", "JavaScript", "PostgreSQL", "macOS", "Kubernetes", "Jürgen Weiß", "Müller GmbH"]
WRONG_NAMES = ["Github", "Javascript", "Postgresql", "MacOS", "kubernetes", "Juergen Weiss"]
ENGLISH = [
    "The service reads its settings at start-up and keeps them for the whole run.",
    "Each request is checked against the schema before the handler sees it.",
    "A failed write leaves the old file in place, so a crash never loses data.",
    "Logs go to standard error; pass a level to see more or less of them.",
    "The cache is rebuilt when the source changes, and only then.",
    "Tests run in a clean directory that is removed afterwards.",
]
GERMAN = [
    "Die Anwendung liest ihre Einstellungen beim Start und behält sie bis zum Ende.",
    "Jede Anfrage wird vor der Verarbeitung gegen das Schema geprüft.",
    "Ein fehlgeschlagener Schreibvorgang lässt die alte Datei unverändert.",
    "Protokolle gehen auf die Standardfehlerausgabe; die Stufe ist einstellbar.",
    "Der Zwischenspeicher wird nur neu aufgebaut, wenn sich die Quelle ändert.",
    "Die Tests laufen in einem leeren Verzeichnis, das danach gelöscht wird.",
]
GERMAN_CANDIDATES = [
    "Fuer die Aenderungen gilt eine Frist von drei Tagen.",
    "Die Groesse der Datei ist nicht begrenzt, aber die Pruefung dauert laenger.",
    "Bitte die Schluessel regelmaessig erneuern und die Uebersicht pflegen.",
    "Der Zugriff ist waehrend der Wartung gesperrt, danach wieder moeglich.",
]
CODE = [
    "```python\nimport os\nprint(os.environ.get('HOME'))\n```\n",
    "```js\nconst url = new URL('https://github.com/x/y');\nconsole.log(url.host);\n```\n",
    "    $ rulesync lint docs/\n    docs/a.md:1:1: ...\n",
]


def main() -> None:
    options = _arguments()
    _machine()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        corpora = {
            rule: _write_corpus(root / rule, rule, options.corpus, options.size)
            for rule in ("identity", "umlaut")
        }
        _config(root)
        for rule, files in corpora.items():
            size = sum(p.stat().st_size for p in files) / 1e6
            print(f"\n{rule}: {len(files)} files, {size:.2f} MB")
            if "inprocess" in options.part:
                _in_process(rule, files, options.runs)
            if "process" in options.part:
                _whole_process(rule, root, files, options.runs)
            if "latency" in options.part:
                _latency(rule, root, options.runs)
            if "memory" in options.part:
                _memory(rule, root)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, nargs="*", default=None)
    parser.add_argument("--size", type=float, default=6.0, help="MB per generated corpus")
    parser.add_argument("--runs", type=int, default=3)
    parts = ["inprocess", "process", "latency", "memory"]
    parser.add_argument("--part", nargs="*", choices=parts, default=parts)
    return parser.parse_args()


def _machine() -> None:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()} {cpu}, {os.cpu_count()} cores, load {load:.1f}")
    print(f"python: {platform.python_version()}; native parser: {_native_version()}")


def _native_version() -> str:
    try:
        from importlib.metadata import version

        return f"pyromark {version('pyromark')}"
    except ImportError:  # PackageNotFoundError too
        return "missing (markdown-it only)"


# --- corpus ------------------------------------------------------------------------------


def _write_corpus(folder: Path, rule: str, real: list[Path] | None, size_mb: float) -> list[Path]:
    folder.mkdir(parents=True)
    rng = random.Random(f"{rule}-13")
    documents = _real_documents(real, rule, rng) if real else _generated(rule, rng, size_mb)
    files = []
    for index, text in enumerate(documents):
        path = folder / f"doc{index:04d}.md"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def _generated(rule: str, rng: random.Random, size_mb: float) -> Iterator[str]:
    total = 0
    while total < size_mb * 1e6:
        text = _document(rule, rng, rng.randint(8_000, 120_000))
        total += len(text.encode())
        yield text


def _document(rule: str, rng: random.Random, size: int, rate: float = 1.0) -> str:
    """About `size` characters of Markdown; `rate` scales how often a sentence holds a
    candidate (1.0: about one paragraph in four)."""
    parts = [f"# {_sentence(rule, rng, 0.0)[:40]}\n\n"]
    length = len(parts[0])
    while length < size:
        part = _block(rule, rng, rate)
        parts.append(part)
        length += len(part)
    return "".join(parts)


def _block(rule: str, rng: random.Random, rate: float = 1.0) -> str:
    shape = rng.random()
    if shape < 0.45:
        return (
            " ".join(_sentence(rule, rng, 0.08 * rate) for _ in range(rng.randint(2, 6))) + "\n\n"
        )
    if shape < 0.6:
        items = "".join(
            f"- {_sentence(rule, rng, 0.08 * rate)}\n" for _ in range(rng.randint(2, 5))
        )
        return items + "\n"
    if shape < 0.7:
        return f"## {_sentence(rule, rng, 0.05 * rate)[:50]}\n\n"
    if shape < 0.8:
        return rng.choice(CODE) + "\n"
    if shape < 0.87:
        rows = "".join(
            f"| `opt{n}` | {_sentence(rule, rng, 0.08 * rate)} |\n"
            for n in range(rng.randint(2, 5))
        )
        return "| Option | Meaning |\n|---|---|\n" + rows + "\n"
    if shape < 0.94:
        return f"> {_sentence(rule, rng, 0.08 * rate)}\n> {_sentence(rule, rng, 0.08 * rate)}\n\n"
    return (
        f"See [the guide](https://example.com/guide) and `{rng.choice(NAMES).lower()}` "
        f"or <https://docs.example.org/x>. {_sentence(rule, rng, 0.08 * rate)}\n\n"
    )


def _sentence(rule: str, rng: random.Random, candidate: float) -> str:
    if rule == "identity":
        sentence = rng.choice(ENGLISH)
        if rng.random() < candidate:
            return f"{rng.choice(WRONG_NAMES)} is used here. {sentence}"
        return f"{sentence} {rng.choice(NAMES)} works too." if rng.random() < 0.2 else sentence
    if rng.random() < candidate:
        return rng.choice(GERMAN_CANDIDATES)
    return rng.choice(GERMAN)


def _real_documents(roots: list[Path], rule: str, rng: random.Random) -> Iterator[str]:
    for path in sorted(p for root in roots for p in root.rglob("*.md") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        yield _inject(text, rule, rng)


def _inject(text: str, rule: str, rng: random.Random) -> str:
    """A candidate paragraph at the top, and after a blank line every 8 KB or so."""
    pieces = [_sentence(rule, rng, 1.0) + "\n\n"]
    done = 0
    while done < len(text):
        cut = text.find("\n\n", done + 8_000)
        cut = len(text) if cut == -1 else cut + 2
        pieces.append(text[done:cut])
        if cut < len(text):
            pieces.append(_sentence(rule, rng, 1.0) + "\n\n")
        done = cut
    return "".join(pieces)


def _config(root: Path) -> None:
    names = "".join(f"      - {name}\n" for name in NAMES)
    config = f"lint:\n  identity:\n    names:\n{names}  umlaut:\n    lang: de\n"
    (root / "rulesync.yaml").write_text(config, encoding="utf-8")


# --- measurements ------------------------------------------------------------------------


def _in_process(rule_name: str, files: list[Path], runs: int) -> None:
    from lints.engine import decode, kind_for, lint_text
    from lints.rules import identity, umlaut

    rule = (
        identity.build({"names": NAMES})
        if rule_name == "identity"
        else umlaut.build({"lang": "de"})
    )
    blobs = [(str(p), p.read_bytes(), kind_for(p)) for p in files]
    size = sum(len(data) for _, data, _ in blobs) / 1e6
    parsed = sum(rule.might_match(decode(d, p).text, k) for p, d, k in blobs)
    results = {}
    for route in ("native", "markdown-it"):
        _set_route(route)
        cpu, wall = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            findings = [f for p, d, k in blobs for f in lint_text(p, decode(d, p).text, [rule], k)]
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
        results[route] = findings
        print(
            f"  in process, {route:11s}: {size / statistics.median(cpu):6.1f} MB/s CPU, "
            f"{size / statistics.median(wall):6.1f} MB/s wall (median of {runs}); "
            f"{parsed} of {len(files)} files parsed; {len(findings)} findings"
        )
    _set_route("native")
    same = "the same" if results["native"] == results["markdown-it"] else "DIFFERENT"
    print(f"  findings of both routes: {same}")
    _stages(rule, [(p, decode(d, p).text) for p, d, _ in blobs], size)


def _stages(rule: Any, texts: list[tuple[str, str]], size: float) -> None:
    """CPU ms of each stage of the native route over the corpus (best of three): where the
    in-process time goes. The stages are those of `lints.engine.lint_text`; `parse` is
    pulldown-cmark and the walk over its events (markdown-it for a document it gives up on)."""
    from lints import prose
    from lints.document import Document
    from lints.registry import might_match
    from lints.suppress import problems, unsuppressed

    spent: dict[str, float] = {}

    def stage(name: str, work: Callable[..., Any], *arguments: Any) -> Any:
        started = time.process_time()
        result = work(*arguments)
        spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return result

    best: dict[str, float] = {}
    for _ in range(3):
        spent.clear()
        for path, text in texts:
            stage("prefilter", might_match, rule, text, "markdown")
            source = prose._markdown_source(text)
            prose_spans, html = stage("parse", prose.markdown_spans, source)
            kept = stage("keep", prose.keep_spans, source, prose_spans)
            urls = stage("urls", prose.url_spans_near, text, prose._merged(prose_spans))
            view = stage("blank", prose.blank_spans, kept, urls)
            doc = stage("document", Document, path, text, view, "markdown", tuple(sorted(html)))
            found = stage("check", lambda doc: set(rule.check(doc)), doc)
            stage(
                "suppress",
                lambda doc, found: (unsuppressed(doc, found), problems(doc, set())),
                doc,
                found,
            )
        best = {name: min(seconds, best.get(name, seconds)) for name, seconds in spent.items()}
    shown = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in best.items())
    total = size / sum(best.values())
    print(f"  stages, native route (CPU ms, best of 3; {total:.1f} MB/s in all): {shown}")


def _set_route(route: str) -> None:
    if route == "native":
        os.environ.pop("RULESYNC_LINT_PARSER", None)
    else:
        os.environ["RULESYNC_LINT_PARSER"] = route
    try:
        from lints import prose_native
    except ImportError:  # a tree from before the native route (PYTHONPATH=…): one route
        return
    prose_native._parser.cache_clear()


def _whole_process(rule: str, root: Path, files: list[Path], runs: int) -> None:
    size = sum(p.stat().st_size for p in files) / 1e6
    folder = files[0].parent.name
    commands = {
        "rulesync, native": ([_rulesync(), "lint", "--only", rule, folder], {}),
        "rulesync, markdown-it": (
            [_rulesync(), "lint", "--only", rule, folder],
            {"RULESYNC_LINT_PARSER": "markdown-it"},
        ),
    }
    codespell = shutil.which("codespell") or _beside_python("codespell")
    if codespell:
        commands["codespell"] = ([codespell, folder], {})
    for label, (command, extra) in commands.items():
        timing = _wall(command, root, _env(root, extra), runs)
        print(
            f"  whole process, {label:22s}: {size / timing.median:6.1f} MB/s wall "
            f"({timing.median:.2f} s median, best {timing.best:.2f} s), "
            f"{size / timing.cpu:6.1f} MB/s CPU"
        )


def _latency(rule: str, root: Path, runs: int) -> None:
    rng = random.Random(7)
    (root / "one.md").write_text(_document(rule, rng, 6_000), encoding="utf-8")
    command = [_rulesync(), "lint", "--only", rule, "one.md"]
    timing = _wall(command, root, _env(root, {}), max(runs, 15))
    print(
        f"  one file (6 KB): {timing.median * 1000:.0f} ms median wall "
        f"(best {timing.best * 1000:.0f} ms), {timing.cpu * 1000:.0f} ms median CPU"
    )
    instructions = _instructions([sys.executable, *command], root, _env(root, {}))
    if instructions is not None:
        print(f"  one file (6 KB): {instructions / 1e6:.1f} M instructions (valgrind; load-free)")
        floor = _instructions([sys.executable, "-c", "import re"], root, _env(root, {}))
        if floor is not None:  # the interpreter, and the `re` the console script imports
            print(f"  start-up floor (python -c 'import re'): {floor / 1e6:.1f} M instructions")


def _instructions(command: list[str], cwd: Path, env: dict[str, str]) -> int | None:
    """Instructions the command executes, counted by valgrind (when installed): unlike CPU
    time on a shared machine, the same from run to run whatever the load."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    counting = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    done = subprocess.run([*counting, *command], cwd=cwd, env=env, capture_output=True, text=True)
    for line in done.stderr.splitlines():
        if "I   refs:" in line or "I refs:" in line:
            return int(line.rsplit(":", 1)[1].replace(",", "").strip())
    return None


def _memory(rule: str, root: Path) -> None:
    """Peak RSS for one big file, candidate-dense (findings grow with the file: they are
    the output) and with a candidate in about one paragraph in 2,000."""
    rng = random.Random(11)
    for size_mb in (1, 4, 16, 64):
        figures = []
        for rate in (1.0, 0.001):
            path = root / f"big{size_mb}.md"
            path.write_text(_document(rule, rng, size_mb * 1_000_000, rate), encoding="utf-8")
            command = [_rulesync(), "lint", "--only", rule, path.name]
            peak, lines = _peak_rss(command, root, _env(root, {}))
            figures.append(f"{peak / 1024:4.0f} MB ({lines} findings)")
            path.unlink()
        print(f"  peak RSS, one {size_mb:2d} MB file: dense {figures[0]}, sparse {figures[1]}")


def _peak_rss(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, int]:
    """Peak RSS in KiB of `command`, measured in a fresh parent that runs only it, and the
    number of lines it printed (one per finding)."""
    probe = (
        "import resource, subprocess, sys; "
        "out = subprocess.run(sys.argv[1:], capture_output=True).stdout; "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, out.count(b'\\n'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=cwd, env=env, capture_output=True, text=True
    )
    peak, lines = [*out.stdout.split(), "0", "0"][:2]
    return int(peak), int(lines)


def _rulesync() -> str:
    return str(Path(sys.executable).with_name("rulesync"))


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else None


def _env(root: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("RULESYNC_LINT_PARSER", None)
    env["PYTHONPYCACHEPREFIX"] = str(root / ".pycache")
    env.update(extra)
    return env


class Timing(NamedTuple):
    """Median and best wall time, and median CPU time (user + system) of the child."""

    median: float
    best: float
    cpu: float


def _wall(command: list[str], cwd: Path, env: dict[str, str], runs: int) -> Timing:
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)  # warm caches
    timings, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
        timings.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return Timing(statistics.median(timings), min(timings), statistics.median(cpus))


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
