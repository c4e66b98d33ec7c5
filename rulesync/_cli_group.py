"""The click group behind `rulesync`, with subcommands loaded on first use."""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from pathlib import Path

import click

from rulesync import __version__
from rulesync.cli import COMMANDS
from rulesync.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Problem, RulesyncError


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when invoked (or listed in --help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute, _help = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=(
        "Exit codes: 0 ok, 1 findings (drift, lint problems, failed dispatch), "
        "2 usage or config error, 130 interrupted. "
        "See `rulesync dispatch --help` for dispatch's own codes."
    ),
)
@click.version_option(
    __version__, "--version", prog_name="rulesync", message="%(prog)s %(version)s"
)
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Act as if rulesync was started in DIR (the project root).",
    metavar="DIR",
)
@click.pass_context
def cli(ctx: click.Context, directory: Path | None) -> None:
    """Keep CLAUDE.md, GEMINI.md, AGENTS.md and each agent's commands, skills and
    subagents in sync with one canonical source in `.rulesync/`.

    rulesync works on the project in the current directory (or -C DIR).
    """
    root = (directory or Path.cwd()).resolve()
    if not root.is_dir():
        raise click.UsageError(f"-C {directory}: no such directory")
    ctx.obj = root


def run(args: Sequence[str]) -> int:
    """Run the group without click's own sys.exit, mapping every outcome to an exit code."""
    try:
        result = cli.main(args=list(args), prog_name="rulesync", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("rulesync: interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except Exception as error:
        code = exit_code_for(error)
        if code is None:
            raise
        return code
    return result if isinstance(result, int) else EXIT_OK


def exit_code_for(error: Exception) -> int | None:
    """Report an error a command let through and give its exit code; None: not ours to map.

    Also used by the fast paths that run a command without click (rulesync.dispatch.quick).
    """
    if isinstance(error, RulesyncError):
        report_error(error)
        return error.exit_code
    if isinstance(error, BrokenPipeError):
        _silence_broken_pipe()
        return EXIT_OK
    if isinstance(error, OSError):
        # A last line: each command reports the OS errors it expects with its own fix; any
        # other one (a file swapped under us) still names the file, never a traceback.
        report_error(RulesyncError([_os_error_problem(error)]))
        return EXIT_USAGE
    if isinstance(error, RecursionError):
        problem = Problem("rulesync", "an input is nested too deeply", fix=DEPTH_FIX)
        report_error(RulesyncError([problem]))
        return EXIT_USAGE
    if isinstance(error, RuntimeError) and "Symlink loop" in str(error):
        # pathlib's loop error before Python 3.13
        report_error(RulesyncError([Problem("rulesync", str(error), fix=LOOP_FIX)]))
        return EXIT_USAGE
    return None


LOOP_FIX = "remove the symlink that points back at itself, then run rulesync again"
DEPTH_FIX = "look for a damaged file (the lock, a settings file) and restore it from git"


def _os_error_problem(error: OSError) -> Problem:
    name = str(error.filename) if error.filename is not None else "rulesync"
    return Problem(name, error.strerror or str(error), fix="fix the cause, then run rulesync again")


def report_error(error: RulesyncError) -> None:
    from rulesync.terminal_text import printable

    # Messages quote paths, lock entries and YAML text: all of it may come from a hostile file.
    for problem in error.problems:
        text = printable(str(problem), multiline=True)
        click.echo(click.style("error: ", fg="red", bold=True) + text, err=True)
    if len(error.problems) > 1:
        click.echo(f"{len(error.problems)} errors; nothing was written.", err=True)


def _silence_broken_pipe() -> None:
    # Output piped into `head` closed early: not an error, and no traceback at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)


__all__ = ["EXIT_USAGE", "cli", "exit_code_for", "run"]
