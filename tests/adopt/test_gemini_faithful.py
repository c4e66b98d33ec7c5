"""Gemini TOML -> source -> Gemini TOML gives the same prompt for every command, over many
prompt shapes. A prompt without a faithful Claude form is kept as written for Gemini (a
`gemini: prompt:` block) and the import says so; every other prompt round-trips through the
shared body."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulesync.adopt.gemini_reverse import faithful_body
from rulesync.adopt.importing import plan_import
from rulesync.adopt.tomlread import read_toml
from rulesync.adopt.writeback import apply_import
from rulesync.render.tomlstr import toml_multiline, toml_string
from rulesync.sync.plan import make_plan
from rulesync.sync.writer import apply_plan
from rulesync.targets.gemini_syntax import to_gemini_prompt

PIECES = [
    "Review",
    "the change",
    "{{args}}",
    "!{git diff --staged}",
    "!{echo {a}}",
    "!{printf '%s' `date`}",
    "@{docs/spec.md}",
    "@{src/}",
    "@{a path/with space.md}",
    "x@{glued.md}",
    "@packages/core/src/core/prompts.ts",
    "@src/",
    "$ARGUMENTS",
    "$1",
    "$5/month",
    'bash "${extensionPath}/scripts/setup.sh" $ARGUMENTS',
    "!`git status`",
    "`@{in/code.md}`",
    "`{{args}}`",
    "``a ` b``",
    "'''",
    '"""',
    "C:\\Users\\me \\d+",
    "Größe naïve",
    "{braces}",
    "@{u}",
    "stash@{0}",
    "# Heading",
    "- item",
]
LINE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=5).map(" ".join)
BLOCK = st.one_of(
    LINE,
    LINE.map(lambda line: f"```sh\n{line}\n```"),
    LINE.map(lambda line: f"~~~\n{line} @{{x.md}}\n~~~"),
)
PROMPT = st.tuples(
    st.lists(BLOCK, min_size=1, max_size=4), st.sampled_from(["\n", "\n\n"]), st.booleans()
).map(lambda parts: parts[1].join(parts[0]) + ("\n" if parts[2] else ""))


def rendered_prompt(prompt: str) -> str:
    """What mirror gives Gemini for what import made of `prompt`."""
    body, verbatim = faithful_body(prompt, lambda _message: None)
    return verbatim if verbatim is not None else to_gemini_prompt(body, lambda _i, _m: None) + "\n"


@given(PROMPT)
@settings(max_examples=400, deadline=None)
def test_every_prompt_comes_back_the_same(prompt: str) -> None:
    assert rendered_prompt(prompt).strip("\n") == prompt.strip("\n")


@given(st.lists(PROMPT, min_size=1, max_size=3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_import_mirror_gives_gemini_the_same_prompts(prompts: list[str]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rulesync-gemini-rt-"))
    try:
        for index, prompt in enumerate(prompts):
            path = folder / f".gemini/commands/ns/c{index}.toml"
            path.parent.mkdir(parents=True, exist_ok=True)
            encoded = toml_multiline(prompt) if index % 2 else toml_string(prompt)
            path.write_text(f"description = {toml_string('d')}\nprompt = {encoded}\n")
        apply_import(plan_import(folder, "gemini"))
        apply_plan(make_plan(folder), force=False)
        for index, prompt in enumerate(prompts):
            path = folder / f".gemini/commands/ns/c{index}.toml"
            again = read_toml(path.read_bytes(), path.name)["prompt"]
            assert again.strip("\n") == prompt.strip("\n")
        assert not make_plan(folder).pending
    finally:
        shutil.rmtree(folder)


def test_the_known_breakages_are_kept_and_named() -> None:
    notes: list[str] = []
    prompt = (
        "System Prompt Logic: @packages/core/src/core/prompts.ts\n"
        'bash "${extensionPath}/scripts/setup.sh" $ARGUMENTS\n'
    )
    body, verbatim = faithful_body(prompt, notes.append)
    assert verbatim == prompt
    assert body == prompt.strip("\n")
    assert notes == [
        "`@packages/core/src/core/prompts.ts` is plain text to Gemini CLI, but Claude Code acts "
        "on it (a file reference, a shell command or the arguments) in the Claude command; "
        "check it",
        "`$ARGUMENTS` is plain text to Gemini CLI, but Claude Code acts on it (a file "
        "reference, a shell command or the arguments) in the Claude command; check it",
        "this prompt has no faithful Claude form (mirror's translation would change it): it is "
        "kept as written for Gemini (`gemini: prompt:` in the source), and Claude and Codex get "
        "the translated body",
    ]


def test_a_faithful_prompt_needs_no_gemini_block() -> None:
    notes: list[str] = []
    body, verbatim = faithful_body(
        "Fix {{args}} with !{make test} and @{docs/a.md}.\n", notes.append
    )
    assert (body, verbatim, notes) == ("Fix $ARGUMENTS with !`make test` and @docs/a.md.", None, [])


DOLLARS = (
    "Plans start at $5/month, or $50.00 a year.\n"
    "```sh\nawk '{print $1}' prices.txt\n```\n"
    "Run `echo $0` and pass {{args}}; $5x stays as it is.\n"
)


def test_a_literal_dollar_number_is_escaped_for_claude_and_comes_back_for_gemini(
    build_tree, run_cli
) -> None:
    prompt_toml = f"description = {toml_string('Pricing')}\nprompt = {toml_multiline(DOLLARS)}\n"
    root = build_tree({".gemini/commands/price.toml": prompt_toml})
    before = read_toml(prompt_toml.encode(), "price.toml")["prompt"]
    imported = run_cli("-C", root, "import", "--from", "gemini")
    assert imported.exit_code == 0, imported.stderr
    source = (root / ".rulesync/commands/price.md").read_text()
    assert "Plans start at \\$5/month, or \\$50.00 a year." in source
    assert "awk '{print \\$1}' prices.txt" in source  # Claude substitutes in code too
    assert "Run `echo \\$0` and pass $ARGUMENTS; $5x stays" in source
    assert "gemini:" not in source  # faithful: no verbatim Gemini prompt needed
    assert "`$5` is plain text" not in imported.stderr
    mirrored = run_cli("-C", root, "mirror")
    assert mirrored.exit_code == 0, mirrored.stderr
    assert "positional" not in mirrored.stderr
    after = read_toml((root / ".gemini/commands/price.toml").read_bytes(), "price.toml")["prompt"]
    assert after == before
    claude = (root / ".claude/commands/price.md").read_text()
    assert "\\$5/month" in claude  # Claude Code shows `$5`, and substitutes nothing
    assert run_cli("-C", root, "check").exit_code == 0


def test_an_escaped_dollar_in_a_gemini_prompt_is_kept_verbatim() -> None:
    notes: list[str] = []
    prompt = "Literally \\$5 and \\\\$6.\n"
    body, verbatim = faithful_body(prompt, notes.append)
    assert verbatim == prompt  # no Claude form gives Gemini these backslashes back
    assert body == "Literally \\$5 and \\\\\\$6."  # Claude substitutes neither
    assert rendered_prompt(prompt) == prompt
    assert notes[-1].startswith("this prompt has no faithful Claude form")
