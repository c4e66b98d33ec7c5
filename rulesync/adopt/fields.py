"""Frontmatter of an agent file -> the fields the rulesync source accepts for that kind."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from rulesync.source.schema import SCHEMAS

from .base import ImportContext


def pick_fields(
    ctx: ImportContext,
    kind: str,
    data: Mapping[str, Any],
    display: str,
    *,
    skip: Collection[str] = (),
) -> dict[str, Any]:
    """The keys the source schema knows; every other key is left out with a warning."""
    schema = SCHEMAS[kind]
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key in schema:
            if value is not None:
                fields[key] = value
        elif key not in skip:
            ctx.warn(
                display,
                f"`{key}` has no place in the rulesync source yet; left out, so "
                "`rulesync mirror` will not write it",
            )
    return fields


def as_list(value: Any) -> list[str]:
    """`Read, Grep` or `[Read, Grep]` -> ["Read", "Grep"]."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(part).strip() for part in value]
    return [str(value)]
