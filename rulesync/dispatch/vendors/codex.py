"""Codex CLI: `codex exec -`, prompt on stdin, AGENTS.md read from the working directory.

Quirks (Codex CLI 0.169): it refuses to run outside a git repo unless given
`--skip-git-repo-check`; with no network it reconnects forever, so a timeout always applies.
Progress goes to stderr and the final message to stdout.
"""

from __future__ import annotations

from rulesync.dispatch.request import Invocation, Request
from rulesync.dispatch.vendors.base import HTTP_429, Adapter, Signatures

TRUST_FLAG = "--skip-git-repo-check"


def build(request: Request) -> Invocation:
    trust = (TRUST_FLAG,) if request.trust else ()
    model = ("-m", request.model) if request.model else ()
    argv = (*request.command, "exec", *trust, *model, *request.args, "-")
    return Invocation(argv, request.prompt.encode("utf-8"))


SIGNATURES = Signatures(
    untrusted=(r"not inside a trusted directory", r"skip-git-repo-check was not specified"),
    quota=(
        r"you've hit your usage limit",
        r"quota exceeded",
        r"at capacity",
        r"usage_limit_reached",
        HTTP_429,
    ),
    auth=(r"no codex credentials were found", r"not logged in", r"invalid api key"),
)

ADAPTER = Adapter(
    name="codex",
    command="codex",
    build=build,
    signatures=SIGNATURES,
    context_file=True,
    login_hint="run `codex login`, or set OPENAI_API_KEY",
    install_hint="npm install -g @openai/codex",
    trust_hint=TRUST_FLAG,
)
