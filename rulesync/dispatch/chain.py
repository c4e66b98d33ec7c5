"""Which targets to try, in order: `--to T [--fallback A,B]` or `--role R [--fallback A,B]`."""

from __future__ import annotations

from collections.abc import Iterable

from rulesync.dispatch.settings import DispatchSettings
from rulesync.dispatch.vendors import ADAPTERS
from rulesync.errors import Problem, RulesyncError
from rulesync.source.names import canonical_target, did_you_mean


def resolve_chain(
    *, to: str | None, role: str | None, fallback: Iterable[str], settings: DispatchSettings
) -> tuple[str, ...]:
    """The ordered, de-duplicated targets to try. Raises RulesyncError on a bad name."""
    if (to is None) == (role is None):
        raise _usage("give exactly one of --to TARGET or --role ROLE")
    first = [target_name(to, "--to")] if to is not None else list(_role(role or "", settings))
    chain = [*first, *(target_name(name, "--fallback") for name in fallback)]
    return tuple(dict.fromkeys(chain))


def parse_fallback(text: str | None) -> tuple[str, ...]:
    """`codex, claude` -> ("codex", "claude")."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def target_name(name: str, option: str) -> str:
    lowered = name.strip().lower()
    target = lowered if lowered in ADAPTERS else canonical_target(lowered)
    if target is None:
        hint = did_you_mean(lowered, ADAPTERS) or f"use one of {', '.join(ADAPTERS)}"
        raise _usage(f"{option}: unknown target `{name}` ({hint})")
    return target


def _role(role: str, settings: DispatchSettings) -> tuple[str, ...]:
    chain = settings.roles.get(role)
    if chain:
        return chain
    known = ", ".join(settings.roles) or "none"
    hint = did_you_mean(role, settings.roles) or f"roles in rulesync.yaml: {known}"
    raise _usage(f"--role: no role `{role}` under `dispatch: roles:` in rulesync.yaml ({hint})")


def _usage(message: str) -> RulesyncError:
    return RulesyncError([Problem("dispatch", message)])
