"""Frontmatter written by hand: every string double-quoted, keys in the order given.

Codex skips a skill whose YAML it cannot parse strictly, so nothing is left to YAML's
plain-scalar guessing (`yes`, `1.0`, `: ` inside text).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from rulesync.render.templates import yaml_str


def frontmatter(fields: Iterable[tuple[str, Any]]) -> str:
    """`key: value` lines for the fields whose value is not None, without the `---` lines."""
    lines: list[str] = []
    for key, value in fields:
        if value is not None:
            lines.extend(_entry(key, value, indent=""))
    return "\n".join(lines)


def _entry(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, Mapping):
        lines = [f"{indent}{key}:"]
        for sub_key, sub_value in value.items():
            lines.extend(_entry(str(sub_key), sub_value, indent + "  "))
        return lines
    if isinstance(value, list | tuple):
        if not value:
            return [f"{indent}{key}: []"]
        return [f"{indent}{key}:", *(f"{indent}  - {_scalar(item)}" for item in value)]
    return [f"{indent}{key}: {_scalar(value)}"]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return yaml_str(value)
