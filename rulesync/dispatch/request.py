"""What a vendor adapter is given (Request) and what it returns (Invocation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    """One attempt at one target, with everything its adapter needs to build the call."""

    target: str
    prompt: str
    command: tuple[str, ...]  # the program (and any leading args) from config or the default
    model: str | None = None
    args: tuple[str, ...] = ()  # extra args from rulesync.yaml, placed after rulesync's own
    trust: bool = False
    rules: str | None = None  # rendered rules, for agents without a context file


@dataclass(frozen=True)
class Invocation:
    """A process to start: never through a shell."""

    argv: tuple[str, ...]
    stdin: bytes | None  # None: stdin is /dev/null
    env: Mapping[str, str] = field(default_factory=dict)  # added to the inherited environment
