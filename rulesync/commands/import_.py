"""`rulesync import --from claude|gemini|codex|rulesync-js`: build the source from a setup."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rulesync.errors import EXIT_OK, Problem, RulesyncError
from rulesync.terminal_text import printable

if TYPE_CHECKING:
    from rulesync.adopt.importing import ImportPlan
    from rulesync.adopt.writeback import ImportDone

SOURCES = ("claude", "gemini", "codex", "rulesync-js")
COLOURS = {
    "create": "green",
    "update": "yellow",
    "rewrite": "yellow",
    "replace link": "yellow",
    "remove": "yellow",
    "conflict": "red",
}
LATER = {
    "create": "mirror will create it",
    "update": "mirror will update it",
    "conflict": "differs and was not imported: `rulesync mirror` will stop on it "
    "(review the diff, then `rulesync mirror --force`)",
}


@click.command("import")
@click.option(
    "--from",
    "agent",
    type=click.Choice(SOURCES),
    help="The setup to import. Default: the one found (the JavaScript rulesync's tree first).",
)
@click.option(
    "--targets",
    metavar="LIST",
    help="Targets for a new rulesync.yaml, e.g. claude,codex (default: all three).",
)
@click.option("--dry-run", "-n", is_flag=True, help="Show what would change; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite source files that exist and differ.")
@click.option(
    "--global",
    "global_",
    is_flag=True,
    help="Adopt your user-level files (~/.claude/CLAUDE.md, ...) into ~/.config/rulesync.",
)
@click.pass_obj
def import_(
    root: Path, agent: str | None, targets: str | None, dry_run: bool, force: bool, global_: bool
) -> int:
    """Build `.rulesync/` from an agent's existing files, so `rulesync mirror` takes over.

    Reads the context file (CLAUDE.md, GEMINI.md or AGENTS.md; `@file` import lines are
    inlined), commands (Gemini TOML back to Claude syntax), skills with their supporting files,
    and subagents. Writes the source (and rulesync.yaml if there is none), then rewrites the
    imported agent's files as mirror renders them and records them in the lock. Every change
    to an agent file is shown as a diff first. Originals are never deleted, except an adopted
    skill that mirror now writes to another folder the same agent reads (it would see the
    skill twice): each such removal is listed. An existing source file that differs is never
    overwritten without --force. Other agents' files are left to
    `rulesync mirror`.

    With --global, the agent's user-level files (~/.claude/CLAUDE.md, commands, skills and
    subagents; the same for ~/.gemini and $CODEX_HOME) are adopted into your personal folder
    (~/.config/rulesync), for `rulesync mirror --global`. See docs/personal.md.

    Exit codes: 0 imported (or nothing to do), 2 nothing found, a refused overwrite, or an
    agent file that cannot be read.
    """
    from rulesync.adopt.importing import plan_import
    from rulesync.adopt.init_files import parse_targets

    if global_:
        from rulesync.personal.import_cli import run_global_import

        chosen_targets = parse_targets(targets) if targets is not None else None
        return run_global_import(agent, chosen_targets, dry_run, force)
    chosen = agent or _detect(root)
    wanted = parse_targets(targets) if targets is not None else None
    plan = plan_import(root, chosen, targets=wanted, force=force)
    for warning in plan.warnings:
        click.echo(click.style("warning: ", fg="yellow") + printable(str(warning)), err=True)
    _report(plan, dry_run)
    if plan.nothing_to_do:
        click.echo(f"import: nothing to do ({_files(len(plan.sources))} of source up to date)")
        return EXIT_OK
    if dry_run:
        click.echo(_summary_dry(plan))
        return EXIT_OK
    from rulesync.adopt.writeback import apply_import

    click.echo(_summary(plan, apply_import(plan)))
    return EXIT_OK


def _detect(root: Path) -> str:
    from rulesync.adopt.detect import existing_setups

    found = existing_setups(root)
    if found[:1] == ["rulesync-js"] or len(found) == 1:
        return found[0]
    why = f"found {', '.join(found)}" if found else "found no agent files"
    raise RulesyncError([Problem("--from", why, fix=f"say which: --from {'|'.join(SOURCES)}")])


def _report(plan: ImportPlan, dry_run: bool) -> None:
    for change in plan.source_writes:
        _line(change.action, change.file.path, f"from {change.file.origin}", dry_run)
    for link in sorted(plan.links):
        target = os.readlink(plan.root / link)
        what = "a real folder" if (plan.root / link).is_dir() else "a real file"
        why = f"a symlink to {target}: becomes {what} as mirror renders it; nothing is written through the link"
        _line("replace link", link, why, dry_run)
    for output in plan.outputs_with("rewrite"):
        _line("rewrite", output.path, "as mirror renders it; its content is in the source", dry_run)
        _diff(output.path, output.current, output.wanted)
    for removal in plan.removals:
        _line("remove", removal.path, removal.why, dry_run)
    later = plan.outputs_with("create", "update", "conflict")
    if later:
        click.echo("Left for `rulesync mirror`:")
    for output in later:
        _line(output.action, output.path, LATER[output.action], dry_run=False)
        if output.action == "conflict":
            _diff(output.path, output.current, output.wanted)


def _diff(path: str, current: bytes | None, wanted: bytes) -> None:
    from rulesync.sync.diffs import unified_diff

    click.echo(printable(unified_diff(path, current, wanted), multiline=True), nl=False)


def _line(action: str, path: str, why: str, dry_run: bool) -> None:
    text = f"would {action}" if dry_run else action
    label = click.style(f"{text:<16}" if len(text) < 16 else f"{text} ", fg=COLOURS.get(action))
    click.echo(f"{label}{printable(path)}  ({printable(why)})")


def _summary_dry(plan: ImportPlan) -> str:
    return (
        f"import (dry run, nothing written): {_files(len(plan.source_writes))} of source, "
        f"{_files(len(plan.outputs_with('rewrite')))} rewritten, "
        f"{_files(len(plan.outputs_with('identical')))} adopted unchanged"
        + (f", {_files(len(plan.removals))} removed" if plan.removals else "")
    )


def _summary(plan: ImportPlan, done: ImportDone) -> str:
    text = (
        f"import: {_files(len(done.written))} of source written, "
        f"{_files(len(done.rewritten))} rewritten, {_files(done.adopted)} adopted unchanged"
    )
    if done.removed:
        text += f", {_files(len(done.removed))} removed"
    for left in done.left:
        click.echo(click.style("warning: ", fg="yellow") + printable(str(left)), err=True)
    skipped = sum(1 for w in plan.warnings if w.message.startswith("not imported"))
    if skipped:
        text += f", {_files(skipped)} not imported (each named above with the reason)"
    later = len(plan.outputs_with("create", "update", "conflict"))
    if later:
        text += f"\nNext: run `rulesync mirror` for the {_files(later)} left above."
    return text


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"
