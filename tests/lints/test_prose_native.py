"""The native prose route (pulldown-cmark via pyromark) against markdown-it-py, the definition.

The differential tests parse each document both ways and require the same prose view and the
same HTML spans. Examples are written here; the CommonMark spec and folders of real docs are compared by
`benchmarks/prose_differential.py` (files not shipped with rulesync; see docs/lint-identity.md).
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from lints import prose_native
from lints.prose import _markdown_source, extract, keep_spans, markdown_it_spans
from lints.prose_native import PARSER_ENV, native_spans

#: The differential tests need the wheel (Python 3.11+); the fallback tests do not.
needs_native = pytest.mark.skipif(
    not prose_native.native_available(), reason="pyromark is not installed (Python 3.10?)"
)

EXAMPLES = [
    '# Heading *em* ##\n\nA paragraph with `code`, <b>html</b> and a [link](http://x.io "t").\n',
    "Setext heading\n===\n\nOther\n---\n",
    "> quote line one\n> **strong\n> across** lines\nlazy continuation\n",
    "- tight item\n- another `x`\n  - nested *em*\n    - deeper\n",
    "1. loose item\n\n   second paragraph\n\n2) other list\n",
    "- a\n  > quoted in item\n  ```\n  code in item\n  ```\n- b\n",
    "* Foo\n* * *\n* Bar\n",
    "```python\nprint('not prose')\n```\n\n~~~\nalso code\n~~~\n\n    indented code\n",
    "<div>\nHTML block text\n</div>\n\n<!-- rulesync-disable identity -->\nafter\n",
    'Inline <span class="x">tag</span> and <!-- comment --> and <br/> end.\n',
    "Autolinks <https://example.com/x> and <me@example.com>, bare https://example.com/y.\n",
    'Links: [inline](/u), [ref][r], [collapsed][], [shortcut], ![image](/i.png "t").\n\n'
    "[r]: /r\n[collapsed]: /c\n[shortcut]: /s 'title'\n",
    "[![badge](https://img.shields.io/x.svg)](https://example.com) after badge\n",
    "[link with `code` label](/u) and [**strong** label][r]\n\n[r]: /r\n",
    "[label\nacross lines](/u) and [another](\n/u)\n",
    "Escapes: \\*not em\\*, \\[not link\\], \\`not code\\`\n\\# not heading\n",
    "Hard break with backslash\\\nand with spaces  \nend\n",
    "\\\nline after a lone backslash\n",
    "- \\\n  hard break first in a tight item\n",
    "| Column A | Column B |\n|---|:---:|\n| cell `code` | [l](/u) |\n| **b** | ~~strike~~ |\n",
    "Strikethrough ~~two~~ and ~one~ tilde.\n",
    "Entities &amp; &ouml; &#42; stay as written.\n",
    "Umlaute: Größe, Übung, Fuß — und `Code` mit Ä.\n\n> Zitat mit **Änderung**\n",
    "---\ntitle: Frontmatter\n---\n\n# After frontmatter\n",
    "Windows\r\nline endings\r\n\r\n- item\r\n",
    "*emphasis\nacross lines*\n\n**a\n**b\n",
    "> - list in quote\n>   continued\n> 1. ordered\n",
    "Text with a footnote-like [^1] and [^1]: not enabled\n",
    "A line `with a code span\nacross lines` in a paragraph\n",
    "<a\nhref='x'>multi-line tag</a> text\n",
    "Trailing hashes # in text #\n\n## Heading with # inside\n",
    "- [ ] task-like item\n- [x] done\n",
    "Emoji 🎉 and CJK 漢字 before a `code` span, then [link](/ü).\n",
]


def both(markdown: str) -> tuple[tuple[str, list[tuple[int, int]]], ...] | None:
    source = _markdown_source(markdown)
    native = native_spans(source)
    if native is None:
        return None
    reference = markdown_it_spans(source)
    return (
        (keep_spans(source, reference[0]), sorted(reference[1])),
        (keep_spans(source, native[0]), sorted(native[1])),
    )


def html_starts(source: str, spans: list[tuple[int, int]]) -> set[int]:
    """Offsets of non-space characters inside HTML spans (what suppression comments use)."""
    return {i for start, end in spans for i in range(start, end) if not source[i].isspace()}


@needs_native
@pytest.mark.parametrize("markdown", EXAMPLES)
def test_native_route_gives_the_markdown_it_prose_view(markdown: str) -> None:
    views = both(markdown)
    assert views is not None, "the native route gave up on a plain example"
    (reference, reference_html), (native, native_html) = views
    assert native == reference
    source = _markdown_source(markdown)
    assert html_starts(source, native_html) == html_starts(source, reference_html)


@needs_native
def test_non_ascii_offsets_are_character_offsets() -> None:
    markdown = "Größe `cödé` über [Lïnk](/ü) 🎉 Ende\n"
    views = both(markdown)
    assert views is not None
    native = views[1][0]
    assert len(native) == len(markdown)
    assert native.index("über") == markdown.index("über")
    assert "cödé" not in native and "/ü" not in native
    assert native.index("Ende") == markdown.index("Ende")


@needs_native
@pytest.mark.parametrize(
    "markdown",
    [
        "> a\n>\tb\n",  # a tab in a container prefix
        "- item\n\tcontinued\n",
        "| a | b |\n|---|---|\n| x \\| y | z |\n",  # an escaped pipe
        "| a | b |\n|---|---|\n| c | d |\n    Groesse here\n",  # an indented line after a row
        "a | b\n--|--\nc | d\n    Groesse here\n",
        "## Heading\t##\n",
        "![outer ![inner](/i)](/o)\n",
        "[x]: /u\n    [x]\n",
        ">" * 40 + " deep\n",
    ],
)
def test_constructs_where_the_parsers_differ_fall_back(markdown: str) -> None:
    assert native_spans(_markdown_source(markdown)) is None


@needs_native
def test_fallback_result_is_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    markdown = "> a\n>\tb `c`\n"
    native = extract(markdown, "markdown")
    monkeypatch.setenv(PARSER_ENV, "markdown-it")
    prose_native._parser.cache_clear()
    try:
        assert not prose_native.native_available()
        assert extract(markdown, "markdown") == native
    finally:
        monkeypatch.delenv(PARSER_ENV)
        prose_native._parser.cache_clear()
    assert prose_native.native_available()


def test_missing_wheel_falls_back_to_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    markdown = "# Title\n\nSome `code` and a [link](https://example.com).\n"
    expected = extract(markdown, "markdown")
    monkeypatch.setitem(__import__("sys").modules, "pyromark", None)  # import fails
    prose_native._parser.cache_clear()
    try:
        assert native_spans(markdown) is None
        assert extract(markdown, "markdown") == expected
    finally:
        monkeypatch.undo()
        prose_native._parser.cache_clear()


def test_forced_fallback_gives_the_same_views_on_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    native = [extract(markdown, "markdown") for markdown in EXAMPLES]
    monkeypatch.setenv(PARSER_ENV, "markdown-it")
    prose_native._parser.cache_clear()
    try:
        assert [extract(markdown, "markdown") for markdown in EXAMPLES] == native
    finally:
        monkeypatch.delenv(PARSER_ENV)
        prose_native._parser.cache_clear()


PIECES = [
    *("a", "Wort", "ü", "ß", " ", "  ", "\n", "\n\n", "> ", "- ", "* ", "1. ", "# ", "## "),
    *("`", "``", "*", "**", "_", "~~", "[", "]", "(", ")", "![", "<", ">", "<b>", "</b>"),
    *("<!-- x -->", "http://x.io", "a@b.de", "\\", "\\*", "&amp;", "|", " | ", "---"),
    *("===", "```", "~~~", "    ", "\t", "[x]: /u", "[x]", "[x][]", "<div>", "!", '"t"'),
]


def same_words(reference: str, native: str) -> bool:
    """The same words on each line (tabs and spaces are both blank to every rule; where
    markdown-it's line search finds a word early in its line, the columns differ)."""
    return [line.split() for line in reference.split("\n")] == [
        line.split() for line in native.split("\n")
    ]


@needs_native
def test_random_documents_give_the_same_prose() -> None:
    rng = random.Random(13)
    compared = 0
    for _ in range(1500):
        markdown = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))
        views = both(markdown)
        if views is None:
            continue
        compared += 1
        (reference, _), (native, _) = views
        assert same_words(reference, native), repr(markdown)
    assert compared > 1200


