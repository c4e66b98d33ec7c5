"""The umlaut lint's word list: a bucket's lines searched, then a set; the same answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lints import lexicon
from lints.lexicon import SET_AFTER, SortedWords

WORDS = sorted(
    ["abend", "abendessen", "aber", "ab", "bär", "bären", "bärenstark", "fuß", "fußball", "zu"]
    + [f"schl{letter}ss" for letter in "aeiou"]
    + [f"schluss{n}" for n in range(50)],
    key=lambda word: word.encode("utf-8"),
)
EXTRA = frozenset({"müßig", "schlx"})
REMOVED = frozenset({"bärenstark", "schluss7"})


def listed(word: object) -> bool:
    """What the list answers, as a plain set of the same words."""
    return isinstance(word, str) and (word in WORDS or word in EXTRA) and word not in REMOVED


def word_list(trailing_newline: bool = True) -> SortedWords:
    data = "\n".join(WORDS) + ("\n" if trailing_newline else "")
    return SortedWords(data.encode("utf-8"), EXTRA, REMOVED)


QUESTIONS = [
    *WORDS,
    *EXTRA,
    *REMOVED,
    "",
    "a",
    "abe",
    "aben",
    "abendes",
    "bärens",
    "schl",
    "schluss",
    "schluss7",
    "schluss70",
    "zz",
    "zzzzz",
    "aber\nab",  # two lines: no word holds a line break
    "ab\n",
    "\ud800abc",  # a lone surrogate: in no line of the list
    "schl\ud800",
    None,
    3,
]


@pytest.mark.parametrize("trailing_newline", [True, False])
def test_every_answer_is_the_sets_before_and_after_a_bucket_becomes_one(
    trailing_newline: bool,
) -> None:
    words = word_list(trailing_newline)
    for _round in range(SET_AFTER + 2):  # the first look-ups search lines, later ones a set
        for question in QUESTIONS:
            assert (question in words) is listed(question), repr(question)


def test_a_bucket_asked_often_becomes_a_set() -> None:
    words = word_list()
    for n in range(SET_AFTER):
        assert (f"schluss{n}" in words) is (n != 7)  # schluss7 is removed
    assert "schl" not in words._buckets
    assert "schluss40" in words
    assert words._buckets["schl"] == {w for w in WORDS if w.startswith("schl")} - REMOVED | {
        "schlx"
    }


def test_starting_with_answers_as_the_bucket() -> None:
    words = word_list()
    bucket = words.starting_with("schl")
    for question in ["schlass", "schluss3", "schluss7", "schlx", "schlo", "abend"]:
        expected = listed(question) and question.startswith("schl")
        if question.startswith("schl"):
            assert (question in bucket) is expected, question


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([w for w in QUESTIONS if isinstance(w, str)]), max_size=80))
def test_any_order_of_questions_gets_the_sets_answers(questions: list[str]) -> None:
    words = word_list()
    for question in questions:
        assert (question in words) is listed(question)


def test_the_shipped_list_answers_as_its_lines(tmp_path: Path) -> None:
    german = lexicon.german()
    for word in ["fuß", "größe", "änderungen", "schlüssel", "prüfung"]:
        assert word in german
    for word in ["fuss", "groesse", "aenderungen", "schluessel"]:
        assert word not in german
