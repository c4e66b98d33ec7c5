"""Agent hooks merged into each agent's settings.json (never clobbered): the lint gate, the
Claude status line and the shared memory's hooks (rulesync/memory/settings.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from rulesync.errors import ConfigError, Problem
from rulesync.render.outputs import Output
from rulesync.targets.base import RenderContext

Merge = Callable[[dict[str, Any]], "dict[str, Any] | None"]


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
    yield from _combined(".claude/settings.json", "claude", merges)


def gemini_settings(ctx: RenderContext) -> Iterator[Output]:
    from rulesync.render import hook_settings

    config = ctx.project.config
    merges: list[tuple[str, Merge]] = []
    lint_on = config.options_for("gemini").get("hooks", True) and lint_enabled(config.lint)
    if lint_on and hook_settings.merge_gemini_hook({}) is not None:  # None: cannot block
        merges.append(("lint", hook_settings.merge_gemini_hook))
    merges += _memory_merges(ctx, "gemini")
    yield from _combined(".gemini/settings.json", "gemini", merges)


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


def _combined(path: str, target: str, merges: list[tuple[str, Merge]]) -> Iterator[Output]:
    if not merges:
        return

    def merge(settings: dict[str, Any]) -> dict[str, Any] | None:
        for _name, step in merges:
            settings = step(settings) or settings
        return settings

    source = "rulesync.yaml " + ", ".join(name for name, _merge in merges)
    yield Output(path, b"", source, (target,), mode="merged", merge=_merger(path, merge))


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
