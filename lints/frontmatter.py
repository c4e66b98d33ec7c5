"""Where a leading YAML frontmatter block ends: shared by the prose view and the prefilter,
in a module of its own so that reading it does not import the prefilter's patterns."""

from __future__ import annotations

import re

_FRONTMATTER_OPEN = re.compile(r"---[ \t]*\r?\n")
_FRONTMATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def frontmatter_end(text: str) -> int:
    """Offset just past a leading YAML frontmatter block (`---` … `---`), or 0."""
    opening = _FRONTMATTER_OPEN.match(text)
    if opening is None:
        return 0
    closing = _FRONTMATTER_CLOSE.search(text, opening.end())
    return closing.end() if closing else 0
