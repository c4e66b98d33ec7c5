"""`rulesync [-C DIR] check` without click: the plain run of CI and pre-commit.

Importing click is about a third of what `check` costs on an unchanged project (docs/check.md,
"Speed"). This path takes only the plain form with the text report; anything else (an option,
GitHub Actions' default format, a missing -C folder, Windows consoles) returns None and the
click command in rulesync.commands.check runs, with the same output. What it prints is what
that command prints, byte for byte, in and outside a terminal (tests/test_check_quick.py).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rulesync.sync.unmanaged import Unmanaged

# As click: the colours of rulesync.commands.check, and click.echo's stripping of ANSI codes
# when the stream is not a terminal.
_COLOURS = {"red": 31, "green": 32, "yellow": 33, "magenta": 35}
_ANSI = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")
_RESET = "\033[0m"


def main(args: list[str]) -> int | None:
    """The exit code of a plain `check`, or None when click must parse these arguments."""
    directory: str | None = None
    if args[:1] == ["-C"] and len(args) > 1:
        directory, args = args[1], args[2:]
    if args != ["check"] or directory == "" or os.name == "nt":
        return None
    if os.environ.get("GITHUB_ACTIONS") == "true":  # the github format: click's command
        return None
    root = (Path(directory) if directory is not None else Path.cwd()).resolve()
    if not root.is_dir():  # click's usage error names it
        return None
    from rulesync.cli import run_mapped

    return run_mapped(lambda: _check(root))


def _check(root: Path) -> int | None:
    from rulesync.errors import EXIT_FINDINGS, EXIT_OK
    from rulesync.sync.check_report import build_report, render_report, workspace_prefix
    from rulesync.sync.plan import make_plan
    from rulesync.sync.unmanaged import find_unmanaged
    from rulesync.terminal_text import printable

    try:
        plan = make_plan(root, ())
    except Exception as error:
        if _source_not_cached(error):  # reported as a finding by click's command
            return None
        raise
    if plan.config.sources:  # pinned rule packs have findings of their own: click's command
        return None
    report = build_report(plan)
    unmanaged = () if plan.only is not None else find_unmanaged(plan)
    for warning in report.warnings:
        _echo(_style("warning: ", "yellow") + printable(str(warning)), sys.stderr)
    for note in report.notes:
        _echo(f"note: {printable(note)}", sys.stderr)
    prefix = workspace_prefix(plan.root)
    text = _unmanaged_lines(unmanaged, prefix)
    text += render_report(report, "text", prefix=prefix, paint=_paint)
    _echo(text, sys.stdout, nl=False)
    findings = report.drifted or any(item.finding for item in unmanaged)
    return EXIT_FINDINGS if findings else EXIT_OK


def _source_not_cached(error: Exception) -> bool:
    """A pinned rule pack missing from the cache (only raised once its module is loaded)."""
    overlay = sys.modules.get("rulesync.sources.overlay")
    return overlay is not None and isinstance(error, overlay.SourceNotCached)


def _unmanaged_lines(unmanaged: tuple[Unmanaged, ...], prefix: str) -> str:
    from rulesync.sync.unmanaged import render_unmanaged

    text = render_unmanaged(unmanaged, "text", prefix)
    return "".join(
        _style(line[:12], None if line.startswith("note") else "red") + line[12:]
        for line in text.splitlines(keepends=True)
    )


def _paint(label: str, status: str) -> str:
    from rulesync.sync.check_report import STATUS_COLOURS

    return _style(label, STATUS_COLOURS.get(status))


def _style(text: str, colour: str | None) -> str:
    """click.style(text, fg=colour): the colour's code, the text, a reset."""
    start = f"\033[{_COLOURS[colour]}m" if colour else ""
    return f"{start}{text}{_RESET}"


def _echo(text: str, stream: TextIO, *, nl: bool = True) -> None:
    """click.echo: a final newline, ANSI codes stripped unless the stream is a terminal."""
    out = text + "\n" if nl else text
    if out and not _isatty(stream):
        out = _ANSI.sub("", out)
    if out:
        stream.write(out)
    stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False
