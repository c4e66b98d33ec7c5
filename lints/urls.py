"""URLs, e-mail addresses and domain names: never prose, in Markdown or plain text.

The pattern is compiled on first use: a file without candidates never needs it.
"""

from __future__ import annotations

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


@functools.cache
def url_re() -> re.Pattern[str]:
    return re.compile(_URL_PATTERN, re.IGNORECASE)


def url_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in url_re().finditer(text)]


def in_url(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` touches a URL, e-mail address or domain name.

    The same answer as testing against `url_spans(text)`, but only the whitespace-delimited
    runs around the span are scanned: cheap enough for a prefilter on the raw text.
    """
    run_start = max(text.rfind(c, 0, start) for c in " \n\t")
    found = [i for i in (text.find(c, end) for c in " \n\t") if i != -1]
    run_end = min(found, default=len(text))
    for match in url_re().finditer(text, run_start + 1, run_end):
        if match.start() < end and match.end() > start:
            return True
    return False
