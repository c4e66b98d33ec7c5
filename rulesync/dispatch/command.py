"""What `rulesync dispatch` does once its options are parsed, without click.

Both the click command (rulesync.commands.dispatch) and the fast path of the command line
(rulesync.dispatch.quick, which parses the plain forms by hand) call `run`. Nothing here
imports click before the vendor starts: notes go straight to stderr.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from typing import Any, NoReturn, TextIO

    from rulesync.dispatch.result import Result
    from rulesync.dispatch.routing import Route


class Options(Frozen):
    """The command's options, as click or the fast path parsed them."""

    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "to",
        "role",
        "fallback",
        "model",
        "timeout",
        "trust",
        "no_sync",
        "as_json",
        "log_prompt",
        "ignore_limits",
        "explain",
        "no_brief",
        "prompt",
    )
    to: str | None
    role: str | None
    fallback: str | None
    model: str | None
    timeout: float | None
    trust: bool
    no_sync: bool
    as_json: bool
    log_prompt: bool
    ignore_limits: bool
    explain: bool
    no_brief: bool
    prompt: tuple[str, ...]

    def __init__(
        self,
        to: str | None = None,
        role: str | None = None,
        fallback: str | None = None,
        model: str | None = None,
        timeout: float | None = None,
        trust: bool = False,
        no_sync: bool = False,
        as_json: bool = False,
        log_prompt: bool = False,
        ignore_limits: bool = False,
        explain: bool = False,
        no_brief: bool = False,
        prompt: tuple[str, ...] = (),
    ) -> None:
        self._set(
            to=to,
            role=role,
            fallback=fallback,
            model=model,
            timeout=timeout,
            trust=trust,
            no_sync=no_sync,
            as_json=as_json,
            log_prompt=log_prompt,
            ignore_limits=ignore_limits,
            explain=explain,
            no_brief=no_brief,
            prompt=prompt,
        )


def run(root: Path, options: Options, *, missing_prompt: Callable[[], NoReturn]) -> int:
    from rulesync.dispatch import routing
    from rulesync.dispatch.chain import parse_fallback, resolve_chain
    from rulesync.dispatch.dispatcher import Job, Streams
    from rulesync.dispatch.dispatcher import dispatch as run_dispatch
    from rulesync.dispatch.run_id import new_run_id, parent_run_id
    from rulesync.dispatch.settings import parse_settings
    from rulesync.dispatch.state import log_path
    from rulesync.source.config import load_config

    config = load_config(root, required=False)
    settings = parse_settings(config.dispatch, config.line_of)
    fallback = parse_fallback(options.fallback)
    chain = resolve_chain(to=options.to, role=options.role, fallback=fallback, settings=settings)
    environ = dict(os.environ)
    now = time.time()
    route = routing.route(
        chain, environ, now, avoid_above=settings.avoid_above, ignore_limits=options.ignore_limits
    )
    if options.explain:
        return _explain(route, now, options.as_json)
    if not options.prompt:
        missing_prompt()
    job = Job(
        root=root,
        chain=route.order,
        skipped=route.skipped,
        exhausted=None if route.order else routing.exhausted_message(route, now),
        prompt=_read_prompt(options.prompt),
        run_id=new_run_id(),
        environ=environ,
        parent_run_id=parent_run_id(environ, note),
        model=options.model,
        timeout=options.timeout,
        trust=options.trust,
        sync=not options.no_sync,
        log_prompt=options.log_prompt,
        log_path=log_path(environ),
        brief=not options.no_brief,
    )
    stdout = _discard if options.as_json else _LiveStream(sys.stdout)
    streams = Streams(note=note, stdout=stdout, stderr=_LiveStream(sys.stderr))
    result = run_dispatch(job, config, settings, streams)
    if options.as_json:
        import json

        from rulesync.terminal_text import printable_json

        text = json.dumps(result_object(result), indent=2, ensure_ascii=False)
        _echo(printable_json(text), sys.stdout)
    _summarise(result)
    return result.exit_code


