"""The identity lint: names of people, companies and products spelt exactly right.

Configured in rulesync.yaml under `lint.identity.names`. Each entry is a name, or a mapping:

    names:
      - GitHub
      - name: Müller GmbH
        wrong: [Mueller AG]      # more wrong forms, matched case-sensitively
        allow: [Muller]          # spellings that are someone else's name
        fuzzy: true              # also near misses (Müler); names of 6+ letters only

Found, in prose only: wrong case (`Github`, `GITHUB`), umlauts and ß written out or dropped
(`Mueller`, `Muller`, `Juergen Weiss`), decomposed (NFD) umlauts, split or joined forms
(`Git Hub`, `Git-Hub`), also across a line break or a non-breaking space. Possessives and
the German genitive (`GitHub's`, `Müllers`) are fine. Each finding suggests the right form.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from lints import names as spelling
from lints.document import Document, Kind
from lints.finding import Finding
from lints.name_scan import Spelling, find_all, scan_text
from lints.normalize import Normalized, nfc
from lints.rules._name_options import NameSpec
from lints.rules._name_options import parse_names as parse_names  # re-exported
from lints.rules._prefixes import prefixes
from lints.urls import UrlIndex

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from lints.record import NamedTuple

RULE = "identity"
#: At most this many candidates are ruled out as code by the prefilter (the Node.js API docs
#: need at most 12 per file); past it, the file is parsed.
RAW_QUESTIONS = 64
#: Characters that glue an all-lower-case name into an identifier: ID=linux, @github, a/b.
_IDENTIFIER_BEFORE = frozenset("/\\=@:._#$~%&+")
_IDENTIFIER_AFTER = frozenset("/\\=@:_#$%&+")


class Candidate(NamedTuple):
    """A spelling of a configured name found in the text, before it is judged."""

    spec: NameSpec
    start: int  # offsets in the original text; the name only, without a possessive
    end: int
    found: str  # what the scanned text holds there, NFC
    listed_wrong: bool = False
    near_miss: bool = False


def build(options: Mapping[str, Any]) -> IdentityRule:
    return IdentityRule(tuple(parse_names(options)))


class IdentityRule:
    """The configured identity lint. See the module docstring."""

    name = RULE

    def __init__(self, specs: Sequence[NameSpec]) -> None:
        self.specs = tuple(specs)
        self._matcher = _Matcher(self.specs)
        #: `_verdict` per (found, name, near miss): a text repeats its misspellings.
        self._verdicts: dict[tuple[str, str, bool], str | None] = {}
        self._suggestions: dict[tuple[str, str], str] = {}  # `_keep_separators`, remembered
        self._capital_names = {spec.name: _shown(spec.name.upper()) for spec in self.specs}

    def might_match(self, text: str, kind: Kind = "markdown") -> bool:
        """Whether `check` could find anything. A long text's first lines are asked first:
        the scan finds every candidate of the text before it judges one, and in a file that
        holds candidates one usually comes early. A yes there only costs the parse (`check`
        decides what is found); a no asks about the whole text."""
        if any(self._might_match(prefix, kind) for prefix in prefixes(text)):
            return True
        return self._might_match(text, kind)

    def _might_match(self, text: str, kind: Kind) -> bool:
        """Whether `check` could find anything: the same scan over the raw text.

        In Markdown, candidates that surely sit in code, HTML or link targets are dropped
        without a parse (see `lints.rawcode`); the rest need the exact prose view. An answer
        of `rawcode` may look at a whole line or paragraph, so after `RAW_QUESTIONS` of them
        the text is parsed instead: the prefilter stays linear in the text.
        """
        raw = None
        urls = UrlIndex(text)
        asked = 0
        for candidate in self._matcher.candidates(nfc(text), overlapping=True):
            if self._judge(candidate, text, urls) is None:
                continue
            if kind == "text" or asked == RAW_QUESTIONS:
                return True
            asked += 1
            if raw is None:
                from lints.rawcode import RawMarkdown

                raw = RawMarkdown(text)
            if not raw.surely_not_prose(candidate.start, candidate.end):
                return True
        return False

    def check(self, doc: Document) -> Iterator[Finding]:
        normalized = nfc(doc.prose)
        urls = UrlIndex(doc.text)
        capitals = _CapitalLines(doc.prose)
        for candidate in self._matcher.candidates(normalized):
            if not _all_prose(doc.text, doc.prose, candidate.start, candidate.end):
                continue
            in_capitals = capitals.around(candidate.start, candidate.end)
            reason = self._judge(candidate, doc.text, urls, in_capitals)
            if reason is not None:
                yield self._finding(doc, candidate, reason, in_capitals)

    def _judge(
        self, candidate: Candidate, text: str, urls: UrlIndex, in_capitals: bool = False
    ) -> str | None:
        """Why the candidate is wrong, or None when it is fine here. In an ALL CAPS line
        the name in capitals is right (`WILLKOMMEN BEI GITHUB`, `JÜRGEN WEISS` with SS)."""
        found = _shown(candidate.found)
        spec = candidate.spec
        if in_capitals and found == self._capital_names[spec.name]:
            return None
        if found.islower() and _in_identifier(text, candidate.start, candidate.end):
            return None
        if urls.touches(candidate.start, candidate.end):
            return None
        if candidate.listed_wrong:
            return "listed as a wrong form"
        if found in self._matcher.accepted:
            return _nfd_reason(text[candidate.start : candidate.end], found)
        key = (found, spec.name, candidate.near_miss)
        verdicts = self._verdicts
        if key not in verdicts:
            verdicts[key] = _verdict(*key)
        return verdicts[key]

    def _finding(
        self, doc: Document, candidate: Candidate, reason: str, in_capitals: bool = False
    ) -> Finding:
        line, col = doc.position(candidate.start)
        original = doc.text[candidate.start : candidate.end]
        shown = _shown(candidate.found)
        if reason == NFD_REASON:
            right = shown
            message = f'"{shown}" is written with {NFD_REASON}: use the composed form'
        else:
            right = candidate.spec.name.upper() if in_capitals else candidate.spec.name
            message = f'write "{right}", not "{shown}": {reason}'
        return Finding(
            path=doc.path,
            line=line,
            col=col,
            rule=RULE,
            message=message,
            suggestion=self._suggestion(original, right),
            start=candidate.start,
            end=candidate.end,
        )

    def _suggestion(self, original: str, right: str) -> str:
        key = (original, right)
        suggestions = self._suggestions
        if key not in suggestions:
            suggestions[key] = _keep_separators(original, right)
        return suggestions[key]


NFD_REASON = "decomposed (NFD) characters"


def _shown(found: str) -> str:
    """`found` as one line: block-quote markers and runs of whitespace as one space.
    (`names.normalize_space`, without the regex: `str.split` splits where `\\s` matches.)"""
    return " ".join(found.replace(">", " ").split())


def _verdict(found: str, name: str, near_miss: bool) -> str | None:
    """Why `found` is a wrong spelling of `name`, or None when it is right or more likely
    ordinary words: depends on these three alone."""
    reason = _reason(found, name, near_miss)
    if reason is None or _looks_like_ordinary_words(found, name, reason):
        return None
    return reason


def _reason(found: str, name: str, near_miss: bool) -> str | None:
    if near_miss:
        return "near miss"
    if found == name:
        return None
    if len(found.split()) != len(name.split()) or _part_count(found) != _part_count(name):
        return "name split or joined"
    if found.lower() == name.lower():
        return "wrong case"
    if spelling.transliterate(found) == spelling.transliterate(name):
        return "umlaut or ß written out"
    if spelling.squash(found) == spelling.squash(name):
        return "wrong case"
    return "umlaut or accent missing"


def _nfd_reason(original: str, found: str) -> str | None:
    if _shown(original) != found:
        return NFD_REASON
    return None


def _part_count(text: str) -> int:
    return len(re.split(r"[\s\-.]+", text.strip()))


def _looks_like_ordinary_words(found: str, name: str, reason: str) -> bool:
    """Lower-case phrases that match loosely are more likely words than a misspelt name.

    `linked in` (LinkedIn), `backer` (Bäcker): a split form counts only when its later
    parts are capitalised as in `Git Hub`, and a lower-case form only when it is the name
    in lower case or written out (`github`, `mueller`), not with an umlaut dropped.
    """
    if reason == "name split or joined":
        later_parts = re.split(r"[\s\-.>]+", found.strip())[1:]
        return any(not p[:1].isupper() for p in later_parts) and not _joined(found, name)
    if reason == "umlaut or accent missing":
        return found == found.lower()
    return False


def _joined(found: str, name: str) -> bool:
    return _part_count(found) < _part_count(name)


def _in_identifier(text: str, start: int, end: int) -> bool:
    """Glued into an identifier: `ID=linux`, `a/github`, `github.io`, `sam-github`."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    after_next = text[end + 1 : end + 2]
    dotted = after == "." and after_next[:1].isalnum()
    kebab = before == "-" and text[start - 2 : start - 1].isalnum()
    return before in _IDENTIFIER_BEFORE or after in _IDENTIFIER_AFTER or dotted or kebab


