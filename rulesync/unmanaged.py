"""Context files that sit in the project but that rulesync does not manage.

After an import that failed, or before one, CLAUDE.md (GEMINI.md, AGENTS.md) holds the
project's rules while the source has none: `check` would say "0 files in sync". This module
finds such a file of each checked target: it exists (a symlink counts), the lock does not own
it, and the plan does not render it (a rendered one is reported by the plan as a hand edit).

It is a finding (exit 1) when rulesync writes nothing at all for that agent: the adoption never
happened. When rulesync writes the agent's other files, the context file is the user's choice
to keep by hand: a note, not a finding.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from rulesync.plan import Plan

CONTEXT_FILES = {"claude": "CLAUDE.md", "gemini": "GEMINI.md", "codex": "AGENTS.md"}


@dataclass(frozen=True)
class Unmanaged:
    path: str
    target: str
    finding: bool  # False: rulesync manages the agent's other files; only a note

    @property
    def message(self) -> str:
        adopt = f"run `rulesync import --from {self.target}` to adopt it"
        if self.finding:
            return f"exists, but rulesync does not manage it (it writes nothing for {self.target} yet): {adopt}"
        return f"is kept by hand: rulesync manages {self.target}'s other files but not this one; {adopt}"


def find_unmanaged(plan: Plan) -> tuple[Unmanaged, ...]:
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
        found.append(Unmanaged(path, target, finding=not manages_others))
    return tuple(found)


def json_entries(found: tuple[Unmanaged, ...]) -> list[dict[str, object]]:
    """The `unmanaged` list that `check --format json` adds to its document."""
    return [
        {"path": u.path, "target": u.target, "finding": u.finding, "message": u.message}
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
    return "".join(
        f"{'unmanaged' if u.finding else 'note':<12} {u.path}  ({u.message})\n" for u in found
    )
