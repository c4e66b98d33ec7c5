"""`rulesync import`: an existing setup becomes the source, and mirror takes over without a diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tomlcompat import tomllib

CLAUDE_SETUP: dict[str, str] = {
    "CLAUDE.md": (
        "# Acme portal\n\nWe build the customer portal.\n\n@docs/architecture.md\n\n"
        "## Testing\n\nRun `pytest -q`. Ask @README.md when unsure.\n\n"
        "```sh\n@not/an/import.md\n```\n@~/.claude/personal.md\n"
    ),
    "docs/architecture.md": "## Architecture\n\nDjango and HTMX.\n\n@conventions.md\n",
    "docs/conventions.md": "## Conventions\n\nShort names.\n",
    ".claude/commands/commit.md": (
        "---\ndescription: Commit: with a good message\nargument-hint: [message] [scope]\n"
        "allowed-tools: Bash(git add:*), Bash(git commit:*)\nmodel: sonnet\n---\n"
        "Commit with message $ARGUMENTS.\n\nStatus: !`git status --short`\n"
    ),
    ".claude/commands/frontend/component.md": (
        "---\ndescription: Create a React component\nargument-hint: [name]\n"
        "disable-model-invocation: true\n---\n"
        "Create $ARGUMENTS in @src/components/ following @docs/conventions.md.\n"
    ),
    ".claude/commands/frontend/forms/field.md": "Add a form field for $ARGUMENTS.\n",
    ".claude/skills/pdf-tools/SKILL.md": (
        "---\nname: pdf-tools\ndescription: Fill PDF forms. Use when the user mentions PDFs.\n"
        "license: MIT\nallowed-tools: Bash, Read\nmetadata:\n  owner: docs-team\n---\n"
        "# PDF tools\n\nRun scripts/fill.py; field names are in reference/fields.md.\n"
    ),
    ".claude/skills/pdf-tools/scripts/fill.py": "#!/usr/bin/env python3\nprint('fill')\n",
    ".claude/skills/pdf-tools/reference/fields.md": "- name\n- date\n",
    ".claude/agents/code-reviewer.md": (
        "---\nname: code-reviewer\ndescription: Reviews code. Use PROACTIVELY after edits.\n"
        "tools: Read, Grep, Glob, Bash(git diff:*)\nmodel: opus\ncolor: purple\n"
        "permissionMode: plan\nmaxTurns: 12\nskills: pdf-tools\n---\n"
        "You are a senior reviewer.\n\nBe specific.\n"
    ),
    ".claude/agents/researcher.md": (
        "---\nname: researcher\ndescription: Finds things out\ntools:\n  - WebSearch\n"
        "  - WebFetch\nmodel: inherit\n---\nYou research.\n"
    ),
}
EXPECTED_SOURCE: dict[str, str] = {
    ".rulesync/rules/main.md": (
        "---\nroot: true\n---\n# Acme portal\n\nWe build the customer portal.\n\n"
        "## Architecture\n\nDjango and HTMX.\n\n## Conventions\n\nShort names.\n\n"
        "## Testing\n\nRun `pytest -q`. Ask @README.md when unsure.\n\n"
        "```sh\n@not/an/import.md\n```\n@~/.claude/personal.md\n"
    ),
    ".rulesync/commands/commit.md": (
        '---\ndescription: "Commit: with a good message"\nargument-hint: "[message] [scope]"\n'
        'allowed-tools: "Bash(git add:*), Bash(git commit:*)"\nmodel: "sonnet"\n---\n'
        "Commit with message $ARGUMENTS.\n\nStatus: !`git status --short`\n"
    ),
    ".rulesync/commands/frontend/component.md": (
        '---\ndescription: "Create a React component"\nargument-hint: "[name]"\n'
        "disable-model-invocation: true\n---\n"
        "Create $ARGUMENTS in @src/components/ following @docs/conventions.md.\n"
    ),
    ".rulesync/commands/frontend/forms/field.md": "Add a form field for $ARGUMENTS.\n",
    ".rulesync/skills/pdf-tools/SKILL.md": (
        '---\nname: "pdf-tools"\ndescription: "Fill PDF forms. Use when the user mentions PDFs."\n'
        'license: "MIT"\nmetadata:\n  owner: "docs-team"\nallowed-tools: "Bash, Read"\n---\n'
        "# PDF tools\n\nRun scripts/fill.py; field names are in reference/fields.md.\n"
    ),
    ".rulesync/skills/pdf-tools/scripts/fill.py": "#!/usr/bin/env python3\nprint('fill')\n",
    ".rulesync/skills/pdf-tools/reference/fields.md": "- name\n- date\n",
    ".rulesync/subagents/code-reviewer.md": (
        '---\nname: "code-reviewer"\ndescription: "Reviews code. Use PROACTIVELY after edits."\n'
        'tools:\n  - "Read"\n  - "Grep"\n  - "Glob"\n  - "Bash(git diff:*)"\nmodel: "opus"\n'
        'color: "purple"\nmax_turns: 12\npermissionMode: "plan"\nskills: "pdf-tools"\n---\n'
        "You are a senior reviewer.\n\nBe specific.\n"
    ),
    ".rulesync/subagents/researcher.md": (
        '---\nname: "researcher"\ndescription: "Finds things out"\ntools:\n  - "WebSearch"\n'
        '  - "WebFetch"\nmodel: "inherit"\n---\nYou research.\n'
    ),
}
EXPECTED_WARNINGS = [
    "warning: CLAUDE.md:14: import `@~/.claude/personal.md` is outside the project or names no "
    "file; kept as is (Codex does not follow imports)",
    "warning: .claude/commands/commit.md: frontmatter is not valid YAML; read as `key: text` "
    "lines (check the values)",
]


def tree(root: Path, *, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(skip)
    }


@pytest.fixture
def claude_project(build_tree) -> Path:
    root = build_tree(CLAUDE_SETUP)
    (root / ".claude/skills/pdf-tools/scripts/fill.py").chmod(0o755)
    return root


def test_claude_setup_becomes_the_source(claude_project: Path, run_cli) -> None:
    root = claude_project
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0, result.stderr
    source = tree(root / ".rulesync", skip=("mirror.lock",))
    assert {f".rulesync/{p}": c.decode() for p, c in source.items()} == EXPECTED_SOURCE
    assert os.access(root / ".rulesync/skills/pdf-tools/scripts/fill.py", os.X_OK)
    assert not os.access(root / ".rulesync/skills/pdf-tools/reference/fields.md", os.X_OK)
    from_agent_files = [
        line for line in result.stderr.splitlines() if not line.startswith("warning: .rulesync")
    ]
    assert from_agent_files == EXPECTED_WARNINGS
    assert "targets: [claude, gemini, codex]" in (root / "rulesync.yaml").read_text()


def test_originals_are_never_deleted(claude_project: Path, run_cli) -> None:
    root = claude_project
    run_cli("-C", root, "import", "--from", "claude")
    for path in CLAUDE_SETUP:
        assert (root / path).is_file(), path
    assert (root / "docs/architecture.md").read_text() == CLAUDE_SETUP["docs/architecture.md"]
    assert os.access(root / ".claude/skills/pdf-tools/scripts/fill.py", os.X_OK)


def test_report_shows_every_change_before_it_happens(claude_project: Path, run_cli) -> None:
    root = claude_project
    before = tree(root)
    result = run_cli("-C", root, "import", "--from", "claude", "--dry-run")
    assert result.exit_code == 0
    assert tree(root) == before
    out = result.stdout
    assert "would create    .rulesync/rules/main.md  (from CLAUDE.md)\n" in out
    assert (
        "would rewrite   CLAUDE.md  (as mirror renders it; its content is in the source)\n"
        "--- a/CLAUDE.md\n+++ b/CLAUDE.md\n"
    ) in out
    assert "-@docs/architecture.md\n+## Architecture\n" in out
    assert "-permissionMode: plan\n" in out  # reordered as mirror renders it, and shown
    assert "create          GEMINI.md  (mirror will create it)\n" in out
    assert out.endswith(
        "import (dry run, nothing written): 10 files of source, 7 files rewritten, "
        "2 files adopted unchanged\n"
    )
    real = run_cli("-C", root, "import", "--from", "claude")
    assert same_lines(real.stdout)[:-2] == same_lines(out)[:-1]
    assert real.stdout.endswith(
        "import: 10 files of source written, 7 files rewritten, 2 files adopted unchanged\n"
        "Next: run `rulesync mirror` for the 15 files left above.\n"
    )


def same_lines(report: str) -> list[str]:
    """A report without its dry-run wording and label padding."""
    return [" ".join(line.replace("would ", "", 1).split()) for line in report.splitlines()]


def test_lock_is_recorded_so_mirror_has_nothing_to_do(claude_project: Path, run_cli) -> None:
    root = claude_project
    result = run_cli("-C", root, "import", "--from", "claude", "--targets", "claude")
    assert result.exit_code == 0, result.stderr
    assert "Left for `rulesync mirror`" not in result.stdout
    stamps = {p: (root / p).stat().st_mtime_ns for p in tree(root, skip=(".rulesync",))}
    mirror = run_cli("-C", root, "mirror")
    assert mirror.exit_code == 0
    assert mirror.stdout == "mirror: nothing to do (9 files up to date)\n"
    assert {p: (root / p).stat().st_mtime_ns for p in stamps} == stamps
    lock = json.loads((root / ".rulesync/mirror.lock").read_text())
    assert set(lock["files"]) == {
        "CLAUDE.md",
        ".claude/commands/commit.md",
        ".claude/commands/frontend/component.md",
        ".claude/commands/frontend/forms/field.md",
        ".claude/skills/pdf-tools/SKILL.md",
        ".claude/skills/pdf-tools/scripts/fill.py",
        ".claude/skills/pdf-tools/reference/fields.md",
        ".claude/agents/code-reviewer.md",
        ".claude/agents/researcher.md",
    }


def test_mirror_then_writes_only_the_other_agents(claude_project: Path, run_cli) -> None:
    root = claude_project
    run_cli("-C", root, "import", "--from", "claude")
    claude = tree(root, skip=(".rulesync", ".gemini", ".agents", ".codex", "GEMINI", "AGENTS"))
    mirror = run_cli("-C", root, "mirror")
    assert mirror.exit_code == 0, mirror.stderr
    assert ".claude/" not in mirror.stdout and "CLAUDE.md" not in mirror.stdout
    assert mirror.stdout.endswith("mirror: 15 created, 0 updated, 0 removed, 9 unchanged\n")
    assert tree(root, skip=(".rulesync", ".gemini", ".agents", ".codex", "GEMINI", "AGENTS")) == (
        claude
    )
    agents = (root / "AGENTS.md").read_text()
    assert "## Conventions\n\nShort names." in agents  # the @import reached Codex


def test_import_twice_changes_nothing(claude_project: Path, run_cli) -> None:
    root = claude_project
    run_cli("-C", root, "import", "--from", "claude")
    run_cli("-C", root, "mirror")
    before = tree(root)
    again = run_cli("-C", root, "import", "--from", "claude")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == "import: nothing to do (9 files of source up to date)\n"
    assert tree(root) == before


def test_refuses_to_overwrite_a_differing_source_file(claude_project: Path, run_cli) -> None:
    root = claude_project
    mine = "---\ndescription: mine\n---\nMy own commit command.\n"
    (root / ".rulesync/commands").mkdir(parents=True)
    (root / ".rulesync/commands/commit.md").write_text(mine)
    before = tree(root)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "error: .rulesync/commands/commit.md: exists and differs from what import would write "
        "from .claude/commands/commit.md; nothing was written (move it away, or run the import "
        "again with --force to overwrite it)"
    )
    assert tree(root) == before
    forced = run_cli("-C", root, "import", "--from", "claude", "--force")
    assert forced.exit_code == 0
    assert "update          .rulesync/commands/commit.md" in forced.stdout
    assert (root / ".rulesync/commands/commit.md").read_text() == (
        EXPECTED_SOURCE[".rulesync/commands/commit.md"]
    )


def test_hand_edit_of_a_mirrored_file_moves_into_the_source(claude_project: Path, run_cli) -> None:
    root = claude_project
    run_cli("-C", root, "import", "--from", "claude")
    run_cli("-C", root, "mirror")
    claude = root / "CLAUDE.md"
    claude.write_text(claude.read_text().replace("Short names.", "Short, clear names."))
    assert run_cli("-C", root, "import", "--from", "claude").exit_code == 2
    forced = run_cli("-C", root, "import", "--from", "claude", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "update          .rulesync/rules/main.md  (from CLAUDE.md)\n" in forced.stdout
    assert "update          AGENTS.md  (mirror will update it)\n" in forced.stdout
    mirror = run_cli("-C", root, "mirror")
    assert mirror.exit_code == 0
    assert "Short, clear names." in (root / "GEMINI.md").read_text()


def test_claude_rules_folder_becomes_scoped_rules(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "CLAUDE.md": "# Main\n",
            ".claude/rules/frontend/react.md": (
                "---\npaths:\n  - src/**/*.tsx\ndescription: React rules\n---\nUse hooks.\n"
            ),
            ".claude/rules/main.md": "A rule that is also called main.\n",
        }
    )
    result = run_cli("-C", root, "import", "--from", "claude", "--targets", "claude")
    assert result.exit_code == 0, result.stderr
    assert (root / ".rulesync/rules/frontend-react.md").read_text() == (
        '---\ndescription: "React rules"\nglobs:\n  - "src/**/*.tsx"\n---\nUse hooks.\n'
    )
    assert (root / ".rulesync/rules/main-2.md").read_text() == "A rule that is also called main.\n"
    assert (
        "warning: .claude/rules/frontend/react.md: imported into the rules; Claude Code reads "
        ".claude/rules/ too, so delete it after `rulesync mirror` or Claude sees this rule twice"
    ) in result.stderr
    # mirror writes the scoped rule as Claude's own path-scoped rule file
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "Use hooks." not in (root / "CLAUDE.md").read_text()
    assert (
        (root / ".claude/rules/frontend-react.md")
        .read_text()
        .endswith('paths:\n  - "src/**/*.tsx"\n---\n\nUse hooks.\n')
    )


# --- Gemini -------------------------------------------------------------------------------

GREP_TOML = '''\
description = "Search with a regex"
prompt = """
Find lines matching \\\\d+ in C:\\\\Users\\\\me for {{args}}.
Python's \'\'\'triple\'\'\' quotes stay.
Run !{grep -rn "{{args}}" src | head -n {{args}}} and read @{docs/spec.md}.
Shell braces: !{find . -name '*.py' -exec wc -l {} +}
```
!{not translated inside a fence} @{nor/this.md}
```
"""
'''
LOG_TOML = """\
prompt = '''
Show the log for {{args}}: !{git log --oneline -n 5}
Regex \\d{4}-\\d{2} and C:\\Users stay raw.
Keep `!{code spans}` and @{a path with spaces.md} as they are.
'''
"""
GEMINI_AGENT = """\
---
name: researcher
description: Researches long documents
kind: local
tools:
  - read_file
  - google_web_search
  - read_many_files
  - replace
