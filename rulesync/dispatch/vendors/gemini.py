"""Gemini CLI: `gemini -p ""`, prompt on stdin, GEMINI.md read from the working directory.

Quirks (Gemini CLI 0.61): the `-p` text is appended to stdin, so `-p ""` with the prompt on
stdin is headless mode with the prompt as given. stdin is cut at 8 MiB. Exit codes: 41 auth,
55 untrusted folder. Trust goes by environment variable rather than `--skip-trust`, which
older versions reject as an unknown flag.
"""

from __future__ import annotations

from rulesync.dispatch.request import Invocation, Request
from rulesync.dispatch.vendors.base import HTTP_429, Adapter, Signatures

TRUST_ENV = {"GEMINI_CLI_TRUST_WORKSPACE": "true"}


def build(request: Request) -> Invocation:
    model = ("-m", request.model) if request.model else ()
    argv = (*request.command, *model, *request.args, "-p", "")
    env = TRUST_ENV if request.trust else {}
    return Invocation(argv, request.prompt.encode("utf-8"), env)


SIGNATURES = Signatures(
    exit_codes={41: "auth", 55: "untrusted-workspace", 130: "interrupted"},
    untrusted=(r"not running in a trusted directory",),
    quota=(
        r"resource_exhausted",
        r"exhausted your daily quota",
        r"quota exceeded",
        r"capacity exceeded",
        HTTP_429,
    ),
    auth=(r"please set an auth method", r"api key not valid"),
)

ADAPTER = Adapter(
    name="gemini",
    command="gemini",
    build=build,
    signatures=SIGNATURES,
    context_file=True,
    login_hint="run `gemini` once and choose an auth method, or set GEMINI_API_KEY",
    install_hint="npm install -g @google/gemini-cli",
    trust_hint="GEMINI_CLI_TRUST_WORKSPACE=true",
)
