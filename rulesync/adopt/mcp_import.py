"""MCP servers in an agent's own config, read back into an `mcp:` block of rulesync.yaml.

The inverse of rulesync/targets/mcp.py. Every server read is checked by the very parser mirror
uses (rulesync.source.mcp_config), so a literal secret in the agent's file stops the import: it is
never copied into the source. What the source cannot say (Gemini's `trust`, OAuth settings,
Codex's `startup_timeout_sec` …) is dropped with a warning naming the server.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from rulesync.errors import Problem

from .base import ImportContext

PATHS = {"claude": ".mcp.json", "gemini": ".gemini/settings.json", "codex": ".codex/config.toml"}
#: Gemini expands `$NAME` as well as `${NAME}`: the source only knows the braced form.
_BARE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

Source = dict[str, dict[str, Any]]


def read_servers(ctx: ImportContext, agent: str) -> Source:
    """The agent's servers as source entries; problems and warnings go to `ctx`."""
    path = PATHS.get(agent)
    content = _read(ctx, path) if path is not None else None
    if path is None or content is None:
        return {}
    servers = _servers(ctx, agent, path, content)
    if not servers:
        return {}
    convert = CONVERTERS[agent]
    found: Source = {}
    for name, entry in servers.items():
        if not isinstance(entry, Mapping):
            ctx.warn(path, f"MCP server `{name}` is not a table or object; not imported")
            continue
        converted = convert(entry, _dropper(ctx, path, str(name)))
        if converted is not None:
            found[str(name)] = converted
    _check(ctx, agent, path, found)
    return found


def _read(ctx: ImportContext, path: str) -> bytes | None:
    """The agent's file, never through a symlink (it may lead out of the project)."""
    from rulesync.sync.safety import NotAFile, read_regular

    try:
        found = read_regular(ctx.root / path)
    except OSError as error:
        ctx.warn(path, f"could not be read ({error.strerror}); its MCP servers were not imported")
        return None
    if isinstance(found, NotAFile):
        ctx.warn(path, f"{found.reason}; its MCP servers were not imported")
        return None
    return found


def yaml_block(servers: Source) -> bytes:
    """`mcp:` and its servers, to append to a new rulesync.yaml."""
    import yaml

    text = yaml.safe_dump(
        {"mcp": servers}, sort_keys=False, default_flow_style=False, allow_unicode=True
    )
    return ("\n# MCP servers, imported; see docs/mirror.md\n" + text).encode("utf-8")


def _servers(ctx: ImportContext, agent: str, path: str, content: bytes) -> Mapping[str, Any]:
    try:
        text = content.decode("utf-8-sig")
        data = _parse_toml(text) if agent == "codex" else json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        ctx.warn(path, f"could not be read ({error}); its MCP servers were not imported")
        return {}
    key = "mcp_servers" if agent == "codex" else "mcpServers"
    servers = data.get(key) if isinstance(data, dict) else None
    return servers if isinstance(servers, Mapping) else {}


def _parse_toml(text: str) -> dict[str, Any]:
    import tomlkit

    try:
        parsed: dict[str, Any] = tomlkit.parse(text).unwrap()
    except Exception as error:  # tomlkit raises several unrelated types for bad input
        raise ValueError(str(error)) from None
    return parsed


Drop = Callable[[str], None]


def _dropper(ctx: ImportContext, path: str, name: str) -> Drop:
    def drop(key: str) -> None:
        ctx.warn(path, f"MCP server `{name}`: `{key}` has no place in the source; not imported")

    return drop


def _from_claude(entry: Mapping[str, Any], drop: Drop) -> dict[str, Any] | None:
    known = ("type", "command", "args", "env", "url", "headers")
    for key in entry:
        if key not in known:
            drop(key)
    kind = entry.get("type") or ("stdio" if "command" in entry else "http")
    server: dict[str, Any] = {} if kind == "stdio" else {"type": kind}
    _copy(server, entry, ("command", "args", "env", "url", "headers"))
    return server


