"""The identity lint: every way a configured name gets misspelt, and what must stay quiet."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lints.engine import apply_fixes, document_from_text, lint_document, lint_text
from lints.errors import LintConfigError
from lints.rules.identity import IdentityRule, build, parse_names

NAMES: list[Any] = [
    "GitHub",
    "LinkedIn",
    "Müller GmbH",
    "Jürgen Weiß",
    {"name": "Microsoft", "wrong": ["MS"]},
    {"name": "Müller", "fuzzy": True},
    {"name": "Björn Schäfer", "allow": ["Bjorn Schafer"]},
]
RULE = build({"names": NAMES})

Expected = list[tuple[int, int, str]]

# (text, [(line, col, rule)])
ENGLISH: list[tuple[str, Expected]] = [
    ("We host on Github.\n", [(1, 12, "identity")]),
    ("GITHUB is loud.\n", [(1, 1, "identity")]),
    ("github in prose is wrong too.\n", [(1, 1, "identity")]),
    ("GitHub is right, so are GitHub's and GitHubs.\n", []),
    ("Use Git Hub or Git-Hub.\n", [(1, 5, "identity"), (1, 16, "identity")]),
    ("Once upon a Git\nHub was split.\n", [(1, 13, "identity")]),
    ("Accounts are linked in the table; Linked In is not.\n", [(1, 35, "identity")]),
    ("See github.com, https://github.com/x and www.github.com.\n", []),
    ("Write to team@github.com.\n", []),
    ("Run `github-cli` or `Github`.\n", []),
    ("```\nGithub in a fence\n```\n", []),
    ("Intro.\n\n    Github indented code\n", []),
    ("# Github heading\n", [(1, 3, "identity")]),
    ("Heading\n=======\nGithub\n", [(3, 1, "identity")]),
    ("| Github | x |\n|---|---|\n| a | GITHUB |\n", [(1, 3, "identity"), (3, 7, "identity")]),
    ("- item Github\n- other\n  Github again\n", [(1, 8, "identity"), (3, 3, "identity")]),
    ("1. first\n2. Github\n", [(2, 4, "identity")]),
    ("> quote Github\n", [(1, 9, "identity")]),
    ("> a Git\n> Hub in a quote\n", [(1, 5, "identity")]),
    ("[Github](https://github.com/github) text\n", [(1, 2, "identity")]),
    ("[GitHub][github] text\n\n[github]: https://github.com\n", []),
    ("<!-- Github in a comment -->\n", []),
    ("<a href='https://github.com'>Github</a>\n", [(1, 30, "identity")]),
    ("<div>\nGithub in an HTML block\n</div>\n", []),
    ("Text <b>Github</b> inline.\n", [(1, 9, "identity")]),
    ("ID=github and src/github/x and @github and github_token.\n", []),
    ("Thanks to [sam-github](https://github.com/sam-github).\n", []),
    ("---\ntitle: Github\n---\nBody.\n", []),
    ("MS Teams and Microsoft, but 10 ms is fine.\n", [(1, 1, "identity")]),
    ("microsoft lowercase\n", [(1, 1, "identity")]),
]

GERMAN: list[tuple[str, Expected]] = [
    ("Die Mueller GmbH liefert.\n", [(1, 5, "identity")]),
    ("Die Muller GmbH liefert.\n", [(1, 5, "identity")]),
    ("Die MÜLLER GMBH liefert.\n", [(1, 5, "identity")]),
    ("Die Müller GmbH liefert.\n", []),
    ("Die Mueller\nGmbH liefert.\n", [(1, 5, "identity")]),
    ("Die Mueller\u00a0GmbH liefert.\n", [(1, 5, "identity")]),
    ("Die Müller\u00a0GmbH und die Müller\nGmbH sind richtig.\n", []),
    ("Juergen Weiss schreibt.\n", [(1, 1, "identity")]),
    ("Jürgen Weiß schreibt, Jürgen Weiss nicht.\n", [(1, 23, "identity")]),
    ("Herrn Müllers Angebot und Frau Müller.\n", []),
    ("Herr Mueller und Herr Muller.\n", [(1, 6, "identity"), (1, 23, "identity")]),
    ("Der Füller, Herr Möller, Mr Miller und die Müllern.\n", []),
    ("Herr Müler kam.\n", [(1, 6, "identity")]),
    ("Herr müller klein.\n", [(1, 6, "identity")]),
    ("Bjorn Schafer ist erlaubt, Björn Schaefer nicht.\n", [(1, 28, "identity")]),
    ("Mail an juergen.weiss@example.de.\n", []),
    ("## Über Mueller GmbH\n", [(1, 9, "identity")]),
    ("| Firma | Ort |\n|---|---|\n| Mueller GmbH | Köln |\n", [(3, 3, "identity")]),
    ("- Punkt eins\n- Juergen Weiss\n", [(2, 3, "identity")]),
    ("```text\nMueller GmbH\n```\n", []),
    ("Siehe `Mueller GmbH` im Code.\n", []),
]

NFD: list[tuple[str, Expected]] = [
    ("Die Mu\u0308ller GmbH.\n", [(1, 5, "identity")]),
    ("MU\u0308LLER GMBH\n", [(1, 1, "identity")]),
    ("Mu\u0308ller GmbH und Github.\n", [(1, 1, "identity"), (1, 18, "identity")]),
    ("Ju\u0308rgen Weiß und Jürgen Weiß.\n", [(1, 1, "identity")]),
]


def positions(text: str, kind: Any = "markdown") -> Expected:
    return [(f.line, f.col, f.rule) for f in lint_text("doc.md", text, [RULE], kind)]


@pytest.mark.parametrize(("text", "expected"), ENGLISH + GERMAN + NFD)
def test_findings(text: str, expected: Expected) -> None:
    assert positions(text) == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH + GERMAN + NFD)
def test_prefilter_never_hides_a_finding(text: str, expected: Expected) -> None:
    doc = document_from_text("doc.md", text)
    full = lint_document(doc, [RULE])
    assert RULE.might_match(text, "markdown") or not full
    assert [(f.line, f.col, f.rule) for f in full] == expected


@pytest.mark.parametrize(
    ("text", "message", "suggestion"),
    [
        ("Github", 'write "GitHub", not "Github": wrong case', "GitHub"),
        ("Git-Hub", 'write "GitHub", not "Git-Hub": name split or joined', "GitHub"),
        (
            "Mueller GmbH",
            'write "Müller GmbH", not "Mueller GmbH": umlaut or ß written out',
            "Müller GmbH",
        ),
        (
            "Muller GmbH",
            'write "Müller GmbH", not "Muller GmbH": umlaut or accent missing',
            "Müller GmbH",
        ),
        ("MS", 'write "Microsoft", not "MS": listed as a wrong form', "Microsoft"),
        ("Müler", 'write "Müller", not "Müler": near miss', "Müller"),
        (
            "Mu\u0308ller GmbH",
            '"Müller GmbH" is written with decomposed (NFD) characters: use the composed form',
            "Müller GmbH",
        ),
        (
            "Mueller\nGmbH",
            'write "Müller GmbH", not "Mueller GmbH": umlaut or ß written out',
            "Müller\nGmbH",
        ),
        (
            "Juergen\u00a0Weiss",
            'write "Jürgen Weiß", not "Juergen Weiss": umlaut or ß written out',
            "Jürgen\u00a0Weiß",
        ),
    ],
)
def test_message_and_suggestion(text: str, message: str, suggestion: str) -> None:
    (finding,) = lint_text("doc.md", f"Text {text} end.\n", [RULE])
    assert (finding.message, finding.suggestion) == (message, suggestion)


def test_fix_rewrites_only_the_names() -> None:
    text = "# Github\n\nDie Mueller\nGmbH und `Github` und Mu\u0308ller GmbH's.\n"
    fixed = apply_fixes(text, lint_text("doc.md", text, [RULE]))
    assert fixed == "# GitHub\n\nDie Müller\nGmbH und `Github` und Müller GmbH's.\n"
    assert lint_text("doc.md", fixed, [RULE]) == []


def test_plain_text_is_all_prose() -> None:
    text = "Run `Github` now.\n"
    assert positions(text, "text") == [(1, 6, "identity")]
    assert positions(text, "markdown") == []


def test_allow_accepts_another_persons_name() -> None:
    rule = build({"names": [{"name": "Müller", "allow": ["Muller"]}]})
    assert lint_text("d.md", "Muller und Mueller.\n", [rule])[0].col == 12


def test_a_configured_name_is_never_the_misspelling_of_another() -> None:
    rule = build({"names": ["Müller", "Muller"]})
    assert lint_text("d.md", "Müller and Muller.\n", [rule]) == []


def test_all_lower_case_camel_split_is_an_ordinary_phrase() -> None:
    rule = build({"names": ["YouTube", "WordPress"]})
    text = "If you tube it, word press on. You Tube is wrong.\n"
    assert [f.col for f in lint_text("d.md", text, [rule])] == [32]


def test_dropped_umlaut_in_lower_case_is_an_ordinary_word() -> None:
    rule = build({"names": ["Bäcker"]})
    assert [f.col for f in lint_text("d.md", "a backer and Backer.\n", [rule])] == [14]


def test_fuzzy_is_opt_in() -> None:
    strict = build({"names": ["Müller"]})
    assert lint_text("d.md", "Herr Müler.\n", [strict]) == []


@pytest.mark.parametrize(
    ("options", "message", "key_path"),
    [
        ("GitHub", "must be a mapping with a `names` list", ()),
        ({"name": ["GitHub"]}, "unknown key `name` (the identity lint knows `names`)", ("name",)),
        ({"names": "GitHub"}, "`names` must be a list of names", ("names",)),
        (
            {"names": ["GitHub", 3]},
            "each name must be a string or a mapping with `name`",
            ("names", 1),
        ),
        ({"names": [""]}, "`name` must be a non-empty string", ("names", 0, "name")),
        ({"names": ["X"]}, "`X` is too short to check reliably", ("names", 0, "name")),
        ({"names": ["GitHub", "GitHub"]}, "`GitHub` is listed twice", ("names", 1)),
        (
            {"names": [{"name": "GitHub", "wrogn": ["x"]}]},
            "unknown key `wrogn` (known: `name`, `wrong`, `allow`, `fuzzy`)",
            ("names", 0, "wrogn"),
        ),
        (
            {"names": [{"name": "GitHub", "wrong": ["GitHub"]}]},
            "wrong form `GitHub` is the name itself",
            ("names", 0, "wrong", 0),
        ),
        (
            {"names": [{"name": "GitHub", "wrong": ["Gh"], "allow": ["Gh"]}]},
            "wrong form `Gh` is also in `allow`",
            ("names", 0, "wrong", 0),
        ),
        (
            {"names": [{"name": "GitHub", "wrong": [1]}]},
            "must be a non-empty string",
            ("names", 0, "wrong", 0),
        ),
        (
            {"names": [{"name": "GitHub", "fuzzy": "yes"}]},
            "`fuzzy` must be true or false",
            ("names", 0, "fuzzy"),
        ),
        (
            {"names": [{"name": "Weiß", "fuzzy": True}]},
            "`fuzzy` needs a name of at least 6 letters; list near misses of `Weiß` under "
            "`wrong` instead",
            ("names", 0, "fuzzy"),
        ),
    ],
)
def test_bad_options(options: Any, message: str, key_path: tuple[Any, ...]) -> None:
    with pytest.raises(LintConfigError) as raised:
        build(options)
    assert (raised.value.message, raised.value.key_path) == (message, key_path)


def test_parse_names_gives_wrong_examples_explicit_first() -> None:
    specs = parse_names(
        {"names": ["GitHub", {"name": "Müller GmbH", "wrong": ["Mueller AG"]}, "Jürgen Weiß"]}
    )
    assert [(s.name, s.wrong_examples) for s in specs] == [
        ("GitHub", ("Git Hub", "Github")),
        ("Müller GmbH", ("Mueller AG", "Mueller GmbH", "Müller Gmbh")),
        ("Jürgen Weiß", ("Juergen Weiss", "JÜRGEN WEISS")),
    ]


def test_names_are_normalised_to_nfc_and_single_spaces() -> None:
    (spec,) = parse_names({"names": ["  Mu\u0308ller   GmbH "]})
    assert spec.name == "Müller GmbH"


def test_rule_has_the_registry_interface() -> None:
    assert isinstance(RULE, IdentityRule)
    assert RULE.name == "identity"
    assert RULE.might_match("nothing to see", "markdown") is False


PIECES = st.sampled_from(
    [
        "word ",
        "Github ",
        "github ",
        "GitHub ",
        "Git ",
        "Hub ",
        "Mueller ",
        "GmbH ",
        "Müller ",
        "Mu\u0308ller ",
        "Jürgen ",
        "Weiss ",
        "MS ",
        "\n",
        "\n\n",
        "\r\n",
        "> ",
        "- ",
        "# ",
        "    ",
        "`",
        "```\n",
        "<b>",
        "<!-- ",
        " -->",
        "[x](",
        ")",
        "https://",
        ".com ",
        "\u00a0",
        "=",
        "/",
        "~~~\n",
        "1. ",
        "<a href='",
        "'>",
        "[r]: ",
        "][r]",
        "\\",
        "  ",
        "|",
        "|---|\n",
        "---\n",
        "``",
        "<div>\n",
        "\t",
        "www.",
        "***\n",
        "===\n",
        "[",
        "](",
        "][",
        "]: ",
        "<i ",
        "title=",
        '"',
        "<pre>\n",
        "<?x ",
        "  ```\n",
        "   ~~~\n",
        "\t```\n",
        "2. ",
        "* * *\n",
        "-\n",
        "<!--\n",
        "-->\n",
        "  - ",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=25).map("".join))
def test_prefilter_agrees_with_the_full_parse(text: str) -> None:
    full = lint_document(document_from_text("doc.md", text), [RULE])
    assert lint_text("doc.md", text, [RULE]) == full


@pytest.mark.parametrize(
    "text",
    [
        "  ```\n  ```\nGithub \n```\n",
        "<div>\n~~~\n\nGithub \n",
        "> ```\nGithub ```\n",
        "word ```\n---\nGithub ```\n",
        "---\n```\n---\nGithub ",
        "    `~~~\nGithub `",
        "[r]: word Github ",
        "[r]: [x](Github ",
        "\\<!-- Github  -->",
        "word <!-- Github \n\n -->",
        "<a href='```\nword ```\nGithub ```\n",
        "* * *\n  ```\ncode\n```\nGithub\n```\n",
        "- a\nlazy\n  ```\nGithub\n```\n",
        "[x][undefined] and [y][Github]\n",
        "word <!-- <a href=' -->Github '>",
        "`<a title='` Github '>\n",
        "`[a](b`Github)\n",
        "```\n<!--\n```\nGithub\n-->\n",
        "<div>\n<!--\n\nGithub\n-->\n",
        "- a\n\n  ```\n  <!--\nGithub\n-->\n",
        "-\n  ```\nGithub <pre>\n  ```\n",
        "[[r]: Github ",
        "<!--\n -->```\nGithub ```\n",
        "x `\n` Github `y`\n",
        "[a](b`c) Github `\n",
        "| `x | Github` |\n|---|\n",
        "\\`x` `Github`\n",
        "<!-- a\n`x` --> ` Github `\n",
    ],
)
def test_prefilter_edge_cases_found_by_hypothesis(text: str) -> None:
    full = lint_document(document_from_text("doc.md", text), [RULE])
    assert lint_text("doc.md", text, [RULE]) == full


# --- names deep in structure -----------------------------------------------------------------


def quotes(depth: int, line: str) -> str:
    return "> " * depth + line + "\n"


def bullets(depth: int, line: str) -> str:
    return "".join("  " * i + "- item\n" for i in range(depth)) + "  " * depth + f"- {line}\n"


def numbered(depth: int, line: str) -> str:
    return "".join("   " * i + "1. item\n" for i in range(depth)) + "   " * depth + f"1. {line}\n"


@pytest.mark.parametrize("depth", [1, 10, 19, 20, 21, 25, 60, 300])
@pytest.mark.parametrize("nest", [quotes, bullets, numbered])
def test_a_name_is_found_at_any_depth(nest: Any, depth: int) -> None:
    text = nest(depth, "We host on Github, see `Github` and <b>Github</b>.")
    found = lint_text("doc.md", text, [RULE])
    assert [(f.line, f.message) for f in found] == [
        (text.count("\n"), 'write "GitHub", not "Github": wrong case'),
        (text.count("\n"), 'write "GitHub", not "Github": wrong case'),
    ]
    assert [f.start for f in found] == [text.index("Github"), text.index("<b>Github") + 3]


def test_deep_fenced_code_is_not_prose() -> None:
    text = "".join(
        "> " * 50 + line + "\n"
        for line in ("Github one", "```", "Github code", "```", "Github two")
    )
    assert [f.line for f in lint_text("doc.md", text, [RULE])] == [1, 5]


@pytest.mark.parametrize("nest", [quotes, bullets, numbered])
def test_deep_nesting_is_linted_without_a_recursion_error(nest: Any) -> None:
    """100,000 block quotes on one line, or 500 nested lists: the recursion stays bounded."""
    import sys

    text = nest(100_000, "We host on Github.") if nest is quotes else nest(500, "Use Github.")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)  # markdown-it's recursion must not grow with the input
    try:
        found = lint_text("doc.md", text, [RULE])
    finally:
        sys.setrecursionlimit(limit)
    assert [text[f.start : f.end] for f in found] == ["Github"]


def test_lint_cli_on_100000_nested_quotes_exits_cleanly(build_tree: Any, run_cli: Any) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "lint:\n  identity:\n    names: [GitHub]\n",
            "deep.md": quotes(100_000, "We host on Github.") + bullets(300, "And Github."),
        }
    )
    result = run_cli("-C", root, "lint", "deep.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        'deep.md:1:200012: identity: write "GitHub", not "Github": wrong case (GitHub)',
        'deep.md:302:607: identity: write "GitHub", not "Github": wrong case (GitHub)',
    ]
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


@pytest.mark.parametrize("opening", ["[", "![", "*"])
def test_deeply_nested_inline_markup_is_linted_with_bounded_recursion(opening: str) -> None:
    import sys

    closing = "*" if opening == "*" else "](x)"
    text = opening * 5_000 + "Github" + closing * 5_000 + "\n"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        found = lint_text("doc.md", text, [RULE])
    finally:
        sys.setrecursionlimit(limit)
    assert [text[f.start : f.end] for f in found] == ["Github"]


def test_prefilter_of_a_long_file_asks_its_first_lines_then_the_whole() -> None:
    from lints.rules._prefixes import PREFIX_SIZES

    filler = "Plain prose without any configured name in it.\n" * (PREFIX_SIZES[-1] // 40)
    in_code = "```\nGithub\n```\n"
    assert len(filler) > PREFIX_SIZES[-1]
    assert RULE.might_match("Github here.\n" + filler) is True
    assert RULE.might_match(filler + "Github at the end.\n") is True
    assert RULE.might_match(in_code + filler + in_code) is False
    assert RULE.might_match(filler + filler) is False
    findings = lint_text("long.md", filler + "Github at the end.\n", [RULE])
    assert [(f.line, f.suggestion) for f in findings] == [(filler.count("\n") + 1, "GitHub")]


@pytest.mark.parametrize(
    "text",
    [
        "".join(chr(code) for code in range(256)) * 2,
        "GitHub\tÄÖÜ ÀÞ ß ÿ >\r\u00a0 x",
        "Gİt\u202fHub ΣΑΣ ǅ Ω",  # beyond Latin-1: the general route
    ],
)
def test_scan_text_of_latin1_text_is_that_of_names(text: str) -> None:
    from lints import name_scan, names

    assert name_scan.scan_text(text) == names.scan_text(text)


@given(st.text(alphabet=st.characters(max_codepoint=0x3FF), max_size=40))
@settings(max_examples=300, deadline=None)
def test_nfc_keeps_text_that_is_already_composed(text: str) -> None:
    import unicodedata

    from lints.normalize import nfc

    assert nfc(text).text == unicodedata.normalize("NFC", text)


@given(st.text(alphabet=" \t\r\n>\u00a0\u202fax", max_size=30))
def test_the_gaps_between_words_are_the_ones_the_regex_finds(text: str) -> None:
    from lints.rules.identity import _gaps

    assert _gaps(text) == re.findall(r"[ \t\r\u00a0\u202f]*\n[ \t>]*|[ \t\u00a0\u202f]+", text)


@pytest.mark.parametrize("found", ["Juergen\r\n  Weiss", "Juergen\u00a0Weiss", "Juergen\n> Weiss"])
def test_a_suggestion_keeps_the_whitespace_between_the_words(found: str) -> None:
    from lints.rules.identity import _keep_separators

    gap = found[len("Juergen") : -len("Weiss")]
    assert _keep_separators(found, "Jürgen Weiß") == f"Jürgen{gap}Weiß"
