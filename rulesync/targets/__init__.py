"""The registry of target agents. A new agent is one module here plus its templates."""

from __future__ import annotations

from rulesync.targets.base import Target
from rulesync.targets.claude import Claude
from rulesync.targets.codex import Codex
from rulesync.targets.gemini import Gemini

REGISTRY: dict[str, Target] = {
    "claude": Claude(),
    "gemini": Gemini(),
    "codex": Codex(),
}
