"""The identity lint's `names` option, validated: also read on every umlaut run (its names are
not flagged), which then imports none of the identity lint itself."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from lints import names as spelling
from lints.errors import LintConfigError

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from lints.record import NamedTuple

FUZZY_MIN_LETTERS = 6
_ENTRY_KEYS = ("name", "wrong", "allow", "fuzzy")


class NameSpec(NamedTuple):
    """One configured name and how it may (not) be written."""

    name: str
    wrong: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    fuzzy: bool = False
    wrong_examples: tuple[str, ...] = ()


def parse_names(options: Mapping[str, Any]) -> list[NameSpec]:
    """The validated `names` of the identity options. Raises LintConfigError with its key path."""
    if not isinstance(options, Mapping):
        raise LintConfigError("must be a mapping with a `names` list")
    for key in options:
        if key != "names":
            raise LintConfigError(f"unknown key `{key}` (the identity lint knows `names`)", (key,))
    entries = options.get("names", [])
    if not isinstance(entries, list):
        raise LintConfigError("`names` must be a list of names", ("names",))
    specs: list[NameSpec] = []
    for index, entry in enumerate(entries):
        spec = _parse_entry(entry, ("names", index))
        if any(other.name == spec.name for other in specs):
            raise LintConfigError(f"`{spec.name}` is listed twice", ("names", index))
        specs.append(spec)
    return specs


def _parse_entry(entry: object, path: tuple[str | int, ...]) -> NameSpec:
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, Mapping):
        raise LintConfigError("each name must be a string or a mapping with `name`", path)
    for key in entry:
        if key not in _ENTRY_KEYS:
            known = ", ".join(f"`{k}`" for k in _ENTRY_KEYS)
            raise LintConfigError(f"unknown key `{key}` (known: {known})", (*path, key))
    name = _clean(entry.get("name"), (*path, "name"), "`name` must be a non-empty string")
    if len(name) < 2:
        raise LintConfigError(f"`{name}` is too short to check reliably", (*path, "name"))
    wrong = _string_list(entry.get("wrong", []), (*path, "wrong"))
    allow = _string_list(entry.get("allow", []), (*path, "allow"))
    for index, form in enumerate(wrong):
        if form == name or form in allow:
            where = "the name itself" if form == name else "also in `allow`"
            raise LintConfigError(f"wrong form `{form}` is {where}", (*path, "wrong", index))
    fuzzy = entry.get("fuzzy", False)
    if not isinstance(fuzzy, bool):
        raise LintConfigError("`fuzzy` must be true or false", (*path, "fuzzy"))
    if fuzzy and sum(c.isalpha() for c in name) < FUZZY_MIN_LETTERS:
        raise LintConfigError(
            f"`fuzzy` needs a name of at least {FUZZY_MIN_LETTERS} letters; "
            f"list near misses of `{name}` under `wrong` instead",
            (*path, "fuzzy"),
        )
    examples = spelling.wrong_examples(name, wrong)
    return NameSpec(name, tuple(wrong), tuple(allow), fuzzy, examples)


def _clean(value: object, path: tuple[str | int, ...], message: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LintConfigError(message, path)
    return spelling.normalize_space(unicodedata.normalize("NFC", value))


def _string_list(value: object, path: tuple[str | int, ...]) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise LintConfigError("must be a list of strings", path)
    return [_clean(item, (*path, i), "must be a non-empty string") for i, item in enumerate(value)]