model: gemini-2.5-pro
temperature: 0.2
max_turns: 20
timeout_mins: 10
---
You research.
"""


@pytest.fixture
def gemini_project(build_tree) -> Path:
    return build_tree(
        {
            "GEMINI.md": "# Rules\n\nBe thorough.\n",
            ".gemini/commands/grep.toml": GREP_TOML,
            ".gemini/commands/git/log.toml": LOG_TOML,
            ".gemini/commands/hi.toml": 'prompt = "Say hi to {{args}}"\n',
            ".gemini/agents/researcher.md": GEMINI_AGENT,
        }
    )


def test_gemini_toml_with_tricky_strings_becomes_claude_syntax(gemini_project, run_cli) -> None:
    root = gemini_project
    result = run_cli("-C", root, "import", "--from", "gemini", "--targets", "gemini")
    assert result.exit_code == 0, result.stderr
    assert (root / ".rulesync/commands/grep.md").read_text() == (
        '---\ndescription: "Search with a regex"\n---\n'
        "Find lines matching \\d+ in C:\\Users\\me for $ARGUMENTS.\n"
        "Python's '''triple''' quotes stay.\n"
        'Run !`grep -rn "$ARGUMENTS" src | head -n $ARGUMENTS` and read @docs/spec.md.\n'
        "Shell braces: !`find . -name '*.py' -exec wc -l {} +`\n"
        "```\n!{not translated inside a fence} @{nor/this.md}\n```\n"
    )
    assert (root / ".rulesync/commands/git/log.md").read_text() == (
        "Show the log for $ARGUMENTS: !`git log --oneline -n 5`\n"
        "Regex \\d{4}-\\d{2} and C:\\Users stay raw.\n"
        "Keep `!{code spans}` and @{a path with spaces.md} as they are.\n"
    )
    assert (
        "warning: .gemini/commands/git/log.toml: file `@{a path with spaces.md}` has no Claude "
        "form; kept as is"
    ) in result.stderr
    assert (root / ".rulesync/commands/hi.md").read_text() == "Say hi to $ARGUMENTS\n"


def test_gemini_commands_mirror_back_to_the_same_prompt(gemini_project, run_cli) -> None:
    root = gemini_project
    originals = {
        name: tomllib.loads((root / f".gemini/commands/{name}.toml").read_text())
        for name in ("grep", "git/log", "hi")
    }
    run_cli("-C", root, "import", "--from", "gemini", "--targets", "gemini")
    assert run_cli("-C", root, "mirror").stdout == "mirror: nothing to do (5 files up to date)\n"
    for name, original in originals.items():
        mirrored = tomllib.loads((root / f".gemini/commands/{name}.toml").read_text())
        assert mirrored["prompt"].strip("\n") == original["prompt"].strip("\n")
        assert mirrored.get("description") == original.get("description")


def test_gemini_subagent_tools_map_back_to_claude(gemini_project, run_cli) -> None:
    root = gemini_project
    result = run_cli("-C", root, "import", "--from", "gemini")
    assert result.exit_code == 0, result.stderr
    assert (root / ".rulesync/subagents/researcher.md").read_text() == (
        '---\nname: "researcher"\ndescription: "Researches long documents"\n'
        'tools:\n  - "Read"\n  - "WebSearch"\n  - "Edit"\nmodel: "gemini-2.5-pro"\n'
        "temperature: 0.2\nmax_turns: 20\ntimeout_mins: 10\ngemini:\n  tools:\n"
        '    - "read_file"\n    - "google_web_search"\n    - "read_many_files"\n    - "replace"\n'
        "---\nYou research.\n"
    )
    assert (
        "warning: .gemini/agents/researcher.md: `kind` has no place in the rulesync source yet; "
        "left out, so `rulesync mirror` will not write it"
    ) in result.stderr
    assert (
        "warning: .gemini/agents/researcher.md: tool `read_many_files` has no Claude Code "
        "equivalent; kept for Gemini only"
    ) in result.stderr
    run_cli("-C", root, "mirror")
    claude_agent = (root / ".claude/agents/researcher.md").read_text()
    assert 'tools: "Read, WebSearch, Edit"\n' in claude_agent
    assert "gemini-2.5-pro" not in claude_agent  # a Gemini model never reaches Claude


# --- Codex --------------------------------------------------------------------------------


def test_codex_command_skills_come_back_as_commands(build_tree, run_cli, tmp_path) -> None:
    donor = build_tree(
        {
            "rulesync.yaml": "targets: [codex]\n",
            ".rulesync/rules/main.md": "---\nroot: true\n---\nRules.\n",
            ".rulesync/commands/frontend/component.md": "Make $ARGUMENTS.\n",
            ".rulesync/commands/ship.md": "---\ndescription: Ship it\n---\nShip.\n",
            ".rulesync/subagents/auditor.md": (
                "---\nname: auditor\ndescription: Audits\ntools: [Read, Grep]\n---\nAudit.\n"
            ),
        }
    )
    assert run_cli("-C", donor, "mirror").exit_code == 0
    project = tmp_path / "codex-only"
    for path, content in tree(donor, skip=(".rulesync",)).items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_bytes(content)
    (project / ".codex/agents/writer.toml").write_text(
        'name = "writer"\ndescription = "Writes"\nmodel_reasoning_effort = "high"\n'
        "developer_instructions = '''\nWrite \\d things.\n'''\n"
    )
    result = run_cli("-C", project, "import", "--from", "codex")
    assert result.exit_code == 0, result.stderr
    assert (project / ".rulesync/commands/frontend/component.md").read_text() == (
        "Make $ARGUMENTS.\n"
    )
    assert (project / ".rulesync/commands/ship.md").read_text() == (
        '---\ndescription: "Ship it"\n---\nShip.\n'
    )
    assert (project / ".rulesync/subagents/auditor.md").read_text() == (
        '---\nname: "auditor"\ndescription: "Audits"\nsandbox_mode: "read-only"\n---\nAudit.\n'
    )
    assert (project / ".rulesync/subagents/writer.md").read_text() == (
        '---\nname: "writer"\ndescription: "Writes"\n---\nWrite \\d things.\n'
    )
    assert (
        "warning: .codex/agents/writer.toml: `model_reasoning_effort` has no place in the "
        "rulesync source yet; left out"
    ) in result.stderr
    assert "rewrite         .codex/agents/writer.toml" in result.stdout


# --- the JavaScript rulesync's tree -------------------------------------------------------

JS_TREE = {
    "rulesync.jsonc": (
        '{\n  // which tools to generate for\n  "targets": ["claudecode", "cursor", "agentsmd"],\n'
        '  "features": ["rules", "commands"], /* more later */\n}\n'
    ),
    ".rulesync/rules/overview.md": (
        '---\nroot: true\nlocalRoot: false\ntargets: ["*"]\ndescription: "Overview"\n'
        'globs: ["**/*"]\nagentsmd:\n  subprojectPath: "sub"\ncursor:\n  alwaysApply: true\n'
        "---\n# Overview\n\nBe kind.\n"
    ),
    ".rulesync/rules/ts.md": (
        '---\nroot: false\ntargets: ["claudecode", "cursor"]\ndescription: "TypeScript"\n'
        'globs: "**/*.ts,src/**/*.{ts,tsx}"\n---\nUse strict mode.\n'
    ),
    ".rulesync/rules/plain.md": (
        '---\nroot: false\ntargets: ["claudecode"]\ndescription: "Plain"\nglobs: ["src/**"]\n'
        "---\nAlready fine.\n"
    ),
    ".rulesync/commands/review-pr.md": (
        '---\ndescription: "Review a PR"\ntargets: ["*"]\ncopilot:\n  description: "x"\n---\n'
        "Review $ARGUMENTS.\n"
    ),
    ".rulesync/subagents/planner.md": (
        '---\nname: planner\ntargets: ["*"]\ndescription: >-\n  The planner.\nclaudecode:\n'
        "  model: inherit\nopencode:\n  mode: subagent\n---\nPlan.\n"
    ),
    ".rulesync/skills/example/SKILL.md": (
        '---\nname: example\ndescription: A skill\ntargets: ["*"]\nclaudecode:\n'
        '  allowed-tools:\n    - "Bash"\ncodexcli:\n  short-description: Brief\n---\nBody.\n'
    ),
}


def test_javascript_tree_is_read_in_place(build_tree, run_cli) -> None:
    root = build_tree(JS_TREE)
    result = run_cli("-C", root, "import")  # detected: rulesync.jsonc
    assert result.exit_code == 0, result.stderr
    assert "targets: [claude, codex]\n" in (root / "rulesync.yaml").read_text()
    assert (root / ".rulesync/rules/ts.md").read_text() == (
        '---\nroot: false\ndescription: "TypeScript"\nglobs:\n  - "**/*.ts"\n'
        '  - "src/**/*.{ts,tsx}"\ntargets:\n  - "claudecode"\n---\nUse strict mode.\n'
    )
    assert (root / ".rulesync/rules/plain.md").read_text() == JS_TREE[".rulesync/rules/plain.md"]
    assert (root / ".rulesync/subagents/planner.md").read_text() == (
        '---\nname: "planner"\ndescription: "The planner."\ntargets:\n  - "*"\nclaude:\n'
        '  model: "inherit"\n---\nPlan.\n'
    )
    for path in (".rulesync/rules/overview.md", ".rulesync/skills/example/SKILL.md"):
        backup = root / path.replace(".rulesync/", ".rulesync/.js-originals/")
        assert backup.read_text() == JS_TREE[path]
    warnings = result.stderr.splitlines()
    assert warnings == [
        "warning: .rulesync/rules/overview.md: `agentsmd` is ignored (rulesync does not write "
        "for that tool)",
        "warning: .rulesync/rules/overview.md: `cursor` is ignored (rulesync does not write for "
        "that tool)",
        "warning: .rulesync/rules/ts.md: target `cursor` is ignored (rulesync does not write for "
        "it)",
        "warning: .rulesync/commands/review-pr.md: `copilot` is ignored (rulesync does not write "
        "for that tool)",
        "warning: .rulesync/subagents/planner.md: `opencode` is ignored (rulesync does not write "
        "for that tool)",
        "warning: .rulesync/skills/example/SKILL.md: `codexcli.short-description` is ignored",
    ]
    mirror = run_cli("-C", root, "mirror")
    assert mirror.exit_code == 0, mirror.stderr
    assert "Be kind." in (root / "CLAUDE.md").read_text()
    assert "Use strict mode." not in (root / "AGENTS.md").read_text()  # claudecode only
    again = run_cli("-C", root, "import", "--from", "rulesync-js")
    assert again.stdout.startswith("import: nothing to do")


# --- errors -------------------------------------------------------------------------------


def test_nothing_to_import_is_a_usage_error(build_tree, run_cli) -> None:
    root = build_tree({"README.md": "hi\n"})
    result = run_cli("-C", root, "import", "--from", "codex")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: codex: found nothing to import (looked for AGENTS.md, .agents/skills/, "
        ".codex/skills/, .codex/agents/)\n"
    )


def test_unreadable_toml_names_the_line_and_writes_nothing(build_tree, run_cli) -> None:
    root = build_tree({".gemini/commands/x.toml": 'description = "x"\nprompt = """\nunclosed\n'})
    result = run_cli("-C", root, "import", "--from", "gemini")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: .gemini/commands/x.toml:")
    assert "not valid TOML" in result.stderr and "(fix the TOML syntax)" in result.stderr
    assert not (root / ".rulesync").exists() and not (root / "rulesync.yaml").exists()


