"""`rulesync dispatch`: run a vendor CLI headless, with the rules in place."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from rulesync.dispatch.result import Result


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
@click.option(
    "--no-brief",
    is_flag=True,
    help="Do not put the shared memory's brief (`rulesync memory brief`) before the prompt.",
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
    no_brief: bool,
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
    from rulesync.dispatch.command import Options, run

    options = Options(
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
    return run(root, options, missing_prompt=_missing_prompt)


def _missing_prompt() -> NoReturn:
    raise click.UsageError("Missing argument 'PROMPT...'.")


def result_object(result: Result) -> dict[str, Any]:
    from rulesync.dispatch.command import result_object as of

    return of(result)
