"""The lint gate as an agent hook, merged into each agent's settings.json (never clobbered)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from rulesync.errors import ConfigError, Problem
from rulesync.render.outputs import Output
from rulesync.targets.base import RenderContext

Merge = Callable[[dict[str, Any]], "dict[str, Any] | None"]


def claude_settings(ctx: RenderContext) -> Iterator[Output]:
    """The lint hook, and with `claude: status_line: true` the status line, in one merge."""
    options = ctx.project.config.options_for("claude")
    if options.get("status_line", False) is not True:
        yield from _settings(ctx, "claude", ".claude/settings.json", "merge_claude_hook")
        return
    from rulesync.render import hook_settings

    path = ".claude/settings.json"
    hook = options.get("hooks", True) and lint_enabled(ctx.project.config.lint)

    def merge(settings: dict[str, Any]) -> dict[str, Any]:
        merged = hook_settings.merge_claude_hook(settings) if hook else settings
        return hook_settings.merge_claude_status_line(merged)

    source = (
        "rulesync.yaml lint, claude.status_line" if hook else "rulesync.yaml claude.status_line"
    )
    yield Output(path, b"", source, ("claude",), mode="merged", merge=_merger(path, merge))


def gemini_settings(ctx: RenderContext) -> Iterator[Output]:
    yield from _settings(ctx, "gemini", ".gemini/settings.json", "merge_gemini_hook")


def lint_enabled(lint: dict[str, Any]) -> bool:
    identity = lint.get("identity")
    has_names = isinstance(identity, dict) and bool(identity.get("names"))
    return has_names or lint.get("umlaut") not in (None, False)


def _settings(ctx: RenderContext, target: str, path: str, merge_name: str) -> Iterator[Output]:
    config = ctx.project.config
    if not config.options_for(target).get("hooks", True) or not lint_enabled(config.lint):
        return
    from rulesync.render import hook_settings

    merge: Merge = getattr(hook_settings, merge_name)
    if merge({}) is None:  # this agent cannot block a tool call: nothing to install
        return
    yield Output(
        path, b"", "rulesync.yaml lint", (target,), mode="merged", merge=_merger(path, merge)
    )


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
