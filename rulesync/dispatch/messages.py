"""One line per outcome, naming the target and the way out."""

from __future__ import annotations

from pathlib import Path

from rulesync.dispatch import classes as c
from rulesync.dispatch.classify import Verdict, describe_returncode
from rulesync.dispatch.vendors.base import Adapter
from rulesync.record import Frozen

MAX_DETAIL = 200


class Facts(Frozen):
    __slots__ = ("adapter", "verdict", "command", "timeout", "root", "returncode")  # noqa: RUF023 - the field order
    adapter: Adapter
    verdict: Verdict
    command: str
    timeout: float
    root: Path
    returncode: int | None

    def __init__(
        self,
        adapter: Adapter,
        verdict: Verdict,
        command: str,
        timeout: float,
        root: Path,
        returncode: int | None,
    ) -> None:
        self._set(
            adapter=adapter,
            verdict=verdict,
            command=command,
            timeout=timeout,
            root=root,
            returncode=returncode,
        )


def one_line(facts: Facts) -> str:
    """The human message for one attempt (not yet redacted)."""
    name = facts.adapter.name
    return _BUILDERS[facts.verdict.failure_class](facts, name)


def _ok(facts: Facts, name: str) -> str:
    return f"{name} finished"


def _not_installed(facts: Facts, name: str) -> str:
    if facts.verdict.detail:
        return f"{name} is not available: {_short(facts.verdict.detail)} ({facts.adapter.install_hint})"
    return (
        f"{name}: `{facts.command}` is not installed or not on PATH "
        f"({facts.adapter.install_hint}, or set dispatch.{name}.command in rulesync.yaml)"
    )


def _auth(facts: Facts, name: str) -> str:
    return f"{name} is not logged in or has no valid API key ({facts.adapter.login_hint})"


def _quota(facts: Facts, name: str) -> str:
    reset = facts.verdict.reset_time
    when = f"resets {reset}" if reset else "no reset time given"
    return f"{name} hit a rate limit or usage quota ({when})"


def _untrusted(facts: Facts, name: str) -> str:
    hint = facts.adapter.trust_hint
    adds = f" (it adds {hint})" if hint else ""
    return (
        f"{name} does not trust {facts.root} as a workspace; pass --trust or set "
        f"`dispatch.{name}.trust: true` in rulesync.yaml{adds}, or trust the folder in {name}"
    )


def _timeout(facts: Facts, name: str) -> str:
    return f"{name} gave no result within {facts.timeout:g} s; it was stopped with every process it started"


def _interrupted(facts: Facts, name: str) -> str:
    return f"interrupted; {name} was stopped with every process it started"


def _failed(facts: Facts, name: str) -> str:
    text = f"{name} {describe_returncode(facts.returncode)}"
    detail = facts.verdict.detail
    return f"{text}: {_short(detail)}" if detail else text


def _short(text: str) -> str:
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


_BUILDERS = {
    c.OK: _ok,
    c.NOT_INSTALLED: _not_installed,
    c.AUTH: _auth,
    c.QUOTA: _quota,
    c.UNTRUSTED: _untrusted,
    c.TIMEOUT: _timeout,
    c.INTERRUPTED: _interrupted,
    c.FAILED: _failed,
}
