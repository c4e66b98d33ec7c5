"""`end_positions`: where each finding's flagged text ends, found in one pass over the text."""

from __future__ import annotations

import random

from lints.finding import Finding, end_positions


def _one_by_one(text: str, finding: Finding) -> tuple[int, int]:
    """The definition: the finding's line plus the newlines it spans; the column after it."""
    end = max(finding.end, finding.start)
    line = finding.line + text.count("\n", finding.start, end)
    return line, end - (text.rfind("\n", 0, end) + 1) + 1


def _finding(text: str, start: int, end: int) -> Finding:
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return Finding("doc.md", line, col, "identity", "m", None, start, end)


def test_ends_in_any_order_match_the_definition() -> None:
    rng = random.Random(13)
    for _ in range(200):
        text = "".join(rng.choice("ab \n") for _ in range(rng.randint(0, 300)))
        spans = [sorted((rng.randint(0, len(text)), rng.randint(0, len(text)))) for _ in range(9)]
        findings = [_finding(text, start, end) for start, end in spans]
        rng.shuffle(findings)
        assert end_positions(text, findings) == [_one_by_one(text, f) for f in findings]


def test_a_finding_spanning_lines_and_an_empty_one() -> None:
    text = "first Github\nsecond\nthird"
    spanning = _finding(text, 6, 16)  # "Github\nsec"
    empty = _finding(text, 20, 20)
    assert end_positions(text, [spanning, empty]) == [(2, 4), (3, 1)]
