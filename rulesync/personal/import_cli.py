"""What `rulesync import --global` prints: the source it writes and the files it takes over."""

from __future__ import annotations

from collections.abc import Sequence

import click

from rulesync.errors import EXIT_OK
from rulesync.terminal_text import printable


def run_global_import(
    agent: str | None, targets: Sequence[str] | None, dry_run: bool, force: bool
) -> int:
    from rulesync.personal.importing import apply_global_import, detect_agent, plan_global_import
    from rulesync.personal.locations import find_locations

    where = find_locations()
    chosen = agent or detect_agent(where)
    if chosen is None:
        click.echo("import --global: nothing to do (the user-level context files are rulesync's)")
        return EXIT_OK
    plan = plan_global_import(where, chosen, targets, force)
    for warning in plan.warnings:
        click.echo(click.style("warning: ", fg="yellow") + printable(str(warning)), err=True)
    verb = "would " if dry_run else ""
    for write in plan.writes:
        label = click.style(f"{verb}{write.action:<10}", fg="green")
        click.echo(f"{label} {printable(write.shown)}  (from {printable(write.origin)})")
    from rulesync.sync.diffs import unified_diff

    for rewrite in plan.rewrites:
        label = click.style(f"{verb}rewrite   ", fg="yellow")
        click.echo(f"{label} ~/{printable(rewrite.path)}  (as mirror --global renders it)")
        diff = unified_diff(f"~/{rewrite.path}", rewrite.current, rewrite.wanted)
        click.echo(printable(diff, multiline=True), nl=False)
    if plan.nothing_to_do:
        click.echo("import --global: nothing to do")
        return EXIT_OK
    if dry_run:
        click.echo(
            f"import --global (dry run, nothing written): {len(plan.writes)} source files, "
            f"{len(plan.rewrites)} user files rewritten"
        )
        return EXIT_OK
    done = apply_global_import(where, plan)
    click.echo(
        f"import --global: {len(done.written)} source files written to "
        f"{where.shown(where.config_dir)}, {len(done.rewritten)} user files rewritten, "
        f"{done.adopted} adopted unchanged\n"
        "Next: run `rulesync mirror --global` for the other agents' files."
    )
    return EXIT_OK
