"""A big file linted piece by piece finds exactly what the whole-file path finds.

Differential: each document is linted whole (`lint_text`) and in pieces (`lint_stream`) with
tiny pieces, so that every possible cut point is used, and the findings (and their end
positions, as the github and sarif reports show them) must be identical. Where the planner
is unsure it returns None (the file is then linted whole); the tests say which documents
must stream.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from lints.chunks import LONG_LINE
from lints.engine import decode, lint_text
from lints.errors import UnreadableFileError
from lints.finding import end_positions
from lints.prose_native import PARSER_ENV
from lints.registry import Rule
from lints.rules import identity, umlaut
from lints.stream import Streamed, lint_stream

NAMES = ["GitHub", "JavaScript", "Jürgen Weiß"]
IDENTITY = identity.build({"names": NAMES})
UMLAUT = umlaut.build({"lang": "de"})
RULE_SETS: dict[str, list[Rule]] = {
    "identity": [IDENTITY],
    "umlaut": [UMLAUT],
    "both": [IDENTITY, UMLAUT],
}
PIECES = (1, 17, 300)
ROUTES = ("native", "markdown-it")

#: A tab in a line's indentation: the native parser leaves such a document to markdown-it.
TAB_BLOCK = "\tGithub in tab code\n"
BLOCKS = [
    "The Github docs say Javascript is fine.\nFuer die Aenderungen gilt das auch.\n",
    "A paragraph about Juergen Weiss\nand his Github account, waehrend er schlaeft.\n",
    "# Github und Javascript\n",
    "# WILLKOMMEN BEI GITHUB\n",
    "Github\n======\n",
    "- item Github\n\n  continued Javascript\n\n- second Github\n",
    "1. Github\n\n2. Javascript\n\n   indented Github\n",
    "> Github quote\n>\n> more Javascript\n\nlazy Github\n",
    "```\nGithub in code\n\nJavascript at column 0\n\n```\n",
    "~~~~\n~~~\n\nGithub inside\n\n~~~~\n",
    "````md\n```\n\nGithub\n```\n\n````\n",
    "```js\nconst g = 'Github';\n\n// Javascript\n```\nAfter the fence Github.\n",
    "<!--\nGithub in a comment\n\nJavascript\n-->\n",
    "<pre>\nGithub\n\nx\n</pre>\n",
    "<script>\nvar Github;\n\nJavascript();\n</script>\n",
    "<style>\n.Github {}\n\n</style>\n",
    "<?php\n\nGithub\n?>\n",
    "<!DOCTYPE html\n\nGithub>\n",
    "<![CDATA[\n\nGithub\n]]>\n",
    "<div>\nGithub in a div\n</div>\n",
    "<div>\n\nGithub after a div\n\n</div>\n",
    "    Github code\n\n    more Javascript code\n",
    "| a | b |\n|---|---|\n| Github | Groesse |\n",
    "See [the Github docs][gh], [gh][], [gh] and [Javascript].\n",
    "An [undefined Github][nope] reference, and [Github](https://github.com/Github).\n",
    "Text <!-- rulesync-lint disable identity --> Github here.\n",
    "<!-- rulesync-lint disable identity -->\n",
    "<!-- rulesync-lint enable identity -->\n",
    "<!-- rulesync-lint disable -->\n",
    "<!-- rulesync-lint enable -->\n",
    "<!-- rulesync-lint enable umlaut -->\n",
    "<!-- rulesync-lint disable-next-line -->\nGithub on the next line.\n",
    "<!-- rulesync-lint disabel identity -->\n",
    "<!-- rulesync-lint disable umlut -->\n",
    "Text <!-- rulesync-lint disable\n\nidentity --> Github.\n",
    "- step\n\n  ```bash\n  Github\n\n  ```\n",
    "Die Groesse ist **waehrend** der Pruefung egal, Kaeufer*innen.\n",
    "2024 Github\n",
    TAB_BLOCK,
    "Github <!-- x --> Javascript, `Github` in code, <https://github.com/Javascript>.\n",
    "- a\n  - b Github\n    - c Javascript\n",
    "Zeile eins mit Groesse\nZeile zwei mit Aenderungen\n",
    "See [“Validating Github with\nJavascript”][gh] and [the\nGithub docs][nope].\n",
    '<a id="x"></a>\n<a id="y"></a>\n<span>Github</span>\n',
    '<!-- note -->\n\n<a id="z"></a>\nGithub after a tag.\n',
]
DEFINITIONS = "[gh]: https://github.com/Github\n[Javascript]: https://js.example 'Javascript'\n"


@pytest.fixture(params=ROUTES)
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both parsers, each for every document: the whole-file path chooses one per file, and
    where the native one hands a file to markdown-it, pieces of it may not need to. The two
    are meant to agree; where they do not (a table row followed by an indented line), the
    view of a piece depends on the route, so each route is compared with itself."""
    from lints import prose_native

    if request.param == "native":
        monkeypatch.delenv(PARSER_ENV, raising=False)
    else:
        monkeypatch.setenv(PARSER_ENV, request.param)
    prose_native._parser.cache_clear()
    yield request.param
    prose_native._parser.cache_clear()