def _all_prose(text: str, prose: str, start: int, end: int) -> bool:
    """No blanked code or markup inside the match, apart from block-quote markers."""
    if prose[start:end] == text[start:end]:  # nothing blanked: the usual case
        return True
    return all(prose[i] == text[i] or text[i] in " \t\r>" for i in range(start, end))


class _CapitalLines:
    """Which lines of a prose view are written in capitals: every word upper case, and at
    least one word besides the name. Each line is read once (`around` is asked in order)."""

    def __init__(self, prose: str) -> None:
        self._prose = prose
        self._line: tuple[int, int, list[int] | None] = (-1, -1, None)

    def around(self, start: int, end: int) -> bool:
        """Whether text[start:end] sits in a line in capitals with other words in it."""
        line_start, line_end, words = self._line
        if not line_start <= start < line_end:
            line_start = self._prose.rfind("\n", 0, start) + 1
            line_end = self._prose.find("\n", start)
            line_end = len(self._prose) if line_end == -1 else line_end
            words = _capital_words(self._prose[line_start:line_end], line_start)
            self._line = (line_start, line_end, words)
        if words is None:
            return False
        inside = bisect.bisect_left(words, end) - bisect.bisect_left(words, start)
        return len(words) > inside


def _capital_words(line: str, offset: int) -> list[int] | None:
    """Where the words of `line` start (plus `offset`), or None if one has a lower-case
    letter or there is none."""
    if any(char.islower() for char in line):  # most lines: at their first letters
        return None
    return [offset + m.start() for m in _word_re().finditer(line)] or None


