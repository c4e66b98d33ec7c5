"""A layer: one folder read like `.rulesync/` (the project's own, or a pinned source's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: A pack's identity names (rulesync.sources.names), at the root of its `path`.
NAMES_FILE = "names.yaml"


@dataclass(frozen=True)
class Layer:
    """`folder` holds rules/, commands/, skills/, subagents/. Nothing read may resolve
    outside `fence`; display paths are `prefix` + the path relative to `fence`."""

    folder: Path
    fence: Path
    prefix: str = ""
    allowed: frozenset[str] | None = None  # relative to `folder`; None: every file
