"""Write what `import` staged, rewrite the imported agent's files as mirror renders them, and
record the lock, so that the next `rulesync mirror` sees every one of them as its own."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rulesync.render.outputs import Warning
from rulesync.sync.plan import Change, Plan

from .importing import ImportPlan


@dataclass(frozen=True)
class ImportDone:
    written: tuple[str, ...]  # source files and rulesync.yaml
    rewritten: tuple[str, ...]  # agent files rewritten as mirror renders them
    adopted: int  # agent files that already matched, now in the lock
    removed: tuple[str, ...] = ()  # adopted duplicates removed (see cleanup.py)
    left: tuple[Warning, ...] = ()  # adopted duplicates left alone at the last check


def apply_import(plan: ImportPlan) -> ImportDone:
    from rulesync.sync.plan import make_plan
    from rulesync.sync.writer import apply_plan, write_atomic

    for backup in plan.backups:
        if not (plan.root / backup.path).exists():
            write_atomic(plan.root / backup.path, backup.content)
    for change in plan.source_writes:
        write_atomic(
            plan.root / change.file.path, change.file.content, executable=change.file.executable
        )
    from .links import replace_links

    replace_links(plan.root, plan.links)
    mirror_plan = make_plan(plan.root)
    chosen = tuple(c for c in mirror_plan.changes if _taken_over(c, plan.consumed))
    apply_plan(_restricted(mirror_plan, chosen), force=True)
    from rulesync.sync.safety import os_errors_reported, source_folder

    from .cleanup import remove_adopted

    root = plan.root.resolve()
    with os_errors_reported(root, "the source is written; run the import again"):
        source = source_folder(root, mirror_plan.config.source)
        removed, left = remove_adopted(root, source, plan.removals)
    return ImportDone(
        tuple(c.file.path for c in plan.source_writes),
        tuple(c.path for c in chosen if c.action != "identical"),
        sum(1 for c in chosen if c.action == "identical"),
        tuple(removed),
        tuple(left),
    )


def _taken_over(change: Change, consumed: frozenset[str]) -> bool:
    """Files already as mirror renders them, and the imported files whose content is now in
    the source. Every other change (creating another agent's files, replacing a file nobody
    imported, removing anything) is left for `rulesync mirror`."""
    if change.action == "identical":
        return True
    owned = change.output is not None and change.output.mode == "owned"
    return owned and change.path in consumed and change.action in ("update", "conflict")


def _restricted(plan: Plan, chosen: tuple[Change, ...]) -> Plan:
    """The plan cut down to `chosen`. When that leaves changes out, the lock must not claim a
    complete run (its fingerprint would let the next mirror skip them), and keeps every entry
    it had (`targets=()`), so the files left out stay as mirror knew them."""
    if len(chosen) == len(plan.changes):
        return plan
    return replace(plan, changes=chosen, fingerprint=None, targets=())
