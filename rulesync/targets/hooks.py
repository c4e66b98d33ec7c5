"""Agent hooks merged into each agent's settings.json (never clobbered): the lint gate, the
Claude status line and the shared memory's hooks (rulesync/memory/settings.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

from rulesync.errors import ConfigError, Problem
from rulesync.render.outputs import Output
from rulesync.targets.base import RenderContext

Merge = Callable[[dict[str, Any]], "dict[str, Any] | None"]
Remove = Callable[[dict[str, Any]], dict[str, Any]]

#: how the lock names a hook rulesync wrote: `hook.lint`, `hook.claude.status_line`, …
NAME_PREFIX = "hook."


def claude_settings(ctx: RenderContext) -> Iterator[Output]:
    """The lint hook, the status line (`claude: status_line: true`) and the memory hooks
    (`memory: hooks: true`), whichever are on, in one merge."""
    from rulesync.render import hook_settings

    config = ctx.project.config
    options = config.options_for("claude")
    merges: list[tuple[str, Merge]] = []
    if options.get("hooks", True) and lint_enabled(config.lint):
        merges.append(("lint", hook_settings.merge_claude_hook))
    if options.get("status_line", False) is True:
        merges.append(("claude.status_line", hook_settings.merge_claude_status_line))
    merges += _memory_merges(ctx, "claude")
    path = ".claude/settings.json"
    yield from _combined(path, "claude", merges, _removals(ctx, path, "claude", merges))


def gemini_settings(ctx: RenderContext) -> Iterator[Output]:
    from rulesync.render import hook_settings

    config = ctx.project.config
    merges: list[tuple[str, Merge]] = []
    lint_on = config.options_for("gemini").get("hooks", True) and lint_enabled(config.lint)
    if lint_on and hook_settings.merge_gemini_hook({}) is not None:  # None: cannot block
        merges.append(("lint", hook_settings.merge_gemini_hook))
    merges += _memory_merges(ctx, "gemini")
    path = ".gemini/settings.json"
    yield from _combined(path, "gemini", merges, _removals(ctx, path, "gemini", merges))


def lint_enabled(lint: dict[str, Any]) -> bool:
    identity = lint.get("identity")
    has_names = isinstance(identity, dict) and bool(identity.get("names"))
    return has_names or lint.get("umlaut") not in (None, False)


def _memory_merges(ctx: RenderContext, target: str) -> list[tuple[str, Merge]]:
    """The memory's session-start and post-write hooks, with `memory: {hooks: true}`
    (and not `TARGET: {hooks: false}`)."""
    config = ctx.project.config
    if not config.memory_hooks or not config.options_for(target).get("hooks", True):
        return []
    from rulesync.memory import settings

    merge = settings.merge_claude_memory if target == "claude" else settings.merge_gemini_memory
    return [("memory.hooks", merge)]


def _removals(
    ctx: RenderContext, path: str, target: str, merges: list[tuple[str, Merge]]
) -> list[Remove]:
    """Steps that take out the hooks the last mirror wrote into `path` (the lock names them)
    and that are turned off now. None when the file is gone: a removal never creates one."""
    wanted = {name for name, _merge in merges}
    written = [
        n[len(NAME_PREFIX) :] for n in ctx.written.get(path, ()) if n.startswith(NAME_PREFIX)
    ]
    gone = [name for name in written if name not in wanted]
    if not gone or not os.path.lexists(ctx.project.config.root / path):
        return []
    return [step for name in gone if (step := _remover(name, target)) is not None]


def _remover(name: str, target: str) -> Remove | None:
    """How to take out the entry the lock calls `hook.NAME`; None for a name we don't know."""
    from rulesync.render import hook_settings

    if name == "lint":
        return lambda settings: hook_settings.remove_hooks(settings, hook_settings.is_our_hook)
    if name == "claude.status_line" and target == "claude":
        return hook_settings.remove_claude_status_line
    if name == "memory.hooks":
        return lambda settings: hook_settings.remove_hooks(settings, _is_memory_hook)
    return None


def _is_memory_hook(hook: object) -> bool:
    from rulesync.memory.settings import is_any_memory_hook

    return is_any_memory_hook(hook)


def _combined(
    path: str, target: str, merges: list[tuple[str, Merge]], removals: list[Remove]
) -> Iterator[Output]:
    if not merges and not removals:
        return

    def merge(settings: dict[str, Any]) -> dict[str, Any] | None:
        for remove in removals:
            settings = remove(settings)
        for _name, step in merges:
            settings = step(settings) or settings
        return settings

    source = "rulesync.yaml " + (", ".join(name for name, _merge in merges) or "hooks")
    names = tuple(NAME_PREFIX + name for name, _merge in merges)
    merger = _merger(path, merge)
    yield Output(path, b"", source, (target,), mode="merged", merge=merger, names=names)


def _merger(path: str, merge: Merge) -> Callable[[bytes | None], bytes]:
    def apply(current: bytes | None) -> bytes:
        settings = _parse(path, current)
        merged = merge(settings)
        if merged is None or (merged == settings and current is not None):
            return current if current is not None else b""
        return (json.dumps(merged, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    return apply


def _parse(path: str, current: bytes | None) -> dict[str, Any]:
    if current is None or not current.strip():
        return {}
    try:
        settings = json.loads(current.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise ConfigError(
            [
                Problem(
                    path,
                    f"is not valid JSON ({error})",
                    line,
                    "fix the JSON; rulesync only adds its hook to it",
                )
            ]
        ) from None
    if not isinstance(settings, dict):
        raise ConfigError([Problem(path, "must hold a JSON object", 1, "fix the file")])
    return settings