@functools.cache
def _word_re() -> re.Pattern[str]:
    """Compiled on first use (a line in capitals): a Unicode class costs start-up."""
    return re.compile(r"[^\W\d_]+")


def _keep_separators(original: str, name: str) -> str:
    """The name, with the original's whitespace between its words (a line break stays)."""
    gaps = _gaps(original)
    words = name.split()
    if len(gaps) != len(words) - 1:
        return name
    return "".join(word + gap for word, gap in zip(words, [*gaps, ""], strict=True))


_BEFORE_BREAK = frozenset(" \t\r\u00a0\u202f")
_AFTER_BREAK = frozenset(" \t>")
_SPACE = frozenset(" \t\u00a0\u202f")


def _gaps(text: str) -> list[str]:
    """`re.findall(r"[ \t\r\u00a0\u202f]*\n[ \t>]*|[ \t\u00a0\u202f]+", text)`: compiling
    that pattern (its class holds characters beyond Latin-1) costs a one-file run 2%."""
    gaps: list[str] = []
    start, size = 0, len(text)
    no_break_before = -1  # from here up to this offset, no line break follows the spaces
    while start < size:
        if start > no_break_before:
            end = start
            while end < size and text[end] in _BEFORE_BREAK:
                end += 1
            if end < size and text[end] == "\n":
                end += 1
                while end < size and text[end] in _AFTER_BREAK:
                    end += 1
                gaps.append(text[start:end])
                start = end
                continue
            no_break_before = end
        end = start
        while end < size and text[end] in _SPACE:
            end += 1
        if end > start:
            gaps.append(text[start:end])
            start = end
        else:
            start += 1
    return gaps


