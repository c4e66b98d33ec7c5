"""The dispatch loop: for each target of the chain, put the rules in place, run the vendor,
classify the ending, log the attempt, and move on only when the class allows it.

Start-up matters here (the overhead before the vendor's exec is benchmarked), so what is
needed only after the vendor exits (classification, messages, redaction, the run log) is
imported then.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

from rulesync.dispatch.request import Request
from rulesync.dispatch.rules import prepare_rules
from rulesync.dispatch.run_id import PARENT_ENV
from rulesync.dispatch.runner import Outcome, Sink, find_program, run_process
from rulesync.dispatch.settings import DispatchSettings, TargetSettings
from rulesync.dispatch.vendors import ADAPTERS
from rulesync.dispatch.vendors.base import Adapter
from rulesync.errors import Problem, RulesyncError
from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from rulesync.dispatch.redact import Redactor
    from rulesync.dispatch.request import Invocation
    from rulesync.dispatch.result import Attempt, Result
    from rulesync.dispatch.routing import Decision
    from rulesync.source.config import Config

    #: The call, and a reader of what goes before its stdin once it has started (or None).
    _Stdin = tuple[Invocation, Callable[[], bytes] | None]


class Job(Frozen):
    """What the user asked for."""

    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "root",
        "chain",
        "prompt",
        "run_id",
        "environ",
        "parent_run_id",
        "model",
        "timeout",
        "trust",
        "sync",
        "log_prompt",
        "log_path",
        "brief",
        "skipped",
        "exhausted",
    )
    root: Path
    chain: tuple[str, ...]
    prompt: str
    run_id: str
    environ: Mapping[str, str]  # passed to the vendor; also where the secrets to redact are
    parent_run_id: str | None
    model: str | None  # for the first target only: a model name is vendor-specific
    timeout: float | None
    trust: bool
    sync: bool
    log_prompt: bool
    log_path: Path | None  # None: no run log
    brief: bool  # put the shared memory's brief before the prompt (docs/memory.md)
    #: targets of the chain left out before anything runs (out of quota until a reset)
    skipped: tuple[Decision, ...]
    exhausted: str | None  # set when every target was skipped: why, and the reset

    def __init__(
        self,
        root: Path,
        chain: tuple[str, ...],
        prompt: str,
        run_id: str,
        environ: Mapping[str, str],
        parent_run_id: str | None = None,
        model: str | None = None,
        timeout: float | None = None,
        trust: bool = False,
        sync: bool = True,
        log_prompt: bool = False,
        log_path: Path | None = None,
        brief: bool = True,
        skipped: tuple[Decision, ...] = (),
        exhausted: str | None = None,
    ) -> None:
        self._set(
            root=root,
            chain=chain,
            prompt=prompt,
            run_id=run_id,
            environ=environ,
            parent_run_id=parent_run_id,
            model=model,
            timeout=timeout,
            trust=trust,
            sync=sync,
            log_prompt=log_prompt,
            log_path=log_path,
            brief=brief,
            skipped=skipped,
            exhausted=exhausted,
        )


class Streams(Frozen):
    """Where the core reports: notes (for stderr), and the vendor's live output."""

    __slots__ = ("note", "stdout", "stderr")  # noqa: RUF023 - the field order
    note: Callable[[str], None]
    stdout: Sink
    stderr: Sink

    def __init__(
        self,
        note: Callable[[str], None],
        stdout: Sink,
        stderr: Sink,
    ) -> None:
        self._set(note=note, stdout=stdout, stderr=stderr)


class _Choice(Frozen):
    """One target's settings for this attempt, after command-line options and config."""

    __slots__ = ("adapter", "settings", "model", "timeout", "command", "trust")  # noqa: RUF023 - the field order
    adapter: Adapter
    settings: TargetSettings
    model: str | None
    timeout: float
    command: tuple[str, ...]
    trust: bool

    def __init__(
        self,
        adapter: Adapter,
        settings: TargetSettings,
        model: str | None,
        timeout: float,
        command: tuple[str, ...],
        trust: bool,
    ) -> None:
        self._set(
            adapter=adapter,
            settings=settings,
            model=model,
            timeout=timeout,
            command=command,
            trust=trust,
        )