def _explain(route: Route, now: float, as_json: bool) -> int:
    """`--explain`: the routing decision, nothing run. Exit 75 when nothing would run."""
    from rulesync.dispatch import routing
    from rulesync.dispatch.classes import EXIT_CODES, OK, QUOTA
    from rulesync.terminal_text import printable

    code = EXIT_CODES[OK] if route.order else EXIT_CODES[QUOTA]
    if as_json:
        import json

        from rulesync.status.timefmt import iso

        data = {
            "order": list(route.order),
            "exit_code": code,
            "message": None if route.order else routing.exhausted_message(route, now),
            "decisions": [
                {
                    "target": d.target,
                    "action": d.action,
                    "reason": d.reason,
                    "until": iso(d.until) if d.until is not None else None,
                }
                for d in route.decisions
            ],
        }
        _echo(printable(json.dumps(data, indent=2, ensure_ascii=False), multiline=True), sys.stdout)
    else:
        _echo(printable(routing.explain(route, now), multiline=True), sys.stdout)
    return code


def _read_prompt(words: tuple[str, ...]) -> str:
    from rulesync.errors import RulesyncError

    if words == ("-",):
        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError:
            raise RulesyncError("the prompt on stdin is not valid UTF-8") from None
    else:
        text = " ".join(words)
    if not text.strip():
        raise RulesyncError("the prompt is empty (give it as an argument, or `-` to read stdin)")
    return text


class _LiveStream:
    """Passes the vendor's bytes through unchanged; a closed pipe stops it, not the dispatch."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.open = True

    def __call__(self, data: bytes) -> None:
        if not self.open:
            return
        try:
            self.stream.flush()
            buffer = getattr(self.stream, "buffer", None)
            if buffer is None:
                self.stream.write(data.decode("utf-8", errors="replace"))
            else:
                buffer.write(data)
                buffer.flush()
        except (BrokenPipeError, ValueError):
            self.open = False


def _discard(data: bytes) -> None:
    pass


def note(message: str) -> None:
    """One line on stderr; its text may quote file names, paths and the vendor's words."""
    from rulesync.terminal_text import printable

    _echo(f"rulesync: {printable(message)}", sys.stderr)


def _echo(line: str, stream: TextIO) -> None:
    """A line and a flush, as click.echo writes text that holds no styles."""
    stream.write(line + "\n")
    stream.flush()


def _summarise(result: Result) -> None:
    from rulesync.terminal_text import printable

    final = result.final
    if final.failure_class == "ok":
        done = f"{final.target} finished in {final.duration:.2f} s (run {result.run_id})"
        _echo(f"rulesync: {done}", sys.stderr)
        return
    import click  # styles, stripped when stderr is not a terminal

    label = click.style(f"{final.failure_class}:", fg="red", bold=True)
    click.echo(
        f"rulesync: {label} {printable(result.message)} (exit {final.exit_code}, run {result.run_id})",
        err=True,
    )


def result_object(result: Result) -> dict[str, Any]:
    final = result.final
    return {
        "run_id": result.run_id,
        "parent_run_id": result.parent_run_id,
        "ok": final.failure_class == "ok",
        "target": final.target,
        "model": final.model,
        "class": final.failure_class,
        "exit_code": final.exit_code,
        "reset_time": _earliest_reset(result),
        "message": result.message,
        "output": final.output,
        "output_truncated": final.output_truncated,
        "attempts": [
            {
                "target": a.target,
                "model": a.model,
                "class": a.failure_class,
                "exit_code": a.exit_code,
                "returncode": a.returncode,
                "duration_s": a.duration,
                "started_at": a.started_at,
                "reset_time": a.reset_time,
                "message": a.message,
                "skipped": a.returncode is None and a.failure_class == "quota",
            }
            for a in result.attempts
        ],
    }


def _earliest_reset(result: Result) -> str | None:
    """The final attempt's reset; when every target was skipped, the earliest one."""
    if result.note is None:
        return result.final.reset_time
    resets = [a.reset_time for a in result.attempts if a.reset_time]
    return min(resets) if resets else None
