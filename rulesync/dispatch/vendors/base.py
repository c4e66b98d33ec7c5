"""The interface every vendor adapter fills in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rulesync.dispatch.request import Invocation, Request


@dataclass(frozen=True)
class Signatures:
    """How one vendor says what went wrong. Patterns are regexes, matched case-insensitively
    against the captured stdout and stderr (ANSI colours removed)."""

    exit_codes: Mapping[int, str] = field(default_factory=dict)  # returncode -> failure class
    untrusted: tuple[str, ...] = ()
    quota: tuple[str, ...] = ()
    auth: tuple[str, ...] = ()
    unavailable: tuple[str, ...] = ()  # a local server that is down: classed not-installed


@dataclass(frozen=True)
class Adapter:
    name: str
    command: str  # the default program name
    build: Callable[[Request], Invocation]
    signatures: Signatures
    context_file: bool  # True: reads its mirrored rules file from the working directory
    login_hint: str
    install_hint: str
    trust_hint: str | None = None  # what --trust passes; None: the CLI has no trust setting
    requires_model: bool = False


# Shared by the vendors that sit behind an HTTP API.
HTTP_429 = r"(?:status|code|error|http)\W{0,3}429\b|\b429\b\W{0,3}too many requests"