def _blocks(route: str) -> list[str]:
    return BLOCKS if route == "markdown-it" else [b for b in BLOCKS if b != TAB_BLOCK]


def _whole(data: bytes, rules: Sequence[Rule], kind: Any) -> list[Any]:
    return lint_text("doc.md", decode(data, "doc.md").text, rules, kind)


def _streamed(
    data: bytes, rules: Sequence[Rule], kind: Any, piece: int, reads: list[int] | None = None
) -> Streamed | None:
    def read_at(offset: int, size: int) -> bytes:
        if reads is not None:
            reads.append(size)
        return data[offset : offset + size]

    return lint_stream("doc.md", read_at, len(data), rules, kind, piece)


def _assert_same(data: bytes, rules: Sequence[Rule], kind: Any = "markdown") -> bool:
    """Whole and streamed findings are identical for every piece size; True if it streamed."""
    whole = _whole(data, rules, kind)
    text = decode(data, "doc.md").text
    streamed_any = False
    for piece in PIECES:
        streamed = _streamed(data, rules, kind, piece)
        if streamed is None:
            continue
        streamed_any = True
        assert streamed.findings == whole, (piece, data[:2000])
        assert streamed.ends == end_positions(text, whole)
    return streamed_any


def _document(rng: random.Random, count: int, blocks: Sequence[str] = BLOCKS) -> str:
    parts = [rng.choice(blocks) for _ in range(count)]
    separators = [rng.choice(["\n", "\n", "\n", "", "\n\n"]) for _ in parts]
    body = "".join(part + separator for part, separator in zip(parts, separators, strict=True))
    return body + ("\n" + DEFINITIONS if rng.random() < 0.5 else "")


@pytest.mark.parametrize("rule_set", sorted(RULE_SETS))
def test_generated_documents_give_the_same_findings_in_pieces(rule_set: str, route: str) -> None:
    rng = random.Random(f"stream-{rule_set}")
    streamed = 0
    total = 60
    for _ in range(total):
        text = _document(rng, rng.randint(3, 30), _blocks(route))
        streamed += _assert_same(text.encode(), RULE_SETS[rule_set])
    assert streamed > total // 2  # the planner is not unsure about most documents


@pytest.mark.parametrize("rule_set", sorted(RULE_SETS))
def test_every_block_alone_and_between_paragraphs(rule_set: str, route: str) -> None:
    rules = RULE_SETS[rule_set]
    filler = BLOCKS[0] + "\n"
    for block in _blocks(route):
        _assert_same((filler + block + "\n" + filler + block + filler).encode(), rules)
        _assert_same((block + "\n" + filler + DEFINITIONS).encode(), rules)


@pytest.mark.parametrize("rule_set", sorted(RULE_SETS))
def test_plain_text_gives_the_same_findings_in_pieces(rule_set: str) -> None:
    rng = random.Random(f"text-{rule_set}")
    for _ in range(30):
        text = _document(rng, rng.randint(3, 20))
        assert _assert_same(text.encode(), RULE_SETS[rule_set], "text")


def test_crlf_bom_and_non_ascii_give_the_same_findings(route: str) -> None:
    rng = random.Random("crlf")
    streamed = 0
    for _ in range(20):
        text = "Über Größe: Github.\n\n" + _document(rng, 12, _blocks(route))
        crlf = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
        streamed += _assert_same(crlf, [IDENTITY])
        streamed += _assert_same(b"\xef\xbb\xbf" + text.encode(), RULE_SETS["both"])
    assert streamed > 20


def test_frontmatter_with_blank_lines_is_never_cut() -> None:
    text = "---\ntitle: Github\n\nnotes: |\n  Github\n\n---\n\nGithub in prose.\n\nJavascript.\n"
    reads: list[int] = []
    streamed = _streamed(text.encode(), [IDENTITY], "markdown", 1, reads)
    assert streamed is not None
    assert [f.line for f in streamed.findings] == [9, 11]
    assert _assert_same(text.encode(), [IDENTITY])
    unclosed = "---\ntitle: x\n\nGithub in prose.\n\nJavascript.\n"  # no frontmatter
    assert _assert_same(unclosed.encode(), [IDENTITY]) is True


