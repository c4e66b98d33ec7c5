"""Agent files that rulesync does not manage but that change what an agent reads.

After an import that failed, or before one, CLAUDE.md (GEMINI.md, AGENTS.md) holds the
project's rules while the source has none: `check` would say "0 files in sync". This module
finds such a file of each checked target: it exists (a symlink counts), the lock does not own
it, and the plan does not render it (a rendered one is reported by the plan as a hand edit).

It is a finding (exit 1) when rulesync writes nothing at all for that agent: the adoption never
happened. When rulesync writes the agent's other files, the context file is the user's choice
to keep by hand: a note, not a finding.

It also finds a skill folder rulesync did not write that a CLI reads beside one that rulesync
writes, under the same name (say `.gemini/skills/x/` left by an import, beside mirror's
`.agents/skills/x/`): Gemini then reports a "Skill conflict" and Codex lists the skill twice.
That is a finding: each skill must appear once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from rulesync.sync.plan import Plan

CONTEXT_FILES = {"claude": "CLAUDE.md", "gemini": "GEMINI.md", "codex": "AGENTS.md"}
#: the project skill folders each CLI reads (Claude reads only its own `.claude/skills`)
SKILL_FOLDERS = {
    "gemini": (".gemini/skills", ".agents/skills"),
    "codex": (".codex/skills", ".agents/skills"),
}
CLI_NAMES = {"claude": "Claude Code", "gemini": "Gemini CLI", "codex": "Codex"}


@dataclass(frozen=True)
class Unmanaged:
    path: str
    target: str
    finding: bool  # False: only a note
    message: str
    label: str  # `unmanaged`, `duplicate` or `note`


def find_unmanaged(plan: Plan) -> tuple[Unmanaged, ...]:
    return (*_context_files(plan), *_duplicate_skills(plan))


def _context_files(plan: Plan) -> list[Unmanaged]:
    rendered = {change.path for change in plan.changes}
    found = []
    for target in plan.targets:
        path = CONTEXT_FILES.get(target)
        if path is None or path in rendered or path in plan.lock.files:
            continue
        if not os.path.lexists(plan.root / path):
            continue
        manages_others = any(target in change.targets for change in plan.changes) or any(
            target in entry.targets for entry in plan.lock.files.values()
        )
        adopt = f"run `rulesync import --from {target}` to adopt it"
        if manages_others:
            message = f"is kept by hand: rulesync manages {target}'s other files but not this one; {adopt}"
            found.append(Unmanaged(path, target, False, message, "note"))
        else:
            message = f"exists, but rulesync does not manage it (it writes nothing for {target} yet): {adopt}"
            found.append(Unmanaged(path, target, True, message, "unmanaged"))
    return found


def _duplicate_skills(plan: Plan) -> list[Unmanaged]:
    ours = {change.path for change in plan.changes if change.wanted is not None}
    owned = ours | set(plan.lock.files)
    found = []
    for target in plan.targets:
        folders = SKILL_FOLDERS.get(target, ())
        for path in sorted(ours):
            name = _skill_name(path, folders)
            if name is None:
                continue
            for folder in folders:
                other = f"{folder}/{name}/SKILL.md"
                if other == path or other in owned or not os.path.lexists(plan.root / other):
                    continue
                message = (
                    f"{CLI_NAMES[target]} reads it as well as {path}, which rulesync writes, so "
                    f"it sees the skill `{name}` twice; rulesync did not write it: once its text "
                    f"is in the source, delete {folder}/{name}/"
                )
                found.append(Unmanaged(other, target, True, message, "duplicate"))
    return found


def _skill_name(path: str, folders: tuple[str, ...]) -> str | None:
    """`<folder>/<name>/SKILL.md` for one of `folders` -> name."""
    for folder in folders:
        rest = path.removeprefix(f"{folder}/")
        if rest != path and rest.count("/") == 1 and rest.endswith("/SKILL.md"):
            return rest.split("/", 1)[0]
    return None


def json_entries(found: tuple[Unmanaged, ...]) -> list[dict[str, object]]:
    """The `unmanaged` list that `check --format json` adds to its document."""
    return [
        {
            "path": u.path,
            "target": u.target,
            "kind": u.label,
            "finding": u.finding,
            "message": u.message,
        }
        for u in found
    ]


def render_unmanaged(found: tuple[Unmanaged, ...], output_format: str, prefix: str = "") -> str:
    """The lines to print before the drift report (text, github, markdown)."""
    if not found:
        return ""
    if output_format == "github":
        return "".join(
            f"::{'error' if u.finding else 'notice'} file={prefix}{u.path},"
            f"title=rulesync check::{u.path} {u.message}\n"
            for u in found
        )
    if output_format == "markdown":
        lines = [
            f"- **{'Unmanaged' if u.finding else 'Note'}:** `{u.path}` {u.message}" for u in found
        ]
        return "\n".join(lines) + "\n"
    return "".join(f"{u.label:<12} {u.path}  ({u.message})\n" for u in found)
