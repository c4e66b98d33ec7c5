"""Refuse memory text that looks like a secret: a memory says where a key is, never what it is.

The shapes are dispatch's redaction patterns (`rulesync.dispatch.redact.KEY_SHAPES`) plus a
few that only matter for stored text: private key blocks, AWS access keys, Slack tokens and
passwords written into URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rulesync.dispatch.redact import KEY_SHAPES

_STORED_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")),
    ("an AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a password in a URL", re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)),
)
SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    *(("an API key or token", shape) for shape in KEY_SHAPES),
    *_STORED_SHAPES,
)


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
