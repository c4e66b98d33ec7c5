"""`rulesync mirror`: render the source into every agent's files."""

from __future__ import annotations

from pathlib import Path

import click

from rulesync.errors import EXIT_FINDINGS, EXIT_OK
from rulesync.terminal_text import printable

ACTION_COLOURS = {"create": "green", "update": "yellow", "remove": "magenta", "conflict": "red"}


@click.command()
@click.option(
    "--target",
    "-t",
    "targets",
    multiple=True,
    metavar="T",
    help="Mirror only this target (claude, gemini, codex); repeatable.",
)
@click.option("--dry-run", "-n", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--force", is_flag=True, help="Overwrite hand-edited outputs and remove hand-edited orphans."
)
@click.option(
    "--fail-on-change",
    is_flag=True,
    help="Exit 1 when a file was written or removed, as formatters do in pre-commit.",
)
@click.option(
    "--global",
    "global_",
    is_flag=True,
    help="Mirror your personal rules (~/.config/rulesync) into the agents' user-level files.",
)
@click.option("--yes", "-y", is_flag=True, help="Accept new shell lines from sources (CI).")
@click.pass_obj
def mirror(
    root: Path,
    targets: tuple[str, ...],
    dry_run: bool,
    force: bool,
    fail_on_change: bool,
    global_: bool,
    yes: bool,
) -> int:
    """Render `.rulesync/` into CLAUDE.md, GEMINI.md, AGENTS.md and each agent's command,
    skill, subagent and hook files.

    Every file is validated and rendered in memory first; a bad source writes nothing. Each
    file is written atomically, and a lock file (.rulesync/mirror.lock) records what was
    written. A file edited by hand since then is a conflict: mirror writes nothing, shows the
    diff and exits 1 (use --force, or move the edit into the source). Files whose source is
    gone (orphans) are removed. Files rulesync did not write are never touched.

    With --global, the source is your personal folder (~/.config/rulesync) and the files are
    the agents' user-level ones (~/.claude/CLAUDE.md, ~/.gemini/GEMINI.md, ~/.codex/AGENTS.md,
    their commands, skills and subagents); the lock is in your state folder. See
    docs/personal.md.

    Sources pinned from git (`sources:`, docs/sources.md) are pinned in
    .rulesync/sources.lock first; new shell lines from them are listed and need a `y` at a
    terminal, or --yes.

    Exit codes: 0 written (or nothing to do), 1 conflicts (or, with --fail-on-change, any
    change), 2 config or source error (or shell lines from a source not accepted).
    """
    from rulesync.sync.plan import make_plan
    from rulesync.sync.writer import apply_plan

    if global_:
        from rulesync.personal.plan import make_global_plan

        plan = make_global_plan(targets)
    else:
        _prepare_sources(root, yes=yes, dry_run=dry_run)
        plan = make_plan(root, targets)
    _refuse_obstacles(plan)
    for warning in plan.warnings:
        click.echo(click.style("warning: ", fg="yellow") + printable(str(warning)), err=True)
    for note in plan.notes:
        click.echo(f"note: {printable(note)}", err=True)
    if plan.conflicts and not force:
        return _report_conflicts(plan)
    changes = plan.pending
    if changes:  # one write for all the lines: a fresh mirror lists hundreds of files
        click.echo("\n".join(_change_line(c.action, c.path, c.reason, dry_run) for c in changes))
    if not dry_run:
        apply_plan(plan, force=force)
    click.echo(_summary(plan, dry_run))
    return EXIT_FINDINGS if fail_on_change and changes else EXIT_OK


def _prepare_sources(root: Path, *, yes: bool, dry_run: bool) -> None:
    """Pinned sources (docs/sources.md): their shell lines are reviewed, then pinned."""
    from rulesync.source.config import load_config
    from rulesync.source.packages import enclosing_project

    root = enclosing_project(root)[0]  # `-C packages/api`: the root's rulesync.yaml
    config = load_config(root, required=False)  # a missing one: make_plan says so
    if config.sources:
        from rulesync.commands.sources import prepare_mirror

        prepare_mirror(root, config, yes=yes, dry_run=dry_run)


def _change_line(action: str, path: str, reason: str, dry_run: bool) -> str:
    verb = "overwrite" if action == "conflict" else action
    label = click.style(
        f"{('would ' + verb) if dry_run else verb:<16}", fg=ACTION_COLOURS.get(action)
    )
    suffix = f"  ({reason})" if action in ("remove", "conflict") and reason else ""
    return f"{label}{printable(path)}{printable(suffix)}"


def _summary(plan: object, dry_run: bool) -> str:
    from rulesync.sync.plan import Plan

    assert isinstance(plan, Plan)
    counts = {action: 0 for action in ("create", "update", "remove", "conflict", "identical")}
    for change in plan.changes:
        counts[change.action] += 1
    if not plan.pending:
        return f"mirror: nothing to do ({counts['identical']} files up to date)"
    parts = [
        f"{counts['create']} created",
        f"{counts['update']} updated",
        f"{counts['remove']} removed",
    ]
    if counts["conflict"]:
        parts.append(f"{counts['conflict']} overwritten")
    parts.append(f"{counts['identical']} unchanged")
    head = "mirror (dry run, nothing written)" if dry_run else "mirror"
    return f"{head}: {', '.join(parts)}"


def _report_conflicts(plan: object) -> int:
    from rulesync.sync.diffs import unified_diff
    from rulesync.sync.plan import Plan

    assert isinstance(plan, Plan)
    for change in plan.conflicts:
        click.echo(
            click.style("conflict        ", fg="red")
            + printable(f"{change.path}  ({change.reason})")
        )
        diff = unified_diff(change.path, change.current, change.wanted)
        click.echo(printable(diff, multiline=True), nl=False)
    count = len(plan.conflicts)
    command = "rulesync mirror --global" if plan.state_lock is not None else "rulesync mirror"
    sources = ", ".join(sorted({c.source for c in plan.conflicts}))
    click.echo(
        f"mirror: {count} file{'s' if count != 1 else ''} changed by hand; nothing was written.\n"
        f"Move the edit into the source ({sources}) and run `{command}`, "
        f"or run `{command} --force` to overwrite it (the diff above shows what would be lost).",
        err=True,
    )
    return EXIT_FINDINGS


def _refuse_obstacles(plan: object) -> None:
    """A symlink, a folder or a FIFO where an output goes: never written over, even by --force."""
    from rulesync.errors import Problem, UnsafePathError
    from rulesync.sync.plan import Plan

    assert isinstance(plan, Plan)
    if plan.obstacles:
        raise UnsafePathError(
            [
                Problem(
                    c.path,
                    c.reason,
                    fix="move it away, then run `rulesync mirror` (it writes a regular file there)",
                )
                for c in plan.obstacles
            ]
        )
