"""The rules in place before a vendor runs: mirror, --no-sync, conflicts, rules as text."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_mirrors_the_target_before_the_call(fakes, fake_api, project: Path, run_cli) -> None:
    fake_api.changed = ("GEMINI.md",)
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 0
    assert fake_api.calls == [("gemini", True)]
    assert result.stderr.startswith("rulesync: mirrored: GEMINI.md\n")


def test_up_to_date_rules_say_nothing(fakes, fake_api, project: Path, run_cli) -> None:
    result = run_cli("-C", project, "dispatch", "--to", "codex", "hi")
    assert fake_api.calls == [("codex", True)]
    assert result.stderr.startswith("rulesync: codex finished in ")


def test_no_sync_checks_and_runs_when_up_to_date(fakes, fake_api, project: Path, run_cli) -> None:
    result = run_cli("-C", project, "dispatch", "--to", "claude", "--no-sync", "hi")
    assert result.exit_code == 0
    assert fake_api.calls == [("claude", False)]


def test_no_sync_refuses_stale_rules(fakes, fake_api, project: Path, run_cli) -> None:
    fake_api.changed = ("CLAUDE.md", ".claude/commands/review.md")
    result = run_cli("-C", project, "dispatch", "--to", "claude", "--no-sync", "hi")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: claude: the mirrored rules are stale (CLAUDE.md, .claude/commands/review.md); "
        "not dispatching with --no-sync (run `rulesync mirror`, or dispatch without --no-sync)\n"
    )
    assert not fakes.called("claude")


def test_a_hand_edit_stops_with_the_checks_message(fakes, fake_api, project: Path, run_cli) -> None:
    fake_api.changed = ("GEMINI.md",)
    fake_api.conflicts = ("GEMINI.md",)
    fake_api.message = (
        "1 gemini file(s) changed by hand: GEMINI.md. Move the edit into the source.\n"
    )
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "hi")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: gemini: 1 gemini file(s) changed by hand: GEMINI.md. Move the edit into the source.\n"
    )
    assert not fakes.called("gemini")
    assert not fakes.called("claude")


def test_a_source_error_is_a_config_error(
    fakes, fake_api, project: Path, run_cli, monkeypatch
) -> None:
    from rulesync import api
    from rulesync.errors import ConfigError, Problem

    def broken(root: Path, target: str, *, write: bool) -> api.SyncResult:
        raise ConfigError([Problem(".rulesync/rules/main.md", "bad frontmatter", 2)])

    monkeypatch.setattr(api, "sync_target", broken)
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 2
    assert result.stderr == "error: .rulesync/rules/main.md:2: bad frontmatter\n"


def test_without_rulesync_yaml_it_dispatches_with_a_note(
    fakes, fake_api, tmp_path: Path, run_cli
) -> None:
    folder = tmp_path / "anywhere"
    folder.mkdir()
    result = run_cli("-C", folder, "dispatch", "--to", "gemini", "--fallback", "claude", "hi")
    assert result.exit_code == 0
    assert fake_api.calls == []
    assert (
        result.stderr.count(
            f"rulesync: no rulesync.yaml in {folder}; dispatching without project rules\n"
        )
        == 1
    )


def test_a_target_not_mirrored_by_the_project_is_not_synced(
    fakes, fake_api, build_tree, run_cli
) -> None:
    root = build_tree({"rulesync.yaml": "targets: [claude]\n"})
    result = run_cli("-C", root, "dispatch", "--to", "codex", "hi")
    assert result.exit_code == 0
    assert fake_api.calls == []
    assert (
        "rulesync: codex is not in the targets of rulesync.yaml; its rules are not mirrored\n"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("target", "argv", "stdin"),
    [
        ("ollama", ["run", "m"], "# Rules\n\nAlways answer in English.\n\n\n---\n\nhi"),
        ("llm", ["-m", "m", "-s", "# Rules\n\nAlways answer in English.\n"], "hi"),
    ],
)
def test_agents_without_a_context_file_get_the_rules_text(
    target: str, argv: list[str], stdin: str, fakes, fake_api, project: Path, run_cli
) -> None:
    result = run_cli("-C", project, "dispatch", "--to", target, "-m", "m", "hi")
    assert result.exit_code == 0
    assert fake_api.calls == []
    assert (fakes.call(target)["argv"], fakes.call(target)["stdin"]) == (argv, stdin)


def test_empty_rules_text_adds_nothing(fakes, fake_api, project: Path, run_cli) -> None:
    fake_api.rules = ""
    run_cli("-C", project, "dispatch", "--to", "llm", "hi")
    assert fakes.call("llm")["argv"] == []


def test_end_to_end_with_the_real_mirror(fakes, build_tree, run_cli) -> None:
    """Uses rulesync.api for real: GEMINI.md is written before gemini runs in the root."""
    root = build_tree(
        {
            "rulesync.yaml": "targets: [gemini]\n",
            ".rulesync/rules/main.md": "---\nroot: true\n---\n# Project rules\n\nAnswer in German.\n",
        }
    )
    result = run_cli("-C", root, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 0, result.stderr
    assert "Answer in German." in (root / "GEMINI.md").read_text()
    assert "GEMINI.md" in result.stderr.splitlines()[0]
    assert fakes.call("gemini")["cwd"] == str(root)
    again = run_cli("-C", root, "dispatch", "--to", "gemini", "--no-sync", "hi")
    assert again.exit_code == 0, again.stderr
    (root / ".rulesync/rules/main.md").write_text(
        "---\nroot: true\n---\n# Project rules\n\nAnswer in French.\n"
    )
    stale = run_cli("-C", root, "dispatch", "--to", "gemini", "--no-sync", "hi")
    assert stale.exit_code == 3
    assert "GEMINI.md" in stale.stderr


def test_end_to_end_the_real_rules_text_for_llm(fakes, build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [gemini, codex]\n",
            ".rulesync/rules/main.md": "---\nroot: true\n---\n# Project rules\n\nAnswer in French.\n",
        }
    )
    result = run_cli("-C", root, "dispatch", "--to", "llm", "hi")
    assert result.exit_code == 0, result.stderr
    argv = fakes.call("llm")["argv"]
    assert argv[0] == "-s" and "Answer in French." in argv[1]
    assert not (root / "AGENTS.md").exists()  # rules as text: nothing is mirrored for llm


def test_a_hand_edit_diff_is_shown_escaped(fakes, fake_api, project: Path, run_cli) -> None:
    fake_api.changed = fake_api.conflicts = ("GEMINI.md",)
    fake_api.message = (
        "1 gemini file(s) changed by hand: GEMINI.md.\n"
        "-old line\n+new \x1b]0;owned\x07line\u202e\r\tend\n"
    )
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: gemini: 1 gemini file(s) changed by hand: GEMINI.md.\n"
        "-old line\n+new \\x1b]0;owned\\x07line\\u202e\\r\tend\n"
    )


def test_stale_file_names_are_shown_escaped(fakes, fake_api, project: Path, run_cli) -> None:
    fake_api.changed = (".claude/commands/x\x1b[2J\n.md",)
    result = run_cli("-C", project, "dispatch", "--to", "claude", "--no-sync", "hi")
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "error: claude: the mirrored rules are stale (.claude/commands/x\\x1b[2J\\n.md); "
    )
