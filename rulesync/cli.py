"""The `rulesync` command line: global options, lazy subcommands, exit codes.

Subcommands live in `rulesync/commands/<name>.py` and are imported only when run, so
`rulesync --version` and a pre-commit lint run pay almost nothing for start-up.
"""

from __future__ import annotations

import sys

from rulesync import __version__

TYPE_CHECKING = False  # not from typing: every hook and status refresh starts here
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

#: name -> (module, attribute, one-line help). Adding a command is one line here plus its module.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "mirror": ("rulesync.commands.mirror", "mirror", "Render the source into every agent's files."),
    "check": ("rulesync.commands.check", "check", "Report drift between the source and the disk."),
    "lint": ("rulesync.commands.lint", "lint", "Run the identity and umlaut prose lints."),
    "dispatch": (
        "rulesync.commands.dispatch",
        "dispatch",
        "Run a vendor CLI with the rules in place.",
    ),
    "runs": ("rulesync.commands.runs", "runs", "List past dispatch runs from the run log."),
    "status": (
        "rulesync.commands.status",
        "status",
        "One status line: provider limits, quota errors, drift.",
    ),
    "init": ("rulesync.commands.init", "init", "Create rulesync.yaml and an empty source tree."),
    "import": ("rulesync.commands.import_", "import_", "Build the source from an existing setup."),
    "memory": ("rulesync.commands.memory", "memory", "Shared memory for every agent: add, search…"),
    "sources": (
        "rulesync.commands.sources",
        "sources",
        "Rule packs pinned from git: update, list…",
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # the fast path: no click import at all
        print(f"rulesync {__version__}")
        return 0
    try:
        if args[:1] == ["status"]:  # a status bar runs it on every refresh: skip click
            from rulesync.status.main import main as status_main

            return status_main(args[1:])
        if args[:1] == ["lint"]:  # pre-commit pays start-up once per batch: skip click
            code = _lint_without_click(args[1:])
            if code is not None:
                if argv is None:  # its own process: the teardown is a tenth of a one-file run
                    _end_process(code)
                return code
        if args[:2] == ["memory", "search"]:  # agents search often: skip click
            from rulesync.memory.quick import search

            code = search(args[2:])
            if code is not None:
                if argv is None:  # its own process: end it without the teardown
                    _end_process(code)
                return code
        if "check" in args[:3]:  # CI and pre-commit run the plain form: skip click
            from rulesync.commands.check_quick import main as check_main

            code = check_main(args)
            if code is not None:
                return code
        code = _dispatch_without_click(args)
        if code is not None:
            return code
        code = _memory_hooks_without_click(args)
        if code is not None:
            if argv is None:  # an agent's hook process: end it without the teardown
                _end_process(code)
            return code
        from rulesync._cli_group import run

        return run(args)
    except KeyboardInterrupt:
        from rulesync.errors import EXIT_INTERRUPTED

        print("rulesync: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _dispatch_without_click(args: list[str]) -> int | None:
    """`[-C DIR] dispatch …` in its plain forms: an orchestrator dispatches often, and click
    is a third of dispatch's cost before the vendor starts. None: click parses these args."""
    if "dispatch" not in args[:3]:
        return None
    from rulesync.dispatch.quick import main as dispatch_main

    return run_mapped(lambda: dispatch_main(args))


def run_mapped(command: Callable[[], int | None]) -> int | None:
    """Run a fast path (a command without click) with its errors reported and mapped to
    exit codes exactly as the click group maps them; click is imported only on an error."""
    try:
        return command()
    except Exception as error:
        from rulesync._cli_group import exit_code_for

        code = exit_code_for(error)
        if code is None:
            raise
        return code


def _memory_hooks_without_click(args: list[str]) -> int | None:
    """`[-C DIR] memory hook` and `[-C DIR] memory brief …`: they run on every write and
    at every session start. None for anything else (click handles it, with the same output)."""
    root = None
    if args[:1] == ["-C"] and len(args) > 1:
        root, args = args[1], args[2:]
    if args[:2] == ["memory", "hook"] and len(args) == 2:
        from rulesync.memory.hook import main as hook_main

        return hook_main(sys.stdin.buffer, root)  # a str: pathlib only for a memory file
    if args[:2] == ["memory", "brief"]:
        from rulesync.memory.quick import brief

        return brief(args[2:], root)
    return None


def _end_process(code: int) -> None:
    """Exit at once, skipping the interpreter's teardown (freeing every module: about 3 ms
    of a post-write hook that has 30). `memory search`, `memory hook` and `memory brief`
    have closed their files, lock and index connection by now; only the standard streams
    need flushing."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 - contextlib is one more import for the console script
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


def _lint_without_click(args: list[str]) -> int | None:
    """The plain `rulesync lint [--only R] [--format F] [--lang L] PATHS…` of a pre-commit hook.

    None for anything else; the click command then handles it, with the same output.
    """
    import os

    from rulesync.linting.lint_run import fast_main

    interactive = sys.stdout.isatty() or sys.stderr.isatty()
    return fast_main(args, os.environ, cwd=os.getcwd(), interactive=interactive)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
