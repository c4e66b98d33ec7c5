"""The line diff behind `check`: valid edit scripts, diffs that apply, and a bounded cost."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulesync.sync.diffs import NO_NEWLINE, split_lines, unified_diff
from rulesync.sync.line_diff import Opcode, opcodes
from rulesync.sync.way_back import EditedRegion, edited_regions

LINES = st.lists(st.sampled_from(["a", "b", "c", "", "- item", "x y"]), max_size=40)
TEXTS = st.text(alphabet="ab\n\r\u2028 -+@", max_size=80)


def apply_opcodes(a: list[str], b: list[str], codes: list[Opcode]) -> list[str]:
    """Rebuild `b` from `a` and the opcodes, checking they are a valid edit script."""
    out: list[str] = []
    i = j = 0
    for tag, i1, i2, j1, j2 in codes:
        assert (i1, j1) == (i, j), "opcodes must be contiguous"
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
            assert i2 - i1 == j2 - j1 > 0
        else:
            assert (i2 > i1) == (tag in ("delete", "replace"))
            assert (j2 > j1) == (tag in ("insert", "replace"))
        out.extend(b[j1:j2])
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    return out


def apply_unified(old: str, diff: str) -> str:
    """A strict `patch`: every context and removed line must be where the hunk says."""
    lines = split_lines(old)
    if not diff:
        return old
    rows = diff.split("\n")[:-1]
    assert rows[0].startswith("--- ") and rows[1].startswith("+++ ")
    result: list[str] = []
    done = 0
    index = 2
    while index < len(rows):
        header = re.fullmatch(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", rows[index])
        assert header is not None, rows[index]
        start, length = int(header[1]), int(header[2] or 1)
        start = start - 1 if length else start
        result.extend(lines[done:start])
        done = start
        index += 1
        while index < len(rows) and not rows[index].startswith("@@"):
            mark, text = rows[index][0], rows[index][1:] + "\n"
            if index + 1 < len(rows) and rows[index + 1] == NO_NEWLINE[:-1]:
                text = text[:-1]
                index += 1
            if mark in " -":
                assert lines[done] == text
                done += 1
            if mark in " +":
                result.append(text)
            index += 1
    result.extend(lines[done:])
    return "".join(result)


@given(LINES, LINES)
@settings(max_examples=300, deadline=None)
def test_opcodes_are_a_valid_edit_script(a: list[str], b: list[str]) -> None:
    assert apply_opcodes(a, b, opcodes(a, b)) == b


@given(LINES, LINES)
@settings(max_examples=100, deadline=None)
def test_an_exhausted_budget_still_gives_a_valid_edit_script(a: list[str], b: list[str]) -> None:
    codes = opcodes(a, b, budget=0)
    assert apply_opcodes(a, b, codes) == b
    assert sum(tag != "equal" for tag, *_ in codes) <= 1  # one coarse block at most


@given(TEXTS, TEXTS)
@settings(max_examples=300, deadline=None)
def test_unified_diff_applies(old: str, new: str) -> None:
    diff = unified_diff("f.md", old.encode(), new.encode())
    assert apply_unified(old, diff) == new


def test_one_changed_line_among_repeated_ones_is_one_hunk() -> None:
    block = ["", "- Item two.", "Paragraph.", ""]
    old = [line for n in range(200) for line in (f"## Rule {n}", *block)]
    new = list(old)
    new[501] = "- Item two, changed."
    assert [c for c in opcodes(old, new) if c[0] != "equal"] == [("replace", 501, 502, 501, 502)]


def test_every_section_changed_gives_one_change_per_section() -> None:
    block = ["", "- Item two.", "Paragraph.", ""]
    old = [line for n in range(200) for line in (f"## Rule {n}", *block)]
    new = [line.replace("Item two.", "Item two, changed.") for line in old]
    changes = [c for c in opcodes(old, new) if c[0] != "equal"]
    assert changes == [("replace", 5 * n + 2, 5 * n + 3, 5 * n + 2, 5 * n + 3) for n in range(200)]


def test_repeated_lines_without_anchors_use_the_minimal_diff() -> None:
    old = ["a", "b"] * 20
    new = ["a", "b"] * 5 + ["a"] + ["a", "b"] * 10 + ["b"] + ["a", "b"] * 5
    changes = [c for c in opcodes(old, new) if c[0] != "equal"]
    assert [(tag, i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in changes] == [("insert", 0, 1)] * 2


def test_past_the_budget_the_middle_is_one_block() -> None:
    old = ["a", "b"] * 50
    new = ["x"] + ["b", "a"] * 50 + ["x"]
    assert opcodes(old, new, budget=10) == [("replace", 0, 100, 0, 102)]


def test_lines_split_at_newline_only() -> None:
    assert split_lines("a\rb\u2028c\x0cd\r\ne") == ["a\rb\u2028c\x0cd\r\n", "e"]
    assert split_lines("") == []
    assert split_lines("x\n") == ["x\n"]


def test_unified_diff_of_a_line_that_starts_with_dashes_and_has_no_newline() -> None:
    diff = unified_diff("f.md", b"a\n--x", b"a\n")
    assert diff == f"--- a/f.md\n+++ b/f.md\n@@ -1,2 +1 @@\n a\n---x\n{NO_NEWLINE}"
    assert apply_unified("a\n--x", diff) == "a\n"


def test_unified_diff_matches_difflib_format() -> None:
    diff = unified_diff("f.md", b"1\n2\n3\n4\n5\n6\n7\n8\n9\n", b"1\n2\n3\n4\nfive\n6\n7\n8\n9\n")
    assert diff == ("--- a/f.md\n+++ b/f.md\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n")
    assert unified_diff("f.md", None, b"x\n") == "--- /dev/null\n+++ b/f.md\n@@ -0,0 +1 @@\n+x\n"
    assert unified_diff("f.md", b"x\n", None) == "--- a/f.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"a\nb\nc\n", b"a\nB\nc\n"),
        (b"a\r\nb\r\n", b"a\nb\n"),
        (b"one\rline\n\xe2\x80\xa8x\n", b"one\rline\nx"),
        (b"no newline", b"no newline\n"),
        (b"x\n" * 50 + b"y\n" + b"x\n" * 50, b"x\n" * 49 + b"y\n" + b"x\n" * 52),
    ],
)
def test_git_applies_the_diff(tmp_path: Path, old: bytes, new: bytes) -> None:
    (tmp_path / "f.md").write_bytes(old)
    (tmp_path / "p.diff").write_text(unified_diff("f.md", old, new), newline="")
    done = subprocess.run(
        ["git", "apply", "--unsafe-paths", "p.diff"], cwd=tmp_path, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "f.md").read_bytes() == new


def test_way_back_of_every_section_changed() -> None:
    marker = "<!-- rulesync:source r/{}.md -->\n"
    old = "".join(marker.format(n) + "\n- Item two.\n\n" for n in range(300))
    new = old.replace("Item two.", "Item two, changed.")
    regions = edited_regions(old.encode(), new.encode())
    assert regions == tuple(EditedRegion(4 * n + 3, (f"r/{n}.md",)) for n in range(300))
