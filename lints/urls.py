"""URLs, e-mail addresses and domain names: never prose, in Markdown or plain text.

The pattern is compiled on first use: a file without candidates never needs it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable

_TLDS = (
    "com|org|net|io|dev|app|ai|co|de|ch|at|eu|uk|fr|nl|info|biz|gov|edu|sh|gg|ly|xyz"
    "|cloud|page|site|tech|tv|fm|ms|cc|ru|jp|cn|us|me|so|to"
)
_URL_END = r"[^\s<>\"'`.,;:!?)\]}*_]"
#: None of the alternatives matches whitespace, so scanning one whitespace-delimited run
#: gives the same matches as scanning the whole text (see `UrlIndex`).
_URL_PATTERN = (
    r"(?<![\w+.-])[a-z][a-z0-9+.-]{1,30}://[^\s<>\"'`]*"
    + _URL_END
    + r"|(?<![\w.])www\.[^\s<>\"'`]*"
    + _URL_END
    + r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    + r"|(?<![\w.@/-])(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:"
    + _TLDS
    + r")(?![\w-])"
    + r"(?:[/?#][^\s<>\"'`]*"
    + _URL_END
    + ")?"
)


#: Every match holds one of these before a non-space (`://`, `www.x`, `@x`, a domain's dot);
#: none ends with `.` or `:`. So whitespace-delimited runs without them (a sentence's final
#: full stop is no trigger) cannot hold a match and are never given to the pattern.
_TRIGGER_RE = re.compile(r"[.@:](?=\S)")


@functools.cache
def _trigger_table() -> bytes:
    """Latin-1 byte to `T` (`.`, `@`, `:`), ` ` (whitespace) or `x` (anything else)."""
    classes = (
        "T" if char in ".@:" else " " if char.isspace() else "x" for char in map(chr, range(256))
    )
    return "".join(classes).encode("ascii")


#: `_TRIGGER_RE` in the one-byte class map of a text (`_trigger_map`): a literal first
#: byte, which `re` finds with a quick scan, unlike the class `[.@:]`.
_MAPPED_TRIGGER_RE = re.compile(rb"T[xT]")


def _trigger_map(text: str) -> bytes:
    """One byte per character (beyond Latin-1: `?`, so `x`), classed for `_MAPPED_TRIGGER_RE`."""
    return text.encode("latin-1", "replace").translate(_trigger_table())


_SPACE_RE = re.compile(r"[ \t\n]")


@functools.cache
def url_re() -> re.Pattern[str]:
    return re.compile(_URL_PATTERN, re.IGNORECASE)


def url_spans(text: str) -> list[tuple[int, int]]:
    """Every match of the URL pattern in `text`, the same as `finditer` over all of it."""
    return _scan(text, 0, len(text), _trigger_map(text))


#: Regions closer than this are scanned as one, gap included.
_NEAR = 256


def url_spans_near(text: str, regions: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The matches of `url_spans(text)` that lie in a whitespace-delimited run touching one of
    the sorted `regions` (every match that touches a region among them).

    A match never crosses whitespace, so it touches a region only if its run does; each
    region is widened to the runs at its edges, the widened regions are merged (so no run
    is scanned twice) with the short gaps between them, and only those are scanned; what
    else they find lies in the text too, and is not in a region. The prose view of a Markdown file asks
    about its prose only, not about the code blocks that hold most of the dots and colons.
    """
    spans: list[tuple[int, int]] = []
    data = _trigger_map(text)
    scanned = 0  # where the last scan stopped: at whitespace, or the end of the text
    group_start, group_end = 0, -1
    for start, end in regions:
        if end <= start:
            continue
        if start <= group_end + _NEAR and group_end >= 0:
            if end > group_end:
                group_end = end
            continue
        if group_end >= 0:
            scanned = _scan_group(text, data, group_start, group_end, scanned, spans)
        group_start, group_end = start, end
    if group_end >= 0:
        _scan_group(text, data, group_start, group_end, scanned, spans)
    return spans


