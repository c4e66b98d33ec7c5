"""Keep secrets out of everything rulesync prints or logs.

Two nets: the values of the vendors' key variables (and any variable named like a secret)
found in the environment, and the shapes of common API keys and bearer tokens.
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

# Group 1 of each shape is a label to keep (such as "Bearer "); the rest is masked.
KEY_SHAPES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"()\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}",  # Anthropic and OpenAI keys
        r"()\bAIza[0-9A-Za-z_-]{30,}",  # Google API keys
        r"()\bya29\.[0-9A-Za-z_.-]{20,}",  # Google OAuth access tokens
        r"()\bgh[pousr]_[A-Za-z0-9]{30,}",  # GitHub tokens
        r"(\bBearer\s+)[A-Za-z0-9._~+/=-]{16,}",  # Authorization headers
        r"([?&](?:key|token)=)[A-Za-z0-9._~-]{16,}",  # keys in URLs
        r"((?i:api[_-]?key|secret|token)[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9._~+/-]{12,}",
    )
)


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
