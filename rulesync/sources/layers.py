"""A layer: one folder read like `.rulesync/` (the project's own, or a pinned source's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layer:
    """`folder` holds rules/, commands/, skills/, subagents/. Nothing read may resolve
    outside `fence`; display paths are `prefix` + the path relative to `fence`."""

    folder: Path
    fence: Path
    prefix: str = ""
    allowed: frozenset[str] | None = None  # relative to `folder`; None: every file
