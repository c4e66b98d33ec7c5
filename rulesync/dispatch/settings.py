"""The `dispatch:` section of rulesync.yaml, validated into typed settings.

dispatch:
  timeout: 600              # seconds per attempt, for every target
  kill_grace: 3             # seconds between SIGTERM and SIGKILL
  fallback_on: [quota, not-installed, timeout]   # add `auth` to move on when logged out
  avoid_above: 90%          # try a target whose limit is this used after the others
  roles:
    research: [gemini, claude]
  gemini:                   # per target: command, args, model, timeout, trust
    command: gemini         # a program, or a list: [npx, "@google/gemini-cli"]
    args: [--approval-mode, plan]
    model: gemini-2.5-pro
    timeout: 900
    trust: false
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from rulesync.dispatch import classes as c
from rulesync.dispatch.vendors import ADAPTERS
from rulesync.errors import ConfigError, Problem
from rulesync.record import Frozen
from rulesync.source.names import did_you_mean

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from typing import Any

CONFIG_NAME = "rulesync.yaml"
DEFAULT_TIMEOUT = 600.0
DEFAULT_KILL_GRACE = 3.0
DEFAULT_FALLBACK_ON = frozenset({c.QUOTA, c.NOT_INSTALLED, c.TIMEOUT})
#: Classes a chain may be configured to move on from. Never `interrupted`: Ctrl-C means stop.
FALLBACK_CHOICES = (c.QUOTA, c.NOT_INSTALLED, c.TIMEOUT, c.AUTH, c.UNTRUSTED, c.FAILED)
TARGET_KEYS = ("command", "args", "model", "timeout", "trust")
GLOBAL_KEYS = ("timeout", "kill_grace", "fallback_on", "roles", "avoid_above")

LineOf = Callable[..., "int | None"]


class TargetSettings(Frozen):
    __slots__ = ("command", "args", "model", "timeout", "trust")  # noqa: RUF023 - the field order
    command: tuple[str, ...] | None
    args: tuple[str, ...]
    model: str | None
    timeout: float | None
    trust: bool

    def __init__(
        self,
        command: tuple[str, ...] | None = None,
        args: tuple[str, ...] = (),
        model: str | None = None,
        timeout: float | None = None,
        trust: bool = False,
    ) -> None:
        self._set(command=command, args=args, model=model, timeout=timeout, trust=trust)


class DispatchSettings(Frozen):
    __slots__ = ("targets", "roles", "fallback_on", "timeout", "kill_grace", "avoid_above")  # noqa: RUF023 - the field order
    targets: Mapping[str, TargetSettings]
    roles: Mapping[str, tuple[str, ...]]
    fallback_on: frozenset[str]
    timeout: float
    kill_grace: float
    avoid_above: float | None  # percent used; None: no threshold

    def __init__(
        self,
        targets: Mapping[str, TargetSettings] | None = None,
        roles: Mapping[str, tuple[str, ...]] | None = None,
        fallback_on: frozenset[str] = DEFAULT_FALLBACK_ON,
        timeout: float = DEFAULT_TIMEOUT,
        kill_grace: float = DEFAULT_KILL_GRACE,
        avoid_above: float | None = None,
    ) -> None:
        self._set(
            targets={} if targets is None else targets,
            roles={} if roles is None else roles,
            fallback_on=fallback_on,
            timeout=timeout,
            kill_grace=kill_grace,
            avoid_above=avoid_above,
        )

    def for_target(self, name: str) -> TargetSettings:
        return self.targets.get(name, TargetSettings())


class _Problems:
    """Collects every problem in the section, so the user sees them all at once."""

    def __init__(self, line_of: LineOf) -> None:
        self.line_of = line_of
        self.found: list[Problem] = []

    def add(self, message: str, key_path: tuple[str | int, ...], fix: str | None = None) -> None:
        where = ".".join(str(part) for part in ("dispatch", *key_path))
        line = self.line_of("dispatch", *key_path)
        self.found.append(Problem(CONFIG_NAME, f"`{where}`: {message}", line, fix))


def parse_settings(section: Mapping[str, Any], line_of: LineOf) -> DispatchSettings:
    """Validate `dispatch:`; raises ConfigError naming each bad key's line and the fix."""
    problems = _Problems(line_of)
    for key in section:
        if key not in GLOBAL_KEYS and key not in ADAPTERS:
            known = (*GLOBAL_KEYS, *ADAPTERS)
            problems.add("unknown key", (key,), did_you_mean(key, known) or _one_of(known))
    settings = DispatchSettings(
        targets={
            name: _target(section[name], name, problems) for name in ADAPTERS if name in section
        },
        roles=_roles(section.get("roles", {}), problems),
        fallback_on=_fallback_on(section.get("fallback_on"), problems),
        timeout=_seconds(section.get("timeout", DEFAULT_TIMEOUT), ("timeout",), problems),
        kill_grace=_seconds(
            section.get("kill_grace", DEFAULT_KILL_GRACE), ("kill_grace",), problems
        ),
        avoid_above=_percent(section.get("avoid_above"), ("avoid_above",), problems),
    )
    if problems.found:
        raise ConfigError(problems.found)
    return settings