class _Matcher:
    """The spellings of all names (and the listed wrong forms), plus the fuzzy ones."""

    def __init__(self, specs: Sequence[NameSpec]) -> None:
        self.specs = specs
        self.accepted = frozenset(s.name for s in specs) | {a for s in specs for a in s.allow}
        self.owners: list[tuple[NameSpec, bool]] = []  # per spelling: whose, listed as wrong
        spellings: list[Spelling] = []
        for spec in specs:
            for form in spec.wrong:
                self.owners.append((spec, True))
                spellings.append(Spelling(spelling.exact_units(form)))
            self.owners.append((spec, False))
            spellings.append(Spelling(spelling.units(spec.name)))
        self.spellings = spellings
        self.any_listed_wrong = any(listed for _spec, listed in self.owners)
        self.fuzzy = _FuzzyMatcher([s for s in specs if s.fuzzy])

    def candidates(self, text: Normalized, *, overlapping: bool = False) -> Iterator[Candidate]:
        """Spellings of the names in `text`; `overlapping` also yields those inside others."""
        lowered = scan_text(text.text)
        exact = list(self._exact(text, lowered, overlapping))
        yield from exact
        if self.fuzzy.specs:
            taken = _Taken((c.start, c.end) for c in exact)
            yield from self.fuzzy.candidates(text, lowered, taken)

    def _exact(self, text: Normalized, lowered: str, overlapping: bool) -> Iterator[Candidate]:
        hits = find_all(self.spellings, lowered)
        if self.any_listed_wrong:
            hits = [hit for hit in hits if self._counts(hit, text.text)]
        if not overlapping:
            hits = _leftmost_longest(hits)
        for start, end, index in hits:
            spec, listed_wrong = self.owners[index]
            found = text.text[start:end]
            if found == spec.name and text.origins is None:  # the usual, right spelling
                continue
            source = (text.to_source(start), text.to_source(end))
            yield Candidate(spec, *source, found, listed_wrong)

    def _counts(self, hit: tuple[int, int, int], original: str) -> bool:
        """A listed wrong form counts only in its own case (`MS`, not `ms`)."""
        spec, listed_wrong = self.owners[hit[2]]
        found = original[hit[0] : hit[1]]
        return not listed_wrong or spelling.normalize_space(found) in spec.wrong


def _leftmost_longest(hits: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    chosen: list[tuple[int, int, int]] = []
    for hit in hits:
        if not chosen or hit[0] >= chosen[-1][1]:
            chosen.append(hit)
    return chosen


class _FuzzyMatcher:
    """Near misses with one inserted or deleted letter inside the name (`Müler`).

    Uses the `regex` module. Ordinary words stay unflagged: no substitutions (Füller,
    Möller and Miller are one substitution from Müller), the first and last letters must
    be the name's (so inflections such as Müllern are not near misses), and an all
    lower-case word never counts.
    """

    def __init__(self, specs: Sequence[NameSpec]) -> None:
        self.specs = specs
        self._pattern: Any = None

    def candidates(self, text: Normalized, lowered: str, taken: _Taken) -> Iterator[Candidate]:
        pattern = self._compiled()
        for match in pattern.finditer(lowered, overlapped=False):
            start, end = match.span()
            spec = self.specs[int((match.lastgroup or "f0")[1:])]
            found = text.text[start:end]
            source = (text.to_source(start), text.to_source(end))
            if self._is_near_miss(found, spec) and not taken.overlaps(*source):
                yield Candidate(spec, *source, found, near_miss=True)

    @staticmethod
    def _is_near_miss(found: str, spec: NameSpec) -> bool:
        name = spec.name.lower()
        lowered = found.lower()
        return (
            found != found.lower()
            and lowered[:1] == name[:1]
            and lowered[-1:] == name[-1:]
            and spelling.squash(found) != spelling.squash(spec.name)
            and spelling.transliterate(found) != spelling.transliterate(spec.name)
        )

    def _compiled(self) -> Any:
        if self._pattern is None:
            import importlib

            regex = importlib.import_module("regex")  # untyped; imported only for fuzzy names

            branches = []
            for index, spec in enumerate(self.specs):
                words = [regex.escape(w) for w in spec.name.lower().split()]
                body = spelling.SEPARATOR.join(words)
                branches.append(f"(?P<f{index}>(?:{body}){{i<=1,d<=1,s<=0,e<=1}})")
            boundary = r"(?<![\p{L}\p{M}\p{N}_])"
            self._pattern = regex.compile(
                f"{boundary}(?:{'|'.join(branches)}){spelling.END}", regex.BESTMATCH
            )
        return self._pattern


class _Taken:
    """Spans already found, merged, so that overlap is a bisect, not a scan of them all."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.starts = [start for start, _ in merged]
        self.spans = merged

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end) - 1
        return index >= 0 and self.spans[index][1] > start