def test_suppression_ranges_carry_across_pieces() -> None:
    paragraphs = ["Github one.", "<!-- rulesync-lint disable identity -->", "Github two."]
    paragraphs += ["Github three.", "<!-- rulesync-lint enable identity -->", "Github four."]
    data = "\n\n".join(paragraphs).encode()
    streamed = _streamed(data, [IDENTITY], "markdown", 1)
    assert streamed is not None
    assert [f.line for f in streamed.findings] == [1, 11]
    assert streamed.findings == _whole(data, [IDENTITY], "markdown")


def test_references_defined_at_the_end_are_read_as_links_in_every_piece() -> None:
    link = "See [the docs][Github label].\n\n"
    data = (link * 20 + "Closing text.\n\n[github label]: https://example.com\n").encode()
    whole = _whole(data, [IDENTITY], "markdown")
    assert whole == []  # the label is a link's, not prose
    streamed = _streamed(data, [IDENTITY], "markdown", 1)
    assert streamed is not None
    assert streamed.findings == []
    undefined = (link * 20).encode()
    assert len(_whole(undefined, [IDENTITY], "markdown")) == 20
    assert _assert_same(undefined, [IDENTITY])


def test_pieces_are_read_one_at_a_time() -> None:
    paragraph = "The Github docs say it is fine, and so does the rest of this sentence.\n\n"
    data = (paragraph * 2000).encode()
    reads: list[int] = []
    streamed = _streamed(data, [IDENTITY], "markdown", 4096, reads)
    assert streamed is not None
    assert len(streamed.findings) == 2000
    pieces = [size for size in reads[1:] if size != min(len(data), 1 << 20)]
    assert len(pieces) > 30
    assert max(pieces) < 4096 + len(paragraph)


@pytest.mark.parametrize(
    "document",
    [
        "- item\n  ```\n  code\n\nGithub at the top again.\n\n```\n\nGithub in code.\n",
        "| a |\n|---|\n```\n\nGithub.\n\n```\n",
        "<span>\n```\n\nGithub.\n",
        "Heading\n[a]: https://example.com\n\n[a] Github.\n",
        "[a]: <https://example.com\n\nGithub.\n",
        "[multi\nline]: https://example.com\n\n[multi line] Github.\n",
        "<div>\n<!--\n\nGithub\n-->\n",
    ],
)
def test_the_planner_gives_up_where_it_cannot_be_sure(document: str) -> None:
    data = ("Github first.\n\n" + document).encode()
    assert _streamed(data, [IDENTITY], "markdown", 1) is None


