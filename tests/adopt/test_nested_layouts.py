"""Claude Code loads agents and commands from subfolders and through symlinks: import takes
every one of them, refuses links that leave the project, and names every file it skips."""

from __future__ import annotations

import os
from pathlib import Path

from rulesync.adopt.tomlread import read_toml

from .shapes import adopt, links_below, tree_hash

AGENT = "---\nname: {name}\ndescription: {name} helps\n---\nYou are {name}.\n"
NESTED: dict[str, str] = {
    "CLAUDE.md": "# Rules\n\nBe brief.\n",
    ".claude/agents/reviewer.md": AGENT.format(name="reviewer"),
    ".claude/agents/database/expert.md": AGENT.format(name="expert"),
    ".claude/agents/database/tuning/indexer.md": AGENT.format(name="indexer"),
    ".claude/agents/README.md": "# Our agents\n\nOne file per agent.\n",
    ".claude/commands/deploy.md": "---\ndescription: Deploy\n---\nDeploy $ARGUMENTS now.\n",
    ".claude/commands/README.md": "How to use these commands.\n",
    ".claude/commands/frontend/forms/field.md": "Add a field for $ARGUMENTS.\n",
    # the real folders that symlinks inside .claude/ point to
    "tools/claude/git/commit.md": "---\ndescription: Commit\n---\nCommit: $ARGUMENTS\n",
    "tools/claude/git/log.md": "Show the log.\n",
    "tools/claude/git/notes.txt": "not a command\n",
    "tools/agents/ops/oncall.md": AGENT.format(name="oncall"),
    "docs/hello.md": "Say hello to $ARGUMENTS.\n",
}
COMMANDS = ["README", "deploy", "frontend/forms/field", "git/commit", "git/log", "hello"]
AGENTS = ["database/expert", "database/tuning/indexer", "ops/oncall", "reviewer"]


def nested_project(build_tree) -> Path:
    root = build_tree(NESTED)
    os.symlink("../../tools/claude/git", root / ".claude/commands/git")
    os.symlink("../../docs/hello.md", root / ".claude/commands/hello.md")
    os.symlink("../../tools/agents/ops", root / ".claude/agents/ops")
    return root


def source_names(root: Path, folder: str) -> list[str]:
    base = root / ".rulesync" / folder
    return sorted(p.relative_to(base).with_suffix("").as_posix() for p in base.rglob("*.md"))


def test_every_nested_and_linked_agent_and_command_is_imported(build_tree, run_cli) -> None:
    root = nested_project(build_tree)
    targets_before = tree_hash(root / "tools") | tree_hash(root / "docs")
    imported, mirrored, checked = adopt(run_cli, root, "claude")
    assert imported.exit_code == 0, imported.stderr
    assert source_names(root, "commands") == COMMANDS
    assert source_names(root, "subagents") == AGENTS
    assert mirrored.exit_code == 0, mirrored.stderr
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "in sync" in checked.stdout
    # the links' targets were never written
    assert tree_hash(root / "tools") | tree_hash(root / "docs") == targets_before


def test_every_skipped_file_is_named_with_the_reason(build_tree, run_cli) -> None:
    root = nested_project(build_tree)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0
    assert (
        "warning: .claude/agents/README.md: not imported: it has no `name` in its frontmatter, "
        "so Claude Code does not load it as a subagent either\n"
    ) in result.stderr
    assert (
        "warning: .claude/commands/git/notes.txt: not imported: Claude Code reads only *.md "
        "files here\n"
    ) in result.stderr
    assert "2 files not imported (each named above with the reason)" in result.stdout


def test_nested_commands_keep_their_namespace_in_every_agent(build_tree, run_cli) -> None:
    root = nested_project(build_tree)
    adopt(run_cli, root, "claude")
    claude = (root / ".claude/commands/git/commit.md").read_text()
    assert claude.endswith("---\n\nCommit: $ARGUMENTS\n")
    gemini = read_toml((root / ".gemini/commands/git/commit.toml").read_bytes(), "x")
    assert gemini["prompt"] == "Commit: {{args}}\n"  # Gemini names it /git:commit
    codex = (root / ".codex/skills/git-commit/SKILL.md").read_text()
    assert "This skill mirrors the `/git:commit` command." in codex
    assert (root / ".claude/agents/database/tuning/indexer.md").is_file()
    assert (root / ".gemini/agents/indexer.md").is_file()  # Gemini reads one level only
    assert (root / ".codex/agents/indexer.toml").is_file()


def test_imported_links_become_real_files_and_targets_stay(build_tree, run_cli) -> None:
    root = nested_project(build_tree)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert "replace link    .claude/commands/git  (a symlink to ../../tools/claude/git:" in (
        result.stdout
    )
    assert links_below(root / ".claude") == []
    assert (root / ".claude/commands/git/notes.txt").read_text() == "not a command\n"
    assert (root / "tools/claude/git/commit.md").read_text() == NESTED["tools/claude/git/commit.md"]
    assert (root / "docs/hello.md").read_text() == NESTED["docs/hello.md"]


