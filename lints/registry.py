"""The lint rules, by name. A rule is one module under `lints/rules/` with a `build` function."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from lints.document import Document
from lints.finding import Finding


class Rule(Protocol):
    """A configured rule. `check` yields findings for one document."""

    name: str

    def check(self, doc: Document) -> Iterable[Finding]: ...


class RuleFactory(Protocol):
    def __call__(self, options: Mapping[str, Any], /) -> Rule: ...


#: rule name -> module that defines `build(options) -> Rule`. Imported only when used.
RULES: dict[str, str] = {
    "identity": "lints.rules.identity",
    "umlaut": "lints.rules.umlaut",
}


def build_rule(name: str, options: Mapping[str, Any]) -> Rule:
    """Build a configured rule. Raises `LintConfigError` on bad options, KeyError on a bad name."""
    factory: RuleFactory = importlib.import_module(RULES[name]).build
    return factory(options)
