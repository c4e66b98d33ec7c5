"""mirror merges the lint hook into the agents' settings.json and never clobbers the user's."""

from __future__ import annotations

import json

CONFIG = "targets: [claude, gemini]\nlint:\n  identity:\n    names: [GitHub]\n"
RULE = "---\nroot: true\n---\n# Rules\n"
USER_SETTINGS = {
    "permissions": {"allow": ["Bash(npm test)"]},
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard.sh"}]}
        ],
        "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}],
    },
}


def test_hook_is_added_and_user_settings_survive(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": CONFIG,
            ".rulesync/rules/a.md": RULE,
            ".claude/settings.json": json.dumps(USER_SETTINGS),
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "update          .claude/settings.json" in result.stdout
    settings = json.loads((root / ".claude/settings.json").read_text())
    assert settings["permissions"] == USER_SETTINGS["permissions"]
    assert settings["hooks"]["Stop"] == USER_SETTINGS["hooks"]["Stop"]
    pre = settings["hooks"]["PreToolUse"]
    assert pre[0] == USER_SETTINGS["hooks"]["PreToolUse"][0]
    ours = [h for group in pre for h in group["hooks"] if "lint --hook claude" in h["command"]]
    assert len(ours) == 1


def test_hook_merge_is_idempotent_and_never_an_orphan(build_tree, run_cli) -> None:
    root = build_tree({"rulesync.yaml": CONFIG, ".rulesync/rules/a.md": RULE})
    assert run_cli("-C", root, "mirror").exit_code == 0
    first = (root / ".claude/settings.json").read_bytes()
    again = run_cli("-C", root, "mirror")
    assert again.stdout.startswith("mirror: nothing to do")
    assert (root / ".claude/settings.json").read_bytes() == first
    # Turning the lint off takes our hook out; the settings file stays: it is the user's.
    (root / "rulesync.yaml").write_text("targets: [claude, gemini]\n")
    off = run_cli("-C", root, "mirror")
    assert off.exit_code == 0
    assert (root / ".claude/settings.json").read_text() == "{}\n"


def test_user_edit_of_settings_is_kept_not_a_conflict(build_tree, run_cli) -> None:
    root = build_tree({"rulesync.yaml": CONFIG, ".rulesync/rules/a.md": RULE})
    run_cli("-C", root, "mirror")
    path = root / ".claude/settings.json"
    settings = json.loads(path.read_text())
    settings["model"] = "opus"
    path.write_text(json.dumps(settings, indent=4))
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    assert ".claude/settings.json" not in result.stdout
    assert json.loads(path.read_text())["model"] == "opus"


def test_gemini_settings_get_a_before_tool_hook(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": CONFIG,
            ".rulesync/rules/a.md": RULE,
            ".gemini/settings.json": '{"theme": "dark"}',
        }
    )
    run_cli("-C", root, "mirror")
    settings = json.loads((root / ".gemini/settings.json").read_text())
    assert settings["theme"] == "dark"
    assert any(
        "lint --hook gemini" in h["command"]
        for g in settings["hooks"]["BeforeTool"]
        for h in g["hooks"]
    )


def test_invalid_settings_json_is_a_clear_error_and_nothing_is_written(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": CONFIG,
            ".rulesync/rules/a.md": RULE,
            ".claude/settings.json": '{"a": 1,,}',
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert ".claude/settings.json:1: is not valid JSON" in result.stderr
    assert (root / ".claude/settings.json").read_text() == '{"a": 1,,}'
    assert not (root / "CLAUDE.md").exists()


def test_hooks_can_be_turned_off_per_target(build_tree, run_cli) -> None:
    root = build_tree(
        {"rulesync.yaml": CONFIG + "claude:\n  hooks: false\n", ".rulesync/rules/a.md": RULE}
    )
    run_cli("-C", root, "mirror")
    assert not (root / ".claude/settings.json").exists()
    assert (root / ".gemini/settings.json").exists()


def test_spelling_section_is_rendered_into_every_rules_file(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": CONFIG.replace("[claude, gemini]", "[claude, gemini, codex]"),
            ".rulesync/rules/a.md": RULE,
        }
    )
    run_cli("-C", root, "mirror")
    for name in ("CLAUDE.md", "GEMINI.md", "AGENTS.md"):
        text = (root / name).read_text()
        assert "<!-- rulesync:source rulesync.yaml lint.identity -->\n## Spelling of names" in text
        assert "- **GitHub**" in text


def test_bad_identity_config_is_a_located_error(build_tree, run_cli) -> None:
    config = (
        "targets: [claude]\nlint:\n  identity:\n    names:\n      - GitHub\n      - {wrong: [x]}\n"
    )
    root = build_tree({"rulesync.yaml": config, ".rulesync/rules/a.md": RULE})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "rulesync.yaml:6: lint.identity:" in result.stderr
    assert not (root / "CLAUDE.md").exists()
