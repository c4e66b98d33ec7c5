"""`rulesync check`: report drift between the source and the agents' files; write nothing."""

from __future__ import annotations

import os
from pathlib import Path

import click

from rulesync.errors import EXIT_FINDINGS, EXIT_OK
from rulesync.terminal_text import printable

FORMATS = ("text", "json", "github", "markdown")
STATUS_COLOURS = {"missing": "green", "stale": "yellow", "hand-edited": "red", "orphan": "magenta"}


@click.command()
@click.option(
    "--target",
    "-t",
    "targets",
    multiple=True,
    metavar="T",
    help="Check only this target (claude, gemini, codex); repeatable.",
)
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Report format (default: text, or github when GITHUB_ACTIONS=true).",
)
@click.pass_obj
def check(root: Path, targets: tuple[str, ...], output_format: str | None) -> int:
    """Render the source in memory and compare it with the files on disk and the lock file.
    Nothing is written.

    Each file is `missing`, `stale` (its source changed), `hand-edited` (changed since
    mirror wrote it), `orphan` (mirror wrote it, its source is gone) or `ok`. Files rulesync
    did not write are never looked at. A file that differs only by CRLF line endings is ok,
    with a note; a missing final newline is drift.

    The text report lists the drifted files, then a unified diff (`git apply` takes it)
    that turns the disk into what `rulesync mirror` would write. For a hand-edited
    CLAUDE.md, GEMINI.md or AGENTS.md it names the rule the edited lines came from.

    Exit codes: 0 in sync, 1 drift, 2 config or source error.
    """
    from rulesync.check_report import build_report, render_report
    from rulesync.plan import make_plan

    chosen = output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    report = build_report(make_plan(root, targets))
    if chosen == "text":
        for warning in report.warnings:
            click.echo(click.style("warning: ", fg="yellow") + printable(str(warning)), err=True)
        for note in report.notes:
            click.echo(f"note: {printable(note)}", err=True)
    text = render_report(report, chosen, prefix=_workspace_prefix(root), paint=_paint)
    click.echo(text, nl=False)
    return EXIT_FINDINGS if report.drifted else EXIT_OK


def _paint(label: str, status: str) -> str:
    return click.style(label, fg=STATUS_COLOURS.get(status))


def _workspace_prefix(root: Path) -> str:
    """Annotations name files from the working directory (the workspace in GitHub Actions)."""
    try:
        relative = root.relative_to(Path.cwd().resolve())
    except ValueError:
        return ""
    return "" if relative == Path() else f"{relative.as_posix()}/"
