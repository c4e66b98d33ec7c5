"""Sections rendered from `lint:` settings into every rules file: the rules behind the lints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rulesync.errors import ConfigError, Problem
from rulesync.source.config import Config

SOURCE = "rulesync.yaml"


def standing_orders(config: Config) -> list[tuple[str, str]]:
    """(source, Markdown body) pairs; empty when no lint is configured."""
    from lints.errors import LintConfigError

    lint = config.lint
    sections = []
    try:
        names = _identity_section(lint.get("identity"))
    except LintConfigError as error:
        line = config.line_of("lint", "identity", *error.key_path)
        problem = Problem(
            SOURCE, f"lint.identity: {error.message}", line, "see docs/lint-identity.md"
        )
        raise ConfigError([problem]) from None
    if names:
        sections.append((f"{SOURCE} lint.identity", names))
    umlauts = _umlaut_section(lint.get("umlaut"))
    if umlauts:
        sections.append((f"{SOURCE} lint.umlaut", umlauts))
    return sections


def _identity_section(options: Any) -> str:
    if not isinstance(options, Mapping) or not options.get("names"):
        return ""
    from lints.rules.identity import parse_names

    lines = [
        "## Spelling of names",
        "",
        "Write these names exactly as shown, in every language and every file. A commit hook and an",
        "edit hook reject the wrong forms.",
        "",
    ]
    entries = []
    for spec in parse_names(options):
        wrong = ", ".join(f"~~{form}~~" for form in spec.wrong_examples[:4])
        entries.append(f"- **{spec.name}**" + (f" (never {wrong})" if wrong else ""))
    if any("~~" in entry for entry in entries):
        # The list shows the wrong forms on purpose: the identity lint (the commit hook on
        # this very file) must not flag them.
        entries = [IDENTITY_OFF, "", *entries, "", IDENTITY_ON]
    return "\n".join(lines + entries)


IDENTITY_OFF = "<!-- rulesync-lint disable identity -->"
IDENTITY_ON = "<!-- rulesync-lint enable identity -->"


def _umlaut_section(options: Any) -> str:
    if options is None or options is False:
        return ""
    lang = options.get("lang", "de") if isinstance(options, Mapping) else "de"
    letters = "ä, ö, ü" if lang == "de-CH" else "ä, ö, ü and ß"
    examples = "für, Änderung, Größe" if lang != "de-CH" else "für, Änderung, Grösse"
    return "\n".join(
        [
            "## Umlauts",
            "",
            f"In German text always write {letters} ({examples}). Never write ASCII",
            "transliterations such as `fuer`, `Aenderung` or `Groesse`. A commit hook and an edit",
            "hook reject them.",
        ]
    )
