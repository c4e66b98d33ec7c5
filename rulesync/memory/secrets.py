"""Refuse memory text that looks like a secret: a memory says where a key is, never what it is.

The shapes are dispatch's redaction patterns (`rulesync.dispatch.redact.SHAPES`): API keys and
tokens, private key blocks, AWS access keys, Slack tokens and passwords written into URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

from rulesync.dispatch.redact import SHAPES


@dataclass(frozen=True)
class SecretFound:
    """Where a secret-shaped string is: the field, its line in that field, and its kind."""

    field: str
    line: int
    kind: str


def find_secret(fields: dict[str, str]) -> SecretFound | None:
    """The first secret-shaped string in any of the named texts, or None."""
    for name, text in fields.items():
        for kind, shape in SHAPES:
            match = shape.search(text)
            if match:
                return SecretFound(name, text.count("\n", 0, match.start()) + 1, kind)
    return None
