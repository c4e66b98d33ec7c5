"""Lint findings as text, JSON, GitHub annotations or SARIF 2.1.0. Pure: strings out."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lints.finding import Finding

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_DESCRIPTIONS = {
    "identity": "Names of people, companies and products are spelt exactly as configured.",
    "umlaut": "German text uses ä, ö, ü and ß, not ae, oe, ue and ss.",
}

#: (line, col) just past a finding's flagged text, 1-based; for formats that show ranges.
EndOf = Callable[[Finding], tuple[int, int]]


def shown(text: str) -> str:
    """A suggestion as it reads on one line: line breaks and runs of spaces as one space."""
    return re.sub(r"\s+", " ", text).strip()


def text_line(finding: Finding) -> str:
    """`path:line:col: rule: message (suggestion)`."""
    from rulesync.terminal_text import printable

    line = f"{finding.path}:{finding.line}:{finding.col}: {finding.rule}: {finding.message}"
    line = f"{line} ({shown(finding.suggestion)})" if finding.suggestion else line
    return printable(line)  # paths and quoted words come from the linted files


def text_lines(findings: Sequence[Finding]) -> list[str]:
    return [text_line(f) for f in findings]


def summary(findings: Sequence[Finding]) -> str:
    files = len({f.path for f in findings})
    return f"{_count(len(findings), 'problem')} in {_count(files, 'file')}"


def fixed_summary(count: int, path: str) -> str:
    return f"fixed {_count(count, 'problem')} in {path}"


def json_report(findings: Sequence[Finding]) -> str:
    import json

    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)


def github_lines(findings: Sequence[Finding], end_of: EndOf | None = None) -> list[str]:
    """GitHub Actions workflow commands: one `::error` annotation per finding."""
    return [_github_line(f, end_of) for f in findings]


def _github_line(finding: Finding, end_of: EndOf | None) -> str:
    properties = [
        ("file", finding.path),
        ("line", str(finding.line)),
        ("col", str(finding.col)),
    ]
    if end_of is not None:
        end_line, end_col = end_of(finding)
        properties += [("endLine", str(end_line)), ("endColumn", str(end_col))]
    properties.append(("title", f"rulesync {finding.rule}"))
    joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties)
    message = finding.message
    if finding.suggestion:
        message += f" ({shown(finding.suggestion)})"
    return f"::error {joined}::{_escape_data(message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def sarif_report(findings: Sequence[Finding], end_of: EndOf, *, version: str) -> str:
    """A SARIF 2.1.0 log with one run; columns count Unicode code points."""
    import json

    rule_ids = sorted({f.rule for f in findings} | set(RULE_DESCRIPTIONS))
    driver = {
        "name": "rulesync",
        "version": version,
        "rules": [_sarif_rule(rule_id) for rule_id in rule_ids],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(f, end_of, rule_ids.index(f.rule)) for f in findings],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2)


def _sarif_rule(rule_id: str) -> dict[str, Any]:
    description = RULE_DESCRIPTIONS.get(rule_id, f"rulesync {rule_id} lint")
    return {
        "id": rule_id,
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": "error"},
    }


def _sarif_result(finding: Finding, end_of: EndOf, rule_index: int) -> dict[str, Any]:
    end_line, end_col = end_of(finding)
    region = {
        "startLine": finding.line,
        "startColumn": finding.col,
        "endLine": end_line,
        "endColumn": end_col,
    }
    from urllib.parse import quote

    location = {"uri": quote(finding.path.replace("\\", "/"))}
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
    }
    if finding.suggestion is not None:
        replacement = {"deletedRegion": region, "insertedContent": {"text": finding.suggestion}}
        change = {"artifactLocation": location, "replacements": [replacement]}
        result["fixes"] = [
            {
                "description": {"text": f'Replace with "{shown(finding.suggestion)}"'},
                "artifactChanges": [change],
            }
        ]
    return result


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def not_fixed_line(path: str, reason: str) -> str:
    """Why `--fix` left a file with fixable findings alone."""
    return (
        f"{path}: not fixed: {reason} "
        "(--fix rewrites only regular files inside the project, never through a link)"
    )
