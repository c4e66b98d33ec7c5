"""Claude Code: `claude -p`, prompt on stdin, CLAUDE.md read from the working directory.

Quirks (Claude Code 2.1): errors go to stdout with rc 1; an idle stdin pipe is waited on for
3 s, so stdin always carries the prompt.
"""

from __future__ import annotations

from rulesync.dispatch.request import Invocation, Request
from rulesync.dispatch.vendors.base import HTTP_429, Adapter, Signatures


def build(request: Request) -> Invocation:
    model = ("--model", request.model) if request.model else ()
    argv = (*request.command, "-p", *model, *request.args)
    return Invocation(argv, request.prompt.encode("utf-8"))


SIGNATURES = Signatures(
    quota=(
        r"you've hit your .{0,40}limit",
        r"usage limit reached",
        r"rate_limit_error",
        r"overloaded_error",
        HTTP_429,
    ),
    auth=(r"not logged in", r"invalid api key", r"authentication_error"),
)

ADAPTER = Adapter(
    name="claude",
    command="claude",
    build=build,
    signatures=SIGNATURES,
    context_file=True,
    login_hint="run `claude` and /login once, or set ANTHROPIC_API_KEY",
    install_hint="npm install -g @anthropic-ai/claude-code",
)
