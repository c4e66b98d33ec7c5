"""URLs, e-mail addresses and domain names: never prose, in Markdown or plain text.

The pattern is compiled on first use: a file without candidates never needs it.
"""

from __future__ import annotations

import bisect
import functools
import re

_TLDS = (
    "com|org|net|io|dev|app|ai|co|de|ch|at|eu|uk|fr|nl|info|biz|gov|edu|sh|gg|ly|xyz"
    "|cloud|page|site|tech|tv|fm|ms|cc|ru|jp|cn|us|me|so|to"
)
_URL_END = r"[^\s<>\"'`.,;:!?)\]}*_]"
#: None of the alternatives matches whitespace, so scanning one whitespace-delimited run
#: gives the same matches as scanning the whole text (see `in_url`).
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
_SPACE_RE = re.compile(r"[ \t\n]")


@functools.cache
def url_re() -> re.Pattern[str]:
    return re.compile(_URL_PATTERN, re.IGNORECASE)


def url_spans(text: str) -> list[tuple[int, int]]:
    """Every match of the URL pattern in `text`, the same as `finditer` over all of it."""
    index = UrlIndex(text)
    index.scan_through(len(text))
    return index.spans


class UrlIndex:
    """The URL spans of one text, found lazily from the start, each character once.

    `touches` answers for a span by scanning only as far as the whitespace-delimited run
    around it, and only the runs that hold a trigger character: a prefilter that asks about
    a few candidates near the start of a large file never scans the rest. Whatever the order
    and number of questions, the whole text is scanned at most once: linear time.

    The answers are those of testing against `url_spans(text)`: none of the pattern's
    alternatives matches whitespace (its lookbehinds see the character before a run), so
    scanning run by run gives the matches of scanning the whole text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._done = 0  # every run that starts before this has been scanned

    def touches(self, start: int, end: int) -> bool:
        """Whether `text[start:end]` touches a URL, e-mail address or domain name."""
        last = max(end - 1, start)
        if last >= self._done:
            self.scan_through(self._run_end(last))
        index = bisect.bisect_left(self._starts, end) - 1
        return index >= 0 and self.spans[index][1] > start

    def scan_through(self, limit: int) -> None:
        """Scan every run that starts before `limit` (a run's end, or the text's)."""
        text, pattern = self.text, url_re()
        hit = _TRIGGER_RE.search(text, self._done, limit)
        while hit is not None:
            run_start = self._run_start(hit.start())
            run_end = self._run_end(hit.start())
            for match in pattern.finditer(text, run_start, run_end):
                self.spans.append(match.span())
                self._starts.append(match.start())
            self._done = run_end
            hit = _TRIGGER_RE.search(text, run_end, limit)
        self._done = max(self._done, limit)

    def _run_start(self, offset: int) -> int:
        """Just after the last whitespace before `offset`; not looking back past `_done`."""
        text = self.text
        start = max(self._done, text.rfind(" ", self._done, offset) + 1)
        start = max(start, text.rfind("\n", start, offset) + 1)
        return max(start, text.rfind("\t", start, offset) + 1)

    def _run_end(self, offset: int) -> int:
        space = _SPACE_RE.search(self.text, offset)
        return len(self.text) if space is None else space.start()
