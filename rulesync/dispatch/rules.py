"""The rules in place before a vendor runs.

Agents with a context file (claude, gemini, codex) read it from the project root, so their
mirrored files are brought up to date first (or, with --no-sync, checked and refused when
stale). Agents without one (ollama, llm) get the rendered rules as text for the prompt.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rulesync.dispatch.classes import EXIT_RULES_NOT_IN_PLACE
from rulesync.errors import Problem, RulesyncError
from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from rulesync.dispatch.vendors.base import Adapter
    from rulesync.source.config import Config


class RulesNotInPlace(RulesyncError):
    """The target's mirrored files are stale (with --no-sync) or were edited by hand."""

    exit_code = EXIT_RULES_NOT_IN_PLACE


class Rules(Frozen):
    __slots__ = ("notes", "text")
    notes: tuple[str, ...]
    text: str | None  # the rules for agents that have no context file

    def __init__(
        self,
        notes: tuple[str, ...] = (),
        text: str | None = None,
    ) -> None:
        self._set(notes=notes, text=text)


def prepare_rules(
    config: Config, adapter: Adapter, *, sync: bool, environ: Mapping[str, str] | None = None
) -> Rules:
    """With `environ`, the status memo may answer that every mirrored file is in place
    (rulesync.status.drift.known_in_sync), which spares the plan."""
    if not config.exists:
        return Rules((f"no rulesync.yaml in {config.root}; dispatching without project rules",))
    if not adapter.context_file:
        return Rules(text=_rules_text(config.root))
    if adapter.name not in config.targets:
        note = f"{adapter.name} is not in the targets of rulesync.yaml; its rules are not mirrored"
        return Rules((note,))
    if environ is not None and _known_in_sync(config.root, environ):
        return Rules()
    return Rules(_synchronise(config.root, adapter.name, sync=sync))


def _known_in_sync(root: Path, environ: Mapping[str, str]) -> bool:
    from rulesync.status.drift import known_in_sync
    from rulesync.status.memo import Memo

    return known_in_sync(str(root), Memo(environ))


def _synchronise(root: Path, target: str, *, sync: bool) -> tuple[str, ...]:
    from rulesync import api
    from rulesync.terminal_text import printable

    result = api.sync_target(root, target, write=sync)
    if result.conflicts:  # the message quotes the edited files: a diff of their content
        message = printable(result.message.rstrip("\n"), multiline=True)
        raise RulesNotInPlace([Problem(target, message)])
    if not result.changed:
        return ()
    if not sync:
        files = printable(", ".join(result.changed))
        raise RulesNotInPlace(
            [
                Problem(
                    target,
                    f"the mirrored rules are stale ({files}); not dispatching with --no-sync",
                    fix="run `rulesync mirror`, or dispatch without --no-sync",
                )
            ]
        )
    return (result.message,)


def _rules_text(root: Path) -> str | None:
    from rulesync import api

    return api.rules_text(root) or None