def test_a_line_longer_than_the_limit_means_the_whole_file() -> None:
    data = b"Github " * (LONG_LINE // 7 + 10) + b"\n"
    assert _streamed(data, [IDENTITY], "markdown", 1) is None


AUTO = umlaut.build({"lang": "auto"})
#: Paragraphs that decide on their own, with candidates and without (a piece without one is
#: not parsed on the first pass: its score is read again at the end).
GERMAN = ["Die Groesse ist wichtig, und die Aenderungen auch.\n", "Das ist nicht auf Englisch.\n"]
ENGLISH = ["The Groesse field and the Aenderungen list are in English.\n", "This is not German.\n"]
#: No telling words: the whole document decides.
NEUTRAL = ["# Groesse\n", "| Groesse | Aenderungen |\n|---|---|\n| x | y |\n", "Groesse\n"]


def _undecided(data: bytes, kind: Any = "markdown") -> list[Any]:
    """The findings of the paragraphs without telling words, as the whole path sees them."""
    lines = decode(data, "doc.md").text.splitlines()
    return [f for f in _whole(data, [AUTO], kind) if lines[f.line - 1] in _NEUTRAL_LINES]


_NEUTRAL_LINES = {"# Groesse", "| Groesse | Aenderungen |", "Groesse"}


@pytest.mark.parametrize("kind", ["markdown", "text"])
def test_umlaut_auto_decides_by_the_whole_document_in_pieces(route: str, kind: str) -> None:
    rng = random.Random(f"auto-{kind}")
    counted = dropped = 0
    for number in range(40):
        side = GERMAN if number % 2 else ENGLISH
        blocks = [rng.choice(side) for _ in range(rng.randint(4, 14))]
        for _ in range(rng.randint(1, 3)):
            blocks.insert(rng.randrange(len(blocks) + 1), rng.choice(NEUTRAL))
        data = "\n".join(blocks).encode()
        assert _assert_same(data, [AUTO], kind)
        assert _assert_same(data, [IDENTITY, AUTO], kind)
        found = len(_undecided(data, kind))
        counted += found
        dropped += found == 0 and side is ENGLISH
    assert counted > 20  # neutral findings kept in German documents
    assert dropped > 10  # and left out of English ones


def test_umlaut_auto_reads_the_unparsed_pieces_again_only_when_the_document_decides() -> None:
    german = ("Das ist nicht auf Englisch, wir schreiben hier Deutsch.\n\n" * 200).encode()
    heading = b"# Groesse\n\n"
    for data, again in ((heading + german, True), (german + b"Die Groesse.\n", False)):
        first_pass: list[int] = []  # `lang: de` decides every paragraph alone
        assert _streamed(data, [UMLAUT], "markdown", 512, first_pass) is not None
        reads: list[int] = []
        streamed = _streamed(data, [AUTO], "markdown", 512, reads)
        assert streamed is not None
        assert streamed.findings == _whole(data, [AUTO], "markdown")
        assert [f.line for f in streamed.findings] == [1 if again else 401]
        assert (len(reads) > len(first_pass)) is again
        assert sum(reads) <= 2 * sum(first_pass)


def test_a_file_without_candidates_reports_nothing_not_even_a_misspelt_comment() -> None:
    data = b"Plain words.\n\n<!-- rulesync-lint disabel -->\n\nMore words.\n"
    assert _whole(data, [IDENTITY], "markdown") == []
    streamed = _streamed(data, [IDENTITY], "markdown", 1)
    assert streamed is not None
    assert streamed.findings == []


def test_binary_and_bad_utf8_are_reported_as_in_the_whole_file_path() -> None:
    good = b"Github.\n\n" * 50
    for data in (good + b"x\x00y\n" + good, good + b"\xff\n\n" + good):
        with pytest.raises(UnreadableFileError) as whole:
            decode(data, "doc.md")
        with pytest.raises(UnreadableFileError) as streamed:
            _streamed(data, [IDENTITY], "markdown", 1)
        assert str(streamed.value) == str(whole.value)
        assert "doc.md" in str(streamed.value)
    with pytest.raises(UnreadableFileError, match="line 101: not valid UTF-8"):
        _streamed(good + b"\xff\n\n" + good, [IDENTITY], "markdown", 1)


def test_a_file_that_shrinks_while_it_is_read_is_an_error_not_a_traceback() -> None:
    data = b"Github.\n\n" * 100

    def shrinking(offset: int, size: int) -> bytes:
        return data[offset : offset + size] if offset < 400 else b""

    with pytest.raises(UnreadableFileError, match="changed while it was read"):
        lint_stream("doc.md", shrinking, len(data), [IDENTITY], "markdown", 100)


# --- through the CLI ---------------------------------------------------------------------


def _cli_outputs(
    run_cli: Any, project: Path, monkeypatch: pytest.MonkeyPatch, stream_from: int
) -> list[Any]:
    monkeypatch.setattr("lints.engine.STREAM_FROM", stream_from)
    results = []
    for output_format in ("text", "json", "github", "sarif"):
        results.append(run_cli("-C", project, "lint", "--format", output_format, "docs"))
    return results


@pytest.mark.parametrize("lang", ["de", "auto"])
def test_the_cli_reports_the_same_streamed_or_whole(
    build_tree: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    rng = random.Random("cli")
    blocks = _blocks("native")
    docs = {
        f"docs/d{n}.md": _document(rng, 25, blocks) + "\nA Github line\nthat goes on.\n"
        for n in range(4)
    }
    docs["docs/t.txt"] = "Ein Github Text ueber Groesse.\n\n" * 30
    docs["docs/english.md"] = "# Groesse\n\n" + "This is not German at all.\n\n" * 30
    config = (
        "lint:\n  identity:\n    names: [GitHub, JavaScript, Jürgen Weiß]\n"
        f"  umlaut:\n    lang: {lang}\n"
    )
    project = build_tree({"rulesync.yaml": config, **docs})
    whole = _cli_outputs(run_cli, project, monkeypatch, 1 << 40)
    streamed = _cli_outputs(run_cli, project, monkeypatch, 0)
    for before, after in zip(whole, streamed, strict=True):
        assert before.exit_code == after.exit_code == 1
        assert after.stdout == before.stdout
        assert after.stderr == before.stderr
    assert "endLine" in streamed[3].stdout and "::error" in streamed[2].stdout


def test_the_cli_names_an_unreadable_big_file(
    build_tree: Any, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "lint:\n  identity:\n    names: [GitHub]\n"
    project = build_tree({"rulesync.yaml": config, "docs/a.md": b"Github.\n\n" * 10 + b"\xfe\n"})
    monkeypatch.setattr("lints.engine.STREAM_FROM", 0)
    result = run_cli("-C", project, "lint", "docs/a.md")
    assert result.exit_code == 2
    assert "docs/a.md: line 21: not valid UTF-8 (byte 0xfe)" in result.stderr
    assert "Traceback" not in result.stderr
