"""mirror's opt-in Claude `statusLine` (`claude: status_line: true`), merged like the hooks."""

from __future__ import annotations

import json

RULE = "---\nroot: true\n---\n# Rules\n"
LINT = "lint:\n  identity:\n    names: [GitHub]\n"
OURS = {"type": "command", "command": "rulesync-hook status --for claude"}


def test_off_by_default(build_tree, run_cli) -> None:
    root = build_tree({"rulesync.yaml": "targets: [claude]\n", ".rulesync/rules/a.md": RULE})
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert not (root / ".claude/settings.json").exists()


def test_status_line_alone_is_added_and_user_settings_survive(build_tree, run_cli) -> None:
    user = {"permissions": {"allow": ["Bash(npm test)"]}, "model": "opus"}
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\nclaude:\n  status_line: true\n",
            ".rulesync/rules/a.md": RULE,
            ".claude/settings.json": json.dumps(user),
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    settings = json.loads((root / ".claude/settings.json").read_text())
    assert settings == {**user, "statusLine": OURS}
    assert run_cli("-C", root, "check").exit_code == 0
    again = run_cli("-C", root, "mirror")
    assert again.exit_code == 0
    assert json.loads((root / ".claude/settings.json").read_text()) == settings


def test_status_line_and_lint_hook_in_one_merge(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\nclaude:\n  status_line: true\n" + LINT,
            ".rulesync/rules/a.md": RULE,
        }
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    settings = json.loads((root / ".claude/settings.json").read_text())
    assert settings["statusLine"] == OURS
    commands = [h["command"] for g in settings["hooks"]["PreToolUse"] for h in g["hooks"]]
    assert commands == ['rulesync-hook -C "$CLAUDE_PROJECT_DIR" lint --hook claude']


def test_a_status_line_of_the_users_own_is_never_replaced(build_tree, run_cli) -> None:
    theirs = {"statusLine": {"type": "command", "command": "~/bin/my-line.sh", "padding": 1}}
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\nclaude:\n  status_line: true\n",
            ".rulesync/rules/a.md": RULE,
            ".claude/settings.json": json.dumps(theirs),
        }
    )
    before = (root / ".claude/settings.json").read_bytes()
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / ".claude/settings.json").read_bytes() == before


def test_an_earlier_status_line_of_ours_is_updated_keeping_extra_keys(build_tree, run_cli) -> None:
    old = {
        "statusLine": {
            "type": "command",
            "command": "rulesync -C . status --for claude",
            "padding": 2,
        }
    }
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\nclaude:\n  status_line: true\n",
            ".rulesync/rules/a.md": RULE,
            ".claude/settings.json": json.dumps(old),
        }
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    settings = json.loads((root / ".claude/settings.json").read_text())
    assert settings["statusLine"] == {**OURS, "padding": 2}


def test_bad_value_is_a_located_config_error(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\nclaude:\n  status_line: yes please\n",
            ".rulesync/rules/a.md": RULE,
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "rulesync.yaml:3" in result.stderr
    assert "`claude.status_line` must be true or false" in result.stderr
    assert not (root / ".claude").exists()
