"""The lint engine: reading files, suppression comments, fixes, BOM and CRLF."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from lints.engine import (
    Source,
    apply_fixes,
    fixable,
    kind_for,
    lint_file,
    lint_text,
    load_document,
    read_source,
    write_source,
)
from lints.errors import UnreadableFileError
from lints.finding import Finding
from lints.rules.identity import build

RULE = build({"names": ["GitHub", "Müller GmbH"]})


class _Other:
    """A second rule, to show that suppression can pick one rule."""

    name = "other"

    def check(self, doc):  # type: ignore[no-untyped-def]
        offset = doc.prose.find("Github")
        while offset != -1:
            line, col = doc.position(offset)
            yield Finding(doc.path, line, col, "other", "other rule", None, offset, offset + 6)
            offset = doc.prose.find("Github", offset + 1)


def lines(text: str, rules: list[object] | None = None) -> list[tuple[int, str]]:
    found = lint_text("doc.md", text, rules or [RULE])  # type: ignore[arg-type]
    return [(f.line, f.rule) for f in found]


SUPPRESSION = [
    ("Github\n", [(1, "identity")]),
    (
        "<!-- rulesync-lint disable identity -->\nGithub\n<!-- rulesync-lint enable identity -->\n"
        "Github\n",
        [(4, "identity")],
    ),
    ("<!-- rulesync-lint disable -->\nGithub\n\nGithub\n", []),
    ("<!-- rulesync-lint disable umlaut -->\nGithub\n", [(1 + 1, "identity")]),
    ("<!-- rulesync-lint disable-next-line -->\nGithub\nGithub\n", [(3, "identity")]),
    ("<!-- rulesync-lint disable-next-line identity -->\nGithub\n", []),
    ("Github <!-- rulesync-lint disable-next-line -->\nGithub\n", [(1, "identity")]),
    ("```\n<!-- rulesync-lint disable -->\n```\nGithub\n", [(4, "identity")]),
    ("`<!-- rulesync-lint disable -->` Github\n", [(1, "identity")]),
    ("<!--rulesync-lint disable identity,umlaut-->\nGithub\n", []),
]


@pytest.mark.parametrize(("text", "expected"), SUPPRESSION)
def test_suppression(text: str, expected: list[tuple[int, str]]) -> None:
    assert lines(text) == expected


def test_suppression_picks_rules_by_name() -> None:
    text = (
        "<!-- rulesync-lint disable -->\n"
        "Github\n"
        "<!-- rulesync-lint enable other -->\n"
        "Github\n"
        "<!-- rulesync-lint enable -->\n"
        "<!-- rulesync-lint disable other -->\n"
        "Github\n"
    )
    assert lines(text, [RULE, _Other()]) == [(4, "other"), (7, "identity")]


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (
            "<!-- rulesync-disable-next-line identity -->",
            "not a suppression comment, so it switches nothing off: write "
            "<!-- rulesync-lint disable|enable|disable-next-line [RULE…] -->",
        ),
        (
            "<!-- rulesync-lint disabel -->",
            "not a suppression comment, so it switches nothing off: write "
            "<!-- rulesync-lint disable|enable|disable-next-line [RULE…] -->",
        ),
        (
            "<!-- rulesync-lint disable-next-line identiy, umlut -->",
            'unknown rule "identiy", "umlut" in a suppression comment: use identity or umlaut',
        ),
    ],
)
def test_a_suppression_comment_that_switches_nothing_off_is_a_finding(
    comment: str, message: str
) -> None:
    found = lint_text("doc.md", f"Text.\n\n{comment}\nGithub\n", [RULE])
    assert [(f.line, f.col, f.rule, f.message) for f in found] == [
        (3, 1, "suppression", message),
        (4, 1, "identity", 'write "GitHub", not "Github": wrong case'),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "<!-- rulesync-lint disable-next-line identity, umlaut -->\nGithub\n",
        "<!-- rulesync:source .rulesync/rules/a.md -->\nGithub\n",  # a mirror marker
        "```\n<!-- rulesync-lint disabel -->\n```\nGitHub Github\n",  # an example in code
    ],
)
def test_other_comments_are_no_suppression_findings(text: str) -> None:
    assert "suppression" not in [f.rule for f in lint_text("doc.md", text, [RULE])]


def test_suppression_in_plain_text_counts_anywhere() -> None:
    text = "<!-- rulesync-lint disable -->\nGithub\n"
    assert lint_text("doc.txt", text, [RULE], "text") == []


def test_fix_replaces_only_flagged_spans() -> None:
    text = "Github, `Github`, Git Hub and Mueller GmbH.\n"
    findings = lint_text("doc.md", text, [RULE])
    assert apply_fixes(text, findings) == "GitHub, `Github`, GitHub and Müller GmbH.\n"


def test_overlapping_fixes_keep_the_first() -> None:
    first = Finding("d", 1, 1, "a", "m", "XY", 0, 4)
    second = Finding("d", 1, 3, "b", "m", "Z", 2, 6)
    none = Finding("d", 1, 7, "c", "m", None, 6, 7)
    assert fixable([second, none, first]) == [first]
    assert apply_fixes("abcdefgh", [second, none, first]) == "XYefgh"


def test_bom_is_stripped_and_columns_count_from_the_first_character(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeffGithub and Mueller GmbH\n".encode())
    source = read_source(path)
    assert source == Source("Github and Mueller GmbH\n", bom=True)
    found = lint_file(path, [RULE], "bom.md")
    assert [(f.line, f.col) for f in found] == [(1, 1), (1, 12)]
    assert load_document(path).text == source.text


def test_crlf_lines_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(b"Intro\r\n\r\nA Github\r\nand Mueller\r\nGmbH\r\n")
    found = lint_file(path, [RULE])
    assert [(f.line, f.col, f.suggestion) for f in found] == [
        (3, 3, "GitHub"),
        (4, 5, "Müller\r\nGmbH"),
    ]


def test_fix_keeps_bom_crlf_and_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "keep.md"
    path.write_bytes(b"\xef\xbb\xbfA Github\r\nline\r\n")
    os.chmod(path, 0o640)
    source = read_source(path)
    fixed = apply_fixes(source.text, lint_text("keep.md", source.text, [RULE]))
    write_source(path, Source(fixed, source.bom))
    assert path.read_bytes() == b"\xef\xbb\xbfA GitHub\r\nline\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["keep.md"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"text\x00binary",
            "x.md: looks binary (it contains NUL bytes); lint only Markdown and text files",
        ),
        (
            b"line one\nline \xff two\n",
            "x.md: line 2: not valid UTF-8 (byte 0xff); save the file as UTF-8, or leave it out "
            "of the lint",
        ),
        (
            "caf\u00e9\n".encode("latin-1"),
            "x.md: line 1: not valid UTF-8 (byte 0xe9); save the file as UTF-8, or leave it out "
            "of the lint",
        ),
    ],
)
def test_unreadable_content(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError) as raised:
        read_source(path, "x.md")
    assert str(raised.value) == message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match=r"^gone.md: cannot read it \(No such file"):
        read_source(tmp_path / "gone.md", "gone.md")
    with pytest.raises(UnreadableFileError, match=r"^docs: is a directory, not a file$"):
        read_source(tmp_path, "docs")


def test_unreadable_permissions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.md"
    path.write_text("x")

    def denied(self: Path) -> bytes:
        # chmod 0 does not stop root (CI runs as root), so the refusal is simulated.
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(UnreadableFileError, match=r"cannot read it \(Permission denied\)"):
        read_source(path)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.md", "markdown"), ("a.MARKDOWN", "markdown"), ("notes.txt", "text"), ("x", "markdown")],
)
def test_kind_for(name: str, kind: str) -> None:
    assert kind_for(name) == kind


def test_files_without_candidates_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    import lints.prose

    def boom(text: str, kind: str) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(lints.prose, "extract", boom)
    assert lint_text("doc.md", "GitHub and github.com and `github`.\n", [RULE]) == []
    with pytest.raises(AssertionError, match="parsed"):
        lint_text("doc.md", "A Github.\n", [RULE])


def test_crlf_name_across_lines_is_found_without_other_candidates() -> None:
    text = "Die Mueller\r\nGmbH.\r\n"
    assert RULE.might_match(text, "markdown")
    assert [(f.line, f.col) for f in lint_text("d.md", text, [RULE])] == [(1, 5)]


def test_suffix_is_the_suffix_pathlib_gives() -> None:
    import itertools

    from lints.engine import suffix

    pieces = ["a", ".", "/", "md", "..", "TXT"]
    for size in range(1, 6):
        for combination in itertools.product(pieces, repeat=size):
            path = "".join(combination)
            assert suffix(path) == Path(path).suffix, path
    assert suffix(Path("docs/a.Markdown")) == ".Markdown"
