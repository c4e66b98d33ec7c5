"""`rulesync status` through click, for `rulesync -C DIR status …` and the command list.

The plain `rulesync status …` skips click (rulesync.cli); both run rulesync.status.main.
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command(
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def status(root: Path, args: tuple[str, ...]) -> int:
    """Provider limits, quota errors and drift in one line (see `rulesync status --help`)."""
    from rulesync.status.main import main

    return main(args, root=str(root))
