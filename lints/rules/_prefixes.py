"""Growing prefixes of a long text, for the prefilters of the rules.

A prefilter (`might_match`) that finds a candidate early in a file need not look at the
rest: a yes only costs the parse, and `check` decides what is found. Asking a few growing
prefixes first and then the whole text keeps it linear (the prefixes add a fixed amount),
and a file that holds candidates, as most that are parsed do, usually holds one in its
first lines.
"""

from __future__ import annotations

from collections.abc import Iterator

#: Characters of each prefix asked about before the whole text (each is cut after a line).
PREFIX_SIZES = (1 << 12, 1 << 15)


def prefixes(text: str) -> Iterator[str]:
    """The first lines of `text` up to each of PREFIX_SIZES characters, cut after a newline,
    while they are shorter than the text."""
    for size in PREFIX_SIZES:
        if len(text) <= size:
            return
        cut = text.find("\n", size)
        if cut == -1:
            return
        yield text[: cut + 1]