def _differential() -> ModuleType:
    """benchmarks/prose_differential.py, the script that runs this comparison over real files
    (the CommonMark spec, folders of docs); see docs/lint-identity.md for its last result."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "prose_differential.py"
    spec = importlib.util.spec_from_file_location("prose_differential", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FAKE_SPEC = (
    "# Spec\n\n"
    + "`" * 32
    + " example\n- a\u2192b\n.\n<ul>\n</ul>\n"
    + "`" * 32
    + "\n\n"
    + "`" * 32
    + " example\n*em* and `code`\n.\n<p/>\n"
    + "`" * 32
    + "\n"
)


def test_differential_script_reads_spec_examples_and_folders(tmp_path: Path) -> None:
    script = _differential()
    (tmp_path / "spec.txt").write_text(FAKE_SPEC, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n\ntext\n", encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text("not Markdown\n", encoding="utf-8")
    found = list(script.documents([tmp_path / "spec.txt", tmp_path / "docs"]))
    assert [name.rsplit("/", 1)[-1] for name, _ in found] == [
        "spec.txt example 1",
        "spec.txt example 2",
        "a.md",
    ]
    assert [markdown for _, markdown in found] == ["- a\tb\n", "*em* and `code`\n", "# A\n\ntext\n"]


@needs_native
def test_differential_script_reports_a_difference(monkeypatch: pytest.MonkeyPatch) -> None:
    script = _differential()
    assert script.compare("Some *em* and `code`.\n") == ""
    monkeypatch.setattr(script, "native_spans", lambda source: ([(0, 4)], []))
    report = script.compare("Some *em* and `code`.\n")
    assert "line 1" in report and "'Some" in report


def test_a_parser_panic_falls_back_to_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class PanicException(BaseException):  # what pyo3 raises for a panic in Rust
        pass

    class Panicking:
        def events_with_range(self, source: str, merge_text: bool) -> Iterator[object]:
            raise PanicException("index out of bounds")
            yield  # pragma: no cover

    markdown = "Some `code` and [a link](/u).\n"
    expected = extract(markdown, "markdown")
    monkeypatch.setattr(prose_native, "_parser", lambda: Panicking())
    assert native_spans(markdown) is None
    assert extract(markdown, "markdown") == expected


def test_keyboard_interrupt_is_not_taken_for_a_panic(monkeypatch: pytest.MonkeyPatch) -> None:
    class Interrupted:
        def events_with_range(self, source: str, merge_text: bool) -> Iterator[object]:
            raise KeyboardInterrupt
            yield  # pragma: no cover

    monkeypatch.setattr(prose_native, "_parser", lambda: Interrupted())
    with pytest.raises(KeyboardInterrupt):
        native_spans("text\n")
