"""`rulesync dispatch`: run a vendor CLI headless, with the rules in place."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from rulesync.dispatch.result import Result
    from rulesync.dispatch.routing import Route


def _exit_code_help() -> str:
    from rulesync.dispatch.classes import EXIT_CODE_TABLE

    rows = "\n".join(f"  {code:<4} {name:<20} {meaning}" for code, name, meaning in EXIT_CODE_TABLE)
    return (
        "\b\nExit codes (with a fallback chain, those of the last attempt):\n"
        + rows
        + "\n\nEvery attempt is logged; see `rulesync runs`. Details: docs/dispatch.md."
    )


@click.command(epilog=_exit_code_help())
@click.option("--to", "to", metavar="TARGET", help="claude, gemini, codex, ollama or llm.")
@click.option(
    "--role", metavar="ROLE", help="Try the chain under `dispatch: roles: ROLE` in rulesync.yaml."
)
@click.option(
    "--fallback",
    metavar="T1,T2",
    help="Targets to try next, in order, after a quota, not-installed or timeout "
    "(add classes with `dispatch: fallback_on:`).",
)
@click.option(
    "--model", "-m", metavar="M", help="Model for the first target; fallbacks use their own."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="S",
    help="Seconds per attempt [default: dispatch.TARGET.timeout, dispatch.timeout, or 600].",
)
@click.option(
    "--trust",
    is_flag=True,
    help="Let the CLI trust this folder (gemini: GEMINI_CLI_TRUST_WORKSPACE=true; "
    "codex: --skip-git-repo-check). Never passed unless asked for here or in rulesync.yaml.",
)
@click.option(
    "--no-sync", is_flag=True, help="Refuse (exit 3) instead of mirroring stale rules first."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON result object instead of the output."
)
@click.option(
    "--log-prompt",
    is_flag=True,
    help="Keep the prompt (redacted) in the run log; by default only its size and SHA-256.",
)
@click.option(
    "--ignore-limits",
    is_flag=True,
    help="Try every target of the chain, even one out of quota or above `avoid_above`.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Print which targets would be tried, skipped or put last, and why; run nothing.",
)
@click.argument("prompt", nargs=-1)
@click.pass_obj
def dispatch(
    root: Path,
    to: str | None,
    role: str | None,
    fallback: str | None,
    model: str | None,
    timeout: float | None,
    trust: bool,
    no_sync: bool,
    as_json: bool,
    log_prompt: bool,
    ignore_limits: bool,
    explain: bool,
    prompt: tuple[str, ...],
) -> int:
    """Run TARGET's CLI non-interactively on PROMPT (or `-` to read it from stdin), from the
    project root, after mirroring its rules (claude, gemini, codex) or with the rules as the
    system prompt (llm) or prepended (ollama).

    The vendor's output streams live to the terminal. A failure is classified (see the exit
    codes below) and, with --fallback or --role, the next target is tried when the class
    allows it. A target whose last known state is out of quota is skipped until its reset,
    and one used at or above `dispatch: avoid_above:` is tried last (docs/status.md).
    Options and rulesync.yaml keys are described in docs/dispatch.md.
    """
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
    chain = resolve_chain(to=to, role=role, fallback=parse_fallback(fallback), settings=settings)
    environ = dict(os.environ)
    now = time.time()
    route = routing.route(
        chain, environ, now, avoid_above=settings.avoid_above, ignore_limits=ignore_limits
    )
    if explain:
        return _explain(route, now, as_json)
    if not prompt:
        raise click.UsageError("Missing argument 'PROMPT...'.")
    job = Job(
        root=root,
        chain=route.order,
        skipped=route.skipped,
        exhausted=None if route.order else routing.exhausted_message(route, now),
        prompt=_read_prompt(prompt),
        run_id=new_run_id(),
        environ=environ,
        parent_run_id=parent_run_id(environ, _note),
        model=model,
        timeout=timeout,
        trust=trust,
        sync=not no_sync,
        log_prompt=log_prompt,
        log_path=log_path(environ),
    )
    stdout = _discard if as_json else _LiveStream(sys.stdout)
    streams = Streams(note=_note, stdout=stdout, stderr=_LiveStream(sys.stderr))
    result = run_dispatch(job, config, settings, streams)
    if as_json:
        import json

        from rulesync.terminal_text import printable_json

        text = json.dumps(result_object(result), indent=2, ensure_ascii=False)
        click.echo(printable_json(text))
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
        click.echo(printable(json.dumps(data, indent=2, ensure_ascii=False), multiline=True))
    else:
        click.echo(printable(routing.explain(route, now), multiline=True))
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


def _note(message: str) -> None:
    """One line on stderr; its text may quote file names, paths and the vendor's words."""
    from rulesync.terminal_text import printable

    click.echo(f"rulesync: {printable(message)}", err=True)


def _summarise(result: Result) -> None:
    from rulesync.terminal_text import printable

    final = result.final
    if final.failure_class == "ok":
        click.echo(
            f"rulesync: {final.target} finished in {final.duration:.2f} s (run {result.run_id})",
            err=True,
        )
        return
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
