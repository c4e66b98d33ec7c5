"""Refuse memory text that looks like a secret: a memory says where a key is, never what it is.

The shapes are dispatch's redaction patterns (`rulesync.dispatch.redact.SHAPES`): API keys and
tokens, private key blocks, AWS access keys, Slack tokens and passwords written into URLs.

The post-write hook checks every memory file an agent writes, and compiling the shapes costs
more than the rest of its check: text without any of `TRIGGERS` (a literal every shape needs)
is cleared without importing them.
"""

from __future__ import annotations

#: Every shape of `SHAPES` needs one of these (in lower case) to match; tests/test_secret_shapes.py
#: pins the number of shapes, so a new shape comes with its trigger.
TRIGGERS = (
    "sk-",  # Anthropic and OpenAI keys
    "aiza",  # Google API keys
    "ya29.",  # Google OAuth tokens
    "ghp_", "gho_", "ghu_", "ghs_", "ghr_",  # GitHub tokens
    "bearer",  # Authorization headers
    "key=", "token",  # keys in URLs (`token=` is in `token`)
    "apikey", "api_key", "api-key", "secret",  # `api_key: …`, `secret = …`, `token: …`
    "-----begin",  # private key blocks
    "akia", "asia",  # AWS access keys
    "xox",  # Slack tokens
    "://",  # passwords in URLs
)  # fmt: skip
SHAPE_COUNT = 11
#: The characters outside ASCII that a case-insensitive shape takes for an ASCII letter
#: (U+0130 and U+0131 for i, U+017F for s, U+212A for k): `lower()` leaves them alone.
_FOLDED_TO_ASCII = "\u0130\u0131\u017f\u212a"


class SecretFound:
    """Where a secret-shaped string is: the field, its line in that field, and its kind."""

    __slots__ = ("field", "kind", "line")

    def __init__(self, field: str, line: int, kind: str) -> None:
        self.field = field
        self.line = line
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretFound):
            return NotImplemented
        return (self.field, self.line, self.kind) == (other.field, other.line, other.kind)

    def __hash__(self) -> int:
        return hash((self.field, self.line, self.kind))

    def __repr__(self) -> str:
        return f"SecretFound(field={self.field!r}, line={self.line!r}, kind={self.kind!r})"


def find_secret(fields: dict[str, str]) -> SecretFound | None:
    """The first secret-shaped string in any of the named texts, or None."""
    if not any(map(may_hold_secret, fields.values())):
        return None
    from rulesync.dispatch.redact import SHAPES

    for name, text in fields.items():
        for kind, shape in SHAPES:
            match = shape.search(text)
            if match:
                return SecretFound(name, text.count("\n", 0, match.start()) + 1, kind)
    return None


def may_hold_secret(text: str) -> bool:
    """False only when no shape can match `text`: it holds none of `TRIGGERS`."""
    lowered = text.lower()
    return any(trigger in lowered for trigger in TRIGGERS) or any(
        char in text for char in _FOLDED_TO_ASCII
    )
