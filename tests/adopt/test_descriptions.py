"""Each agent's own description limit: none for subagents, 1024 for skills (the Agent Skills
spec), and so for a command that Codex gets as a skill."""

from __future__ import annotations

from rulesync.source.limits import fit_description

from .shapes import adopt

LONG = ("Use this agent when the schema changes. " * 26).strip()  # 1039 characters


def test_a_long_subagent_description_is_imported_whole(build_tree, run_cli) -> None:
    assert len(LONG) > 1024
    root = build_tree(
        {".claude/agents/dba.md": f"---\nname: dba\ndescription: {LONG}\n---\nYou are a DBA.\n"}
    )
    imported, mirrored, checked = adopt(run_cli, root, "claude")
    assert imported.exit_code == 0, imported.stderr
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)
    assert f'description: "{LONG}"' in (root / ".claude/agents/dba.md").read_text()
    assert f'description: "{LONG}"' in (root / ".gemini/agents/dba.md").read_text()
    assert f'description = "{LONG}"' in (root / ".codex/agents/dba.toml").read_text()


def test_a_long_command_description_is_shortened_for_codex_only(build_tree, run_cli) -> None:
    root = build_tree({".claude/commands/ship.md": f"---\ndescription: {LONG}\n---\nShip it.\n"})
    imported, mirrored, checked = adopt(run_cli, root, "claude")
    assert imported.exit_code == 0, imported.stderr
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)
    assert (
        "`description` has 1039 characters; a Codex skill takes at most 1024, so that file "
        "gets the first 1024"
    ) in mirrored.stderr
    skill = (root / ".codex/skills/ship/SKILL.md").read_text()
    assert f'description: "{fit_description(LONG)}"' in skill
    assert f'description: "{LONG}"' in (root / ".claude/commands/ship.md").read_text()


def test_a_skill_over_the_spec_limit_is_skipped_with_a_note(build_tree, run_cli) -> None:
    root = build_tree(
        {
            ".claude/skills/big/SKILL.md": f"---\nname: big\ndescription: {LONG}\n---\nBig.\n",
            ".claude/skills/ok/SKILL.md": "---\nname: ok\ndescription: Fine\n---\nOk.\n",
        }
    )
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0, result.stderr
    assert (
        "warning: .claude/skills/big/SKILL.md: not imported: its description has 1039 "
        "characters, over the Agent Skills limit of 1024"
    ) in result.stderr
    assert (root / ".rulesync/skills/ok/SKILL.md").is_file()
    assert not (root / ".rulesync/skills/big").exists()


def test_fit_description_cuts_at_a_word() -> None:
    fitted = fit_description(LONG)
    assert len(fitted) <= 1024 and fitted.endswith("…")
    assert LONG.startswith(fitted[:-1]) and fitted[-2] != " "
    assert fit_description("short") == "short"
    assert len(fit_description("x" * 2000)) == 1024
