"""A small, stable facade over mirror for other commands (dispatch) and Python callers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rulesync.targets.base import RenderContext, context_file


@dataclass(frozen=True)
class SyncResult:
    changed: tuple[str, ...]  # created, updated or removed (or would be, with write=False)
    conflicts: tuple[str, ...]  # hand-edited outputs; nothing is written while there are any
    message: str


def sync_target(root: Path, target: str, *, write: bool) -> SyncResult:
    """Bring one target's mirrored files up to date (or, with write=False, say what is stale)."""
    from rulesync.sync.diffs import unified_diff
    from rulesync.sync.plan import make_plan
    from rulesync.sync.writer import apply_plan

    if write:
        _pin_trusted_sources(root)
    plan = make_plan(root, [target])
    changed = tuple(c.path for c in plan.pending if c.action != "conflict")
    conflicts = tuple(c.path for c in plan.conflicts)
    if conflicts:
        diffs = "".join(unified_diff(c.path, c.current, c.wanted) for c in plan.conflicts)
        message = (
            f"{len(conflicts)} {target} file(s) changed by hand: {', '.join(conflicts)}. "
            "Move the edit into the source and run `rulesync mirror`, or `rulesync mirror --force`.\n"
            + diffs
        )
        return SyncResult(changed, conflicts, message)
    if write and changed:
        apply_plan(plan)
    verb = "mirrored" if write else "stale"
    message = f"{verb}: {', '.join(changed)}" if changed else f"{target} files up to date"
    return SyncResult(changed, conflicts, message)


def _pin_trusted_sources(root: Path) -> None:
    """Pinned sources: no prompt here (dispatch runs unattended), so a shell line not yet
    accepted refuses the sync; `rulesync mirror` is where it is reviewed."""
    from rulesync.source.config import load_config

    config = load_config(root)
    if not config.sources:
        return
    from rulesync.sources.overlay import resolve_sources
    from rulesync.sources.pins import write_pins
    from rulesync.sources.trust import refusal, untrusted

    # a sync that writes may fetch what the cache lacks, as mirror does; its drift memo never
    resolved = resolve_sources(root, config.source, config.sources, git_allowed=True)
    lines = untrusted(resolved, config.source_dir)
    if lines:
        raise refusal(lines, "review them with `rulesync mirror` first")
    write_pins(config.source_dir, tuple(r.new_pin for r in resolved))


def rules_text(root: Path) -> str:
    """The rules as one Markdown text, for agents with no context file (ollama, llm).

    They get what Codex reads in AGENTS.md (the most general rules file), or, in a project
    without Codex, what the first of its targets reads.
    """
    from rulesync.source.config import load_config
    from rulesync.source.loader import load_project
    from rulesync.sync.safety import source_folder

    config = load_config(root)
    source_folder(root.resolve(), config.source)
    project = load_project(root, config)
    targets = project.config.targets
    target = "codex" if "codex" in targets else targets[0]
    output = context_file(RenderContext(project), target, "rules.md")
    return output.content.decode("utf-8") if output else ""