def dispatch(job: Job, config: Config, settings: DispatchSettings, streams: Streams) -> Result:
    check_models(job, settings)
    streams = _once(streams)
    attempts: list[Attempt] = []
    for decision in job.skipped:
        attempts.append(_skipped(decision))
        _log(job, len(attempts), attempts[-1], streams)
        streams.note(attempts[-1].message)
    if not job.chain:
        from rulesync.dispatch.result import Result

        return Result(job.run_id, job.parent_run_id, tuple(attempts), job.exhausted)
    for index in range(len(job.chain)):
        choice = _choose(job, index, settings)
        outcome = _run(job, choice, config, streams, settings.kill_grace)
        attempts.append(_conclude(job, choice, outcome))
        _log(job, len(attempts), attempts[-1], streams)
        following = job.chain[index + 1 : index + 2]
        if attempts[-1].failure_class not in settings.fallback_on or not following:
            break
        streams.note(f"{attempts[-1].message}; falling back to {following[0]}")
    from rulesync.dispatch.remember import remember

    remember(job.root, job.environ, project=config.exists)
    from rulesync.dispatch.result import Result

    return Result(job.run_id, job.parent_run_id, tuple(attempts))


def _skipped(decision: Decision) -> Attempt:
    """The attempt a skipped target stands for: class quota, never started, no return code
    (which is how rulesync.status.runlog tells a skip from a vendor's own quota error)."""
    from rulesync.dispatch.classes import QUOTA
    from rulesync.dispatch.result import Attempt

    reset = _iso(decision.until) if decision.until is not None else None
    return Attempt(
        target=decision.target,
        model=None,
        failure_class=QUOTA,
        returncode=None,
        duration=0.0,
        started_at=_iso(time.time()),
        reset_time=reset,
        message=f"skipped {decision.target}: {decision.reason}",
        output="",
        output_truncated=False,
    )


def check_models(job: Job, settings: DispatchSettings) -> None:
    """Before anything runs: every target that needs a model has one."""
    for index, target in enumerate(job.chain):
        if ADAPTERS[target].requires_model and not _model(job, index, settings.for_target(target)):
            raise RulesyncError(
                [
                    Problem(
                        "dispatch",
                        f"{target} needs a model",
                        fix=f"pass --model, or set `dispatch.{target}.model` in rulesync.yaml",
                    )
                ]
            )


def _once(streams: Streams) -> Streams:
    """The same streams, but each distinct note is shown once per run."""
    shown: set[str] = set()

    def note(message: str) -> None:
        if message not in shown:
            shown.add(message)
            streams.note(message)

    return Streams(note, streams.stdout, streams.stderr)


def _choose(job: Job, index: int, settings: DispatchSettings) -> _Choice:
    target = job.chain[index]
    adapter, chosen = ADAPTERS[target], settings.for_target(target)
    return _Choice(
        adapter=adapter,
        settings=chosen,
        model=_model(job, index, chosen),
        timeout=job.timeout or chosen.timeout or settings.timeout,
        command=chosen.command or (adapter.command,),
        trust=job.trust or chosen.trust,
    )


def _with_brief(job: Job, agent: str, streams: Streams) -> str:
    """The prompt, after the memory brief for `agent` when the project has memory."""
    return _brief_prefix(job, agent, streams) + job.prompt


def _brief_prefix(job: Job, agent: str, streams: Streams) -> str:
    """The memory brief and its separator, or "" (no brief, or no memory for `agent`)."""
    if not job.brief:
        return ""
    from rulesync.memory.brief import for_dispatch

    try:
        brief = for_dispatch(job.root, agent)
    except Exception as error:  # the brief is a help, never a reason not to run the task
        streams.note(f"no memory brief for {agent}: {error}")
        return ""
    if brief is None:
        return ""
    return f"{brief}\n---\n\n"


def _stdin(job: Job, adapter: Adapter, request: Request, streams: Streams) -> _Stdin:
    """The call, and what goes on its stdin before the built one (the brief, read only once
    the vendor has started: sqlite3 and the memory index cost nothing before its exec).

    The brief is put before the prompt; where the vendor's stdin is the prompt itself
    (claude, gemini, codex: the agents that get a brief), it is put before that stdin, after
    the start. Any other stdin is built again with the brief inside, before the start.
    """
    invocation = adapter.build(request)
    if not job.brief:
        return invocation, None
    if invocation.stdin is not None and invocation.stdin == job.prompt.encode("utf-8"):
        return invocation, lambda: _brief_prefix(job, adapter.name, streams).encode("utf-8")
    return adapter.build(request.replace(prompt=_with_brief(job, adapter.name, streams))), None


