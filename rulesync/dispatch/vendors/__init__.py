"""The registry of dispatch targets: one module per vendor CLI. Adding a vendor is one new
module and one line here."""

from __future__ import annotations

from rulesync.dispatch.vendors import claude, codex, gemini, llm, ollama
from rulesync.dispatch.vendors.base import Adapter, Signatures

ADAPTERS: dict[str, Adapter] = {
    "claude": claude.ADAPTER,
    "gemini": gemini.ADAPTER,
    "codex": codex.ADAPTER,
    "ollama": ollama.ADAPTER,
    "llm": llm.ADAPTER,
}

__all__ = ["ADAPTERS", "Adapter", "Signatures"]
