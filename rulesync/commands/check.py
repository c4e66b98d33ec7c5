"""`rulesync check`: report drift between the source and the agents' files; write nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rulesync.errors import EXIT_FINDINGS, EXIT_OK
from rulesync.terminal_text import printable

if TYPE_CHECKING:
    from rulesync.errors import Problem
    from rulesync.source.config import Config
    from rulesync.sync.check_report import Report
    from rulesync.sync.unmanaged import Unmanaged

FORMATS = ("text", "json", "github", "markdown")


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
@click.option(
    "--global",
    "global_",
    is_flag=True,
    help="Check the agents' user-level files against your personal rules (~/.config/rulesync).",
)
@click.pass_obj
def check(root: Path, targets: tuple[str, ...], output_format: str | None, global_: bool) -> int:
    """Render the source in memory and compare it with the files on disk and the lock file.
    Nothing is written.

    Each file is `missing`, `stale` (its source changed), `hand-edited` (changed since
    mirror wrote it), `orphan` (mirror wrote it, its source is gone) or `ok`. Files rulesync
    did not write are never looked at. A file that differs only by CRLF line endings is ok,
    with a note; a missing final newline is drift.

    The text report lists the drifted files, then a unified diff (`git apply` takes it)
    that turns the disk into what `rulesync mirror` would write. For a hand-edited
    CLAUDE.md, GEMINI.md or AGENTS.md it names the rule the edited lines came from.

    A CLAUDE.md, GEMINI.md or AGENTS.md of a checked agent that rulesync neither wrote nor
    renders is `unmanaged`, with the `rulesync import --from …` that adopts it: a finding when
    rulesync writes nothing for that agent, a note when it writes the agent's other files.

    With --global, the drift of `rulesync mirror --global`'s files is reported (paths
    relative to your home folder); unmanaged files are not looked for.

    Exit codes: 0 in sync, 1 drift or an unmanaged context file, 2 config or source error.
    """
    from rulesync.sync.check_report import build_report, render_report, workspace_prefix
    from rulesync.sync.plan import make_plan
    from rulesync.sync.unmanaged import find_unmanaged

    chosen = output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if global_:
        from rulesync.personal.plan import make_global_plan

        plan = make_global_plan(targets)
    else:
        from rulesync.sources.overlay import SourceNotCached

        try:
            plan = make_plan(root, targets)
        except SourceNotCached as missing:  # check never runs git: a finding, not an error
            return _report_not_cached(list(missing.problems), chosen)
    source_problems = [] if global_ else _source_findings(plan.root, plan.config, chosen)
    report = build_report(plan)
    # a package's plan (`-C packages/api`) does not speak for the root's files
    unmanaged = () if global_ or plan.only is not None else find_unmanaged(plan)
    if chosen == "text":
        for warning in report.warnings:
            click.echo(click.style("warning: ", fg="yellow") + printable(str(warning)), err=True)
        for note in report.notes:
            click.echo(f"note: {printable(note)}", err=True)
    # the project root, also under `-C <package>`
    prefix = "" if global_ else workspace_prefix(plan.root)
    if chosen == "json":
        text = _json_with_sources(_json_with_unmanaged(report, unmanaged), source_problems)
    else:
        text = render_unmanaged_lines(unmanaged, chosen, prefix)
        text += render_report(report, chosen, prefix=prefix, paint=_paint)
        if global_:
            text = _global_hint(report, text)
    click.echo(text, nl=False)
    findings = report.drifted or any(item.finding for item in unmanaged) or source_problems
    return EXIT_FINDINGS if findings else EXIT_OK


def _report_not_cached(problems: list[Problem], chosen: str) -> int:
    """Sources missing from the cache: the outputs cannot be rendered, so only these."""
    if chosen == "json":
        click.echo(_json_with_sources("{}", problems), nl=False)
    else:
        _print_source_problems(problems, chosen)
    return EXIT_FINDINGS


def _source_findings(root: Path, config: Config, chosen: str) -> list[Problem]:
    """Pinned sources: unpinned, a cache that differs from the pin, a moved tag."""
    if not config.sources:
        return []
    from rulesync.sources.status import source_findings

    findings = source_findings(root, config)
    _print_source_problems(findings, chosen)
    return findings


def _print_source_problems(findings: list[Problem], chosen: str) -> None:
    for problem in findings:
        if chosen == "github":
            line = f",line={problem.line}" if problem.line else ""
            click.echo(f"::error file={problem.path}{line}::{printable(problem.message)}")
        elif chosen != "json":
            click.echo(click.style("source      ", fg="red") + printable(str(problem)))


def _json_with_sources(text: str, problems: list[Problem]) -> str:
    """The JSON document, plus a `sources` list of findings when there are any."""
    if not problems:
        return text
    document = json.loads(text)
    document["sources"] = [
        {"path": p.path, "line": p.line, "message": p.message, "fix": p.fix} for p in problems
    ]
    document["in_sync"] = False
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_unmanaged_lines(unmanaged: tuple[Unmanaged, ...], chosen: str, prefix: str) -> str:
    from rulesync.sync.unmanaged import render_unmanaged

    text = render_unmanaged(unmanaged, chosen, prefix)
    if chosen == "text" and text:
        return "".join(
            click.style(line[:12], fg=None if line.startswith("note") else "red") + line[12:]
            for line in text.splitlines(keepends=True)
        )
    return text


def _json_with_unmanaged(report: Report, unmanaged: tuple[Unmanaged, ...]) -> str:
    """The report's JSON document, plus an `unmanaged` list when there is one (schema 1 grows)."""
    from rulesync.sync.check_report import format_json, json_document
    from rulesync.sync.unmanaged import json_entries

    if not unmanaged:
        return format_json(report)
    document = json_document(report)
    document["unmanaged"] = json_entries(unmanaged)
    if any(item.finding for item in unmanaged):
        document["in_sync"] = False
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _global_hint(report: Report, text: str) -> str:
    """The closing hint names `rulesync mirror --global`."""
    from rulesync.sync.check_report import closing_hint

    if not report.drifted:
        return text
    hint = closing_hint(report)
    return text.replace(hint, hint.replace("`rulesync mirror", "`rulesync mirror --global"))


def _paint(label: str, status: str) -> str:
    from rulesync.sync.check_report import STATUS_COLOURS

    return click.style(label, fg=STATUS_COLOURS.get(status))
