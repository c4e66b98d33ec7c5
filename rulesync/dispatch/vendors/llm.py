"""Simon Willison's `llm`: prompt on stdin, the rules as the system prompt (`-s`).

`-p` means a model option in llm, not the prompt. A system prompt too big for one argv entry
(Linux allows 128 KiB) is prepended to stdin instead.
"""

from __future__ import annotations

from rulesync.dispatch.request import Invocation, Request
from rulesync.dispatch.vendors.base import HTTP_429, Adapter, Signatures

MAX_SYSTEM_ARG = 64 * 1024
RULES_SEPARATOR = "\n\n---\n\n"


def build(request: Request) -> Invocation:
    model = ("-m", request.model) if request.model else ()
    rules = request.rules or ""
    fits = len(rules.encode("utf-8")) <= MAX_SYSTEM_ARG
    system = ("-s", rules) if rules and fits else ()
    prompt = request.prompt if fits or not rules else rules + RULES_SEPARATOR + request.prompt
    argv = (*request.command, *model, *system, *request.args)
    return Invocation(argv, prompt.encode("utf-8"))


SIGNATURES = Signatures(
    quota=(r"rate limit", r"quota", HTTP_429),
    auth=(r"no key found", r"incorrect api key", r"invalid api key"),
)

ADAPTER = Adapter(
    name="llm",
    command="llm",
    build=build,
    signatures=SIGNATURES,
    context_file=False,
    login_hint="run `llm keys set openai`, or set the key your model needs",
    install_hint="pipx install llm",
)
