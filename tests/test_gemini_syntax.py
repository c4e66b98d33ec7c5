"""Claude command syntax becomes Gemini CLI syntax; what cannot be translated is warned about."""

from __future__ import annotations

import pytest

from rulesync.targets.gemini_syntax import git_revisions, to_gemini_prompt

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


# --- positionals as Claude Code substitutes them (2.1.197: `/\$(\d+)(?!\w)/`, `\$` escapes) ---

POSITIONALS = [
    ("Costs $5/month", ["$5"]),  # Claude substitutes this too: a warning, not an error
    ("Costs $5.00", ["$5"]),
    ("use $1 and $ARGUMENTS[0]", ["$1", "$ARGUMENTS[0]"]),
    ("a$5 and $$5", ["$5", "$5"]),
    ("`$2` in code", ["$2"]),  # Claude substitutes inside code as well
    ("$5k $5_a $ARGUMENTS", []),
    ("Costs \\$5/month and \\$ARGUMENTS", []),  # Claude's escape
]


@pytest.mark.parametrize(("claude", "tokens"), POSITIONALS)
def test_positionals_are_found_where_claude_substitutes(claude: str, tokens: list[str]) -> None:
    warnings: list[str] = []
    to_gemini_prompt(claude, lambda _line, message: warnings.append(message))
    assert [m.split("`")[1] for m in warnings] == tokens
    for message in warnings:
        assert "has no Gemini CLI equivalent" in message
        assert "Claude Code substitutes it" in message


def test_positional_warning_says_how_to_write_a_literal_dollar() -> None:
    warnings: list[str] = []
    to_gemini_prompt("Costs $5/month", lambda _line, message: warnings.append(message))
    assert warnings[0].endswith("for a literal `$5` write `\\$5`")


def test_claude_escapes_reach_gemini_as_plain_text() -> None:
    prompt = to_gemini_prompt("Costs \\$5/month; \\$ARGUMENTS; $ARGUMENTS", lambda *_: None)
    assert prompt == "Costs $5/month; $ARGUMENTS; {{args}}"


def test_indexed_arguments_are_not_turned_into_args() -> None:
    assert to_gemini_prompt("$ARGUMENTS[1]", lambda *_: None) == "$ARGUMENTS[1]"


def test_positional_prose_is_a_warning_and_mirror_exits_0(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude, gemini]\n",
            ".rulesync/commands/price.md": "---\ndescription: d\n---\nIt costs $5/month.\n",
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "warning: .rulesync/commands/price.md:4: positional `$5`" in result.stderr
    assert "It costs $5/month." in (root / ".gemini/commands/price.toml").read_text()


# --- git's `@{…}`: Gemini reads it as a file to inject, even in code, with no escape ------

GIT_REVISIONS = [
    ("git log @{u}..HEAD", ["@{u}"]),
    ("`git stash pop stash@{1}`", ["stash@{1}"]),
    ("HEAD@{2.days.ago} and origin/main@{push}", ["HEAD@{2.days.ago}", "origin/main@{push}"]),
    (
        "@{-1} @{upstream} @{U} @{0} @{yesterday}",
        ["@{-1}", "@{upstream}", "@{U}", "@{0}", "@{yesterday}"],
    ),
    # Gemini syntax that import keeps as it is passes through: not git
    ("Read @{docs/spec.md} and @{a path with spaces.md}; !{code}", []),
    ("Mail a@b.c", []),
]


@pytest.mark.parametrize(("body", "found"), GIT_REVISIONS)
def test_git_revisions_are_found_in_prose_and_code(body: str, found: list[str]) -> None:
    assert [text for _line, text in git_revisions(body)] == found


def test_git_revisions_name_their_line() -> None:
    body = "Push to `@{u}`.\n```sh\ngit stash show stash@{1}\n```"
    assert git_revisions(body) == [(0, "@{u}"), (2, "stash@{1}")]


GIT_COMMAND = (
    "---\ndescription: Sync\n---\nCompare with upstream:\n\n"
    "!`git log --oneline @{u}..HEAD`\n\nThen `git stash pop stash@{0}`.\n"
)


def test_command_with_git_reflog_syntax_is_left_out_of_gemini(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude, gemini, codex]\n",
            ".rulesync/commands/sync.md": GIT_COMMAND,
            ".rulesync/commands/other.md": "---\ndescription: o\n---\nFine.\n",
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert not (root / ".gemini/commands/sync.toml").exists()
    assert (root / ".gemini/commands/other.toml").is_file()
    assert "@{u}" in (root / ".claude/commands/sync.md").read_text()
    assert "@{u}" in (root / ".codex/skills/sync/SKILL.md").read_text()
    lines = [line for line in result.stderr.splitlines() if "sync.md" in line]
    assert lines[0].startswith("warning: .rulesync/commands/sync.md:6: `@{u}` is git's revision")
    assert lines[1].startswith("warning: .rulesync/commands/sync.md:8: `stash@{0}` is git's")
    assert "the command is left out of Gemini" in lines[0]
    assert run_cli("-C", root, "check").exit_code == 0


def test_only_passage_gives_gemini_its_own_wording(build_tree, run_cli) -> None:
    body = (
        "---\ndescription: Sync\n---\n<!-- only: claude, codex -->\n!`git log @{u}..HEAD`\n"
        "<!-- /only -->\n<!-- only: gemini -->\n!`git log --branches --not --remotes`\n"
        "<!-- /only -->\n"
    )
    root = build_tree(
        {"rulesync.yaml": "targets: [claude, gemini]\n", ".rulesync/commands/sync.md": body}
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "revision syntax" not in result.stderr
    toml = (root / ".gemini/commands/sync.toml").read_text()
    assert "!{git log --branches --not --remotes}" in toml
    assert "@{" not in toml
