"""`rulesync [-C DIR] dispatch …` without click: its plain forms, parsed by hand.

An orchestrator dispatches often, and click's import is a third of what a dispatch costs
before the vendor starts. Every option of the command is understood here in its usual
spellings (`--to T`, `--to=T`, `-m M`); anything else (help, an unknown option, a value
click would refuse, a missing prompt) returns None, and the click command handles it with
its own message.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

from rulesync.dispatch.command import Options

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from typing import Any, NoReturn

VALUES = {
    "--to": "to",
    "--role": "role",
    "--fallback": "fallback",
    "--model": "model",
    "-m": "model",
    "--timeout": "timeout",
}
FLAGS = {
    "--trust": "trust",
    "--no-sync": "no_sync",
    "--json": "as_json",
    "--log-prompt": "log_prompt",
    "--ignore-limits": "ignore_limits",
    "--explain": "explain",
    "--no-brief": "no_brief",
}


def parse(args: Sequence[str]) -> tuple[str | None, Options] | None:
    """(the -C folder or None, the options) for `[-C DIR] dispatch …`; None to leave it to click."""
    directory = None
    if args[:1] == ["-C"] and len(args) > 1:
        directory, args = args[1], args[2:]
    if args[:1] != ["dispatch"]:
        return None
    options = _options(list(args[1:]))
    if options is None or not (options.prompt or options.explain):
        return None
    return directory, options


def _options(words: list[str]) -> Options | None:
    values: dict[str, Any] = {}
    prompt: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            prompt.extend(words[index:])
            break
        if word == "-" or not word.startswith("-"):
            prompt.append(word)
            continue
        name, has_value, value = word.partition("=")
        if name in FLAGS and not has_value:
            values[FLAGS[name]] = True
            continue
        if name not in VALUES or (has_value and not name.startswith("--")):
            return None  # --help, an unknown option, `-m=M`: click's to answer
        if not has_value:
            if index == len(words):
                return None
            value, index = words[index], index + 1
        typed = _timeout(value) if name == "--timeout" else value
        if typed is None:
            return None
        values[VALUES[name]] = typed
    return Options(**values, prompt=tuple(prompt))


def _timeout(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 < seconds < math.inf else None


def main(args: Sequence[str]) -> int | None:
    """Run the dispatch, or None when click must parse these arguments."""
    parsed = parse(args)
    if parsed is None:
        return None
    directory, options = parsed
    root = os.path.realpath(directory if directory is not None else os.getcwd())
    if not os.path.isdir(root):
        return None  # click names the bad -C folder
    from pathlib import Path

    from rulesync.dispatch.command import run

    return run(Path(root), options, missing_prompt=_unreachable)


def _unreachable() -> NoReturn:
    raise AssertionError("parse() leaves a dispatch without a prompt to click")
