"""`rulesync init`: a commented rulesync.yaml, an empty source tree, and the pre-commit hooks."""

from __future__ import annotations

from pathlib import Path

import click

from rulesync.errors import EXIT_OK

IMPORT_HINT = "found an existing {setup} setup: run `rulesync import --from {setup}` to bring it in"


@click.command()
@click.option(
    "--targets",
    metavar="LIST",
    help="The agents to write for, comma-separated (default: claude,gemini,codex).",
)
@click.option(
    "--hooks-only",
    is_flag=True,
    help="Only add rulesync's hooks to .pre-commit-config.yaml (for a project set up already).",
)
@click.pass_obj
def init(root: Path, targets: str | None, hooks_only: bool) -> int:
    """Start using rulesync in this project.

    Writes rulesync.yaml, with every key explained, and `.rulesync/` with rules/ (a starter
    root rule), commands/, skills/ and subagents/. Adds the hooks rulesync-check,
    identity-lint and umlaut-lint to .pre-commit-config.yaml, keeping its comments, order
    and quoting; hooks that are there already are not added twice.

    Exit codes: 0 done, 2 rulesync.yaml exists (init never overwrites it) or an unknown target.
    """
    from rulesync.adopt.init_files import parse_targets
    from rulesync.adopt.initialise import apply_init, plan_init
    from rulesync.adopt.precommit import PRE_COMMIT_CONFIG

    plan = plan_init(root, parse_targets(targets), hooks_only=hooks_only)
    apply_init(plan)
    for file in plan.files:
        click.echo(click.style(f"{'create':<16}", fg="green") + file.path)
    if plan.hooks.added:
        verb = "create" if plan.hooks.created else "update"
        added = ", ".join(plan.hooks.added)
        click.echo(
            click.style(f"{verb:<16}", fg="green" if plan.hooks.created else "yellow")
            + f"{PRE_COMMIT_CONFIG}  (hooks {added})"
        )
    else:
        click.echo(f"{'identical':<16}{PRE_COMMIT_CONFIG}  (rulesync's hooks are there already)")
    for setup in plan.setups:
        click.echo(f"note: {IMPORT_HINT.format(setup=setup)}")
    if not hooks_only:
        click.echo("Next: write your rules in .rulesync/, then run `rulesync mirror`.")
    return EXIT_OK