def test_invalid_imported_source_names_the_agent_file(build_tree, run_cli) -> None:
    root = build_tree(
        {".claude/agents/bad.md": "---\nname: bad\ndescription: d\ntemperature: hot\n---\nX.\n"}
    )
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 2
    assert "`temperature` must be a number (imported from .claude/agents/bad.md)" in result.stderr
    assert "the imported source would not be valid; nothing was written" in result.stderr
    assert not (root / ".rulesync").exists() and not (root / "rulesync.yaml").exists()


def test_two_setups_need_from(build_tree, run_cli) -> None:
    root = build_tree({"CLAUDE.md": "# C\n", "GEMINI.md": "# G\n"})
    result = run_cli("-C", root, "import")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --from: found claude, gemini (say which: --from claude|gemini|codex|rulesync-js)\n"
    )


def test_other_agents_drifted_file_is_reported_not_touched(build_tree, run_cli) -> None:
    root = build_tree({"CLAUDE.md": "# Rules\n\nBe brief.\n", "GEMINI.md": "# Old rules\n"})
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0
    assert (
        "conflict        GEMINI.md  (differs and was not imported: `rulesync mirror` will stop "
        "on it (review the diff, then `rulesync mirror --force`))\n--- a/GEMINI.md\n"
    ) in result.stdout
    assert (root / "GEMINI.md").read_text() == "# Old rules\n"
    assert run_cli("-C", root, "mirror").exit_code == 1


