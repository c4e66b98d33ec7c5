"""Fallback chains, end to end through the fake CLIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROLES_YAML = """\
targets: [claude, gemini, codex]
dispatch:
  kill_grace: 0.2
  roles:
    research: [gemini, claude]
    draft: [ollama, gemini]
  ollama:
    model: llama3.2
"""


def attempts(stdout: str) -> list[tuple[str, str]]:
    return [(a["target"], a["class"]) for a in json.loads(stdout)["attempts"]]


def test_quota_then_not_installed_then_success(fakes, fake_api, project: Path, run_cli) -> None:
    fakes.mode("gemini", "quota")
    (fakes.bin_dir / "codex").unlink()
    result = run_cli(
        "-C", project, "dispatch", "--to", "gemini", "--fallback", "codex,claude", "--json", "hi"
    )
    assert result.exit_code == 0
    assert attempts(result.stdout) == [
        ("gemini", "quota"),
        ("codex", "not-installed"),
        ("claude", "ok"),
    ]
    assert json.loads(result.stdout)["output"] == "answer from claude\n"
    assert (
        "rulesync: gemini hit a rate limit or usage quota (resets after 2h30m); "
        "falling back to codex\n"
    ) in result.stderr
    assert "rulesync: codex: `codex` is not installed or not on PATH" in result.stderr
    assert "; falling back to claude\n" in result.stderr
    assert fakes.call("claude")["stdin"] == "hi"


def test_a_timeout_moves_on(fakes, fake_api, project: Path, run_cli) -> None:
    fakes.mode("codex", "hang")
    result = run_cli(
        "-C", project, "dispatch", "--to", "codex", "--fallback", "claude", "--timeout", "0.5", "hi"
    )
    assert result.exit_code == 0
    assert result.stdout == "answer from claude\n"
    assert (
        "rulesync: codex gave no result within 0.5 s; it was stopped with every process it started; "
        "falling back to claude\n"
    ) in result.stderr


@pytest.mark.parametrize(("mode", "code"), [("auth", 77), ("untrusted", 78), ("fail", 1)])
def test_other_classes_stop_the_chain(
    mode: str, code: int, fakes, fake_api, project: Path, run_cli
) -> None:
    fakes.mode("codex", mode)
    result = run_cli("-C", project, "dispatch", "--to", "codex", "--fallback", "claude", "hi")
    assert result.exit_code == code
    assert not fakes.called("claude")
    assert "falling back" not in result.stderr


def test_auth_moves_on_only_when_configured(fakes, fake_api, build_tree, run_cli) -> None:
    root = build_tree(
        {"rulesync.yaml": "dispatch:\n  fallback_on: [quota, not-installed, timeout, auth]\n"}
    )
    fakes.mode("codex", "auth")
    result = run_cli("-C", root, "dispatch", "--to", "codex", "--fallback", "claude", "hi")
    assert result.exit_code == 0
    assert "codex is not logged in or has no valid API key" in result.stderr
    assert "falling back to claude" in result.stderr


def test_the_last_attempt_decides_the_exit_code(fakes, fake_api, project: Path, run_cli) -> None:
    fakes.mode("gemini", "quota")
    fakes.mode("claude", "quota")
    result = run_cli(
        "-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "--json", "x"
    )
    assert result.exit_code == 75
    assert attempts(result.stdout) == [("gemini", "quota"), ("claude", "quota")]
    assert json.loads(result.stdout)["reset_time"] == "3pm (Europe/Berlin)"


def test_a_role_chain_from_rulesync_yaml(fakes, fake_api, build_tree, run_cli) -> None:
    root = build_tree({"rulesync.yaml": ROLES_YAML})
    fakes.mode("gemini", "quota")
    result = run_cli("-C", root, "dispatch", "--role", "research", "--json", "hi")
    assert result.exit_code == 0
    assert attempts(result.stdout) == [("gemini", "quota"), ("claude", "ok")]


def test_a_role_chain_uses_each_targets_model(fakes, fake_api, build_tree, run_cli) -> None:
    root = build_tree({"rulesync.yaml": ROLES_YAML})
    fakes.mode("ollama", "down")
    result = run_cli("-C", root, "dispatch", "--role", "draft", "--json", "hi")
    assert attempts(result.stdout) == [("ollama", "not-installed"), ("gemini", "ok")]
    assert fakes.call("ollama")["argv"] == ["run", "llama3.2"]
    assert fakes.call("gemini")["argv"] == ["-p", ""]


def test_the_model_option_is_for_the_first_target_only(
    fakes, fake_api, project: Path, run_cli
) -> None:
    fakes.mode("gemini", "quota")
    run_cli(
        "-C",
        project,
        "dispatch",
        "--to",
        "gemini",
        "-m",
        "gemini-2.5-pro",
        "--fallback",
        "claude",
        "hi",
    )
    assert fakes.call("gemini")["argv"] == ["-m", "gemini-2.5-pro", "-p", ""]
    assert fakes.call("claude")["argv"] == ["-p"]


def test_a_chain_names_each_target_once(fakes, fake_api, project: Path, run_cli) -> None:
    fakes.mode("gemini", "quota")
    result = run_cli(
        "-C",
        project,
        "dispatch",
        "--to",
        "gemini",
        "--fallback",
        "gemini, claude ,gemini",
        "--json",
        "x",
    )
    assert attempts(result.stdout) == [("gemini", "quota"), ("claude", "ok")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hi"], "dispatch: give exactly one of --to TARGET or --role ROLE"),
        (
            ["--to", "claude", "--role", "research", "hi"],
            "dispatch: give exactly one of --to TARGET or --role ROLE",
        ),
        (
            ["--to", "gemnii", "hi"],
            "dispatch: --to: unknown target `gemnii` (did you mean `gemini`?)",
        ),
        (
            ["--to", "claude", "--fallback", "gpt", "hi"],
            "dispatch: --fallback: unknown target `gpt` (use one of claude, gemini, codex, ollama, llm)",
        ),
        (
            ["--role", "reserch", "hi"],
            "dispatch: --role: no role `reserch` under `dispatch: roles:` in rulesync.yaml (did you mean `research`?)",
        ),
        (
            ["--role", "review", "hi"],
            "dispatch: --role: no role `review` under `dispatch: roles:` in rulesync.yaml (roles in rulesync.yaml: research, draft)",
        ),
        (
            ["--to", "ollama", "hi"],
            "dispatch: ollama needs a model (pass --model, or set `dispatch.ollama.model` in rulesync.yaml)",
        ),
        (
            ["--to", "claude", "  "],
            "rulesync: the prompt is empty (give it as an argument, or `-` to read stdin)",
        ),
    ],
)
def test_usage_errors(args: list[str], message: str, fakes, fake_api, build_tree, run_cli) -> None:
    yaml = ROLES_YAML.replace("  ollama:\n    model: llama3.2\n", "")
    root = build_tree({"rulesync.yaml": yaml})
    result = run_cli("-C", root, "dispatch", *args)
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert not fakes.record_dir.exists()


def test_aliases_are_accepted(fakes, fake_api, project: Path, run_cli) -> None:
    result = run_cli("-C", project, "dispatch", "--to", "ClaudeCode", "hi")
    assert result.exit_code == 0
    assert result.stdout == "answer from claude\n"
