"""Read an agent's TOML file (a Gemini command, a Codex subagent) into plain data."""

from __future__ import annotations

import re
import sys
from typing import Any

from rulesync.errors import Problem

from .readfront import decode

_LINE = re.compile(r"at line (\d+)")


def _toml_module() -> Any:
    """tomllib, or on Python 3.10 its backport tomli (a dependency there)."""
    import importlib

    return importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")


def read_toml(raw: bytes, display: str) -> dict[str, Any]:
    """The TOML table, or ReadError naming the line and the fix."""
    from .readfront import ReadError

    toml = _toml_module()
    text = decode(raw, display)
    try:
        return dict(toml.loads(text))
    except toml.TOMLDecodeError as error:
        found = _LINE.search(str(error))
        line = int(found.group(1)) if found else None
        raise ReadError(
            Problem(display, f"not valid TOML ({error})", line, "fix the TOML syntax")
        ) from None
