"""The prose view: same length as the text, newlines kept, only prose left standing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lints.prose import extract, prose_view

# (markdown, the words left in the prose view)
CASES: list[tuple[str, list[str]]] = [
    ("Plain words here.\n", ["Plain", "words", "here."]),
    ("# Title *em* #\n", ["Title", "*em*"]),
    ("Setext title\n============\n", ["Setext", "title"]),
    ("a `code` b\n", ["a", "b"]),
    ("a ``x ` y`` b\n", ["a", "b"]),
    ("\\`not code\\`\n", ["\\`not", "code\\`"]),
    ("```python\nfence = 1\n```\nafter\n", ["after"]),
    ("~~~\ntilde fence\n~~~\n", []),
    ("```\nunclosed fence\nto the end\n", []),
    ("before\n\n    indented code\n\nafter\n", ["before", "after"]),
    ("<div>\nhtml block\n</div>\n\nafter\n", ["after"]),
    ("x <b>bold</b> y\n", ["x", "bold", "y"]),
    ("<!-- a\ncomment -->\ntext\n", ["text"]),
    ("x <!-- inline\ncomment --> y\n", ["x", "y"]),
    ("[link text](http://example.org 'title') after\n", ["[link", "text", "after"]),
    ("[a][ref] and [ref][] and [ref]\n\n[ref]: http://x\n", ["[a", "and", "[ref", "and", "[ref"]),
    ("[undefined][] stays\n", ["[undefined][]", "stays"]),
    ("![alt text](img.png) after\n", ["![alt", "text", "after"]),
    ("<https://example.org> and <me@example.org>\n", ["and"]),
    ("see https://github.com/x/y. Done\n", ["see", ".", "Done"]),
    ("visit github.com or www.example.org now\n", ["visit", "or", "now"]),
    ("mail me@example.de today\n", ["mail", "today"]),
    ("---\ntitle: hidden\n---\nbody\n", ["body"]),
    ("body\n\n---\n\nnot: frontmatter\n", ["body", "not:", "frontmatter"]),
    ("| a | `b` c |\n|---|---|\n| d | e |\n", ["a", "c", "d", "e"]),
    ("- one\n  more\n1. two\n", ["one", "more", "two"]),
    ("- item\n\n      code in item\n", ["item"]),
    ("- item\n\n  paragraph in item\n", ["item", "paragraph", "in", "item"]),
    ("> quote\n> more\n", ["quote", "more"]),
    ("> - nested `x` item\n", ["nested", "item"]),
    ("-\ttab item\n", ["tab", "item"]),
    ("***\n", []),
    ("a \\\nhard break\n", ["a", "\\", "hard", "break"]),
    ("~~strike~~ through\n", ["~~strike~~", "through"]),
]


def check_invariants(text: str, prose: str) -> None:
    assert len(prose) == len(text)
    for original, shown in zip(text, prose, strict=True):
        assert shown == original or shown == " " or (original == "\r" and shown == " ")
        assert (original == "\n") == (shown == "\n")


@pytest.mark.parametrize(("text", "words"), CASES)
def test_prose_words(text: str, words: list[str]) -> None:
    prose = prose_view(text, "markdown")
    check_invariants(text, prose)
    assert prose.split() == words


@pytest.mark.parametrize(("text", "words"), CASES)
def test_crlf_gives_the_same_words_at_the_same_offsets(text: str, words: list[str]) -> None:
    crlf = text.replace("\n", "\r\n")
    prose = prose_view(crlf, "markdown")
    check_invariants(crlf, prose)
    assert "\r" not in prose
    assert prose.split() == words


def test_offsets_are_those_of_the_source() -> None:
    text = "# Head\n\n| x | `y` |\n|---|---|\n| cell Github | z |\n\n> quote **Github**\n"
    prose = prose_view(text, "markdown")
    first = text.index("Github")
    second = text.index("Github", first + 1)
    assert prose[first : first + 6] == "Github"
    assert prose[second : second + 6] == "Github"
    assert prose.index("Github") == first


def test_plain_text_is_all_prose_but_urls() -> None:
    text = "a `b` <i>c</i> https://example.org/x d github.com\n"
    assert prose_view(text, "text").split() == ["a", "`b`", "<i>c</i>", "d"]


def test_html_spans_cover_comments_and_blocks_but_not_code() -> None:
    text = (
        "x <!-- one --> y\n\n"
        "```\n<!-- in code -->\n```\n\n"
        "<!-- block\ncomment -->\n\n"
        "`<!-- inline code -->`\n"
    )
    html = extract(text, "markdown").html
    assert html is not None
    shown = [text[start:end].strip() for start, end in html]
    assert shown == ["<!-- one -->", "<!-- block\ncomment -->"]


def test_plain_text_has_no_html_spans() -> None:
    assert extract("<!-- x -->\n", "text").html is None


MARKDOWN_PIECES = st.sampled_from(
    [
        "word ",
        "Github ",
        "`code` ",
        "``a`b`` ",
        "\n",
        "\n\n",
        "\r\n",
        "# ",
        "> ",
        "- ",
        "1. ",
        "    ",
        "\t",
        "```\n",
        "~~~js\n",
        "<b>",
        "</b>",
        "<!-- c -->",
        "[t](u) ",
        "[r]: http://x\n",
        "| a | b |\n|---|---|\n",
        "https://github.com/x ",
        "*",
        "_",
        "\\",
        "Mu\u0308ller ",
        "\u00a0",
        "---\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_PIECES, max_size=30).map("".join))
def test_any_markdown_keeps_length_newlines_and_characters(text: str) -> None:
    check_invariants(text, prose_view(text, "markdown"))


@given(
    st.text(alphabet="ab Ä\n\tß", max_size=30),
    st.lists(st.tuples(st.integers(0, 32), st.integers(0, 32)), max_size=6),
)
@settings(max_examples=300, deadline=None)
def test_keep_spans_of_latin1_text_is_that_of_any_text(
    text: str, spans: list[tuple[int, int]]
) -> None:
    from lints.prose import _keep_spans_of_any, keep_spans

    kept = keep_spans(text, spans)
    assert kept == _keep_spans_of_any(text, spans)
    assert kept == _keep_spans_of_any(text + "\u0142", spans)[: len(text)]
    assert keep_spans(text + "\u0142", spans) == _keep_spans_of_any(text + "\u0142", spans)
