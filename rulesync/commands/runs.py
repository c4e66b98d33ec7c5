"""`rulesync runs`: list past dispatch attempts from the run log."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rulesync.dispatch.runlog import Row

CLASS_COLOURS = {"ok": "green", "quota": "yellow", "timeout": "yellow", "interrupted": "yellow"}
HEADERS = ("STARTED (UTC)", "RUN", "TARGET", "MODEL", "CLASS", "EXIT", "SECONDS", "NOTE")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of attempts.")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    metavar="N",
    default=20,
    show_default=True,
    help="Show the newest N attempts.",
)
def runs(as_json: bool, limit: int) -> int:
    """List past dispatch attempts, newest first: one row per target tried.

    RUN is the run id and the attempt's place in its fallback chain (run/2 is the first
    fallback). The log is $RULESYNC_STATE_DIR, $XDG_STATE_HOME/rulesync or
    ~/.local/state/rulesync, file runs.sqlite3.
    """
    from rulesync.dispatch.state import log_path
    from rulesync.terminal_text import printable, printable_json

    path = log_path(os.environ)
    rows = _read(path, limit)
    if as_json:
        import json

        text = json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False)
        click.echo(printable_json(text))
        return 0
    if not rows:
        click.echo(f"no runs logged yet (the log is {printable(str(path))})", err=True)
        return 0
    table = [HEADERS, *(_cells(row.as_dict()) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    for number, line in enumerate(table):
        click.echo(_format(line, widths, header=number == 0).rstrip())
    return 0


def _read(path: Path, limit: int) -> list[Row]:
    import sqlite3

    from rulesync.dispatch.runlog import recent
    from rulesync.errors import Problem, RulesyncError
    from rulesync.terminal_text import printable

    try:
        return recent(path, limit)
    except (OSError, sqlite3.Error) as error:
        fix = "move the file away; a new log is started on the next dispatch"
        raise RulesyncError(
            [Problem(printable(str(path)), f"cannot read the run log: {error}", fix=fix)]
        ) from None


def _cells(row: dict[str, object]) -> tuple[str, ...]:
    """One table line; every field comes from the log file, so each is made printable."""
    from rulesync.terminal_text import printable

    started = str(row["started_at"]).replace("T", " ")[:19]
    note = f"resets {row['reset_time']}" if row["reset_time"] else ""
    if row["parent_run_id"]:
        note = f"{note}; parent {row['parent_run_id']}".lstrip("; ")
    cells = (
        started,
        f"{row['run_id']}/{row['attempt']}",
        str(row["target"]),
        str(row["model"] or "-"),
        str(row["class"]),
        str(row["exit_code"]),
        _seconds(row["duration_s"]),
        note,
    )
    return tuple(printable(cell) for cell in cells)


def _seconds(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else str(value)


def _format(line: tuple[str, ...], widths: list[int], *, header: bool) -> str:
    cells = []
    for index, (cell, width) in enumerate(zip(line, widths, strict=True)):
        text = cell.rjust(width) if index in (5, 6) else cell.ljust(width)
        if index == 4 and not header:
            text = click.style(text, fg=CLASS_COLOURS.get(cell, "red"))
        cells.append(text)
    return "  ".join(cells)