def test_a_link_out_of_the_project_is_refused(build_tree, run_cli, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "cmds").mkdir(parents=True)
    (outside / "cmds/secret.md").write_text("Secret prompt.\n")
    root = build_tree({"CLAUDE.md": "# Rules\n", ".claude/commands/ok.md": "Fine.\n"})
    os.symlink(outside / "cmds", root / ".claude/commands/ext")
    outside_before, project_before = tree_hash(outside), tree_hash(root)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 2
    assert (
        f"error: .claude/commands/ext: is a symlink to {outside / 'cmds'}, outside the project; "
        "nothing was imported"
    ) in result.stderr
    assert tree_hash(outside) == outside_before
    assert tree_hash(root) == project_before


def test_a_whole_agents_folder_linked_out_of_the_project_is_refused(
    build_tree, run_cli, tmp_path: Path
) -> None:
    outside = tmp_path / "agents-home"
    outside.mkdir()
    (outside / "a.md").write_text(AGENT.format(name="a"))
    root = build_tree({"CLAUDE.md": "# Rules\n", ".claude/x": ""})
    os.symlink(outside, root / ".claude/agents")
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 2
    assert f"error: .claude/agents: is a symlink to {outside}, outside the project" in (
        result.stderr
    )
    assert not (root / ".rulesync").exists()


def test_a_broken_link_is_named_not_fatal(build_tree, run_cli) -> None:
    root = build_tree({"CLAUDE.md": "# Rules\n", ".claude/commands/ok.md": "Fine.\n"})
    os.symlink("../../vendor/missing", root / ".claude/commands/kiro")
    imported, mirrored, checked = adopt(run_cli, root, "claude")
    assert imported.exit_code == 0
    assert (
        "warning: .claude/commands/kiro: not imported: a broken symlink (to ../../vendor/missing)"
    ) in imported.stderr
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)


def test_agents_claude_code_would_not_load_are_skipped_with_a_note(build_tree, run_cli) -> None:
    root = build_tree(
        {
            ".claude/agents/a.md": AGENT.format(name="twin"),
            ".claude/agents/sub/b.md": AGENT.format(name="twin"),
            ".claude/agents/nodesc.md": "---\nname: nodesc\n---\nX.\n",
            ".claude/agents/Upper.md": "---\nname: Upper Case\ndescription: d\n---\nX.\n",
        }
    )
    imported, mirrored, checked = adopt(run_cli, root, "claude")
    assert imported.exit_code == 0, imported.stderr
    err = imported.stderr
    assert "warning: .claude/agents/sub/b.md: not imported: a subagent named `twin` was " in err
    assert "warning: .claude/agents/nodesc.md: not imported: it has no `description`" in err
    assert "warning: .claude/agents/Upper.md: not imported: name `Upper Case`" in err
    assert source_names(root, "subagents") == ["a"]  # the file keeps its place
    assert (root / ".claude/agents/a.md").read_text().count('name: "twin"') == 1
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)


def test_gemini_commands_in_linked_folders_are_imported(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "shared/gemini/git/commit.toml": 'description = "Commit"\nprompt = "Commit {{args}}"\n',
            "shared/gemini/git/README.md": "About these commands.\n",
            ".gemini/commands/plain.toml": 'prompt = "Plain."\n',
        }
    )
    os.symlink("../../shared/gemini/git", root / ".gemini/commands/git")
    before = tree_hash(root / "shared")
    imported, mirrored, checked = adopt(run_cli, root, "gemini")
    assert imported.exit_code == 0, imported.stderr
    assert source_names(root, "commands") == ["git/commit", "plain"]
    assert (
        "warning: .gemini/commands/git/README.md: not imported: Gemini CLI reads only *.toml "
        "files here\n"
    ) in imported.stderr
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)
    assert tree_hash(root / "shared") == before
    assert links_below(root / ".gemini") == []


def test_a_readme_among_commands_is_a_command_as_in_claude_code(build_tree, run_cli) -> None:
    root = nested_project(build_tree)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert (
        "warning: .claude/commands/README.md: Claude Code loads this file as the `/README` "
        "command, so it is imported as one (move it out of the folder if it is only "
        "documentation)\n"
    ) in result.stderr
    assert (root / ".rulesync/commands/README.md").read_text() == "How to use these commands.\n"


def test_a_link_loop_is_named_and_not_followed(build_tree, run_cli) -> None:
    root = build_tree({"CLAUDE.md": "# Rules\n", ".claude/commands/ok.md": "Fine.\n"})
    os.symlink("..", root / ".claude/commands/up")
    os.symlink(".", root / ".claude/commands/here")
    imported, mirrored, checked = adopt(run_cli, root, "claude")
    assert imported.exit_code == 0, imported.stderr
    for link in ("up", "here"):
        assert (
            f"warning: .claude/commands/{link}: not imported: a symlink loop (this folder is "
            "already walked)\n"
        ) in imported.stderr
    assert source_names(root, "commands") == ["ok"]
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)


