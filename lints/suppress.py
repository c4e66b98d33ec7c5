"""Inline suppression with HTML comments.

    <!-- rulesync-lint disable identity -->   … <!-- rulesync-lint enable identity -->
    <!-- rulesync-lint disable -->            … <!-- rulesync-lint enable -->   (all rules)
    <!-- rulesync-lint disable-next-line umlaut -->

Several rule names may be given, separated by spaces or commas. In Markdown a comment counts
only where Markdown reads HTML, so an example inside a code block switches nothing off.

A comment that was meant as a directive but would switch nothing off is itself a finding
(rule `suppression`): a misspelt one (`<!-- rulesync-disable-next-line umlaut -->`,
`<!-- rulesync-lint disabel -->`) or one that names an unknown rule (`umlut`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from lints.document import Document, Spans
from lints.finding import Finding

DIRECTIVE_RE = re.compile(
    r"<!--\s*rulesync-lint\s+(?P<action>disable-next-line|disable|enable)\b(?P<rules>[^>]*?)\s*-->"
)
ALL = "*"
#: A comment meant for rulesync-lint, directive or not (rulesync-lint disabel,
#: rulesync-disable-next-line, rulesync lint enable).
MEANT_RE = re.compile(r"<!--\s*rulesync[-_ ]?(?:lint\b|disable|enable)[^>]*?-->", re.IGNORECASE)
RULE = "suppression"
SYNTAX = "<!-- rulesync-lint disable|enable|disable-next-line [RULE…] -->"


@dataclass(frozen=True)
class Directive:
    offset: int  # where the comment starts (enable) or ends (disable)
    action: str
    rules: frozenset[str]  # empty: all rules
    line: int  # the line the comment ends on


def directives(doc: Document) -> list[Directive]:
    if "rulesync-lint" not in doc.text:
        return []
    found = []
    for match in DIRECTIVE_RE.finditer(doc.text):
        if not _inside(match.start(), doc.html):
            continue
        action = match.group("action")
        rules = frozenset(_rule_names(match))
        offset = match.end() if action == "disable" else match.start()
        found.append(Directive(offset, action, rules, doc.position(match.end() - 1)[0]))
    return found


def problems(doc: Document, known: Collection[str]) -> list[Finding]:
    """Comments meant as directives that would switch nothing off: misspelt ones, and
    those that name a rule not in `known`."""
    if "rulesync" not in doc.text.lower():
        return []
    found = []
    for match in MEANT_RE.finditer(doc.text):
        if not _inside(match.start(), doc.html):
            continue
        directive = DIRECTIVE_RE.fullmatch(match.group())
        if directive is None:
            message = f"not a suppression comment, so it switches nothing off: write {SYNTAX}"
        else:
            unknown = sorted(set(_rule_names(directive)) - set(known))
            if not unknown:
                continue
            names = ", ".join(f'"{name}"' for name in unknown)
            message = (
                f"unknown rule {names} in a suppression comment: use {' or '.join(sorted(known))}"
            )
        line, col = doc.position(match.start())
        found.append(Finding(doc.path, line, col, RULE, message, None, match.start(), match.end()))
    return found


def _rule_names(directive: re.Match[str]) -> list[str]:
    return [name for name in re.split(r"[\s,]+", directive.group("rules")) if name]


def unsuppressed(doc: Document, findings: Iterable[Finding]) -> list[Finding]:
    """The findings that no suppression comment in `doc` switches off."""
    found = directives(doc)
    if not found:
        return list(findings)
    return [f for f in findings if not _suppressed(f, found)]


def _suppressed(finding: Finding, found: Sequence[Directive]) -> bool:
    next_line = any(
        d.action == "disable-next-line" and d.line + 1 == finding.line and _names(d, finding.rule)
        for d in found
    )
    return next_line or _switched_off(finding, found)


def _names(directive: Directive, rule: str) -> bool:
    return not directive.rules or rule in directive.rules


def _switched_off(finding: Finding, found: Sequence[Directive]) -> bool:
    """Replay disable/enable comments before the finding; is its rule off there?"""
    all_off = False
    off: set[str] = set()
    back_on: set[str] = set()  # rules enabled again while all are off
    for directive in found:
        if directive.offset > finding.start or directive.action == "disable-next-line":
            continue
        rules = directive.rules
        if directive.action == "disable" and not rules:
            all_off, back_on = True, set()
        elif directive.action == "disable":
            back_on -= rules
            off |= rules
        elif not rules:
            all_off, off, back_on = False, set(), set()
        else:
            off -= rules
            back_on |= rules
    return (all_off and finding.rule not in back_on) or finding.rule in off


def _inside(offset: int, spans: Spans | None) -> bool:
    if spans is None:
        return True
    index = bisect.bisect_right([start for start, _end in spans], offset) - 1
    return index >= 0 and offset < spans[index][1]
