"""Failure classes: the signatures table, and each class end to end through a fake CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulesync.dispatch import classes as c
from rulesync.dispatch.classes import EXIT_CODE_TABLE
from rulesync.dispatch.classify import Ending, Verdict, classify, describe_returncode
from rulesync.dispatch.vendors import ADAPTERS


def verdict(target: str, output: str, returncode: int | None = 1, **ending: bool) -> Verdict:
    return classify(Ending(returncode, output, **ending), ADAPTERS[target].signatures)


@pytest.mark.parametrize(
    ("target", "returncode", "output", "expected", "reset"),
    [
        ("claude", 0, "The answer mentions a 429 and a usage limit reached.", c.OK, None),
        (
            "claude",
            1,
            "You've hit your limit · resets 3pm (Europe/Berlin)",
            c.QUOTA,
            "3pm (Europe/Berlin)",
        ),
        ("claude", 1, "Claude AI usage limit reached|1767225600", c.QUOTA, None),
        (
            "claude",
            1,
            'API Error: {"type":"error","error":{"type":"rate_limit_error"}}',
            c.QUOTA,
            None,
        ),
        ("claude", 1, 'API Error: 529 {"type":"overloaded_error"}', c.QUOTA, None),
        ("claude", 1, "API Error: status 429 Too Many Requests", c.QUOTA, None),
        ("claude", 1, "NOT LOGGED IN · Please run /login", c.AUTH, None),
        ("claude", 1, "Error: line 429 of the file is wrong", c.FAILED, None),
        ("gemini", 41, "anything at all", c.AUTH, None),
        ("gemini", 1, "Please set an Auth method in your settings.json", c.AUTH, None),
        (
            "gemini",
            55,
            "\x1b[31mGemini CLI is not running in a trusted directory.\x1b[0m",
            c.UNTRUSTED,
            None,
        ),
        (
            "gemini",
            1,
            "[API Error: RESOURCE_EXHAUSTED] Your quota will reset after 2h30m.",
            c.QUOTA,
            "after 2h30m",
        ),
        ("gemini", 1, "You have exhausted your daily quota on this model.", c.QUOTA, None),
        ("gemini", 1, "Model capacity exceeded. Please retry in 27.5s.", c.QUOTA, "in 27.5s"),
        ("gemini", 130, "", c.INTERRUPTED, None),
        ("gemini", 52, "Error in settings.json", c.FAILED, None),
        (
            "codex",
            1,
            "Not inside a trusted directory and --skip-git-repo-check was not specified.",
            c.UNTRUSTED,
            None,
        ),
        (
            "codex",
            1,
            "ERROR: You've hit your usage limit. Upgrade to Pro or try again at 4:05 PM.",
            c.QUOTA,
            "at 4:05 PM",
        ),
        ("codex", 1, 'error: {"type":"usage_limit_reached"}', c.QUOTA, None),
        ("codex", 1, "ERROR: Quota exceeded. Check your plan and billing details.", c.QUOTA, None),
        ("codex", 1, "stream error: the model is at capacity", c.QUOTA, None),
        ("codex", 1, "Error: no Codex credentials were found", c.AUTH, None),
        (
            "ollama",
            1,
            "Error: could not connect to ollama server, run 'ollama serve'",
            c.NOT_INSTALLED,
            None,
        ),
        ("ollama", 1, "Error: pull model manifest: file does not exist", c.FAILED, None),
        ("llm", 1, "Error: No key found - add one using 'llm keys set openai'", c.AUTH, None),
        (
            "llm",
            1,
            "Error: Rate limit reached for gpt-4o. Please try again in 20s.",
            c.QUOTA,
            "in 20s",
        ),
    ],
)
def test_signatures(
    target: str, returncode: int, output: str, expected: str, reset: str | None
) -> None:
    result = verdict(target, output, returncode)
    assert (result.failure_class, result.reset_time) == (expected, reset)


def test_how_the_process_ended_wins_over_its_output() -> None:
    quota = "You've hit your limit · resets 3pm"
    assert verdict("claude", quota, None, missing=True).failure_class == c.NOT_INSTALLED
    assert verdict("claude", quota, -15, interrupted=True).failure_class == c.INTERRUPTED
    assert verdict("claude", quota, -9, timed_out=True).failure_class == c.TIMEOUT


def test_a_failure_keeps_its_last_line_as_detail() -> None:
    result = verdict("codex", "working…\nError: disk full\n\n", 2)
    assert result == Verdict(c.FAILED, None, "Error: disk full")


def test_describe_returncode() -> None:
    assert describe_returncode(3) == "exited with code 3"
    assert describe_returncode(-9) == "was killed by SIGKILL"
    assert describe_returncode(None) == "did not start"


def test_the_help_table_matches_the_classes() -> None:
    from_help = {name: code for code, name, _meaning in EXIT_CODE_TABLE}
    assert {name: from_help[name] for name in c.EXIT_CODES} == c.EXIT_CODES
    assert from_help["rules"] == c.EXIT_RULES_NOT_IN_PLACE
    assert from_help["usage"] == 2
    codes = [code for code, _name, _meaning in EXIT_CODE_TABLE]
    assert len(codes) == len(set(codes))


def test_help_documents_every_exit_code(run_cli) -> None:
    result = run_cli("dispatch", "--help")
    assert result.exit_code == 0
    for code, name, meaning in EXIT_CODE_TABLE:
        assert f"  {code:<4} {name:<20} {meaning}" in result.stdout
    for option in (
        "--to",
        "--role",
        "--fallback",
        "--model",
        "--timeout",
        "--trust",
        "--no-sync",
        "--json",
        "--log-prompt",
    ):
        assert option in result.stdout


# (vendor, fake mode, exit code, the exact one-line message after "rulesync: CLASS: ")
CLASSES = [
    ("claude", "quota", 75, "claude hit a rate limit or usage quota (resets 3pm (Europe/Berlin))"),
    ("gemini", "quota", 75, "gemini hit a rate limit or usage quota (resets after 2h30m)"),
    ("codex", "quota", 75, "codex hit a rate limit or usage quota (resets at 4:05 PM)"),
    ("llm", "quota", 75, "llm hit a rate limit or usage quota (resets in 20s)"),
    (
        "claude",
        "auth",
        77,
        "claude is not logged in or has no valid API key (run `claude` and /login once, or set ANTHROPIC_API_KEY)",
    ),
    (
        "gemini",
        "auth",
        77,
        "gemini is not logged in or has no valid API key (run `gemini` once and choose an auth method, or set GEMINI_API_KEY)",
    ),
    (
        "codex",
        "auth",
        77,
        "codex is not logged in or has no valid API key (run `codex login`, or set OPENAI_API_KEY)",
    ),
    (
        "llm",
        "auth",
        77,
        "llm is not logged in or has no valid API key (run `llm keys set openai`, or set the key your model needs)",
    ),
    (
        "gemini",
        "untrusted",
        78,
        "gemini does not trust {root} as a workspace; pass --trust or set `dispatch.gemini.trust: true` in rulesync.yaml (it adds GEMINI_CLI_TRUST_WORKSPACE=true), or trust the folder in gemini",
    ),
    (
        "codex",
        "untrusted",
        78,
        "codex does not trust {root} as a workspace; pass --trust or set `dispatch.codex.trust: true` in rulesync.yaml (it adds --skip-git-repo-check), or trust the folder in codex",
    ),
    (
        "ollama",
        "down",
        127,
        "ollama is not available: Error: could not connect to ollama server, run 'ollama serve' to start it (see https://ollama.com/download, then `ollama serve`)",
    ),
    ("codex", "fail", 1, "codex exited with code 3: stack trace line"),
    (
        "codex",
        "hang",
        124,
        "codex gave no result within 0.5 s; it was stopped with every process it started",
    ),
]


@pytest.mark.parametrize(("target", "mode", "code", "message"), CLASSES)
def test_each_class_end_to_end(
    target: str, mode: str, code: int, message: str, fakes, fake_api, project: Path, run_cli
) -> None:
    fakes.mode(target, mode)
    result = run_cli(
        "-C", project, "dispatch", "--to", target, "--model", "m", "--timeout", "0.5", "hi"
    )
    assert result.exit_code == code
    name = {c.EXIT_CODES[k]: k for k in c.EXIT_CODES}[code]
    expected = f"rulesync: {name}: {message.format(root=project)} (exit {code}, run "
    assert expected in result.stderr


def test_not_installed(fakes, fake_api, project: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(project / "nothing-here"))
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 127
    assert (
        "rulesync: not-installed: gemini: `gemini` is not installed or not on PATH "
        "(npm install -g @google/gemini-cli, or set dispatch.gemini.command in rulesync.yaml)"
    ) in result.stderr
    assert fake_api.calls == []  # nothing is mirrored for a CLI that is not there


def test_a_program_that_is_not_executable_is_not_installed(
    fakes, fake_api, build_tree, run_cli
) -> None:
    root = build_tree(
        {"rulesync.yaml": "dispatch:\n  llm:\n    command: ./llm.txt\n", "llm.txt": "x"}
    )
    result = run_cli("-C", root, "dispatch", "--to", "llm", "hi")
    assert result.exit_code == 127


def test_success_streams_output_and_says_where_it_came_from(
    fakes, fake_api, project: Path, run_cli
) -> None:
    result = run_cli("-C", project, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 0
    assert result.stdout == "answer from claude\n"
    assert result.stderr.startswith("rulesync: claude finished in ")


def test_json_prints_one_result_object(fakes, fake_api, project: Path, run_cli) -> None:
    import json

    fakes.mode("codex", "quota")
    result = run_cli("-C", project, "dispatch", "--to", "codex", "--json", "hi")
    assert result.exit_code == 75
    data = json.loads(result.stdout)
    assert data["class"] == "quota"
    assert data["exit_code"] == 75
    assert data["ok"] is False
    assert data["reset_time"] == "at 4:05 PM"
    assert data["target"] == "codex"
    assert [a["class"] for a in data["attempts"]] == ["quota"]
    assert data["attempts"][0]["returncode"] == 1
    assert len(data["run_id"]) == 16


def test_json_keeps_the_output_instead_of_streaming_it(
    fakes, fake_api, project: Path, run_cli
) -> None:
    import json

    result = run_cli("-C", project, "dispatch", "--to", "gemini", "--json", "hi")
    data = json.loads(result.stdout)
    assert data["output"] == "answer from gemini\n"
    assert data["ok"] is True
    assert data["message"] == "gemini finished"


def test_a_program_that_cannot_be_executed_failed_to_start(
    fakes, fake_api, build_tree, run_cli
) -> None:
    root = build_tree(
        {"rulesync.yaml": "dispatch:\n  llm:\n    command: ./bin/llm\n", "bin/llm": "no shebang\n"}
    )
    (root / "bin" / "llm").chmod(0o755)
    result = run_cli("-C", root, "dispatch", "--to", "llm", "hi")
    assert result.exit_code == 1
    assert "rulesync: failed: llm did not start: [Errno 8] Exec format error" in result.stderr
