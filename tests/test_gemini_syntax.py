"""Claude command syntax becomes Gemini CLI syntax; what cannot be translated is warned about."""

from __future__ import annotations

import pytest

from rulesync.targets.gemini_syntax import to_gemini_prompt

CASES = [
    ("Fix $ARGUMENTS now", "Fix {{args}} now"),
    ("Status: !`git status --short`", "Status: !{git status --short}"),
    ("Read @src/app.py and @README.md.", "Read @{src/app.py} and @{README.md}."),
    ("Mail me@example.com or ping @alice", "Mail me@example.com or ping @alice"),
    ("Keep `@code.py` and `!not` as code", "Keep `@code.py` and `!not` as code"),
    ("```sh\n!`x` @y.py\n```\n@z.md", "```sh\n!`x` @y.py\n```\n@{z.md}"),
    ("Code `$ARGUMENTS` too", "Code `{{args}}` too"),
]


@pytest.mark.parametrize(("claude", "gemini"), CASES)
def test_translation(claude: str, gemini: str) -> None:
    warnings: list[tuple[int, str]] = []
    assert (
        to_gemini_prompt(claude, lambda line, message: warnings.append((line, message))) == gemini
    )
    assert warnings == []


def test_positional_arguments_warn_with_their_line() -> None:
    warnings: list[tuple[int, str]] = []
    text = to_gemini_prompt("first\nuse $1 and $2\n", lambda line, m: warnings.append((line, m)))
    assert text == "first\nuse $1 and $2\n"
    assert [(line, m.split(" has")[0]) for line, m in warnings] == [
        (1, "positional `$1`"),
        (1, "positional `$2`"),
    ]


def test_unbalanced_braces_in_shell_warn() -> None:
    warnings: list[tuple[int, str]] = []
    assert (
        to_gemini_prompt("!`awk '{print'`", lambda line, m: warnings.append((line, m)))
        == "!{awk '{print'}"
    )
    assert "unbalanced braces" in warnings[0][1]