def test_gemini_agent_with_no_tools_is_left_alone(build_tree, run_cli) -> None:
    agent = "---\nname: r\ndescription: R\ntools: []\n---\nGo.\n"
    root = build_tree({".gemini/agents/r.md": agent})
    result = run_cli("-C", root, "import", "--from", "gemini", "--targets", "gemini")
    assert result.exit_code == 0
    assert (
        "warning: .gemini/agents/r.md: `tools: []` (no tools) is kept in the source, but mirror "
        "would write it as no `tools:` key, which grants every tool; this file is left as it is"
    ) in result.stderr
    assert (root / ".gemini/agents/r.md").read_text() == agent
    assert "tools: []" in (root / ".rulesync/subagents/r.md").read_text()


def test_mirror_keeps_an_empty_tool_list_restricted(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [gemini]\n",
            ".rulesync/subagents/r.md": "---\nname: r\ndescription: R\ntools: []\n---\nGo.\n",
        }
    )
    run_cli("-C", root, "mirror")
    assert "tools: []" in (root / ".gemini/agents/r.md").read_text()


# --- the pieces -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gemini", "claude"),
    [
        ("Fix {{args}} now", "Fix $ARGUMENTS now"),
        ("!{git status}", "!`git status`"),
        ("!{find . -exec wc {} +}", "!`find . -exec wc {} +`"),
        ("!{echo `date`}", "!{echo `date`}"),  # a backtick has no Claude form
        ("read @{docs/a.md}.", "read @docs/a.md."),
        ("read @{docs/a.md}x", "read @{docs/a.md}x"),  # `@docs/a.mdx` would read back longer
        ("mail@{x.md}", "mail@{x.md}"),  # glued to a word: not a file mirror would write
        ("@{my file.md}", "@{my file.md}"),
        ("`!{in code}` and `@{in/code.md}`", "`!{in code}` and `@{in/code.md}`"),
        ("```\n!{fenced}\n```\n!{after}", "```\n!{fenced}\n```\n!`after`"),
        ("C:\\Users\\me \\d+ '''", "C:\\Users\\me \\d+ '''"),
        ("unbalanced !{a { b", "unbalanced !{a { b"),
    ],
)
def test_gemini_syntax_back_to_claude(gemini: str, claude: str) -> None:
    from rulesync.adopt.gemini_reverse import from_gemini_prompt

    assert from_gemini_prompt(gemini, lambda _offset, _message: None) == claude


