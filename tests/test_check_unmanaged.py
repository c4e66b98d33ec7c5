"""`check` names a context file that rulesync does not manage, and how to adopt it."""

from __future__ import annotations

import json
import os

import pytest

UNMANAGED = (
    "unmanaged    CLAUDE.md  (exists, but rulesync does not manage it (it writes nothing for "
    "claude yet): run `rulesync import --from claude` to adopt it)\n"
)
#: what a failed import leaves: the config and an empty source, the agent's files untouched
FAILED_IMPORT = {
    "rulesync.yaml": "targets: [claude, gemini]\n",
    ".rulesync/rules/.gitkeep": "",
    "CLAUDE.md": "# Our rules\n\nBe kind.\n",
    "AGENTS.md": "# not a target here\n",
}


def test_unmanaged_context_file_is_a_finding(build_tree, run_cli) -> None:
    root = build_tree(FAILED_IMPORT)
    result = run_cli("-C", root, "check")
    assert result.exit_code == 1
    assert result.stdout == UNMANAGED + "check: 0 files in sync.\n"
    assert "AGENTS.md" not in result.stdout  # codex is not a target


def test_unmanaged_symlinked_context_file_counts_too(build_tree, run_cli) -> None:
    root = build_tree(FAILED_IMPORT)
    (root / "CLAUDE.md").unlink()
    os.symlink("AGENTS.md", root / "CLAUDE.md")
    result = run_cli("-C", root, "check")
    assert result.exit_code == 1
    assert result.stdout.startswith("unmanaged    CLAUDE.md  (")


@pytest.mark.parametrize("output_format", ["json", "github", "markdown"])
def test_every_format_names_it(build_tree, run_cli, output_format: str) -> None:
    root = build_tree(FAILED_IMPORT)
    result = run_cli("-C", root, "check", "--format", output_format)
    assert result.exit_code == 1
    if output_format == "json":
        document = json.loads(result.stdout)
        assert document["in_sync"] is False
        (entry,) = document["unmanaged"]
        assert (entry["path"], entry["target"], entry["finding"]) == ("CLAUDE.md", "claude", True)
        assert "rulesync import --from claude" in entry["message"]
    elif output_format == "github":
        assert result.stdout.startswith("::error file=CLAUDE.md,title=rulesync check::CLAUDE.md ")
    else:
        assert result.stdout.startswith("- **Unmanaged:** `CLAUDE.md` exists, but rulesync")


def test_after_import_and_mirror_check_is_clean(build_tree, run_cli) -> None:
    root = build_tree(
        {"rulesync.yaml": "targets: [claude, gemini]\n", "CLAUDE.md": "# Our rules\n\nBe kind.\n"}
    )
    assert run_cli("-C", root, "import", "--from", "claude").exit_code == 0
    assert run_cli("-C", root, "mirror").exit_code == 0
    result = run_cli("-C", root, "check")
    assert result.exit_code == 0, result.stdout
    assert "unmanaged" not in result.stdout


def test_context_file_kept_by_hand_beside_managed_commands_is_a_note(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\n",
            ".rulesync/commands/fix.md": "---\ndescription: d\n---\nFix it.\n",
            "CLAUDE.md": "# Ours, by hand\n",
        }
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    result = run_cli("-C", root, "check")
    assert result.exit_code == 0
    assert result.stdout.startswith("note         CLAUDE.md  (is kept by hand: rulesync manages")
    assert "rulesync import --from claude" in result.stdout


def test_only_checked_targets_count(build_tree, run_cli) -> None:
    root = build_tree({**FAILED_IMPORT, "GEMINI.md": "# Gemini's own\n"})
    result = run_cli("-C", root, "check", "--target", "gemini")
    assert result.exit_code == 1
    assert "GEMINI.md" in result.stdout
    assert "CLAUDE.md" not in result.stdout


def test_a_rendered_context_file_is_left_to_the_drift_report(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\n",
            ".rulesync/rules/main.md": "---\nroot: true\n---\nHi\n",
            "CLAUDE.md": "# mine\n",
        }
    )
    result = run_cli("-C", root, "check")
    assert result.exit_code == 1
    assert result.stdout.startswith("hand-edited  CLAUDE.md")
    assert "unmanaged" not in result.stdout


# --- a skill folder rulesync did not write, beside one it writes: a CLI sees it twice ---

SKILLS = {
    "rulesync.yaml": "targets: [claude, gemini, codex]\n",
    ".rulesync/skills/review/SKILL.md": "---\nname: review\ndescription: R\n---\nReview.\n",
    ".rulesync/commands/fix.md": "---\ndescription: d\n---\nFix it.\n",
}
LEFT_BY_IMPORT = "---\nname: review\ndescription: R\n---\nReview.\n"


def test_leftover_gemini_skill_beside_the_shared_one_is_a_finding(build_tree, run_cli) -> None:
    root = build_tree(SKILLS)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / ".gemini/skills/review").mkdir(parents=True)
    (root / ".gemini/skills/review/SKILL.md").write_text(LEFT_BY_IMPORT)
    result = run_cli("-C", root, "check")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "duplicate    .gemini/skills/review/SKILL.md  (Gemini CLI reads it as well as "
        ".agents/skills/review/SKILL.md, which rulesync writes, so it sees the skill `review` "
        "twice; rulesync did not write it: once its text is in the source, delete "
        ".gemini/skills/review/)\n"
    )


def test_leftover_command_skill_in_the_shared_folder_is_a_finding(build_tree, run_cli) -> None:
    root = build_tree(SKILLS)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / ".agents/skills/fix").mkdir(parents=True)
    (root / ".agents/skills/fix/SKILL.md").write_text("---\nname: fix\ndescription: d\n---\n")
    result = run_cli("-C", root, "check", "--format", "json")
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)["unmanaged"]
    assert (entry["path"], entry["target"], entry["kind"]) == (
        ".agents/skills/fix/SKILL.md",
        "codex",
        "duplicate",
    )


def test_another_tools_skill_of_another_name_is_not_looked_at(build_tree, run_cli) -> None:
    root = build_tree(SKILLS)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / ".gemini/skills/mine").mkdir(parents=True)
    (root / ".gemini/skills/mine/SKILL.md").write_text("---\nname: mine\ndescription: m\n---\n")
    result = run_cli("-C", root, "check")
    assert result.exit_code == 0, result.stdout
