"""The drift report of `rulesync check`: built from the mirror plan, printed in four formats.

Pure: no I/O, no environment. Formats:

- `text`: one line per drifted file, an apply-able unified diff, a closing hint;
- `json`: the stable schema below (documented in docs/check.md);
- `github`: workflow-command annotations, then the diff in a collapsed group;
- `markdown`: a summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment.

Line endings: a file that differs from what rendering wants only by CRLF line endings (a
Windows checkout with `core.autocrlf`) is `ok`, with a note; every other byte counts, so a
missing or extra final newline is drift.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rulesync.render.outputs import Warning
from rulesync.sync.plan import Action, Change, Plan, Status

REPORT_VERSION = 1
#: The colour of each drift status in the text report (both `check` paths paint with it).
STATUS_COLOURS = {"missing": "green", "stale": "yellow", "hand-edited": "red", "orphan": "magenta"}
DRIFT_STATUSES: tuple[Status, ...] = ("missing", "stale", "hand-edited", "orphan")
MARKDOWN_DIFF_LIMIT = 50_000  # characters; a step summary holds 1 MiB, a PR comment 65,536

Paint = Callable[[str, Status], str]


@dataclass(frozen=True)
class FileReport:
    path: str
    status: Status
    mirror: Action  # what `rulesync mirror` would do with the file
    source: str
    targets: tuple[str, ...]
    reason: str
    line: int | None  # first line that differs, in the file on disk
    edit_in: tuple[str, ...]  # for a hand edit: the source file(s) it belongs in
    note: str | None
    diff: str  # turns the file on disk into what rulesync wants; "" when ok
    #: not a regular file on disk (a symlink, a directory): to be moved away by hand
    obstacle: bool = False


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...]
    targets: tuple[str, ...]
    source_dir: str
    notes: tuple[str, ...]
    warnings: tuple[Warning, ...]

    @property
    def drifted(self) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.status != "ok")

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {status: 0 for status in (*DRIFT_STATUSES, "ok")}
        for item in self.files:
            counts[item.status] += 1
        return counts


# --- building the report from the plan ------------------------------------------------


def build_report(plan: Plan) -> Report:
    notes = _notes_by_path(plan)
    files = sorted(
        (
            _file_report(change, notes.get(change.path), change.path in plan.lock.files)
            for change in plan.changes
        ),
        key=lambda item: item.path,
    )
    return Report(tuple(files), plan.targets, plan.config.source, plan.notes, tuple(plan.warnings))


def _notes_by_path(plan: Plan) -> dict[str, str]:
    notes = {}
    for change in plan.changes:
        prefix = f"{change.path}: "
        for note in plan.notes:
            if note.startswith(prefix):
                notes[change.path] = note[len(prefix) :]
    return notes


def _file_report(change: Change, note: str | None, locked: bool) -> FileReport:
    if change.status == "ok":
        return FileReport(
            change.path, "ok", change.action, change.source, change.targets, "", None, (), note, ""
        )
    if change.obstacle:
        return FileReport(
            path=change.path,
            status=change.status,
            mirror=change.action,
            source=change.source,
            targets=change.targets,
            reason=change.reason,
            line=None,
            edit_in=(),
            note=note,
            diff="",
            obstacle=True,
        )
    from rulesync.sync.diffs import unified_diff

    line, edit_in = _locate(change, locked)
    return FileReport(
        path=change.path,
        status=change.status,
        mirror=change.action,
        source=change.source,
        targets=change.targets,
        reason=_reason(change, edit_in),
        line=line,
        edit_in=edit_in,
        note=note,
        diff=unified_diff(change.path, change.current, change.wanted),
    )


def _locate(change: Change, locked: bool) -> tuple[int | None, tuple[str, ...]]:
    """The first changed line on disk, and where a hand edit belongs (traced by markers).

    A file rulesync never wrote has no edit to trace: all of it belongs in the source.
    """
    if change.current is None:
        return None, ()
    if change.wanted is None:
        return 1, ()
    from rulesync.sync.way_back import edit_sources, edited_regions

    regions = edited_regions(change.current, change.wanted)
    line = regions[0].line if regions else 1
    if change.status != "hand-edited" or _final_newlines(change) is not None:
        return line, ()
    if not locked:
        return line, (change.source,)
    return line, edit_sources(regions) or (change.source,)


def _reason(change: Change, edit_in: tuple[str, ...]) -> str:
    if change.status == "missing":
        return f"not on disk; rendered from {change.source}"
    if change.status == "stale" and change.output is not None and change.output.mode == "merged":
        return f"rulesync's entries from {change.source} are missing or out of date; other settings are kept"
    if change.status == "stale":
        return f"{change.source} changed since the last mirror"
    if change.status == "hand-edited":
        newlines = _final_newlines(change)
        if newlines is not None:
            return f"{change.reason}: {newlines}"
        return f"{change.reason}; the edit belongs in {', '.join(edit_in)}"
    return change.reason


def _final_newlines(change: Change) -> str | None:
    """When the only difference is in the newlines at the very end, say which (else None)."""
    if change.current is None or change.wanted is None:
        return None
    current = change.current.replace(b"\r\n", b"\n")
    wanted = change.wanted.replace(b"\r\n", b"\n")
    if current == wanted or current.rstrip(b"\n") != wanted.rstrip(b"\n"):
        return None
    if len(current) < len(wanted):
        return "the final newline is missing"
    return "it ends with extra blank lines"


# --- shared wording ---------------------------------------------------------------------


def workspace_prefix(root: str | os.PathLike[str]) -> str:
    """Annotations name files from the working directory (the workspace in GitHub Actions)."""
    from pathlib import Path

    try:
        relative = Path(root).relative_to(Path.cwd().resolve())
    except ValueError:
        return ""
    return "" if relative == Path() else f"{relative.as_posix()}/"


def summary_line(report: Report) -> str:
    total, drifted = len(report.files), len(report.drifted)
    if not drifted:
        return f"check: {_files(total)} in sync."
    counts = report.counts
    parts = ", ".join(f"{counts[s]} {s}" for s in DRIFT_STATUSES if counts[s])
    return f"check: {drifted} of {_files(total)} drifted ({parts})."


def closing_hint(report: Report) -> str:
    """What to do next: mirror, or first carry hand edits into the source."""
    blocked = [f.path for f in report.drifted if f.obstacle]
    if blocked:
        return (
            f"Move {', '.join(blocked)} away (rulesync writes regular files there, and never "
            "over a symlink or a folder), then run `rulesync mirror`."
        )
    kept = [f for f in report.drifted if f.mirror == "conflict"]
    if not kept:
        return "Run `rulesync mirror` to bring them in sync."
    homes = [home for f in kept for home in f.edit_in]
    if not homes:
        return "Run `rulesync mirror --force` to overwrite the hand-edited files (the diff shows what that changes)."
    where = ", ".join(f"`{home}`" for home in dict.fromkeys(homes))
    return (
        f"Run `rulesync mirror --force` to discard the hand edit "
        f"(or move the hand edit into {where} first, then run `rulesync mirror`)."
    )


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


def _all_diffs(report: Report) -> str:
    from rulesync.terminal_text import printable

    # Hand-edited text may carry escape sequences: shown, never obeyed by the terminal.
    return printable("".join(item.diff for item in report.drifted), multiline=True)


# --- text -----------------------------------------------------------------------------


def format_text(report: Report, paint: Paint | None = None) -> str:
    """One line per drifted file, then the diff (`git apply` skips the other lines)."""
    lines = [_text_line(item, paint) for item in report.drifted]
    body = "".join(f"{line}\n" for line in lines) + _all_diffs(report)
    tail = summary_line(report) + "\n"
    if report.drifted:
        tail += closing_hint(report) + "\n"
    return body + tail


def _text_line(item: FileReport, paint: Paint | None) -> str:
    label = f"{item.status:<13}"
    if paint is not None:
        label = paint(label, item.status)
    from rulesync.terminal_text import printable

    return f"{label}{printable(item.path)}  ({printable(item.reason)})"


# --- json -----------------------------------------------------------------------------


def format_json(report: Report) -> str:
    return json.dumps(json_document(report), indent=2, ensure_ascii=False) + "\n"


def json_document(report: Report) -> dict[str, Any]:
    """Schema version 1 (docs/check.md); fields are only ever added, under the same version."""
    from rulesync import __version__

    return {
        "version": REPORT_VERSION,
        "generator": f"rulesync {__version__}",
        "in_sync": not report.drifted,
        "targets": list(report.targets),
        "summary": {**report.counts, "total": len(report.files)},
        "files": [_json_file(item) for item in report.files],
        "notes": list(report.notes),
        "warnings": [
            {"path": w.path, "line": w.line, "message": w.message} for w in report.warnings
        ],
    }


def _json_file(item: FileReport) -> dict[str, Any]:
    return {
        "path": item.path,
        "status": item.status,
        "mirror": item.mirror,
        "source": item.source,
        "targets": list(item.targets),
        "reason": item.reason or None,
        "line": item.line,
        "edit_in": list(item.edit_in),
        "note": item.note,
        "diff": item.diff or None,
    }


# --- github ---------------------------------------------------------------------------


def format_github(report: Report, prefix: str = "") -> str:
    """Annotations for GitHub Actions; `prefix` leads from the workspace to the project."""
    lines = [_annotation("warning", prefix + w.path, w.line, w.message) for w in report.warnings]
    lines += [_annotation("notice", prefix + f.path, None, f.note) for f in report.files if f.note]
    lines += [
        _annotation("error", prefix + f.path, f.line, f"{f.status}: {f.reason}")
        for f in report.drifted
    ]
    text = "".join(f"{line}\n" for line in lines)
    if report.drifted:
        text += f"::group::rulesync check: diff\n{_all_diffs(report)}::endgroup::\n"
    text += summary_line(report) + "\n"
    if report.drifted:
        text += closing_hint(report) + "\n"
    return text


def _annotation(level: str, path: str, line: int | None, message: str) -> str:
    where = f"file={_escape_property(path)}"
    if line is not None:
        where += f",line={line}"
    return f"::{level} {where},title=rulesync check::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# --- markdown -------------------------------------------------------------------------


def format_markdown(report: Report) -> str:
    """A step summary or PR comment: headline, table of drifted files, hint, folded diff."""
    if not report.drifted:
        head = f"### rulesync check: in sync\n\nAll {_files(len(report.files))} match `{report.source_dir}/`.\n"
        return head + _markdown_notes(report)
    parts = [
        f"### rulesync check: {summary_line(report).removeprefix('check: ').rstrip('.')}\n",
        _markdown_table(report.drifted),
        closing_hint(report) + "\n",
        _markdown_diff(_all_diffs(report)),
    ]
    return "\n".join(parts) + _markdown_notes(report)


def _markdown_table(items: Iterable[FileReport]) -> str:
    rows = ["| Status | File | Details |", "| --- | --- | --- |"]
    rows += [f"| {f.status} | `{f.path}` | {_cell(f.reason)} |" for f in items]
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown_diff(diff: str) -> str:
    shown = diff
    if len(diff) > MARKDOWN_DIFF_LIMIT:
        shown = diff[: diff.rfind("\n", 0, MARKDOWN_DIFF_LIMIT) + 1]
    fence = "`" * max(3, _longest_backtick_run(shown) + 1)
    cut = (
        ""
        if shown == diff
        else "\nThe diff is cut short here; run `rulesync check` for all of it.\n"
    )
    return f"<details>\n<summary>Diff</summary>\n\n{fence}diff\n{shown}{fence}\n{cut}\n</details>\n"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _markdown_notes(report: Report) -> str:
    lines = [f"> **Note:** {_code_paths(note)}" for note in report.notes]
    lines += [f"> **Warning:** {w}" for w in report.warnings]
    return "".join(f"\n{line}\n" for line in lines)  # one quote each: adjacent ones would merge


def _code_paths(note: str) -> str:
    path, sep, rest = note.partition(": ")
    return f"`{path}`: {rest}" if sep else note


# --- dispatch by name -------------------------------------------------------------------


def render_report(
    report: Report, output_format: str, *, prefix: str = "", paint: Paint | None = None
) -> str:
    if output_format == "json":
        return format_json(report)
    if output_format == "github":
        return format_github(report, prefix)
    if output_format == "markdown":
        return format_markdown(report)
    return format_text(report, paint)
