"""The interface every vendor adapter fills in."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rulesync.dispatch.request import Invocation, Request
from rulesync.record import Frozen


class Signatures(Frozen):
    """How one vendor says what went wrong. Patterns are regexes, matched case-insensitively
    against the captured stdout and stderr (ANSI colours removed)."""

    __slots__ = ("exit_codes", "untrusted", "quota", "auth", "unavailable")  # noqa: RUF023 - the field order
    exit_codes: Mapping[int, str]  # returncode -> failure class
    untrusted: tuple[str, ...]
    quota: tuple[str, ...]
    auth: tuple[str, ...]
    unavailable: tuple[str, ...]  # a local server that is down: classed not-installed

    def __init__(
        self,
        exit_codes: Mapping[int, str] | None = None,
        untrusted: tuple[str, ...] = (),
        quota: tuple[str, ...] = (),
        auth: tuple[str, ...] = (),
        unavailable: tuple[str, ...] = (),
    ) -> None:
        self._set(
            exit_codes={} if exit_codes is None else exit_codes,
            untrusted=untrusted,
            quota=quota,
            auth=auth,
            unavailable=unavailable,
        )


class Adapter(Frozen):
    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "name",
        "command",
        "build",
        "signatures",
        "context_file",
        "login_hint",
        "install_hint",
        "trust_hint",
        "requires_model",
    )
    name: str
    command: str  # the default program name
    build: Callable[[Request], Invocation]
    signatures: Signatures
    context_file: bool  # True: reads its mirrored rules file from the working directory
    login_hint: str
    install_hint: str
    trust_hint: str | None  # what --trust passes; None: the CLI has no trust setting
    requires_model: bool

    def __init__(
        self,
        name: str,
        command: str,
        build: Callable[[Request], Invocation],
        signatures: Signatures,
        context_file: bool,
        login_hint: str,
        install_hint: str,
        trust_hint: str | None = None,
        requires_model: bool = False,
    ) -> None:
        self._set(
            name=name,
            command=command,
            build=build,
            signatures=signatures,
            context_file=context_file,
            login_hint=login_hint,
            install_hint=install_hint,
            trust_hint=trust_hint,
            requires_model=requires_model,
        )


# Shared by the vendors that sit behind an HTTP API.
HTTP_429 = r"(?:status|code|error|http)\W{0,3}429\b|\b429\b\W{0,3}too many requests"
