"""The sample project, copied without what `rulesync mirror` generates in it."""

from __future__ import annotations

import shutil
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "sample-project"
GENERATED = (
    "CLAUDE.md",
    "GEMINI.md",
    "AGENTS.md",
    ".claude",
    ".gemini",
    ".agents",
    ".codex",
    "mirror.lock",
)


def copy_sample(destination: Path) -> Path:
    """A fresh copy of sample-project/ at `destination`, as a clean clone has it."""
    shutil.copytree(SAMPLE, destination, ignore=shutil.ignore_patterns(*GENERATED))
    return destination
