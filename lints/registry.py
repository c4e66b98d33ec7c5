"""The lint rules, by name. A rule is one module under `lints/rules/` with a `build` function.

The rule protocol:

- `name`: the rule's name, as used in `--only`, in findings and in suppression comments.
- `check(doc) -> Iterable[Finding]`: the findings in one `Document`. Look for problems in
  `doc.prose` (code, URLs, link targets and HTML are blanked there) and report offsets into
  `doc.text` (the same offsets).
- `might_match(text, kind) -> bool` (optional): a cheap test on the raw decoded text of a
  file (BOM removed), run before the Markdown parse; `kind` is "markdown" or "text".
  Returning False promises that `check` yields nothing for the Document of that text, so
  the engine skips the parse (the expensive part) for the file. A rule without
  `might_match` is always run; see `might_match()` below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lints.document import Document, Kind
from lints.finding import Finding

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import Any, Protocol
else:
    from lints.record import Protocol


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
    # __import__ with a fromlist gives the submodule (importlib is more start-up to pay)
    factory: RuleFactory = __import__(RULES[name], fromlist=["build"]).build
    return factory(options)


def might_match(rule: Rule, text: str, kind: Kind) -> bool:
    """The rule's optional prefilter; True (must run) when the rule has none."""
    prefilter = getattr(rule, "might_match", None)
    return True if prefilter is None else bool(prefilter(text, kind))
