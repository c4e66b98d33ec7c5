"""A hook or status line rulesync wrote is taken out once it is turned off (the lock names it),
and only that: the user's own hooks, status line and keys stay."""

from __future__ import annotations

import json
from pathlib import Path

RULE = "---\nroot: true\n---\n# Rules\n"
LINT = "lint:\n  identity:\n    names: [GitHub]\n"
MEMORY = "memory:\n  hooks: true\n"
STATUS = "claude:\n  status_line: true\n"
USER = {
    "permissions": {"allow": ["Bash(npm test)"]},
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard"}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}],
    },
}


def _project(build_tree, config: str, settings: dict[str, object] | None = None) -> Path:
    files = {"rulesync.yaml": "targets: [claude, gemini]\n" + config, ".rulesync/rules/a.md": RULE}
    if settings is not None:
        files[".claude/settings.json"] = json.dumps(settings)
        files[".gemini/settings.json"] = json.dumps(settings)
    root: Path = build_tree(files)
    return root


def _settings(root: Path, agent: str = "claude") -> dict[str, object]:
    data: dict[str, object] = json.loads((root / f".{agent}/settings.json").read_text())
    return data


def _names(root: Path) -> dict[str, list[str]]:
    merged = json.loads((root / ".rulesync/mirror.lock").read_text())["merged"]
    return {path: entry["names"] for path, entry in merged.items()}


def test_the_lock_names_the_hooks_rulesync_wrote(build_tree, run_cli) -> None:
    root = _project(build_tree, LINT + MEMORY + STATUS)
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert _names(root) == {
        ".claude/settings.json": ["hook.lint", "hook.claude.status_line", "hook.memory.hooks"],
        ".gemini/settings.json": ["hook.lint", "hook.memory.hooks"],
    }


def test_turning_everything_off_gives_back_exactly_the_users_settings(build_tree, run_cli) -> None:
    root = _project(build_tree, LINT + MEMORY + STATUS, USER)
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert _settings(root) != USER
    (root / "rulesync.yaml").write_text("targets: [claude, gemini]\n")
    check = run_cli("-C", root, "check")
    assert check.exit_code == 1 and ".claude/settings.json" in check.stdout
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert _settings(root) == USER
    assert _settings(root, "gemini") == USER
    assert run_cli("-C", root, "check").exit_code == 0


def test_one_turned_off_goes_and_the_others_stay(build_tree, run_cli) -> None:
    root = _project(build_tree, LINT + MEMORY + STATUS)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / "rulesync.yaml").write_text("targets: [claude, gemini]\n" + LINT + STATUS)
    assert run_cli("-C", root, "mirror").exit_code == 0
    settings = _settings(root)
    assert settings["statusLine"] == {
        "type": "command",
        "command": "rulesync-hook status --for claude",
    }
    hooks = settings["hooks"]
    assert isinstance(hooks, dict) and list(hooks) == ["PreToolUse"]
    assert "lint --hook claude" in json.dumps(hooks)
    assert "memory" not in json.dumps(_settings(root, "gemini"))
    assert _names(root)[".claude/settings.json"] == ["hook.lint", "hook.claude.status_line"]


def test_a_status_line_of_the_users_own_is_never_taken_out(build_tree, run_cli) -> None:
    root = _project(build_tree, STATUS)
    assert run_cli("-C", root, "mirror").exit_code == 0
    path = root / ".claude/settings.json"
    mine = {"type": "command", "command": "~/bin/my-status"}
    path.write_text(json.dumps({"statusLine": mine}))  # the user replaces ours by hand
    (root / "rulesync.yaml").write_text("targets: [claude, gemini]\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert _settings(root) == {"statusLine": mine}


def test_a_settings_file_deleted_by_the_user_is_not_created_again(build_tree, run_cli) -> None:
    root = _project(build_tree, LINT)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / ".claude/settings.json").unlink()
    (root / "rulesync.yaml").write_text("targets: [claude, gemini]\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert not (root / ".claude/settings.json").exists()
    assert _settings(root, "gemini") == {}


def test_a_lock_without_names_takes_nothing_out(build_tree, run_cli) -> None:
    root = _project(build_tree, LINT)
    assert run_cli("-C", root, "mirror").exit_code == 0
    lock_file = root / ".rulesync/mirror.lock"
    data = json.loads(lock_file.read_text())
    data["merged"] = {p: m["sha256"] for p, m in data["merged"].items()}
    lock_file.write_text(json.dumps(data))
    before = (root / ".claude/settings.json").read_bytes()
    (root / "rulesync.yaml").write_text("targets: [claude, gemini]\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / ".claude/settings.json").read_bytes() == before


def test_hooks_false_for_one_agent_takes_out_only_its_hooks(build_tree, run_cli) -> None:
    root = _project(build_tree, LINT, USER)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / "rulesync.yaml").write_text(
        "targets: [claude, gemini]\n" + LINT + "claude:\n  hooks: false\n"
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert _settings(root) == USER
    assert "lint --hook gemini" in json.dumps(_settings(root, "gemini"))
