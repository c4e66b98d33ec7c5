"""`rulesync lint`: the identity and umlaut prose lints, for people, CI, pre-commit and agents."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rulesync.errors import ConfigError
from rulesync.lint_report import FORMATS
from rulesync.lint_run import LANGS, RULE_NAMES, default_format

if TYPE_CHECKING:
    from lints.finding import Finding
    from lints.registry import Rule
    from rulesync.agent_hook import PlannedWrite

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
    from rulesync.lint_run import execute

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
    """Lint what the agent is about to write; exit 2 with a message for the model if bad."""
    from rulesync import agent_hook
    from rulesync.config import load_config
    from rulesync.lint_run import NothingToLint, identity_names, rules_from_config

    raw = _read_stdin()
    try:
        writes = agent_hook.planned_writes(agent_hook.parse_payload(raw), _read_or_none)
    except agent_hook.HookPayloadError as error:
        click.echo(f"rulesync lint --hook: {error}", err=True)
        return HOOK_WARN
    writes = [w for w in writes if _lintable(w.path)]
    if not writes:
        return HOOK_ALLOW
    try:
        config = load_config(root, required=False)
        rules = rules_from_config(config, only, lang)
    except NothingToLint:
        return HOOK_ALLOW
    except ConfigError as error:  # never block an agent for our own configuration
        click.echo(f"rulesync lint --hook: {error}", err=True)
        return HOOK_WARN
    findings = _hook_findings(root, writes, rules)
    if not findings:
        return HOOK_ALLOW
    click.echo(agent_hook.block_message(findings, identity_names(config)), err=True)
    return HOOK_BLOCK


def _hook_findings(
    root: Path, writes: Sequence[PlannedWrite], rules: Sequence[Rule]
) -> list[Finding]:
    from lints.engine import kind_for, lint_text
    from rulesync.agent_hook import new_findings

    findings: list[Finding] = []
    for write in writes:
        shown = _shown(root, write.path)
        found = lint_text(shown, write.text, rules, kind_for(write.path))
        findings += new_findings(write, found)
    return findings


def _read_stdin() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    data: bytes = buffer.read()
    return data.decode("utf-8", errors="replace")


def _lintable(path: str) -> bool:
    from lints.engine import is_lintable

    return is_lintable(path)


def _read_or_none(path: str) -> str | None:
    from lints.engine import read_source
    from lints.errors import UnreadableFileError

    try:
        return read_source(path).text
    except UnreadableFileError:
        return None


def _shown(root: Path, path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return path