def _from_gemini(entry: Mapping[str, Any], drop: Drop) -> dict[str, Any] | None:
    known = ("command", "args", "env", "cwd", "url", "httpUrl", "type", "headers", "timeout")
    for key in entry:
        if key not in (*known, "includeTools", "excludeTools"):
            drop(key)
    server: dict[str, Any] = {}
    if "httpUrl" in entry:
        server.update(type="http", url=entry["httpUrl"])
    elif "url" in entry:
        # Gemini tries streamable HTTP for a `url` without `type` (then SSE on a 404)
        server.update(type=entry.get("type") or "http", url=entry["url"])
    _copy(server, entry, ("command", "args", "env", "cwd", "headers"))
    if isinstance(entry.get("timeout"), (int, float)) and entry["timeout"] > 0:
        server["timeout"] = max(1, math.ceil(entry["timeout"] / 1000))
    _tools(server, entry.get("includeTools"), entry.get("excludeTools"))
    braced: dict[str, Any] = _braced(server)
    return braced


_CODEX_KEYS = (
    *("command", "args", "env", "env_vars", "cwd", "url", "enabled", "tool_timeout_sec"),
    *("bearer_token_env_var", "http_headers", "env_http_headers"),
    *("enabled_tools", "disabled_tools"),
)


def _from_codex(entry: Mapping[str, Any], drop: Drop) -> dict[str, Any] | None:
    for key in entry:
        if key not in _CODEX_KEYS:
            drop(key)
    if entry.get("enabled") is False:
        drop("enabled = false (the server is off)")
        return None
    server: dict[str, Any] = {"type": "http"} if "url" in entry else {}
    _copy(server, entry, ("command", "args", "cwd", "url"))
    env = dict(entry.get("env") or {})
    env.update({str(n): f"${{{n}}}" for n in entry.get("env_vars") or ()})
    headers = dict(entry.get("http_headers") or {})
    headers.update({str(k): f"${{{v}}}" for k, v in (entry.get("env_http_headers") or {}).items()})
    if entry.get("bearer_token_env_var"):
        headers["Authorization"] = f"Bearer ${{{entry['bearer_token_env_var']}}}"
    for key, value in (("env", env), ("headers", headers)):
        if value:
            server[key] = value
    timeout = entry.get("tool_timeout_sec")
    if isinstance(timeout, (int, float)) and timeout > 0:
        server["timeout"] = max(1, math.ceil(timeout))
    _tools(server, entry.get("enabled_tools"), entry.get("disabled_tools"))
    return server


CONVERTERS: dict[str, Callable[[Mapping[str, Any], Drop], dict[str, Any] | None]] = {
    "claude": _from_claude,
    "gemini": _from_gemini,
    "codex": _from_codex,
}


def _copy(server: dict[str, Any], entry: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        value = entry.get(key)
        if value not in (None, [], {}):
            server[key] = value


def _tools(server: dict[str, Any], allow: Any, deny: Any) -> None:
    tools = {}
    if isinstance(allow, list):
        tools["allow"] = allow
    if isinstance(deny, list) and deny:
        tools["deny"] = deny
    if tools:
        server["tools"] = tools


def _braced(value: Any) -> Any:
    """`$NAME` -> `${NAME}` in every string (Gemini's other spelling of a reference)."""
    if isinstance(value, str):
        return _BARE.sub(r"${\1}", value)
    if isinstance(value, list):
        return [_braced(v) for v in value]
    if isinstance(value, dict):
        return {k: _braced(v) for k, v in value.items()}
    return value


def _check(ctx: ImportContext, agent: str, path: str, servers: Source) -> None:
    """The servers as mirror will read them: a problem stops the import, naming the server."""
    from rulesync.source.mcp_config import parse_servers

    def report(message: str, key_path: tuple[str | int, ...], fix: str | None) -> None:
        where = ".".join(str(k) for k in key_path[1:])
        ctx.fail(
            Problem(
                path,
                f"MCP server `{where}`: {message}",
                fix=fix or "fix the server in the agent's file, then import again",
            )
        )

    parse_servers(servers, (agent,), report)


def keep_to_agent(servers: Source, agent: str, targets: tuple[str, ...]) -> list[str]:
    """Give `targets: [agent]` to each server another target cannot take as it is (Codex
    expands no `${…}` in args, say); returns their names."""
    from rulesync.source.mcp_config import parse_servers

    narrowed = []
    for name, server in servers.items():
        if _problems(parse_servers, {name: server}, targets):
            server["targets"] = [agent]
            narrowed.append(name)
    return narrowed


def _problems(parse: Callable[..., object], servers: Source, targets: tuple[str, ...]) -> int:
    found: list[str] = []
    parse(servers, targets, lambda message, *_: found.append(message))
    return len(found)
