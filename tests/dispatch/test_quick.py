"""The click-free fast path of `rulesync dispatch`: the same options as click, or no answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rulesync.dispatch import command, quick
from rulesync.dispatch.command import Options

SAME_AS_CLICK = [
    ["dispatch", "--to", "claude", "hi", "there"],
    ["dispatch", "--to=codex", "--timeout", "5", "-m", "gpt-5", "--json", "--", "--literal"],
    ["dispatch", "--role", "research", "--fallback", "codex,claude", "--trust", "do", "it"],
    [
        "dispatch",
        "--no-sync",
        "--log-prompt",
        "--ignore-limits",
        "--no-brief",
        "--to",
        "gemini",
        "-",
    ],
    ["dispatch", "hi", "--to", "claude", "--model=opus", "--timeout=0.5", "again"],
    ["dispatch", "--to", "claude", "--to", "gemini", "last", "wins"],
    ["dispatch", "--explain", "--to", "claude"],
    ["dispatch", "--to", "claude", "--model", "--json", "x"],
]

LEFT_TO_CLICK = [
    ["dispatch", "--help"],
    ["dispatch", "-h", "--to", "claude", "hi"],
    ["dispatch", "--to", "claude"],  # no prompt: click says which argument is missing
    ["dispatch", "--to", "claude", "--timeout", "0", "hi"],
    ["dispatch", "--to", "claude", "--timeout", "soon", "hi"],
    ["dispatch", "--to", "claude", "--timeout", "inf", "hi"],
    ["dispatch", "--to", "claude", "--colour", "hi"],
    ["dispatch", "--to", "claude", "-5"],
    ["dispatch", "-m=opus", "--to", "claude", "hi"],
    ["dispatch", "--json=yes", "--to", "claude", "hi"],
    ["dispatch", "hi", "--to"],
    ["runs"],
    ["-C"],
]


@pytest.mark.parametrize("args", SAME_AS_CLICK, ids=" ".join)
def test_the_fast_path_reads_what_click_reads(
    args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[Options] = []

    def capture(root: Path, options: Options, **_: Any) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr(command, "run", capture)
    monkeypatch.chdir(tmp_path)
    from rulesync._cli_group import run as click_run

    assert click_run(args) == 0
    parsed = quick.parse(args)
    assert parsed is not None
    assert parsed == (None, seen[0])


@pytest.mark.parametrize("args", LEFT_TO_CLICK, ids=" ".join)
def test_anything_unusual_is_left_to_click(args: list[str]) -> None:
    assert quick.parse(args) is None


def test_the_project_folder_comes_from_dash_c(tmp_path: Path) -> None:
    assert quick.parse(["-C", str(tmp_path), "dispatch", "--to", "claude", "hi"]) == (
        str(tmp_path),
        Options(to="claude", prompt=("hi",)),
    )


def test_a_missing_folder_is_left_to_click_which_names_it(tmp_path: Path, run_cli: Any) -> None:
    missing = tmp_path / "nowhere"
    assert quick.main(["-C", str(missing), "dispatch", "--to", "claude", "hi"]) is None
    result = run_cli("-C", missing, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 2
    assert "no such directory" in result.stderr


def test_an_error_on_the_fast_path_is_reported_as_click_reports_it(
    tmp_path: Path, run_cli: Any
) -> None:
    result = run_cli("-C", tmp_path, "dispatch", "--to", "claudia", "hi")
    assert result.exit_code == 2
    assert "error: " in result.stderr
    assert "--to: unknown target `claudia`" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_config_character_check_agrees_with_the_frontmatter_class() -> None:
    from rulesync.source.config import _yaml_printable
    from rulesync.source.frontmatter import YAML_UNPRINTABLE

    for code in range(0x110000):
        char = chr(code)
        assert _yaml_printable(code) == (YAML_UNPRINTABLE.match(char) is None), hex(code)
