"""Keep secrets out of everything rulesync prints or logs.

Two nets: the values of the vendors' key variables (and any variable named like a secret)
found in the environment, and the shapes of common secrets (`SHAPES`): API keys and bearer
tokens, private key blocks, AWS access keys, Slack tokens and passwords written into URLs.
The same shapes keep secrets out of the shared memory (rulesync.memory.secrets) and out of the
`mcp:` block of rulesync.yaml (rulesync.source.mcp_config).

Every shape is linear in its input: no two unbounded repeats can take the same characters, and
a repeat that could start anywhere in a long run is anchored to the start of the run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

KEY_VARIABLES = (
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "OPENAI_API_KEY",
    "CODEX_API_KEY",
    "OLLAMA_HOST",
)
# GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, DB_PASSWORD …, but not KEYRING_DIR or TOKENIZERS_*.
_SECRET_NAME = re.compile(r"(?:KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?)$|SECRET", re.IGNORECASE)
_MIN_SECRET_LENGTH = 8
MASK = "[redacted]"

_KEY = "an API key or token"
#: (what it is, shape). Group 1 of each shape is a label to keep (such as "Bearer "); the rest
#: of the match is masked.
SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (_KEY, r"()\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}"),  # Anthropic and OpenAI keys
        (_KEY, r"()\bAIza[0-9A-Za-z_-]{30,}"),  # Google API keys
        (_KEY, r"()\bya29\.[0-9A-Za-z_.-]{20,}"),  # Google OAuth access tokens
        (_KEY, r"()\bgh[pousr]_[A-Za-z0-9]{30,}"),  # GitHub tokens
        (_KEY, r"(\bBearer\s+)[A-Za-z0-9._~+/=-]{16,}"),  # Authorization headers
        (_KEY, r"([?&](?:key|token)=)[A-Za-z0-9._~-]{16,}"),  # keys in URLs
        (_KEY, r"((?i:api[_-]?key|secret|token)[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9._~+/-]{12,}"),
        # the header is kept; the base64 body (also with JSON's `\n` escapes) and the footer,
        # when there, are masked
        (
            "a private key",
            r"(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----)[A-Za-z0-9+/=\s\\]*"
            r"(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----)?",
        ),
        ("an AWS access key", r"()\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
        ("a Slack token", r"()\bxox[abposr]-[A-Za-z0-9-]{10,}"),
        # `scheme://user:` is kept, the password masked; the scheme starts a run of its letters
        (
            "a password in a URL",
            r"((?i:(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*)://[^/\s:@]+:)[^/\s@]+(?=@)",
        ),
    )
)
KEY_SHAPES: tuple[re.Pattern[str], ...] = tuple(shape for _kind, shape in SHAPES)


class Redactor:
    """Replaces known secret values and key-shaped strings with a mask."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        values = {
            value
            for name, value in environ.items()
            if (name in KEY_VARIABLES or _SECRET_NAME.search(name))
            and len(value) >= _MIN_SECRET_LENGTH
        }
        # Longest first, so a key that contains another is masked whole.
        self._values = sorted(values, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, MASK)
        for shape in KEY_SHAPES:
            text = shape.sub(r"\1" + MASK, text)
        return text
