"""Linting a big file piece by piece, so that memory stays flat in the file's size.

`lints.chunks` plans where the file may be cut (one pass over the bytes); then each piece is
read, decoded, prefiltered, parsed and checked on its own, and only its findings are kept.
The findings are those of the whole-file path (`lints.engine.lint_text`), byte for byte:

- offsets, lines and columns are absolute (a piece starts at a line start, so a column
  never moves);
- a suppression comment's disable/enable state carries from piece to piece; a
  disable-next-line comment never reaches across a cut (a blank line comes before it);
- suppression comments that would switch nothing off are reported only if some rule's
  prefilter passed some piece, as the whole-file path reports them only after a parse.

The file is linted whole instead (`lint_stream` returns None) when the plan is unsure, and
for a rule whose finding in one paragraph depends on the rest of the document: the umlaut
lint with `lang: auto` weighs the whole document's language for a paragraph that has no
telling words of its own. `--fix` reads the whole file (it rewrites it anyway).
"""

from __future__ import annotations

import itertools
import operator
import os
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from lints.chunks import BOM_BYTES, BinaryFile, ReadAt, Unsure, definitions_for, plan
from lints.document import Document, Kind
from lints.engine import binary_file, decode_utf8, finding_order
from lints.errors import UnreadableFileError
from lints.finding import Finding, end_positions
from lints.registry import RULES, Rule, might_match
from lints.suppress import ALL, _next_line_rules, _Switches, directives, problems

#: A piece ends at the first cut point after this many bytes.
PIECE_BYTES = 1 << 18
_MENTION_RE = re.compile("rulesync", re.IGNORECASE)


class Streamed(NamedTuple):
    findings: list[Finding]
    #: 1-based (line, col) just past each finding's flagged text, in the order of `findings`.
    ends: list[tuple[int, int]]


def lint_stream(
    path: str,
    read_at: ReadAt,
    size: int,
    rules: Sequence[Rule],
    kind: Kind,
    piece_bytes: int = PIECE_BYTES,
) -> Streamed | None:
    """The findings of the file, linted piece by piece, or None: lint it whole.

    Raises UnreadableFileError as `lints.engine.decode` does (binary, not UTF-8), or when
    the file shrank while it was read.
    """
    if not all(_local(rule) for rule in rules):
        return None
    begin = len(BOM_BYTES) if read_at(0, len(BOM_BYTES)) == BOM_BYTES else 0
    try:
        cuts = plan(read_at, begin, size, kind, max(1, piece_bytes))
    except Unsure:
        return None
    except BinaryFile:
        raise binary_file(path) from None
    run = _Run(path, rules, kind, cuts.labels)
    for start, stop in itertools.pairwise([begin, *cuts.cuts, size]):
        data = read_at(start, stop - start)
        if len(data) != stop - start:
            raise UnreadableFileError(f"{path}: it changed while it was read; lint it again")
        run.piece(data)
    return run.result()


def reader(descriptor: int) -> ReadAt:
    """`read_at` for an open file."""

    def read_at(offset: int, size: int) -> bytes:
        os.lseek(descriptor, offset, os.SEEK_SET)
        chunks: list[bytes] = []
        while size > 0:
            chunk = os.read(descriptor, size)
            if not chunk:
                break
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    return read_at


def piece_document(path: str, text: str, kind: Kind, labels: dict[str, str]) -> Document:
    """A piece's Document, parsed with the file's reference definitions that it mentions
    appended after it (then cut off again)."""
    from lints.prose import extract

    suffix = definitions_for(text, labels) if kind == "markdown" else ""
    if not suffix:
        extracted = extract(text, kind)
        return Document(path, text, extracted.prose, kind, extracted.html)
    extracted = extract(text + suffix, kind)
    size = len(text)
    html = extracted.html
    if html is not None:
        html = tuple((start, min(end, size)) for start, end in html if start < size)
    return Document(path, text, extracted.prose[:size], kind, html)


def _local(rule: Rule) -> bool:
    """Rules whose findings in a paragraph depend on that paragraph alone."""
    if rule.name not in RULES:
        return False
    options = getattr(rule, "options", None)
    return not (rule.name == "umlaut" and getattr(options, "lang", None) == "auto")


class _Run:
    """The pieces linted so far: findings with absolute positions, and the state of the
    suppression comments at the end of the last piece."""

    def __init__(self, path: str, rules: Sequence[Rule], kind: Kind, labels: dict[str, str]):
        self.path, self.rules, self.kind, self.labels = path, list(rules), kind, labels
        self.known = {*RULES, *(rule.name for rule in rules)}
        self.switches = _Switches()
        self.findings: list[Finding] = []
        self.problems: list[Finding] = []
        self.prefiltered = False
        self.ends: dict[Finding, tuple[int, int]] = {}
        self.strings: dict[str, str] = {}
        self.chars = 0
        self.lines = 0

    def piece(self, data: bytes) -> None:
        text = decode_utf8(data, self.path, self.lines)
        hits = [rule for rule in self.rules if might_match(rule, text, self.kind)]
        self.prefiltered = self.prefiltered or bool(hits)
        if hits or _MENTION_RE.search(text):
            doc = piece_document(self.path, text, self.kind, self.labels)
            found = {finding for rule in hits for finding in rule.check(doc)}
            kept = _unsuppressed(doc, found, self.switches)
            unknown = problems(doc, self.known)
            here = [*kept, *unknown]
            shifted = list(map(self._shifted, here, end_positions(text, here)))
            self.findings += shifted[: len(kept)]
            self.problems += shifted[len(kept) :]
        self.chars += len(text)
        self.lines += text.count("\n")

    def _shifted(self, finding: Finding, end: tuple[int, int]) -> Finding:
        """At its place in the file, with its end position (in its piece) noted; its
        message and suggestion shared with the findings before it that have the same (a big
        file has many of each)."""
        line, col = end
        shifted = Finding(
            finding.path,
            finding.line + self.lines,
            finding.col,
            finding.rule,
            self._shared(finding.message),
            None if finding.suggestion is None else self._shared(finding.suggestion),
            finding.start + self.chars,
            finding.end + self.chars,
        )
        self.ends[shifted] = (line + self.lines, col)
        return shifted

    def _shared(self, text: str) -> str:
        return self.strings.setdefault(text, text)

    def result(self) -> Streamed:
        if not self.prefiltered:
            return Streamed([], [])
        findings = sorted([*self.findings, *self.problems], key=finding_order)
        return Streamed(findings, [self.ends[finding] for finding in findings])


def _unsuppressed(doc: Document, findings: Iterable[Finding], switches: _Switches) -> list[Finding]:
    """`lints.suppress.unsuppressed` with the disable/enable state carried in `switches`
    from the pieces before, and left there for the pieces after."""
    found = directives(doc)
    next_line = _next_line_rules(found)
    pending = sorted((d for d in found if d.action != "disable-next-line"), key=_offset)
    applied = 0
    kept = []
    for finding in sorted(findings, key=_start):
        while applied < len(pending) and pending[applied].offset <= finding.start:
            switches.apply(pending[applied])
            applied += 1
        rules = next_line.get(finding.line - 1)
        by_comment = rules is not None and (ALL in rules or finding.rule in rules)
        if not (by_comment or switches.is_off(finding.rule)):
            kept.append(finding)
    for directive in pending[applied:]:
        switches.apply(directive)
    return kept


_offset = operator.attrgetter("offset")
_start = operator.attrgetter("start")