def _scan_group(
    text: str, data: bytes, start: int, end: int, scanned: int, spans: list[tuple[int, int]]
) -> int:
    """Scan the runs from the one holding `start` to the one holding `end - 1`, from
    `scanned` on (a run edge); return where the scan stopped."""
    stop = _run_end(text, end - 1)
    if stop <= scanned:
        return scanned
    first = scanned if start <= scanned else _run_start(text, start, scanned)
    spans.extend(_scan(text, first, stop, data))
    return stop


class UrlIndex:
    """Answers whether spans of one text touch a URL, scanning only the runs around them.

    A span's region runs from the whitespace before it to the whitespace after it. Regions
    asked about in increasing order (as a rule asks about its candidates) are scanned once
    each and kept, and a region that overlaps the last one only adds what is new: linear
    time in all, and a prefilter that asks about a few candidates near the start of a large
    file never scans the rest. A question out of that order is answered from its own region.

    The answers are those of testing against `url_spans(text)`: none of the pattern's
    alternatives matches whitespace (its lookbehinds see the character before a run), so
    scanning run by run gives the matches of scanning the whole text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._region = (0, 0)  # the last region scanned: [start, end), end at whitespace
        self.spans: list[tuple[int, int]] = []  # the matches in the regions kept, sorted
        self._starts: list[int] = []

    def touches(self, start: int, end: int) -> bool:
        """Whether `text[start:end]` touches a URL, e-mail address or domain name."""
        last = max(end - 1, start)
        kept_start, kept_end = self._region
        if start < kept_start:  # out of order: its own region, not kept
            first, stop = _run_start(self.text, start, 0), _run_end(self.text, last)
            spans = _scan(self.text, first, stop)
            return _touches(spans, [span[0] for span in spans], start, end)
        if last >= kept_end:
            if start < kept_end:
                first = kept_end  # the region grows
            else:
                first = _run_start(self.text, start, kept_end)
                kept_start = kept_start if first == kept_end else first
            stop = _run_end(self.text, last)
            for span in _scan(self.text, first, stop):
                self.spans.append(span)
                self._starts.append(span[0])
            self._region = (kept_start, stop)
        return _touches(self.spans, self._starts, start, end)


def _touches(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and spans[index][1] > start


def _scan(text: str, start: int, stop: int, data: bytes | None = None) -> list[tuple[int, int]]:
    """The matches in text[start:stop] (both at run edges): only runs with a trigger,
    found in `data`, the text's `_trigger_map`, when it is given. The pattern is compiled
    only for a run with a trigger (its compile is 5% of a one-file run)."""
    spans: list[tuple[int, int]] = []
    hit = _next_trigger(text, data, start, stop)
    while hit != -1:
        run_start = _run_start(text, hit, start)
        run_end = _run_end(text, hit)
        spans.extend(match.span() for match in url_re().finditer(text, run_start, run_end))
        start = run_end
        hit = _next_trigger(text, data, run_end, stop)
    return spans


def _next_trigger(text: str, data: bytes | None, start: int, stop: int) -> int:
    """Where `_TRIGGER_RE` first matches in text[start:stop], or -1."""
    if data is None:
        hit = _TRIGGER_RE.search(text, start, stop)
        return -1 if hit is None else hit.start()
    search = _MAPPED_TRIGGER_RE.search
    found = search(data, start, stop)
    while found is not None:
        index = found.start()
        if data[index + 1] == 0x54 or not text[index + 1].isspace():  # `T`; beyond Latin-1
            return index
        found = search(data, index + 1, stop)
    return -1


def _run_start(text: str, offset: int, lowest: int) -> int:
    """Just after the last whitespace before `offset`, looking back no further than `lowest`:
    in growing windows, so the cost is the distance found, not the distance allowed."""
    window = 64
    high = offset
    while high > lowest:
        low = max(lowest, high - window)
        found = max(
            text.rfind(" ", low, high), text.rfind("\n", low, high), text.rfind("\t", low, high)
        )
        if found != -1:
            return found + 1
        high, window = low, window * 2
    return lowest


def _run_end(text: str, offset: int) -> int:
    space = _SPACE_RE.search(text, offset)
    return len(text) if space is None else space.start()
