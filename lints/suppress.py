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
import math
import re
from collections.abc import Collection, Iterable, Sequence

from lints.document import Document, Spans
from lints.finding import Finding
from lints.lazyre import LazyPattern
from lints.record import Frozen

DIRECTIVE_RE = LazyPattern(
    r"<!--\s*rulesync-lint\s+(?P<action>disable-next-line|disable|enable)\b(?P<rules>[^>]*?)\s*-->"
)
ALL = "*"
#: A comment meant for rulesync-lint, directive or not (rulesync-lint disabel,
#: rulesync-disable-next-line, rulesync lint enable).
MEANT_RE = LazyPattern(r"<!--\s*rulesync[-_ ]?(?:lint\b|disable|enable)[^>]*?-->", re.IGNORECASE)
RULE = "suppression"
#: Finds at least what `"rulesync" in text.lower()` finds (MEANT_RE matches only there).
_MENTION_RE = LazyPattern("rulesync", re.IGNORECASE)
SYNTAX = "<!-- rulesync-lint disable|enable|disable-next-line [RULE…] -->"


class Directive(Frozen):
    __slots__ = ("action", "line", "offset", "rules")

    offset: int  # where the comment starts (enable) or ends (disable)
    action: str
    rules: frozenset[str]  # empty: all rules
    line: int  # the line the comment ends on

    def __init__(self, offset: int, action: str, rules: frozenset[str], line: int) -> None:
        self._set(offset=offset, action=action, rules=rules, line=line)


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
    if _MENTION_RE.search(doc.text) is None:  # not .lower(): see lints.lowercase
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
    """The findings that no suppression comment in `doc` switches off.

    One pass over the findings in text order, replaying the comments as it goes: linear in
    the findings plus the comments (a file with thousands of each stays fast).
    """
    found = directives(doc)
    items = list(findings)
    if not found:
        return items
    next_line = _next_line_rules(found)
    switches = sorted((d for d in found if d.action != "disable-next-line"), key=_offset)
    state = _Switches()
    applied = 0
    suppressed = [False] * len(items)
    for index in sorted(range(len(items)), key=lambda k: items[k].start):
        finding = items[index]
        while applied < len(switches) and switches[applied].offset <= finding.start:
            state.apply(switches[applied])
            applied += 1
        rules = next_line.get(finding.line - 1)
        by_comment = rules is not None and (ALL in rules or finding.rule in rules)
        suppressed[index] = by_comment or state.is_off(finding.rule)
    return [f for f, off in zip(items, suppressed, strict=True) if not off]


def _offset(directive: Directive) -> int:
    return directive.offset


def _next_line_rules(found: Sequence[Directive]) -> dict[int, set[str]]:
    """Line of each disable-next-line comment -> the rules it names (ALL for every rule)."""
    by_line: dict[int, set[str]] = {}
    for directive in found:
        if directive.action == "disable-next-line":
            by_line.setdefault(directive.line, set()).update(directive.rules or {ALL})
    return by_line


class _Switches:
    """The disable/enable comments replayed so far: which rules are off."""

    def __init__(self) -> None:
        self.all_off = False
        self.off: set[str] = set()
        self.back_on: set[str] = set()  # rules enabled again while all are off

    def apply(self, directive: Directive) -> None:
        rules = directive.rules
        if directive.action == "disable" and not rules:
            self.all_off, self.back_on = True, set()
        elif directive.action == "disable":
            self.back_on -= rules
            self.off |= rules
        elif not rules:
            self.all_off, self.off, self.back_on = False, set(), set()
        else:
            self.off -= rules
            self.back_on |= rules

    def is_off(self, rule: str) -> bool:
        return (self.all_off and rule not in self.back_on) or rule in self.off


def _inside(offset: int, spans: Spans | None) -> bool:
    if spans is None:
        return True
    index = bisect.bisect_right(spans, (offset, math.inf)) - 1
    return index >= 0 and offset < spans[index][1]
