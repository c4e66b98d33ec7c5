"""Generate the large benchmark project: 200 rules, 100 commands, 50 skills, 20 subagents.

Half the rules (the odd ones) are scoped to one of 20 package folders (`globs:
packages/pkg-NN/**`), so mirror writes 20 nested GEMINI.md and AGENTS.md files and 100 path-scoped
`.claude/rules/` files; every tenth rule keeps a pattern (`src/**/*.py`) that stays in the root
file with its "Applies to" line.

    python benchmarks/gen_large_project.py /tmp/large-project

The content is deterministic (no randomness), realistic in size and shape: frontmatter,
headings, lists, code blocks, Claude placeholders, supporting files.
"""

from __future__ import annotations

import sys
from pathlib import Path

RULES, COMMANDS, SKILLS, SUBAGENTS = 200, 100, 50, 20
PACKAGES = 20

PARAGRAPH = (
    "Keep functions small and name them for what they do. Prefer plain data over clever "
    "abstractions, and write the test before the fix. When a change touches more than one "
    "module, split it into steps that each leave the build green."
)


def generate(root: Path) -> Path:
    """Write the project under `root` (created if needed) and return it."""
    source = root / ".rulesync"
    _write(root / "rulesync.yaml", "targets: [claude, gemini, codex]\n")
    for index in range(RULES):
        _write(source / "rules" / f"rule-{index:03d}.md", _rule(index))
    for index in range(COMMANDS):
        folder = "" if index % 4 else f"group{index % 3}/"
        _write(source / "commands" / f"{folder}command-{index:03d}.md", _command(index))
    for index in range(SKILLS):
        skill = source / "skills" / f"skill-{index:02d}"
        _write(skill / "SKILL.md", _skill(index))
        _write(skill / "reference.md", f"# Reference {index}\n\n{PARAGRAPH}\n")
    for index in range(SUBAGENTS):
        _write(source / "subagents" / f"agent-{index:02d}.md", _subagent(index))
    return root


def _rule(index: int) -> str:
    front = "root: true\n" if index == 0 else f"description: Rule {index}\n"
    if index % 2 == 1:
        front += f"globs: ['packages/pkg-{index % PACKAGES:02d}/**']\n"
    elif index % 10 == 2:
        front += "globs: ['src/**/*.py']\n"
    body = f"## Rule {index}\n\n{PARAGRAPH}\n\n- Item one for rule {index}.\n- Item two.\n"
    if index % 7 == 0:
        body += "\n<!-- only: claude -->\nClaude only.\n<!-- /only -->\n"
    return f"---\n{front}---\n{body}"


def _command(index: int) -> str:
    return (
        f'---\ndescription: Command {index}\nargument-hint: "[target]"\n'
        "allowed-tools: Bash(git:*), Read\n---\n"
        f"Do task {index} for $ARGUMENTS.\n\nContext: !`git status --short`\n\nSee @docs/guide.md.\n"
        f"Regex: \\d+ and C:\\Users\\me\n\n{PARAGRAPH}\n"
    )


def _skill(index: int) -> str:
    return (
        f'---\nname: skill-{index:02d}\ndescription: "Skill {index}: use when asked about topic {index}."\n---\n'
        f"# Skill {index}\n\nRead reference.md first.\n\n{PARAGRAPH}\n"
    )


def _subagent(index: int) -> str:
    return (
        f"---\nname: agent-{index:02d}\ndescription: Agent {index}\ntools: [Read, Grep, Glob, Bash]\n"
        f"model: sonnet\nclaude:\n  color: blue\n---\nYou are agent {index}.\n\n{PARAGRAPH}\n"
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: gen_large_project.py DIR")
    print(generate(Path(sys.argv[1])))
