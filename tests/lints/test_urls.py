"""URL spans found run by run, lazily: the same answers as the pattern over the whole text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lints.urls import UrlIndex, url_re, url_spans, url_spans_near

PIECES = st.sampled_from(
    [
        "a",
        "github",
        ".com",
        ".de",
        "www.",
        "://",
        "https",
        "@",
        "x.io",
        " ",
        "\n",
        "\t",
        "\r",
        "\u00a0",
        "/",
        "-",
        "_",
        ".",
        ",",
        ")",
        "(",
        "<",
        ">",
        "`",
        "Ü",
        "é",
        "1",
        "?",
        "#",
        "\u2003",  # whitespace beyond Latin-1
        "\u3000",
        "\x85",
        "\x1c",
        "\u0142",  # a letter beyond Latin-1
        "\u2014",
    ]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


def whole_text_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in url_re().finditer(text)]


@given(TEXTS)
@settings(max_examples=500, deadline=None)
def test_url_spans_are_those_of_the_whole_text(text: str) -> None:
    assert url_spans(text) == whole_text_spans(text)


@given(TEXTS, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=12))
@settings(max_examples=500, deadline=None)
def test_touches_answers_as_the_whole_text_spans_do(
    text: str, questions: list[tuple[int, int]]
) -> None:
    index = UrlIndex(text)
    spans = whole_text_spans(text)
    for start, width in questions:  # in any order, repeated, out of range
        start = min(start, len(text))
        end = min(start + width, len(text))
        expected = any(s < end and e > start for s, e in spans)
        assert index.touches(start, end) is expected, (text, start, end)


@given(TEXTS, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=12))
@settings(max_examples=500, deadline=None)
def test_touches_in_increasing_order(text: str, questions: list[tuple[int, int]]) -> None:
    index = UrlIndex(text)
    spans = whole_text_spans(text)
    for start, width in sorted(questions):
        start = min(start, len(text))
        end = min(start + width, len(text))
        expected = any(s < end and e > start for s, e in spans)
        assert index.touches(start, end) is expected, (text, start, end)


def test_a_question_near_the_start_scans_only_its_run() -> None:
    text = "see github.com now " + "x.y " * 1000
    index = UrlIndex(text)
    assert index.touches(4, 10)
    assert index.spans == [(4, 14)]
    assert not index.touches(0, 3)
    assert index.spans == [(4, 14)]


def test_many_questions_in_one_long_run_scan_it_once() -> None:
    text = "a.b" * 100_000  # one run, no whitespace
    index = UrlIndex(text)
    for start in range(0, len(text), 3):
        index.touches(start, start + 1)
    assert index.spans == whole_text_spans(text)


def merged_regions(raw: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    regions = sorted((min(start, size), min(start + width, size)) for start, width in raw)
    disjoint: list[tuple[int, int]] = []
    for start, end in regions:
        if disjoint and start < disjoint[-1][1]:
            start = disjoint[-1][1]
        if end > start:
            disjoint.append((start, end))
    return disjoint


@given(TEXTS, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=12))
@settings(max_examples=500, deadline=None)
def test_url_spans_near_find_every_match_that_touches_a_region(
    text: str, raw: list[tuple[int, int]]
) -> None:
    regions = merged_regions(raw, len(text))
    found = url_spans_near(text, regions)
    everywhere = whole_text_spans(text)
    assert set(found) <= set(everywhere)
    touching = {
        (s, e) for s, e in everywhere if any(s < end and e > start for start, end in regions)
    }
    assert touching <= set(found), (text, regions)
    assert len(found) == len(set(found))  # no run scanned twice


def test_url_spans_near_skip_what_lies_far_from_the_regions() -> None:
    code = "see.example.com " * 100
    text = "prose github.com here\n" + code + "\nmore prose x.io\n"
    tail = text.index("more prose")
    found = url_spans_near(text, [(0, 21), (tail, len(text) - 1)])
    assert found == [(6, 16), (text.index("x.io"), text.index("x.io") + 4)]
