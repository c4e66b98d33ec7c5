"""`rulesync lint`: the identity and umlaut prose lints, for people, CI, pre-commit and agents."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rulesync.errors import ConfigError
from rulesync.linting.lint_report import FORMATS
from rulesync.linting.lint_run import LANGS, RULE_NAMES, default_format

if TYPE_CHECKING:
    from lints.finding import Finding
    from lints.registry import Rule
    from rulesync.linting.agent_hook import PlannedWrite

#: Exit codes of `--hook`, as Claude Code and Gemini CLI read them.
HOOK_ALLOW = 0
HOOK_WARN = 1  # shown to the user; the write goes ahead
HOOK_BLOCK = 2  # the write is blocked; stderr goes to the model

EPILOG = """\b
Inline suppression in Markdown:
  <!-- rulesync-lint disable identity --> … <!-- rulesync-lint enable identity -->
  <!-- rulesync-lint disable-next-line umlaut -->
\b
Exit codes: 0 clean, 1 findings (or --fix changed files), 2 usage, config or unreadable file.
With --hook: 0 allow, 2 block the agent's write (stderr tells the model), 1 warn."""


@click.command(epilog=EPILOG)
@click.option("--only", type=click.Choice(RULE_NAMES), help="Run just this lint.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: text; github under GITHUB_ACTIONS).",
)
@click.option("--fix", is_flag=True, help="Rewrite the flagged text in place.")
@click.option("--lang", type=click.Choice(LANGS), help="Override lint.umlaut.lang.")
@click.option(
    "--hook",
    type=click.Choice(["claude", "gemini"]),
    help="Agent hook mode: read the tool call JSON on stdin, block bad writes.",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def lint(
    root: Path,
    only: str | None,
    output_format: str | None,
    fix: bool,
    lang: str | None,
    hook: str | None,
    paths: tuple[Path, ...],
) -> int:
    """Check Markdown and text files for misspelt names and ASCII umlauts.

    PATHS are files, or directories searched for *.md and *.txt files. Lints run as
    configured under `lint:` in rulesync.yaml, or just the one named with --only.
    """
    if hook is not None:
        return run_hook(root, only, lang)
    if not paths:
        raise click.UsageError("give the files or directories to lint, e.g. `rulesync lint docs`")
    from rulesync.linting.lint_run import execute

    chosen = output_format or default_format(os.environ)
    return execute(root, paths, only=only, output_format=chosen, fix=fix, lang=lang, out=_Styled())


class _Styled:
    """Output through click: the location in bold and `error:` in red, on a terminal only."""

    def line(self, text: str) -> None:
        location, colon, rest = text.partition(": ")
        if colon and location.count(":") == 2 and not text.startswith("::"):
            text = click.style(location + ":", bold=True) + " " + rest
        click.echo(text)

    def note(self, text: str) -> None:
        click.echo(text, err=True)

    def error(self, text: str) -> None:
        click.echo(click.style("error: ", fg="red", bold=True) + text, err=True)


def run_hook(root: Path, only: str | None, lang: str | None) -> int:
    """Lint what the agent is about to write; exit 2 with a message for the model if bad.

    Everything that is not a finding (a broken payload, a broken configuration, running out
    of time) warns with exit 1, and the agent goes ahead: an agent is never blocked by
    something it cannot fix by writing other text. No traceback reaches the agent.
    """
    with _deadline(_hook_seconds(os.environ)):
        try:
            return _run_hook(root, only, lang)
        except (RecursionError, MemoryError) as error:  # hostile content, deep or huge
            reason = "nested too deeply" if isinstance(error, RecursionError) else "too large"
            click.echo(
                f"rulesync lint --hook: the text is {reason} to lint; {_GOES_AHEAD}", err=True
            )
            return HOOK_WARN


_GOES_AHEAD = "the write goes ahead unlinted"


def _run_hook(root: Path, only: str | None, lang: str | None) -> int:
    from rulesync.linting import agent_hook
    from rulesync.linting.lint_config import load_lint_settings
    from rulesync.linting.lint_run import NothingToLint, identity_names, rules_from_config

    context = agent_hook.ContextReader(shown=lambda path: _shown(root, path))
    try:
        writes = agent_hook.planned_writes(agent_hook.parse_payload(_read_stdin()), context)
    except agent_hook.HookPayloadError as error:
        click.echo(f"rulesync lint --hook: {error}; {_GOES_AHEAD}", err=True)
        return HOOK_WARN
    writes = [w for w in writes if _lintable(w.path)]
    if not writes:
        return HOOK_ALLOW
    try:
        config = load_lint_settings(root)
        rules = rules_from_config(config, only, lang)
    except NothingToLint:
        return HOOK_ALLOW
    except ConfigError as error:  # never block an agent for our own configuration
        click.echo(f"rulesync lint --hook: {error}", err=True)
        return HOOK_WARN
    findings = _hook_findings(root, writes, rules)
    notes = context.notes
    if not findings:
        for note in notes:
            click.echo(f"rulesync lint --hook: {note}", err=True)
        return HOOK_ALLOW
    message = agent_hook.block_message(findings, identity_names(config))
    click.echo("\n".join([message, *notes]), err=True)
    return HOOK_BLOCK


def _hook_findings(
    root: Path, writes: Sequence[PlannedWrite], rules: Sequence[Rule]
) -> list[Finding]:
    from lints.engine import kind_for, lint_text
    from rulesync.linting.agent_hook import lintable_text, new_findings

    findings: list[Finding] = []
    for write in writes:
        shown = _shown(root, write.path)
        found = lint_text(shown, lintable_text(write.text), rules, kind_for(write.path))
        findings += new_findings(write, found)
    return findings


def _read_stdin() -> str:
    """The payload, at most MAX_PAYLOAD_BYTES; more raises HookPayloadError (after draining
    the rest, so the agent writing it gets no broken pipe)."""
    from rulesync.linting.agent_hook import MAX_PAYLOAD_BYTES, MIB, HookPayloadError

    stream = sys.stdin
    if stream is None:  # started with stdin closed
        return ""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        text: str = stream.read(MAX_PAYLOAD_BYTES + 1)
        data = text.encode("utf-8", errors="surrogatepass")
    else:
        data = buffer.read(MAX_PAYLOAD_BYTES + 1)
    if len(data) > MAX_PAYLOAD_BYTES:
        _drain(buffer or stream)
        limit = MAX_PAYLOAD_BYTES // MIB
        raise HookPayloadError(f"stdin holds more than {limit} MiB, more than a tool call")
    return data.decode("utf-8", errors="replace")


def _drain(stream: Any) -> None:
    while stream.read(1 << 20):
        pass


#: Seconds the hook may take before it gives up and lets the write through. The agent is
#: waiting; it gives up on a hook itself after 60 s (Gemini CLI 0.61) or 600 s (Claude Code
#: 2.1.197) by default.
HOOK_SECONDS = 10.0
HOOK_SECONDS_VARIABLE = "RULESYNC_HOOK_TIMEOUT"


def _hook_seconds(environ: Mapping[str, str]) -> float:
    """HOOK_SECONDS, or RULESYNC_HOOK_TIMEOUT when it is a number of seconds in (0, 3600]."""
    try:
        seconds = float(environ.get(HOOK_SECONDS_VARIABLE, HOOK_SECONDS))
    except ValueError:
        return HOOK_SECONDS
    return seconds if 0 < seconds <= 3600 else HOOK_SECONDS


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Exit 1 with a warning when the block takes longer than `seconds` (POSIX, main thread).

    The alarm's handler runs between Python steps (a long regex search in C finishes
    first); it writes straight to stderr and leaves at once: the hook writes no file, so
    nothing can be left half-done.
    """
    import signal
    import threading

    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    message = f"rulesync lint --hook: gave up after {seconds:g} s; {_GOES_AHEAD}\n".encode()

    def give_up(signum: int, frame: object) -> None:
        os.write(2, message)
        os._exit(HOOK_WARN)

    previous = signal.signal(signal.SIGALRM, give_up)
    earlier = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *earlier)


def _lintable(path: str) -> bool:
    from lints.engine import is_lintable

    return is_lintable(path)


def _shown(root: Path, path: str) -> str:
    """`path` relative to the project when it names a file in it; never raises.

    The name is kept as the agent gave it (a link is not replaced by its target); only the
    folder is resolved, for a project reached through a link (/tmp on macOS).
    """
    named = os.path.abspath(path)
    try:
        folder = os.path.realpath(os.path.dirname(named))
    except ValueError:  # a NUL in the path
        folder = os.path.dirname(named)
    for candidate in (named, os.path.join(folder, os.path.basename(named))):
        if candidate.startswith(str(root) + os.sep):
            return os.path.relpath(candidate, root)
    return path