def test_skill_folders_that_cannot_be_imported_are_named(build_tree, run_cli) -> None:
    root = build_tree(
        {
            ".claude/skills/ok/SKILL.md": "---\nname: ok\ndescription: Fine\n---\nOk.\n",
            ".claude/skills/empty/notes.md": "No SKILL.md here.\n",
            ".claude/skills/stray.md": "A file, not a skill.\n",
        }
    )
    os.symlink("../../vendor/skills/gone", root / ".claude/skills/gone")
    imported, mirrored, checked = adopt(run_cli, root, "claude")
    assert imported.exit_code == 0, imported.stderr
    err = imported.stderr
    assert "warning: .claude/skills/empty: not imported: the folder has no SKILL.md\n" in err
    assert "warning: .claude/skills/stray.md: not imported: skills are folders holding a " in err
    assert (
        "warning: .claude/skills/gone: not imported: a broken symlink (to ../../vendor/skills/gone)"
    ) in err
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)


def test_codex_agents_in_a_linked_folder_are_imported(build_tree, run_cli) -> None:
    agent = 'name = "{n}"\ndescription = "{n} agent"\ndeveloper_instructions = "Do {n}."\n'
    root = build_tree(
        {
            "AGENTS.md": "# Rules\n",
            "codex/agents/coder.toml": agent.format(n="coder"),
            "codex/agents/tester.toml": agent.format(n="tester"),
            "codex/agents/old/legacy.toml": agent.format(n="legacy"),
        }
    )
    (root / ".codex").mkdir()
    os.symlink("../codex/agents", root / ".codex/agents")
    before = tree_hash(root / "codex")
    imported, mirrored, checked = adopt(run_cli, root, "codex")
    assert imported.exit_code == 0, imported.stderr
    assert source_names(root, "subagents") == ["coder", "tester"]
    assert (
        "warning: .codex/agents/old: not imported: Codex does not look into subfolders here\n"
    ) in imported.stderr
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)
    assert tree_hash(root / "codex") == before
    assert links_below(root / ".codex") == []


def test_a_linked_folder_holding_a_link_out_is_refused_before_any_write(
    build_tree, run_cli, tmp_path: Path
) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "key.txt").write_text("secret\n")
    agent = 'name = "coder"\ndescription = "c"\ndeveloper_instructions = "Code."\n'
    root = build_tree(
        {"AGENTS.md": "# Rules\n", "codex/agents/coder.toml": agent, "codex/agents/old/x": ""}
    )
    os.symlink(outside, root / "codex/agents/old/inner")  # below where Codex looks
    (root / ".codex").mkdir()
    os.symlink("../codex/agents", root / ".codex/agents")
    before, outside_before = tree_hash(root), tree_hash(outside)
    result = run_cli("-C", root, "import", "--from", "codex")
    assert result.exit_code == 2
    assert (
        f"error: .codex/agents/old/inner: is a symlink to {outside}, outside the project; "
        ".codex/agents cannot be replaced by a copy, so nothing was imported"
    ) in result.stderr
    assert tree_hash(root) == before and tree_hash(outside) == outside_before


def test_gemini_agent_files_gemini_skips_are_named(build_tree, run_cli) -> None:
    agent = "---\nname: {n}\ndescription: {n} helps\n---\nYou are {n}.\n"
    root = build_tree(
        {
            ".gemini/agents/helper.md": agent.format(n="helper"),
            ".gemini/agents/_draft.md": agent.format(n="draft"),
            "shared/linked.md": agent.format(n="linked"),
        }
    )
    os.symlink("../../shared/linked.md", root / ".gemini/agents/linked.md")
    imported, mirrored, checked = adopt(run_cli, root, "gemini")
    assert imported.exit_code == 0, imported.stderr
    assert source_names(root, "subagents") == ["helper"]
    assert "warning: .gemini/agents/_draft.md: not imported: Gemini CLI skips" in imported.stderr
    assert "warning: .gemini/agents/linked.md: not imported: a symlinked file" in imported.stderr
    assert (mirrored.exit_code, checked.exit_code) == (0, 0)


def test_a_skill_style_folder_among_commands_is_named(build_tree, run_cli) -> None:
    root = build_tree(
        {
            ".claude/commands/ok.md": "Fine.\n",
            ".claude/commands/pack/SKILL.md": "---\ndescription: Pack\n---\nPack it.\n",
            ".claude/commands/pack/extra.md": "Extra.\n",
        }
    )
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0, result.stderr
    for name in ("SKILL.md", "extra.md"):
        assert (
            f"warning: .claude/commands/pack/{name}: not imported: a folder of commands holding "
            "a SKILL.md is one skill-style command to Claude Code"
        ) in result.stderr
    assert source_names(root, "commands") == ["ok"]
