"""Run ids: made here, handed to the vendor as its parent id, and checked when they come back.

`RULESYNC_PARENT_RUN_ID` is read from the environment, which a dispatched agent (or whatever
started rulesync) controls. Only a value shaped like our own run ids is kept; anything else is
ignored with a warning, so a bad link never stops the work it would only have annotated.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

PARENT_ENV = "RULESYNC_PARENT_RUN_ID"
RUN_ID_BYTES = 8
RUN_ID_SHAPE = f"{2 * RUN_ID_BYTES} lowercase hex digits"
_HEX_DIGITS = frozenset("0123456789abcdef")
SHOWN_CHARS = 40  # how much of a rejected value the warning quotes


def new_run_id() -> str:
    return os.urandom(RUN_ID_BYTES).hex()


def is_run_id(value: str) -> bool:
    return len(value) == 2 * RUN_ID_BYTES and _HEX_DIGITS.issuperset(value)


def parent_run_id(environ: Mapping[str, str], warn: Callable[[str], None]) -> str | None:
    """The parent run id from `environ`, or None when unset, empty or not a run id."""
    value = environ.get(PARENT_ENV)
    if not value:
        return None
    if is_run_id(value):
        return value
    warn(
        f"warning: ignoring {PARENT_ENV}={_quoted(value)}: a run id is {RUN_ID_SHAPE}; "
        "this run is logged without a parent"
    )
    return None


def _quoted(value: str) -> str:
    from rulesync.terminal_text import printable

    shown = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
    return f"'{printable(shown)}'" + (f" ({len(value)} characters)" if shown != value else "")
