"""The `mcp:` servers of rulesync.yaml, merged into each agent's own MCP configuration.

Checked against Claude Code 2.1.197, Gemini CLI 0.61.0 and Codex 0.171.0 (`<cli> mcp list`):

- Claude Code reads `.mcp.json` at the project root: `mcpServers.NAME` with `command`, `args`,
  `env` (stdio) or `type: http|sse`, `url`, `headers`; it expands `${VAR}` and
  `${VAR:-default}` in all of them. It has no per-server cwd, timeout or tool filter.
- Gemini CLI reads `mcpServers` in `.gemini/settings.json`: `command`, `args`, `env`, `cwd`, or
  `url` with `type: http|sse` (`httpUrl` is deprecated), `headers`, `timeout` (milliseconds),
  `includeTools`, `excludeTools`. It expands `$VAR`, `${VAR}` and `${VAR:-default}` in every
  string of the file, and rejects a server entry with a key it does not know.
- Codex reads `[mcp_servers.NAME]` in a project's `.codex/config.toml` once the project is
  trusted (`[projects."<path>"] trust_level = "trusted"` in `~/.codex/config.toml`). It expands
  no variables: `env_vars` passes variables through by name, `bearer_token_env_var` and
  `env_http_headers` take a header from a variable; `tool_timeout_sec`, `enabled_tools`,
  `disabled_tools`. Streamable HTTP only.

Each file is merged: rulesync sets the entries named in its source and takes out those listed
as `NAME: null`, and those it wrote on an earlier mirror that the source no longer declares (the
lock's `merged` entries name them: `mcp.NAME`). Every other server and key is left as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rulesync.errors import ConfigError, Problem
from rulesync.render.outputs import Output
from rulesync.source.mcp_config import McpServer, bearer_reference, is_reference, whole_reference
from rulesync.targets.base import RenderContext

CLAUDE_PATH = ".mcp.json"
GEMINI_PATH = ".gemini/settings.json"
CODEX_PATH = ".codex/config.toml"
SOURCE = "rulesync.yaml mcp"

#: how the lock names a server rulesync wrote: `mcp.NAME` (server names have no dot)
NAME_PREFIX = "mcp."

#: server name -> its entry, or None for an entry to take out
Entries = dict[str, "dict[str, Any] | None"]


def entries_for(
    ctx: RenderContext, target: str, path: str, render: Callable[[McpServer], dict[str, Any]]
) -> Entries:
    """The entries of `target`'s file: the servers declared for it, None for those listed as
    `NAME: null` and for those the last mirror wrote there that are no longer declared for it.
    None at all when there are only removals and no file."""
    servers: tuple[McpServer, ...] = ctx.project.config.mcp
    chosen = [s for s in servers if target in s.targets]
    entries: Entries = {s.name: None if s.remove else render(s) for s in chosen}
    for name in ctx.written.get(path, ()):
        if name.startswith(NAME_PREFIX):
            entries.setdefault(name[len(NAME_PREFIX) :], None)
    only_removals = all(entry is None for entry in entries.values())
    if only_removals and not os.path.lexists(ctx.project.config.root / path):
        return {}
    return entries


def entry_names(entries: Entries) -> tuple[str, ...]:
    """The names the lock records for these entries: those rulesync writes."""
    return tuple(NAME_PREFIX + name for name, entry in entries.items() if entry is not None)


def claude_outputs(ctx: RenderContext) -> Iterator[Output]:
    entries = entries_for(ctx, "claude", CLAUDE_PATH, claude_entry)
    if entries:
        yield _json_output(CLAUDE_PATH, "claude", entries)


def gemini_outputs(ctx: RenderContext, settings: Iterable[Output]) -> Iterator[Output]:
    """The hook outputs of `.gemini/settings.json`, with the MCP servers merged in too."""
    entries = entries_for(ctx, "gemini", GEMINI_PATH, gemini_entry)
    if not entries:
        yield from settings
        return
    mine: Output | None = _json_output(GEMINI_PATH, "gemini", entries)
    for output in settings:
        if output.path == GEMINI_PATH and output.mode == "merged" and mine is not None:
            yield _chained(output, mine)
            mine = None
        else:
            yield output
    if mine is not None:
        yield mine


def codex_outputs(ctx: RenderContext) -> Iterator[Output]:
    entries = entries_for(ctx, "codex", CODEX_PATH, codex_entry)
    if entries:
        merge = _toml_merger(entries)
        yield Output(
            CODEX_PATH, b"", SOURCE, ("codex",), "merged", merge=merge, names=entry_names(entries)
        )


def claude_entry(server: McpServer) -> dict[str, Any]:
    if server.type == "stdio":
        entry: dict[str, Any] = {"type": "stdio", "command": server.command}
        _put(entry, "args", list(server.args))
        _put(entry, "env", dict(server.env))
        return entry
    entry = {"type": server.type, "url": server.url}
    _put(entry, "headers", dict(server.headers))
    return entry


def gemini_entry(server: McpServer) -> dict[str, Any]:
    if server.type == "stdio":
        entry: dict[str, Any] = {"command": server.command}
        _put(entry, "args", list(server.args))
        _put(entry, "env", dict(server.env))
        _put(entry, "cwd", server.cwd)
    else:
        entry = {"type": server.type, "url": server.url}
        _put(entry, "headers", dict(server.headers))
    _put(entry, "timeout", server.timeout * 1000 if server.timeout else None)
    _put(entry, "includeTools", list(server.allow) if server.allow is not None else None)
    _put(entry, "excludeTools", list(server.deny))
    return entry


def codex_entry(server: McpServer) -> dict[str, Any]:
    """Codex expands no variables: references become its `*_env_var(s)` keys (the source was
    checked for what it cannot express, in rulesync.source.mcp_config)."""
    if server.type == "stdio":
        entry: dict[str, Any] = {"command": server.command}
        _put(entry, "args", list(server.args))
        literal = {k: v for k, v in server.env.items() if not is_reference(v)}
        _put(entry, "env", literal)
        _put(entry, "env_vars", [k for k, v in server.env.items() if is_reference(v)])
        _put(entry, "cwd", server.cwd)
    else:
        entry = {"url": server.url}
        _codex_headers(entry, server.headers)
    _put(entry, "tool_timeout_sec", server.timeout)
    _put(entry, "enabled_tools", list(server.allow) if server.allow is not None else None)
    _put(entry, "disabled_tools", list(server.deny))
    return entry


def _codex_headers(entry: dict[str, Any], headers: dict[str, str] | Any) -> None:
    plain, from_env = {}, {}
    for name, value in headers.items():
        bearer = bearer_reference(value) if name.lower() == "authorization" else None
        if bearer is not None:
            entry["bearer_token_env_var"] = bearer
        elif (variable := whole_reference(value)) is not None:
            from_env[name] = variable
        else:
            plain[name] = value
    _put(entry, "http_headers", plain)
    _put(entry, "env_http_headers", from_env)


def _put(entry: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, [], {}):
        entry[key] = value


def merge_servers(settings: dict[str, Any], path: str, entries: Entries) -> dict[str, Any]:
    """`settings` with rulesync's servers set; every other server and key kept."""
    servers = settings.get("mcpServers", {})
    if not isinstance(servers, dict):
        raise _error(path, "`mcpServers` must be an object")
    kept = {k: v for k, v in servers.items() if entries.get(k, v) is not None}
    added = {k: v for k, v in entries.items() if v is not None}
    if "mcpServers" not in settings and not added:
        return dict(settings)
    return {**settings, "mcpServers": {**kept, **added}}


