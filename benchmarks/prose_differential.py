"""Compare the native prose route with markdown-it-py (the definition) on real Markdown.

    .venv/bin/python benchmarks/prose_differential.py SPEC_OR_FOLDER_OR_FILE …

A `spec.txt` of commonmark-spec (a file whose name ends in `spec.txt`) is read as its
examples (the `example` fences, with → read as a tab); any other file is one document, and a
folder stands for every Markdown file under it. Each document is parsed both ways; the two
prose views must hold the same words on every line (tabs and spaces are both blank to every
rule). Prints the number of documents compared, how many took the markdown-it fallback, and
every difference; exits 1 when there is one, 2 when the native wheel is missing.

Nothing is fetched: pass files you already have (the spec is not shipped with rulesync).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lints.engine import MARKDOWN_SUFFIXES
from lints.prose import _markdown_source, keep_spans, markdown_it_spans
from lints.prose_native import native_available, native_spans

EXAMPLE = re.compile(r"^`{32} example[^\n]*\n(.*?)^\.\n", re.DOTALL | re.MULTILINE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    options = parser.parse_args()
    if not native_available():
        print("pyromark is not installed: there is no native route to compare", file=sys.stderr)
        return 2
    compared = fallback = 0
    differences: list[str] = []
    for name, markdown in documents(options.paths):
        outcome = compare(markdown)
        if outcome is None:
            fallback += 1
            continue
        compared += 1
        if outcome:
            differences.append(f"{name}:\n{outcome}")
    for difference in differences:
        print(difference)
    print(
        f"compared {compared} documents on the native route, {fallback} took the "
        f"markdown-it fallback; {len(differences)} differ"
    )
    return 1 if differences else 0


def documents(paths: list[Path]) -> Iterator[tuple[str, str]]:
    """(name, Markdown) of each document: spec examples, files, Markdown under folders."""
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.suffix.lower() in MARKDOWN_SUFFIXES and file.is_file():
                    yield from _file(file)
        elif path.name.endswith("spec.txt"):
            text = path.read_text(encoding="utf-8")
            for number, match in enumerate(EXAMPLE.finditer(text), 1):
                yield f"{path} example {number}", match.group(1).replace("\u2192", "\t")
        else:
            yield from _file(path)


def _file(path: Path) -> Iterator[tuple[str, str]]:
    try:
        yield str(path), path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: skipped ({error})", file=sys.stderr)


def compare(markdown: str) -> str | None:
    """None when the document takes the fallback; '' when both views agree; else the lines
    that differ, reference then native."""
    source = _markdown_source(markdown)
    native = native_spans(source)
    if native is None:
        return None
    reference = keep_spans(source, markdown_it_spans(source)[0]).split("\n")
    ours = keep_spans(source, native[0]).split("\n")
    lines = [
        f"  line {number}: markdown-it {a!r}\n  {' ' * len(str(number))}        native {b!r}"
        for number, (a, b) in enumerate(zip(reference, ours, strict=False), 1)
        if a.split() != b.split()
    ]
    if len(reference) != len(ours):
        lines.append(f"  {len(reference)} lines against {len(ours)}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
