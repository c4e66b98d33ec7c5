"""What `rulesync init` writes: a commented rulesync.yaml and an empty source skeleton."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rulesync import __version__
from rulesync.errors import Problem, RulesyncError
from rulesync.source.config import CONFIG_NAME, DEFAULT_SOURCE, TARGET_OPTIONS
from rulesync.source.names import TARGETS, canonical_target, did_you_mean

from .sourcefile import SourceFile

#: One line of help per option of TARGET_OPTIONS, written above it in rulesync.yaml.
OPTION_HELP: dict[tuple[str, str], str] = {
    ("claude", "hooks"): (
        "hooks: add the lint gate as a PreToolUse hook to .claude/settings.json (merged into\n"
        "your settings, never clobbered). Only when `lint:` below is set up."
    ),
    ("claude", "status_line"): (
        "status_line: set `rulesync status --for claude` as Claude's statusLine in\n"
        ".claude/settings.json (a status line of your own is never replaced)."
    ),
    ("gemini", "hooks"): "hooks: the same lint gate in .gemini/settings.json.",
    ("gemini", "skills_dir"): (
        "skills_dir: where Gemini's skills go. auto = .agents/skills for a skill Codex gets\n"
        "too, with the same text (both read it: written once), else .gemini/skills."
    ),
    ("codex", "max_bytes"): (
        "max_bytes: Codex reads only this much of AGENTS.md (project_doc_max_bytes) and\n"
        "silently drops the rest; mirror warns when AGENTS.md is larger."
    ),
}
STARTER_RULE = b"""\
---
root: true
description: "What every agent must know about this project"
---
# Project rules

Say here what the project is, how to build and test it, and the conventions every agent must
keep. Put separate topics in more files beside this one. Run `rulesync mirror` to write them
into CLAUDE.md, GEMINI.md and AGENTS.md.
"""
STARTER_RULE_NAME = "main.md"
KIND_FOLDERS = ("rules", "commands", "skills", "subagents")
KEEP = ".gitkeep"  # git keeps no empty folders


@dataclass(frozen=True)
class Option:
    name: str
    value: str
    help: str


def parse_targets(text: str | None) -> tuple[str, ...]:
    """`claude,gemini` -> ("claude", "gemini"); the default is every target."""
    if text is None:
        return TARGETS
    chosen: list[str] = []
    for name in filter(None, (part.strip() for part in text.split(","))):
        target = canonical_target(name)
        if target is None:
            hint = did_you_mean(name, TARGETS) or f"use {', '.join(TARGETS)}"
            raise RulesyncError([Problem("--targets", f"unknown target `{name}`", fix=hint)])
        if target not in chosen:
            chosen.append(target)
    if not chosen:
        raise RulesyncError([Problem("--targets", "names no target", fix="e.g. claude,codex")])
    return tuple(t for t in TARGETS if t in chosen)


def render_config(targets: Sequence[str], source: str = DEFAULT_SOURCE) -> bytes:
    from rulesync.render.templates import render

    blocks = [
        {"target": target, "options": [_option(target, k, v) for k, v in options.items()]}
        for target, options in TARGET_OPTIONS.items()
    ]
    return render(
        "rulesync.yaml.j2",
        version=__version__,
        targets=list(targets),
        source=source,
        blocks=blocks,
    )


def _option(target: str, name: str, value: Any) -> Option:
    shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return Option(name, shown, OPTION_HELP.get((target, name), f"{name}: see docs/mirror.md"))


def config_file(targets: Sequence[str], origin: str) -> SourceFile:
    return SourceFile(CONFIG_NAME, render_config(targets), origin)


def skeleton(root: Path, *, starter: bool, source: str = DEFAULT_SOURCE) -> list[SourceFile]:
    """The source folders, each kept in git, and a starter root rule when there is no rule yet."""
    files = []
    rules = root / source / "rules"
    has_rules = rules.is_dir() and any(rules.glob("*.md"))
    for folder in KIND_FOLDERS:
        path = root / source / folder
        if folder == "rules" and starter and not has_rules:
            files.append(SourceFile(f"{source}/rules/{STARTER_RULE_NAME}", STARTER_RULE, "init"))
        elif not path.is_dir() or not any(path.iterdir()):
            files.append(SourceFile(f"{source}/{folder}/{KEEP}", b"", "init"))
    return files


def is_untouched_starter(path: str, current: bytes | None, source: str = DEFAULT_SOURCE) -> bool:
    return path == f"{source}/rules/{STARTER_RULE_NAME}" and current == STARTER_RULE
