"""Each adapter's argv, stdin and env, first as data, then as the fake CLI received them."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulesync.dispatch.request import Request
from rulesync.dispatch.vendors import ADAPTERS
from rulesync.dispatch.vendors.llm import MAX_SYSTEM_ARG

RULES = "# Rules\n\nBe brief.\n"


def build(target: str, **overrides: object) -> tuple[tuple[str, ...], bytes | None, dict[str, str]]:
    fields: dict[str, object] = {
        "target": target,
        "prompt": "Explain X",
        "command": (target,),
        **overrides,
    }
    invocation = ADAPTERS[target].build(Request(**fields))  # type: ignore[arg-type]
    return invocation.argv, invocation.stdin, dict(invocation.env)


@pytest.mark.parametrize(
    ("target", "overrides", "argv", "stdin", "env"),
    [
        ("claude", {}, ("claude", "-p"), b"Explain X", {}),
        (
            "claude",
            {"model": "sonnet", "args": ("--max-turns", "3"), "trust": True},
            ("claude", "-p", "--model", "sonnet", "--max-turns", "3"),
            b"Explain X",
            {},
        ),
        ("gemini", {}, ("gemini", "-p", ""), b"Explain X", {}),
        (
            "gemini",
            {"model": "gemini-2.5-pro", "args": ("--approval-mode", "plan"), "trust": True},
            ("gemini", "-m", "gemini-2.5-pro", "--approval-mode", "plan", "-p", ""),
            b"Explain X",
            {"GEMINI_CLI_TRUST_WORKSPACE": "true"},
        ),
        ("codex", {}, ("codex", "exec", "-"), b"Explain X", {}),
        (
            "codex",
            {"model": "gpt-5", "args": ("-s", "read-only"), "trust": True},
            ("codex", "exec", "--skip-git-repo-check", "-m", "gpt-5", "-s", "read-only", "-"),
            b"Explain X",
            {},
        ),
        (
            "ollama",
            {"model": "llama3.2", "rules": RULES},
            ("ollama", "run", "llama3.2"),
            (RULES + "\n\n---\n\nExplain X").encode(),
            {},
        ),
        (
            "ollama",
            {"model": "llama3.2", "args": ("--verbose",)},
            ("ollama", "run", "--verbose", "llama3.2"),
            b"Explain X",
            {},
        ),
        ("llm", {}, ("llm",), b"Explain X", {}),
        (
            "llm",
            {"model": "gpt-4o-mini", "rules": RULES, "args": ("-o", "temperature", "0")},
            ("llm", "-m", "gpt-4o-mini", "-s", RULES, "-o", "temperature", "0"),
            b"Explain X",
            {},
        ),
    ],
)
def test_argv_stdin_and_env(
    target: str,
    overrides: dict[str, object],
    argv: tuple[str, ...],
    stdin: bytes,
    env: dict[str, str],
) -> None:
    assert build(target, **overrides) == (argv, stdin, env)


def test_a_command_list_from_config_prefixes_the_argv() -> None:
    argv, _stdin, _env = build("gemini", command=("npx", "@google/gemini-cli"))
    assert argv == ("npx", "@google/gemini-cli", "-p", "")


def test_llm_prepends_rules_too_big_for_one_argument() -> None:
    rules = "r" * (MAX_SYSTEM_ARG + 1)
    argv, stdin, _env = build("llm", rules=rules)
    assert argv == ("llm",)
    assert stdin == (rules + "\n\n---\n\nExplain X").encode()


def test_the_prompt_is_never_in_argv() -> None:
    for target in ADAPTERS:
        argv, stdin, _env = build(target, model="m")
        assert "Explain X" not in argv
        assert stdin is not None and stdin.endswith(b"Explain X")


def test_every_adapter_is_named_after_its_key() -> None:
    assert list(ADAPTERS) == ["claude", "gemini", "codex", "ollama", "llm"]
    for name, adapter in ADAPTERS.items():
        assert adapter.name == name
        assert adapter.command == name


@pytest.mark.parametrize(
    ("target", "argv"),
    [
        ("claude", ["-p", "--model", "opus"]),
        ("gemini", ["-m", "opus", "-p", ""]),
        ("codex", ["exec", "-m", "opus", "-"]),
        ("ollama", ["run", "opus"]),
        ("llm", ["-m", "opus", "-s", "# Rules\n\nAlways answer in English.\n"]),
    ],
)
def test_the_fake_cli_receives_argv_stdin_env_and_runs_in_the_root(
    target: str, argv: list[str], fakes, fake_api, project: Path, run_cli
) -> None:
    result = run_cli("-C", project, "dispatch", "--to", target, "--model", "opus", "Explain", "X")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"answer from {target}\n"
    call = fakes.call(target)
    assert call["argv"] == argv
    assert call["cwd"] == str(project)
    expected_stdin = "Explain X"
    if target == "ollama":
        expected_stdin = fake_api.rules + "\n\n---\n\nExplain X"
    assert call["stdin"] == expected_stdin
    run_id = result.stderr.rsplit("(run ", 1)[1].rstrip(")\n")
    assert call["env"]["RULESYNC_PARENT_RUN_ID"] == run_id
    assert call["env"]["GEMINI_CLI_TRUST_WORKSPACE"] is None


def test_config_sets_command_args_model_and_trust(fakes, fake_api, build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": (
                "targets: [gemini]\n"
                "dispatch:\n"
                "  gemini:\n"
                f"    command: [{fakes.bin_dir / 'gemini'}]\n"
                "    args: [--approval-mode, plan]\n"
                "    model: gemini-2.5-flash\n"
                "    trust: true\n"
            )
        }
    )
    result = run_cli("-C", root, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 0, result.stderr
    call = fakes.call("gemini")
    assert call["argv"] == ["-m", "gemini-2.5-flash", "--approval-mode", "plan", "-p", ""]
    assert call["env"]["GEMINI_CLI_TRUST_WORKSPACE"] == "true"
    assert (
        f"rulesync: trusting {root} for gemini (GEMINI_CLI_TRUST_WORKSPACE=true), "
        "as dispatch.gemini.trust in rulesync.yaml asks\n"
    ) in result.stderr


def test_the_model_option_beats_the_configured_model(fakes, fake_api, build_tree, run_cli) -> None:
    root = build_tree({"rulesync.yaml": "dispatch:\n  codex:\n    model: gpt-5\n"})
    run_cli("-C", root, "dispatch", "--to", "codex", "hi")
    assert fakes.call("codex")["argv"] == ["exec", "-m", "gpt-5", "-"]
    run_cli("-C", root, "dispatch", "--to", "codex", "--model", "o3", "hi")
    assert fakes.call("codex")["argv"] == ["exec", "-m", "o3", "-"]


def test_trust_is_never_passed_unless_asked(fakes, fake_api, project: Path, run_cli) -> None:
    run_cli("-C", project, "dispatch", "--to", "codex", "hi")
    assert "--skip-git-repo-check" not in fakes.call("codex")["argv"]
    result = run_cli("-C", project, "dispatch", "--to", "codex", "--trust", "hi")
    assert fakes.call("codex")["argv"] == ["exec", "--skip-git-repo-check", "-"]
    assert f"trusting {project} for codex (--skip-git-repo-check), as --trust asks" in result.stderr


def test_prompt_from_stdin(fakes, fake_api, project: Path, run_cli, monkeypatch) -> None:
    import io

    monkeypatch.setattr(
        "sys.stdin", io.TextIOWrapper(io.BytesIO("Zusammenfassung: Größe\n".encode()))
    )
    result = run_cli("-C", project, "dispatch", "--to", "claude", "-")
    assert result.exit_code == 0, result.stderr
    assert fakes.call("claude")["stdin"] == "Zusammenfassung: Größe\n"