def _target(block: Any, name: str, problems: _Problems) -> TargetSettings:
    if not isinstance(block, Mapping):
        problems.add("must be a mapping", (name,), f"keys: {', '.join(TARGET_KEYS)}")
        return TargetSettings()
    for key in block:
        if key not in TARGET_KEYS:
            problems.add(
                "unknown key", (name, key), did_you_mean(key, TARGET_KEYS) or _one_of(TARGET_KEYS)
            )
    timeout = block.get("timeout")
    return TargetSettings(
        command=_command(block.get("command"), (name, "command"), problems),
        args=_strings(block.get("args", []), (name, "args"), problems),
        model=_text(block.get("model"), (name, "model"), problems),
        timeout=None if timeout is None else _seconds(timeout, (name, "timeout"), problems),
        trust=_flag(block.get("trust", False), (name, "trust"), problems),
    )


def _command(value: Any, key_path: tuple[str, ...], problems: _Problems) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return (value,)
    command = _strings(value, key_path, problems)
    if not command:
        problems.add(
            "must be a program name or a non-empty list", key_path, "e.g. `command: gemini`"
        )
        return None
    return command


def _strings(value: Any, key_path: tuple[str, ...], problems: _Problems) -> tuple[str, ...]:
    scalars = (str, int, float)
    if isinstance(value, list) and all(
        isinstance(v, scalars) and not isinstance(v, bool) for v in value
    ):
        return tuple(str(v) for v in value)
    problems.add("must be a list of strings", key_path, 'e.g. `["--approval-mode", "plan"]`')
    return ()


def _text(value: Any, key_path: tuple[str, ...], problems: _Problems) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    problems.add("must be a non-empty string", key_path)
    return None


def _flag(value: Any, key_path: tuple[str, ...], problems: _Problems) -> bool:
    if isinstance(value, bool):
        return value
    problems.add("must be true or false", key_path)
    return False


def _seconds(value: Any, key_path: tuple[str, ...], problems: _Problems) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < math.inf:
        return float(value)
    example = f"{key_path[-1]}: {3 if key_path[-1] == 'kill_grace' else 600}"
    problems.add("must be a number of seconds greater than 0", key_path, f"e.g. `{example}`")
    return DEFAULT_TIMEOUT


def _percent(value: Any, key_path: tuple[str, ...], problems: _Problems) -> float | None:
    """`90%`, `90` or `90.5`: a share of a rate-limit window, above 0 and at most 100."""
    if value is None:
        return None
    number = value
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = float(value.strip()[:-1])
        except ValueError:
            number = None
    if isinstance(number, (int, float)) and not isinstance(number, bool) and 0 < number <= 100:
        return float(number)
    problems.add(
        "must be a percentage above 0 and at most 100", key_path, "e.g. `avoid_above: 90%`"
    )
    return None


def _roles(value: Any, problems: _Problems) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        problems.add(
            "must map role names to lists of targets",
            ("roles",),
            "e.g. `research: [gemini, claude]`",
        )
        return {}
    roles = {}
    for role, chain in value.items():
        targets = _strings(chain if isinstance(chain, list) else [chain], ("roles", role), problems)
        for index, target in enumerate(targets):
            if target not in ADAPTERS:
                fix = did_you_mean(target, ADAPTERS) or _one_of(ADAPTERS)
                problems.add(f"unknown target `{target}`", ("roles", role, index), fix)
        roles[str(role)] = targets
    return roles


def _fallback_on(value: Any, problems: _Problems) -> frozenset[str]:
    if value is None:
        return DEFAULT_FALLBACK_ON
    classes = _strings(value if isinstance(value, list) else [value], ("fallback_on",), problems)
    for index, name in enumerate(classes):
        if name not in FALLBACK_CHOICES:
            fix = did_you_mean(name, FALLBACK_CHOICES) or _one_of(FALLBACK_CHOICES)
            problems.add(
                f"`{name}` is not a class a chain can move on from", ("fallback_on", index), fix
            )
    return frozenset(name for name in classes if name in FALLBACK_CHOICES)


def _one_of(choices: Any) -> str:
    return f"use one of {', '.join(choices)}"
