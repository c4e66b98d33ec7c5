"""Ollama: `ollama run MODEL`, prompt on stdin. It has no context file, so the rendered rules
are prepended to the prompt. A missing model is pulled on first use (which can be slow)."""

from __future__ import annotations

from rulesync.dispatch.request import Invocation, Request
from rulesync.dispatch.vendors.base import Adapter, Signatures

RULES_SEPARATOR = "\n\n---\n\n"


def build(request: Request) -> Invocation:
    if not request.model:
        raise ValueError("ollama needs a model")
    prompt = request.rules + RULES_SEPARATOR + request.prompt if request.rules else request.prompt
    argv = (*request.command, "run", *request.args, request.model)
    return Invocation(argv, prompt.encode("utf-8"))


SIGNATURES = Signatures(
    unavailable=(r"could not connect to (?:a running )?ollama", r"connection refused"),
    quota=(r"too many requests",),
)

ADAPTER = Adapter(
    name="ollama",
    command="ollama",
    build=build,
    signatures=SIGNATURES,
    context_file=False,
    login_hint="ollama needs no login; check OLLAMA_HOST",
    install_hint="see https://ollama.com/download, then `ollama serve`",
    requires_model=True,
)
