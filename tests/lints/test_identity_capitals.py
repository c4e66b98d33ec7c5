"""The identity lint in ALL CAPS lines (issue #13): names in capitals are right there, with
SS for ß, and a suggestion is made in capitals."""

from __future__ import annotations

import pytest

from lints.engine import document_from_text
from lints.rules.identity import build

NAMES = ["GitHub", "Jürgen Weiß", "Müller GmbH"]


def flagged(text: str, path: str = "doc.md") -> list[tuple[str, str]]:
    rule = build({"names": NAMES})
    doc = document_from_text(path, text)
    return [(text[f.start : f.end], f.suggestion or "") for f in rule.check(doc)]


@pytest.mark.parametrize(
    "text",
    [
        "# WILLKOMMEN BEI GITHUB\n",
        "JÜRGEN WEISS SPRICHT ZUR ERÖFFNUNG\n",
        "## DIE MÜLLER GMBH STELLT SICH VOR\n",
        "WILLKOMMEN BEI GITHUB, JÜRGEN WEISS!\n",
    ],
)
def test_names_in_capitals_are_right_in_an_all_caps_line(text: str) -> None:
    assert flagged(text) == []
    assert flagged(text, "doc.txt") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JUERGEN WEISS SPRICHT\n", [("JUERGEN WEISS", "JÜRGEN WEISS")]),
        ("# DIE MUELLER GMBH STELLT SICH VOR\n", [("MUELLER GMBH", "MÜLLER GMBH")]),
    ],
)
def test_a_suggestion_in_an_all_caps_line_is_in_capitals(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert flagged(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wir nutzen GITHUB.\n", [("GITHUB", "GitHub")]),
        ("GITHUB\n", [("GITHUB", "GitHub")]),  # no other word: no capitals to match
        ("WIR NUTZEN Github\n", [("Github", "GitHub")]),  # not all in capitals
        ("Heute spricht JÜRGEN WEISS.\n", [("JÜRGEN WEISS", "Jürgen Weiß")]),
        ("Jürgen Weiss spricht.\n", [("Jürgen Weiss", "Jürgen Weiß")]),
    ],
)
def test_capitals_outside_an_all_caps_line_are_still_wrong(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert flagged(text) == expected


def test_capital_lines_are_judged_line_by_line() -> None:
    text = "# WILLKOMMEN BEI GITHUB\n\nWir nutzen GITHUB jeden Tag.\n"
    assert flagged(text) == [("GITHUB", "GitHub")]
    assert text.index("GITHUB jeden") == flagged_start(text)


def flagged_start(text: str) -> int:
    rule = build({"names": NAMES})
    (finding,) = rule.check(document_from_text("doc.md", text))
    return finding.start