def _model(job: Job, index: int, chosen: TargetSettings) -> str | None:
    return (job.model if index == 0 else None) or chosen.model


def _run(job: Job, choice: _Choice, config: Config, streams: Streams, grace: float) -> Outcome:
    program = find_program(choice.command[0], job.environ.get("PATH"), job.root)
    if program is None:  # before any mirroring: nothing to prepare for a CLI that is not there
        return Outcome.never_started(missing=True)
    adapter = choice.adapter
    rules = prepare_rules(config, adapter, sync=job.sync, environ=job.environ)
    for note in rules.notes:
        streams.note(note)
    if choice.trust and adapter.trust_hint:
        why = "--trust" if job.trust else f"dispatch.{adapter.name}.trust in rulesync.yaml"
        streams.note(
            f"trusting {job.root} for {adapter.name} ({adapter.trust_hint}), as {why} asks"
        )
    command = (program, *choice.command[1:])
    request = Request(
        adapter.name,
        job.prompt,
        command,
        choice.model,
        choice.settings.args,
        choice.trust,
        rules.text,
    )
    invocation, stdin_prefix = _stdin(job, adapter, request, streams)
    outcome = run_process(
        invocation,
        stdin_prefix=stdin_prefix,
        cwd=job.root,
        env={**job.environ, **invocation.env, PARENT_ENV: job.run_id},
        timeout=choice.timeout,
        grace=grace,
        on_stdout=streams.stdout,
        on_stderr=streams.stderr,
    )
    _note_leftovers(adapter.name, outcome.leftovers, streams)
    return outcome


def _note_leftovers(name: str, leftovers: int, streams: Streams) -> None:
    if leftovers:
        count = f"{leftovers} process{'es' if leftovers > 1 else ''}"
        streams.note(f"ended {count} that {name} had started and left running")


def _conclude(job: Job, choice: _Choice, outcome: Outcome) -> Attempt:
    from rulesync.dispatch.classify import Ending, classify
    from rulesync.dispatch.messages import Facts, one_line
    from rulesync.dispatch.result import Attempt

    ending = Ending(
        returncode=outcome.returncode,
        output="\n".join((outcome.stdout.text(), outcome.stderr.text(), outcome.error or "")),
        timed_out=outcome.timed_out,
        interrupted=outcome.interrupted,
        missing=outcome.missing,
    )
    verdict = classify(ending, choice.adapter.signatures)
    facts = Facts(
        choice.adapter, verdict, choice.command[0], choice.timeout, job.root, outcome.returncode
    )
    redact = _redactor(job)
    return Attempt(
        target=choice.adapter.name,
        model=choice.model,
        failure_class=verdict.failure_class,
        returncode=outcome.returncode,
        duration=round(outcome.duration, 3),
        started_at=_iso(outcome.started_at),
        reset_time=verdict.reset_time,
        message=redact(one_line(facts)),
        output=redact(outcome.stdout.text()),
        output_truncated=outcome.stdout.truncated,
    )


def _redactor(job: Job) -> Redactor:
    from rulesync.dispatch.redact import Redactor

    return Redactor(job.environ)


def _log(job: Job, number: int, attempt: Attempt, streams: Streams) -> None:
    if job.log_path is None:
        return
    import hashlib
    import sqlite3

    from rulesync.dispatch import runlog

    prompt = job.prompt.encode("utf-8")
    row = runlog.Row(
        run_id=job.run_id,
        attempt=number,
        parent_run_id=job.parent_run_id,
        target=attempt.target,
        model=attempt.model,
        failure_class=attempt.failure_class,
        exit_code=attempt.exit_code,
        returncode=attempt.returncode,
        duration_s=attempt.duration,
        started_at=attempt.started_at,
        prompt_bytes=len(prompt),
        prompt_sha256=hashlib.sha256(prompt).hexdigest(),
        prompt=_redactor(job)(job.prompt) if job.log_prompt else None,
        reset_time=attempt.reset_time,
        message=attempt.message,
        cwd=str(job.root),
    )
    try:
        runlog.append(job.log_path, row)
    except (OSError, sqlite3.Error) as error:
        streams.note(f"warning: could not write the run log {job.log_path}: {error}")


def _iso(timestamp: float) -> str:
    whole = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(timestamp))
    return f"{whole}.{int(timestamp % 1 * 1000):03d}Z"