def _json_output(path: str, target: str, entries: Entries) -> Output:
    def apply(current: bytes | None) -> bytes:
        settings = _parse_json(path, current)
        merged = merge_servers(settings, path, entries)
        if merged == settings and current is not None:
            return current
        return (json.dumps(merged, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    return Output(
        path, b"", SOURCE, (target,), mode="merged", merge=apply, names=entry_names(entries)
    )


def _chained(first: Output, then: Output) -> Output:
    """One merged output that applies `first`'s merge, then `then`'s."""
    assert first.merge is not None and then.merge is not None
    merge_first, merge_then = first.merge, then.merge

    def apply(current: bytes | None) -> bytes:
        return merge_then(merge_first(current) or current)

    return Output(
        first.path,
        b"",
        f"{first.source}, mcp",
        first.targets,
        mode="merged",
        merge=apply,
        names=(*first.names, *then.names),
    )


def _parse_json(path: str, current: bytes | None) -> dict[str, Any]:
    if current is None or not current.strip():
        return {}
    try:
        settings = json.loads(current.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise ConfigError(
            [Problem(path, f"is not valid JSON ({error})", line, "fix the JSON by hand")]
        ) from None
    if not isinstance(settings, dict):
        raise _error(path, "must hold a JSON object")
    return settings


def _toml_merger(entries: Entries) -> Callable[[bytes | None], bytes]:
    """tomlkit keeps the user's comments, order and formatting in the tables it leaves alone.

    The result is parsed again and must mean exactly the user's document with our servers set:
    a layout tomlkit cannot edit in place (dotted `mcp_servers.x.y = …` keys before other
    top-level keys) is refused rather than written with keys moved into another table.
    """

    def apply(current: bytes | None) -> bytes:
        import tomlkit

        document = _parse_toml(_decode(current))
        servers = document.get("mcp_servers")
        if servers is None and all(entry is None for entry in entries.values()):
            return current if current is not None else b""
        before = document.unwrap()
        if servers is None:
            servers = tomlkit.table(is_super_table=True)
            document["mcp_servers"] = servers
        elif not isinstance(servers, dict):
            raise _error(CODEX_PATH, "`mcp_servers` must be a table")
        if not _set_entries(servers, entries):
            return current if current is not None else tomlkit.dumps(document).encode("utf-8")
        result = tomlkit.dumps(document)
        if _without_empty_servers(_parse_toml(result).unwrap()) != _without_empty_servers(
            _expected(before, entries)
        ):
            raise _error(
                CODEX_PATH,
                "rulesync cannot add its MCP servers here without changing what other keys mean",
                "write each server as a `[mcp_servers.NAME]` table, then run `rulesync mirror`",
            )
        return result.encode("utf-8")

    return apply


def _parse_toml(text: str) -> Any:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(text)
    except TOMLKitError as error:
        line = getattr(error, "line", None)
        raise ConfigError(
            [Problem(CODEX_PATH, f"is not valid TOML ({error})", line, "fix the TOML")]
        ) from None


def _set_entries(servers: Any, entries: Entries) -> bool:
    """Set or take out each entry in the `mcp_servers` table; False when nothing changed."""
    import tomlkit

    inline = isinstance(servers, tomlkit.items.InlineTable)
    changed = False
    for name, entry in entries.items():
        found: Any = servers.get(name)
        plain = found.unwrap() if hasattr(found, "unwrap") else found
        if entry is None and found is not None:
            del servers[name]
            changed = True
        elif entry is not None and plain != entry:
            servers[name] = _toml_item(entry, inline)
            changed = True
    return changed


def _expected(before: dict[str, Any], entries: Entries) -> dict[str, Any]:
    servers = dict(before.get("mcp_servers") or {})
    for name, entry in entries.items():
        if entry is None:
            servers.pop(name, None)
        else:
            servers[name] = entry
    return {**before, "mcp_servers": servers}


def _without_empty_servers(document: dict[str, Any]) -> dict[str, Any]:
    """An `mcp_servers` table left empty is not written by tomlkit; it means no table."""
    if document.get("mcp_servers") == {}:
        return {key: value for key, value in document.items() if key != "mcp_servers"}
    return document


def _toml_item(entry: dict[str, Any], inline: bool) -> Any:
    """A `[mcp_servers.NAME]` table, or an inline table inside an inline `mcp_servers`."""
    import tomlkit

    item: Any = tomlkit.inline_table() if inline else tomlkit.table()
    for key, value in entry.items():
        if isinstance(value, dict):
            nested = tomlkit.inline_table()
            nested.update(value)
            item[key] = nested
        else:
            item[key] = value
    return item


def _decode(current: bytes | None) -> str:
    if current is None:
        return ""
    try:
        return current.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error(CODEX_PATH, "is not UTF-8 text") from None


def _error(
    path: str, message: str, fix: str = "fix it by hand, then run `rulesync mirror`"
) -> ConfigError:
    return ConfigError([Problem(path, message, fix=fix)])