@pytest.mark.parametrize(
    ("claude_md", "rules"),
    [
        # a hand-kept file: one root rule, whatever it looks like
        (
            "# Rules\n\n_Applies to files matching `x`._\n\nBe.\n",
            {"main": "---\nroot: true\n---\n# Rules\n\n_Applies"},
        ),
        # a mirrored file: one rule per marker, the first is the root, globs come back
        (
            "<!-- Generated by rulesync from .rulesync/rules/. Edit the source and run "
            "`rulesync mirror`. -->\n\n<!-- rulesync:source .rulesync/rules/b.md -->\nB.\n\n"
            "<!-- rulesync:source .rulesync/rules/a.md -->\n_Applies to files matching `src/**`, "
            "`*.py`._\n\nA.\n",
            {"b": "---\nroot: true\n---\nB.\n", "a": '---\nglobs:\n  - "src/**"\n  - "*.py"\n'},
        ),
    ],
)
def test_context_file_back_into_rules(build_tree, claude_md: str, rules: dict[str, str]) -> None:
    from rulesync.adopt.base import ImportContext
    from rulesync.adopt.context import import_context_file

    root = build_tree({"CLAUDE.md": claude_md})
    ctx = ImportContext(root, ".rulesync")
    import_context_file(ctx, "CLAUDE.md", follow_imports=True)
    staged = {path: file.content.decode() for path, file in ctx.files.items()}
    assert set(staged) == {f".rulesync/rules/{name}.md" for name in rules}
    for name, start in rules.items():
        assert staged[f".rulesync/rules/{name}.md"].startswith(start)


def test_targets_only_for_a_new_rulesync_yaml(build_tree, run_cli) -> None:
    root = build_tree({"rulesync.yaml": "targets: [claude]\n", "CLAUDE.md": "# R\n"})
    result = run_cli("-C", root, "import", "--from", "claude", "--targets", "codex")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --targets: rulesync.yaml exists (edit `targets:` in it instead)\n"
    )


def test_import_cycles_and_missing_files_stay_as_lines(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "CLAUDE.md": "Top.\n@a.md\n@missing/file.md\n",
            "a.md": "A.\n@b.md\n",
            "b.md": "B.\n@a.md\n",
        }
    )
    result = run_cli("-C", root, "import", "--from", "claude", "--targets", "claude")
    assert result.exit_code == 0
    assert (root / ".rulesync/rules/main.md").read_text() == (
        "---\nroot: true\n---\nTop.\nA.\nB.\n@a.md\n@missing/file.md\n"
    )
    assert "warning: b.md:2: import `@a.md` imports itself; kept as is" in result.stderr
    assert (
        "warning: CLAUDE.md:3: import `@missing/file.md` is outside the project or names no file; "
        "kept as is (Codex does not follow imports)"
    ) in result.stderr
