"""Our hook in the agents' settings: added once, updated in place, nothing else touched."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from rulesync.errors import ConfigError
from rulesync.render.hook_settings import (
    CLAUDE_HOOK_COMMAND,
    GEMINI_HOOK_COMMAND,
    merge_claude_hook,
    merge_gemini_hook,
)

OURS_CLAUDE = {"type": "command", "command": CLAUDE_HOOK_COMMAND}
USER = {
    "model": "opus",
    "permissions": {"allow": ["Bash(npm test)"], "deny": []},
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard.sh"}]},
        ],
        "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}],
    },
}


def test_claude_hook_into_empty_settings() -> None:
    assert merge_claude_hook({}) == {
        "hooks": {"PreToolUse": [{"matcher": "Write|Edit|MultiEdit", "hooks": [OURS_CLAUDE]}]}
    }


def test_claude_hook_keeps_every_user_key_and_hook() -> None:
    before = copy.deepcopy(USER)
    merged = merge_claude_hook(USER)
    assert before == USER  # the input is not modified
    assert merged["model"] == "opus"
    assert merged["permissions"] == USER["permissions"]
    assert merged["hooks"]["Stop"] == USER["hooks"]["Stop"]
    assert merged["hooks"]["PreToolUse"] == [
        USER["hooks"]["PreToolUse"][0],
        {"matcher": "Write|Edit|MultiEdit", "hooks": [OURS_CLAUDE]},
    ]
    assert list(merged) == list(USER)


def test_merging_twice_changes_nothing() -> None:
    once = merge_claude_hook(USER)
    assert merge_claude_hook(once) == once
    gemini = merge_gemini_hook({})
    assert gemini is not None
    assert merge_gemini_hook(gemini) == gemini


def test_an_older_version_of_our_hook_is_updated_in_place() -> None:
    old = {"type": "command", "command": "rulesync lint --hook claude", "timeout": 30}
    settings = {"hooks": {"PreToolUse": [{"matcher": "Write|Edit", "hooks": [old]}]}}
    assert merge_claude_hook(settings) == {
        "hooks": {
            "PreToolUse": [
                {
                    "matcher": "Write|Edit|MultiEdit",
                    "hooks": [{"type": "command", "command": CLAUDE_HOOK_COMMAND, "timeout": 30}],
                }
            ]
        }
    }


def test_our_hook_sharing_a_group_leaves_the_users_matcher() -> None:
    shared = {
        "matcher": "Write",
        "hooks": [
            {"type": "command", "command": "./fmt.sh"},
            {"type": "command", "command": "rulesync lint --hook claude"},
        ],
    }
    merged = merge_claude_hook({"hooks": {"PreToolUse": [shared]}})
    (group,) = merged["hooks"]["PreToolUse"]
    assert group["matcher"] == "Write"
    assert group["hooks"] == [{"type": "command", "command": "./fmt.sh"}, OURS_CLAUDE]


def test_gemini_hook() -> None:
    settings = {"context": {"fileName": ["GEMINI.md", "AGENTS.md"]}}
    assert merge_gemini_hook(settings) == {
        "context": {"fileName": ["GEMINI.md", "AGENTS.md"]},
        "hooks": {
            "BeforeTool": [
                {
                    "matcher": "write_file|replace",
                    "hooks": [
                        {
                            "name": "rulesync-lint",
                            "type": "command",
                            "command": GEMINI_HOOK_COMMAND,
                            "description": (
                                "rulesync identity and umlaut lints: block misspelt names and "
                                "umlauts"
                            ),
                        }
                    ],
                }
            ]
        },
    }


def test_commands_find_the_project_however_the_agent_runs_them() -> None:
    # Claude runs hooks through a shell with CLAUDE_PROJECT_DIR set; Gemini substitutes
    # $GEMINI_PROJECT_DIR itself, already shell-escaped, so it must not be quoted again.
    assert CLAUDE_HOOK_COMMAND == 'rulesync-hook -C "$CLAUDE_PROJECT_DIR" lint --hook claude'
    assert GEMINI_HOOK_COMMAND == "rulesync-hook -C $GEMINI_PROJECT_DIR lint --hook gemini"


def test_result_is_json_serialisable() -> None:
    assert json.loads(json.dumps(merge_claude_hook(USER))) == merge_claude_hook(USER)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"hooks": []}, ".claude/settings.json: `hooks` must be an object"),
        (
            {"hooks": {"PreToolUse": {"matcher": "x"}}},
            ".claude/settings.json: `hooks.PreToolUse` must be a list",
        ),
    ],
)
def test_settings_of_the_wrong_shape(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        merge_claude_hook(settings)
    assert str(raised.value).startswith(message)
