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

A rule whose finding in one paragraph may depend on the rest of the document (the umlaut
lint with `lang: auto` weighs the whole document's language for a paragraph that has no
telling words of its own: `document_wide`) reports such findings apart (`split_check`) and
scores each piece (`document_score`). They are kept, with the pieces' scores summed, until
the last piece; only if some were found are the pieces that no prefilter passed read and
scored again, and they count when the whole document's score says so.

The file is linted whole instead (`lint_stream` returns None) when the plan is unsure.
`--fix` reads the whole file (it rewrites it anyway).
"""

from __future__ import annotations

import itertools
import operator
import os
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol, cast

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
        run.piece(_read(path, read_at, start, stop), (start, stop))
    return run.result(read_at)


def _read(path: str, read_at: ReadAt, start: int, stop: int) -> bytes:
    data = read_at(start, stop - start)
    if len(data) != stop - start:
        raise UnreadableFileError(f"{path}: it changed while it was read; lint it again")
    return data


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
    """Rules whose findings in a piece depend on that piece alone, or that say which do not
    (`document_wide`): ours."""
    return rule.name in RULES


def _document_wide(rule: Rule) -> bool:
    return bool(getattr(rule, "document_wide", False))


class _DocumentWide(Protocol):
    """What a `document_wide` rule offers the stream (see `lints.rules.umlaut`)."""

    def split_check(self, doc: Document) -> tuple[list[Finding], list[Finding]]: ...
    def document_score(self, prose: str) -> int: ...


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
        #: document-wide rules: the summed score, and the findings the document decides
        self.wide = [rule for rule in self.rules if _document_wide(rule)]
        self.scores = {rule.name: 0 for rule in self.wide}
        self.by_document: dict[str, list[Finding]] = {rule.name: [] for rule in self.wide}
        #: (start, stop, lines before) of the pieces not scored: no document was built, or
        #: none of the document's findings had needed its language yet
        self.unscored: list[tuple[int, int, int]] = []

    def piece(self, data: bytes, span: tuple[int, int]) -> None:
        text = decode_utf8(data, self.path, self.lines)
        hits = [rule for rule in self.rules if might_match(rule, text, self.kind)]
        self.prefiltered = self.prefiltered or bool(hits)
        if hits or _MENTION_RE.search(text):
            doc = piece_document(self.path, text, self.kind, self.labels)
            found, later = self._checked(doc, hits)
            kept = _unsuppressed(doc, found | later, self.switches)
            unknown = problems(doc, self.known)
            here = [*kept, *unknown]
            shifted = list(map(self._shifted, here, end_positions(text, here)))
            for original, moved in zip(kept, shifted, strict=False):
                place = self.by_document[moved.rule] if original in later else self.findings
                place.append(moved)
            self.problems += shifted[len(kept) :]
            self._score(doc, span)
        elif self.wide:
            self.unscored.append((*span, self.lines))
        self.chars += len(text)
        self.lines += text.count("\n")

    def _checked(self, doc: Document, hits: Sequence[Rule]) -> tuple[set[Finding], set[Finding]]:
        """The findings of the rules that passed the prefilter, and apart from them those
        that only the whole document's language decides."""
        found: set[Finding] = set()
        later: set[Finding] = set()
        for rule in hits:
            if _document_wide(rule):
                decided, by_document = cast(_DocumentWide, rule).split_check(doc)
                found.update(decided)
                later.update(by_document)
            else:
                found.update(rule.check(doc))
        return found, later

    def _score(self, doc: Document, span: tuple[int, int]) -> None:
        """Score the piece once the document's language is known to matter (a finding it
        decides was found); until then, note the piece to read again if it ever does."""
        if not any(self.by_document.values()):
            self.unscored.append((*span, self.lines))
            return
        for rule in self.wide:
            self.scores[rule.name] += cast(_DocumentWide, rule).document_score(doc.prose)

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

    def result(self, read_at: ReadAt) -> Streamed:
        if not self.prefiltered:
            return Streamed([], [])
        if any(self.by_document.values()):
            self._score_the_rest(read_at)
        counted = [
            finding
            for rule in self.wide
            if self.scores[rule.name] > 0
            for finding in self.by_document[rule.name]
        ]
        findings = sorted([*self.findings, *counted, *self.problems], key=finding_order)
        return Streamed(findings, [self.ends[finding] for finding in findings])

    def _score_the_rest(self, read_at: ReadAt) -> None:
        """Score the pieces not scored on the way (read again, one at a time): the whole
        document's language decides some findings."""
        for start, stop, lines in self.unscored:
            text = decode_utf8(_read(self.path, read_at, start, stop), self.path, lines)
            self._score(piece_document(self.path, text, self.kind, self.labels), (start, stop))
        self.unscored = []


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
