"""Whole-file and piece-by-piece lint findings on real Markdown: must be identical.

    .venv/bin/python benchmarks/stream_differential.py DIR … [--piece BYTES …] [--names N …]
        [--ascii] [--lang de|de-CH|auto]

Every `.md` file under the folders is linted whole (`lints.engine.lint_text`) and in pieces
(`lints.stream.lint_stream`, tiny pieces so that every cut point is used), and so is all of
them joined into one big document. Prints how many files streamed, how many the planner left
to the whole-file path (with the reason the planner gave), and every difference. Nothing is fetched: point it at docs you have.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lints.chunks import BOM_BYTES, Unsure, plan
from lints.engine import decode, lint_text
from lints.errors import UnreadableFileError
from lints.registry import Rule
from lints.rules import identity, umlaut
from lints.stream import lint_stream

DEFAULT_NAMES = ["GitHub", "JavaScript", "macOS", "Rust", "Cargo", "Linux", "Windows", "npm"]


def main() -> None:
    options = _arguments()
    rules: list[Rule] = [
        identity.build({"names": options.names}),
        umlaut.build({"lang": options.lang}),
    ]
    files = sorted(p for root in options.corpus for p in root.rglob("*.md") if p.is_file())
    documents = [(str(p), _spelt(p.read_bytes(), options.ascii)) for p in files]
    documents.append(("(all joined)", b"\n\n".join(data for _, data in documents)))
    size = sum(len(data) for _, data in documents) / 1e6
    print(f"{len(documents)} documents, {size:.1f} MB; pieces of {options.piece} bytes")
    started = time.perf_counter()
    streamed = unsure = differing = findings = 0
    reasons: dict[str, int] = {}
    for name, data in documents:
        try:
            text = decode(data, name).text
        except UnreadableFileError as error:
            print(f"  skipped {name}: {error}")
            continue
        whole = lint_text(name, text, rules, "markdown")
        findings += len(whole)
        for piece in options.piece:
            result = lint_stream(name, _reader(data), len(data), rules, "markdown", piece)
            if result is None:
                unsure += 1
                reasons[_reason(data)] = reasons.get(_reason(data), 0) + 1
                continue
            streamed += 1
            if result.findings != whole:
                differing += 1
                print(f"  DIFFERENT: {name} (pieces of {piece} bytes)")
    print(
        f"streamed {streamed}, left to the whole-file path {unsure}, different {differing}; "
        f"{findings} findings; {time.perf_counter() - started:.0f} s"
    )
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"  left whole {count}x: {reason}")
    sys.exit(1 if differing else 0)


def _reason(data: bytes) -> str:
    begin = 3 if data.startswith(BOM_BYTES) else 0
    try:
        plan(_reader(data), begin, len(data), "markdown", 1)
    except Unsure as error:
        return str(error)
    return "(no reason: the planner was sure)"


def _spelt(data: bytes, ascii_only: bool) -> bytes:
    if not ascii_only:
        return data
    for letter, written in zip("äöüÄÖÜß", ["ae", "oe", "ue", "Ae", "Oe", "Ue", "ss"], strict=True):
        data = data.replace(letter.encode(), written.encode())
    return data


def _reader(data: bytes):  # type: ignore[no-untyped-def]
    return lambda offset, size: data[offset : offset + size]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="+")
    parser.add_argument("--piece", type=int, nargs="*", default=[1, 4096])
    parser.add_argument("--names", nargs="*", default=DEFAULT_NAMES)
    parser.add_argument("--ascii", action="store_true", help="umlauts and ß written out")
    parser.add_argument("--lang", default="de", choices=["de", "de-CH", "auto"])
    return parser.parse_args()


if __name__ == "__main__":
    main()
