"""What a vendor adapter is given (Request) and what it returns (Invocation)."""

from __future__ import annotations

from collections.abc import Mapping

from rulesync.record import Frozen


class Request(Frozen):
    """One attempt at one target, with everything its adapter needs to build the call."""

    __slots__ = ("target", "prompt", "command", "model", "args", "trust", "rules")  # noqa: RUF023 - the field order
    target: str
    prompt: str
    command: tuple[str, ...]  # the program (and any leading args) from config or the default
    model: str | None
    args: tuple[str, ...]  # extra args from rulesync.yaml, placed after rulesync's own
    trust: bool
    rules: str | None  # rendered rules, for agents without a context file

    def __init__(
        self,
        target: str,
        prompt: str,
        command: tuple[str, ...],
        model: str | None = None,
        args: tuple[str, ...] = (),
        trust: bool = False,
        rules: str | None = None,
    ) -> None:
        self._set(
            target=target,
            prompt=prompt,
            command=command,
            model=model,
            args=args,
            trust=trust,
            rules=rules,
        )


class Invocation(Frozen):
    """A process to start: never through a shell."""

    __slots__ = ("argv", "stdin", "env")  # noqa: RUF023 - the field order
    argv: tuple[str, ...]
    stdin: bytes | None  # None: stdin is /dev/null
    env: Mapping[str, str]  # added to the inherited environment

    def __init__(
        self,
        argv: tuple[str, ...],
        stdin: bytes | None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._set(argv=argv, stdin=stdin, env={} if env is None else env)
