"""mirror's opt-in memory hooks (`memory: {hooks: true}`): merged, never clobbering."""

from __future__ import annotations

import json

from rulesync.memory import settings as memory_settings

RULE = "---\nroot: true\n---\n# Rules\n"
ON = "memory:\n  hooks: true\n"
LINT = "lint:\n  identity:\n    names: [GitHub]\n"
CLAUDE_BRIEF = 'rulesync-hook -C "$CLAUDE_PROJECT_DIR" memory brief --for claude --hook'
CLAUDE_INDEX = 'rulesync-hook -C "$CLAUDE_PROJECT_DIR" memory hook'


def _commands(settings: dict, event: str) -> list[str]:
    return [hook["command"] for group in settings["hooks"][event] for hook in group["hooks"]]


def test_off_by_default_and_no_standing_order(build_tree, run_cli) -> None:
    root = build_tree(
        {"rulesync.yaml": "targets: [claude, gemini, codex]\n", ".rulesync/rules/a.md": RULE}
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert not (root / ".claude/settings.json").exists()
    assert not (root / ".gemini/settings.json").exists()
    assert "memory brief" not in (root / "AGENTS.md").read_text()


def test_claude_hooks_merge_beside_the_users_and_the_lint_hook(build_tree, run_cli) -> None:
    theirs = {
        "model": "opus",
        "hooks": {
            "SessionStart": [{"hooks": [{"type": "command", "command": "~/bin/hello.sh"}]}],
            "PostToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "fmt"}]}],
        },
    }
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\n" + ON + LINT,
            ".rulesync/rules/a.md": RULE,
            ".claude/settings.json": json.dumps(theirs),
        }
    )
    done = run_cli("-C", root, "mirror")
    assert done.exit_code == 0, done.stderr
    settings = json.loads((root / ".claude/settings.json").read_text())
    assert settings["model"] == "opus"
    assert _commands(settings, "SessionStart") == ["~/bin/hello.sh", CLAUDE_BRIEF]
    assert settings["hooks"]["PostToolUse"] == [
        {"matcher": "Bash", "hooks": [{"type": "command", "command": "fmt"}]},
        {
            "matcher": "Write|Edit|MultiEdit",
            "hooks": [{"type": "command", "command": CLAUDE_INDEX}],
        },
    ]
    assert _commands(settings, "PreToolUse") == [
        'rulesync-hook -C "$CLAUDE_PROJECT_DIR" lint --hook claude'
    ]
    assert run_cli("-C", root, "check").exit_code == 0
    before = (root / ".claude/settings.json").read_bytes()
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / ".claude/settings.json").read_bytes() == before


def test_gemini_hooks_and_the_codex_standing_order(build_tree, run_cli) -> None:
    root = build_tree(
        {"rulesync.yaml": "targets: [gemini, codex]\n" + ON, ".rulesync/rules/a.md": RULE}
    )
    done = run_cli("-C", root, "mirror")
    assert done.exit_code == 0, done.stderr
    settings = json.loads((root / ".gemini/settings.json").read_text())
    assert _commands(settings, "SessionStart") == [
        "rulesync-hook -C $GEMINI_PROJECT_DIR memory brief --for gemini --hook"
    ]
    [group] = settings["hooks"]["AfterTool"]
    assert group["matcher"] == "write_file|replace"
    assert group["hooks"][0]["command"] == "rulesync-hook -C $GEMINI_PROJECT_DIR memory hook"
    agents = (root / "AGENTS.md").read_text()
    assert "## Shared memory" in agents
    assert "`rulesync memory brief --for codex`" in agents
    assert "rulesync memory brief" not in (root / "GEMINI.md").read_text()


def test_target_hooks_false_keeps_the_memory_hooks_out(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\nclaude:\n  hooks: false\n" + ON,
            ".rulesync/rules/a.md": RULE,
        }
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert not (root / ".claude/settings.json").exists()


def test_an_older_hook_of_ours_is_updated_in_place() -> None:
    old = {
        "hooks": {
            "SessionStart": [
                {
                    "hooks": [
                        {
                            "type": "command",
                            "command": "rulesync memory brief --for claude",
                            "timeout": 5,
                        }
                    ]
                }
            ]
        }
    }
    merged = memory_settings.merge_claude_memory(old)
    assert merged["hooks"]["SessionStart"] == [
        {"hooks": [{"type": "command", "command": CLAUDE_BRIEF, "timeout": 5}]}
    ]
    assert (
        old["hooks"]["SessionStart"][0]["hooks"][0]["command"]
        == "rulesync memory brief --for claude"
    )


def test_bad_settings_and_bad_config_exit_2(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\n" + ON,
            ".rulesync/rules/a.md": RULE,
            ".claude/settings.json": '{"hooks": []}',
        }
    )
    before = (root / ".claude/settings.json").read_bytes()
    done = run_cli("-C", root, "mirror")
    assert done.exit_code == 2
    assert ".claude/settings.json" in done.stderr and "`hooks` must be an object" in done.stderr
    assert (root / ".claude/settings.json").read_bytes() == before
    (root / "rulesync.yaml").write_text(
        "targets: [claude]\nmemory:\n  hooks: yes please\n  hook: true\n"
    )
    bad = run_cli("-C", root, "mirror")
    assert bad.exit_code == 2
    assert "`memory.hooks` must be true or false" in bad.stderr
    assert "unknown memory option `hook`" in bad.stderr
