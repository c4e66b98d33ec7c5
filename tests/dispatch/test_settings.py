"""The `dispatch:` section of rulesync.yaml: every key validated, errors with line numbers."""

from __future__ import annotations

import pytest

from rulesync.dispatch.settings import (
    DEFAULT_FALLBACK_ON,
    DispatchSettings,
    TargetSettings,
    parse_settings,
)
from rulesync.errors import ConfigError


def no_lines(*key_path: object) -> int | None:
    return None


def test_defaults() -> None:
    settings = parse_settings({}, no_lines)
    assert settings == DispatchSettings()
    assert settings.timeout == 600.0
    assert settings.fallback_on == DEFAULT_FALLBACK_ON == {"quota", "not-installed", "timeout"}
    assert settings.for_target("gemini") == TargetSettings()


def test_a_full_section() -> None:
    section = {
        "timeout": 120,
        "kill_grace": 1.5,
        "fallback_on": ["quota", "auth"],
        "roles": {"research": ["gemini", "claude"], "code": "codex"},
        "codex": {
            "command": ["npx", "@openai/codex"],
            "args": ["-s", "read-only"],
            "model": "o3",
            "timeout": 900,
            "trust": True,
        },
        "ollama": {"model": "llama3.2"},
    }
    settings = parse_settings(section, no_lines)
    assert settings.timeout == 120.0
    assert settings.kill_grace == 1.5
    assert settings.fallback_on == {"quota", "auth"}
    assert settings.roles == {"research": ("gemini", "claude"), "code": ("codex",)}
    assert settings.for_target("codex") == TargetSettings(
        ("npx", "@openai/codex"), ("-s", "read-only"), "o3", 900.0, True
    )
    assert settings.for_target("ollama").model == "llama3.2"


@pytest.mark.parametrize(
    ("yaml", "error"),
    [
        (
            "dispatch:\n  timout: 5\n",
            "rulesync.yaml:2: `dispatch.timout`: unknown key (did you mean `timeout`?)",
        ),
        (
            "dispatch:\n  gemini:\n    modle: x\n",
            "rulesync.yaml:3: `dispatch.gemini.modle`: unknown key (did you mean `model`?)",
        ),
        (
            "dispatch:\n  timeout: 0\n",
            "rulesync.yaml:2: `dispatch.timeout`: must be a number of seconds greater than 0 (e.g. `timeout: 600`)",
        ),
        (
            "dispatch:\n  codex:\n    trust: yes please\n",
            "rulesync.yaml:3: `dispatch.codex.trust`: must be true or false",
        ),
        (
            "dispatch:\n  codex:\n    args: --fast\n",
            'rulesync.yaml:3: `dispatch.codex.args`: must be a list of strings (e.g. `["--approval-mode", "plan"]`)',
        ),
        (
            "dispatch:\n  codex:\n    command: []\n",
            "rulesync.yaml:3: `dispatch.codex.command`: must be a program name or a non-empty list (e.g. `command: gemini`)",
        ),
        (
            "dispatch:\n  claude: fast\n",
            "rulesync.yaml:2: `dispatch.claude`: must be a mapping (keys: command, args, model, timeout, trust)",
        ),
        (
            "dispatch:\n  roles:\n    research: [gemini, claud]\n",
            "rulesync.yaml:3: `dispatch.roles.research.1`: unknown target `claud` (did you mean `claude`?)",
        ),
        (
            "dispatch:\n  fallback_on: [quota, interrupted]\n",
            "rulesync.yaml:2: `dispatch.fallback_on.1`: `interrupted` is not a class a chain can move on from (use one of quota, not-installed, timeout, auth, untrusted-workspace, failed)",
        ),
        (
            "dispatch:\n  roles: [gemini]\n",
            "rulesync.yaml:2: `dispatch.roles`: must map role names to lists of targets (e.g. `research: [gemini, claude]`)",
        ),
    ],
)
def test_errors_name_the_line_and_the_fix(yaml: str, error: str, build_tree, run_cli) -> None:
    root = build_tree({"rulesync.yaml": yaml})
    result = run_cli("-C", root, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 2
    assert result.stderr == f"error: {error}\n"


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({"timeout": -1, "gemini": {"trust": "no"}, "bogus": 1}, no_lines)
    assert len(caught.value.problems) == 3
