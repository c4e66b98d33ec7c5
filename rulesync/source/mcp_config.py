"""The `mcp:` block of rulesync.yaml: MCP servers, checked once for every agent.

    mcp:
      github:                      # a stdio server
        command: npx
        args: [-y, "@modelcontextprotocol/server-github"]
        env: {GITHUB_TOKEN: "${GITHUB_TOKEN}"}
        tools: {allow: [search_issues], deny: [delete_repo]}
        timeout: 30                # seconds
        targets: [claude, gemini]  # default: every target
      tracker:                     # a remote server
        type: http                 # or sse
        url: https://tracker.example.com/mcp
        headers: {Authorization: "Bearer ${TRACKER_TOKEN}"}
      old-server: null             # remove this entry from every agent's file

rulesync sets the servers named here and leaves every other entry alone. A server dropped from
this block is taken out of the files the lock says rulesync wrote it to (rulesync.targets.mcp);
`NAME: null` takes it out of every agent's file.

Secrets stay in the environment: a value may refer to a variable as `${NAME}` (or
`${NAME:-default}`), and a literal that looks like a key or token is an error naming its line.
Codex cannot expand a variable inside a value, so for a server Codex gets, variables must be
whole `env` values under their own name or whole headers (`Bearer ${NAME}` for Authorization).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rulesync.errors import Problem
from rulesync.source.names import did_you_mean

KeyPath = tuple[str | int, ...]
Report = Callable[[str, KeyPath, "str | None"], None]

SERVER_KEYS = (
    "command",
    "args",
    "env",
    "cwd",
    "type",
    "url",
    "headers",
    "timeout",
    "tools",
    "targets",
)
REMOTE_TYPES = ("http", "sse")
TOOL_KEYS = ("allow", "deny")
#: `${NAME}` or `${NAME:-default}`: the forms Claude Code and Gemini CLI both expand.
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_WHOLE_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BEARER = re.compile(r"Bearer \$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SERVER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_SECRET_HEADER = re.compile(r"authorization|cookie|token|key|secret", re.IGNORECASE)
_SECRET_FIX = "keep it in the environment and write `${NAME}` here"


@dataclass(frozen=True)
class McpServer:
    name: str
    command: str | None = None
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None
    type: str = "stdio"  # stdio, http or sse
    url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: int | None = None  # seconds
    allow: tuple[str, ...] | None = None
    deny: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # the targets that get it (of those enabled)
    remove: bool = False  # `NAME: null`: take the entry out of every agent's file


def parse_servers(section: Any, enabled: Sequence[str], report: Report) -> tuple[McpServer, ...]:
    """The servers of an `mcp:` block; each problem goes to `report(message, key_path, fix)`."""
    if section is None:
        return ()
    if not isinstance(section, dict):
        report("`mcp` must be a mapping of server names", ("mcp",), "see docs/mirror.md")
        return ()
    servers = []
    for name, body in section.items():
        server = _server(str(name), body, enabled, report)
        if server is not None:
            servers.append(server)
    return tuple(servers)


def is_reference(value: str) -> bool:
    return REFERENCE.search(value) is not None


def whole_reference(value: str) -> str | None:
    """NAME when `value` is exactly `${NAME}`."""
    found = _WHOLE_REFERENCE.fullmatch(value)
    return found.group(1) if found else None


def bearer_reference(value: str) -> str | None:
    """NAME when `value` is exactly `Bearer ${NAME}`."""
    found = _BEARER.fullmatch(value)
    return found.group(1) if found else None


def _server(name: str, body: Any, enabled: Sequence[str], report: Report) -> McpServer | None:
    where: KeyPath = ("mcp", name)
    if not _SERVER_NAME.fullmatch(name):
        report(f"MCP server name `{name}` must be letters, digits, `-` and `_`", where, None)
    if body is None:
        return McpServer(name, targets=tuple(enabled), remove=True)
    if not isinstance(body, dict):
        report(
            f"MCP server `{name}` must be a mapping",
            where,
            "e.g. `command: npx`, or null to remove it",
        )
        return None
    before = _Counter(report)
    for key in body:
        if key not in SERVER_KEYS:
            hint = did_you_mean(str(key), SERVER_KEYS) or f"known keys: {', '.join(SERVER_KEYS)}"
            before(f"unknown MCP server key `{key}`", (*where, key), hint)
    kind = body.get("type", "stdio")
    if kind not in ("stdio", *REMOTE_TYPES):
        before("`type` must be stdio, http or sse", (*where, "type"), None)
    command = _text(body, "command", where, before)
    url = _text(body, "url", where, before)
    if kind == "stdio":
        if command is None:
            before(f"MCP server `{name}` needs a `command`", where, "or `type: http` and `url`")
        if url is not None:
            before("a stdio server takes no `url`", (*where, "url"), "add `type: http` or `sse`")
    elif kind in REMOTE_TYPES:
        if url is None:
            before(f"MCP server `{name}` (type {kind}) needs a `url`", where, None)
        elif not url.startswith(("https://", "http://")) and not is_reference(url):
            before("`url` must start with https:// or http://", (*where, "url"), None)
        if command is not None:
            before("a remote server takes no `command`", (*where, "command"), None)
    server = McpServer(
        name,
        command,
        _strings(body, "args", where, before),
        _string_map(body, "env", where, before),
        _text(body, "cwd", where, before),
        kind if isinstance(kind, str) else "stdio",
        url,
        _string_map(body, "headers", where, before),
        _timeout(body, where, before),
        *_tools(body, where, before),
        _targets(body, enabled, where, before),
    )
    _secrets(server, where, before)
    if "gemini" in server.targets and "_" in name:
        before(
            f"MCP server name `{name}` has an underscore, which Gemini CLI misreads",
            where,
            "Gemini splits `mcp_<server>_<tool>` at the first `_`: use `-`, or leave gemini "
            "out of this server's `targets:`",
        )
    if "codex" in server.targets:
        _codex_limits(server, where, before)
    return None if before.count else server


class _Counter:
    """A reporter that counts what it passes on."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.count = 0

    def __call__(self, message: str, key_path: KeyPath, fix: str | None) -> None:
        self.count += 1
        self.report(message, key_path, fix)


def _text(body: dict[str, Any], key: str, where: KeyPath, report: Report) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        report(f"`{key}` must be text", (*where, key), None)
        return None
    return value


def _strings(body: dict[str, Any], key: str, where: KeyPath, report: Report) -> tuple[str, ...]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        report(f"`{key}` must be a list of text", (*where, key), None)
        return ()
    return tuple(str(v) for v in value)


def _string_map(body: dict[str, Any], key: str, where: KeyPath, report: Report) -> dict[str, str]:
    value = body.get(key, {})
    if not isinstance(value, dict):
        report(f"`{key}` must be a mapping of names to text", (*where, key), None)
        return {}
    result = {}
    for name, item in value.items():
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            report(f"`{key}.{name}` must be text", (*where, key, name), None)
        else:
            result[str(name)] = str(item)
    return result


def _timeout(body: dict[str, Any], where: KeyPath, report: Report) -> int | None:
    value = body.get("timeout")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        report("`timeout` must be a whole number of seconds > 0", (*where, "timeout"), None)
        return None
    return value


def _tools(
    body: dict[str, Any], where: KeyPath, report: Report
) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    value = body.get("tools", {})
    if not isinstance(value, dict):
        report("`tools` must be a mapping", (*where, "tools"), "e.g. `tools: {deny: [x]}`")
        return None, ()
    for key in value:
        if key not in TOOL_KEYS:
            hint = did_you_mean(str(key), TOOL_KEYS) or "use `allow` or `deny`"
            report(f"unknown `tools` key `{key}`", (*where, "tools", key), hint)
    allow = _strings(value, "allow", (*where, "tools"), report) if "allow" in value else None
    if allow == ():
        report(
            "`tools.allow` is empty, which the agents read as no filter at all",
            (*where, "tools", "allow"),
            "to keep a server from an agent, leave the agent out of its `targets:`",
        )
    return allow, _strings(value, "deny", (*where, "tools"), report)


def _targets(
    body: dict[str, Any], enabled: Sequence[str], where: KeyPath, report: Report
) -> tuple[str, ...]:
    from rulesync.source.names import canonical_target

    value = body.get("targets")
    if value is None:
        return tuple(enabled)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        report("`targets` must be a list", (*where, "targets"), "e.g. `targets: [claude]`")
        return ()
    chosen = []
    for index, item in enumerate(value):
        target = canonical_target(str(item))
        if target is None:
            report(f"unknown target `{item}`", (*where, "targets", index), None)
        elif target in enabled:
            chosen.append(target)
    return tuple(t for t in enabled if t in chosen)


def _secrets(server: McpServer, where: KeyPath, report: Report) -> None:
    """A literal that looks like a secret, anywhere a value can hold one."""
    from rulesync.dispatch.redact import KEY_SHAPES

    def looks_secret(value: str) -> bool:
        # what the agent would see with every variable unset: the literal text and defaults
        literal = REFERENCE.sub(lambda found: found.group(2) or "", value)
        return any(shape.search(literal) for shape in KEY_SHAPES)

    def literal_in_secret(value: str) -> bool:
        """A value of a secret-named key must come from the environment, with no default."""
        defaults = any(found.group(2) for found in REFERENCE.finditer(value))
        return not is_reference(value) or defaults

    for key, values in (("env", server.env), ("headers", server.headers)):
        for name, value in values.items():
            named = _secret_name(name) if key == "env" else bool(_SECRET_HEADER.search(name))
            if looks_secret(value) or (named and literal_in_secret(value)):
                report(f"`{key}.{name}` holds a secret literally", (*where, key, name), _SECRET_FIX)
    for index, arg in enumerate(server.args):
        if looks_secret(arg):
            report("an argument holds a secret literally", (*where, "args", index), _SECRET_FIX)
    for key in ("command", "url", "cwd"):
        value = getattr(server, key)
        if isinstance(value, str) and looks_secret(value):
            report(f"`{key}` holds a secret literally", (*where, key), _SECRET_FIX)


def _secret_name(name: str) -> bool:
    from rulesync.dispatch.redact import _SECRET_NAME

    return _SECRET_NAME.search(name) is not None


def _codex_limits(server: McpServer, where: KeyPath, report: Report) -> None:
    """What Codex's config cannot say: it expands no `${…}` inside values."""
    fix = "or leave codex out of this server's `targets:`"
    if server.type == "sse":
        report("Codex has no SSE transport", (*where, "type"), f"use `type: http`, {fix}")
    for key in ("command", "url", "cwd"):
        value = getattr(server, key)
        if isinstance(value, str) and is_reference(value):
            report(f"Codex does not expand `${{…}}` in `{key}`", (*where, key), fix)
    for index, arg in enumerate(server.args):
        if is_reference(arg):
            report("Codex does not expand `${…}` in `args`", (*where, "args", index), fix)
    for name, value in server.env.items():
        if is_reference(value) and whole_reference(value) != name:
            report(
                f"Codex can only pass `env.{name}` as the variable of that very name",
                (*where, "env", name),
                f"write `{name}: ${{{name}}}`, {fix}",
            )
    for name, value in server.headers.items():
        whole = whole_reference(value) or (
            name.lower() == "authorization" and bearer_reference(value)
        )
        if is_reference(value) and not whole:
            report(
                f"Codex can only take `headers.{name}` as a whole `${{NAME}}`",
                (*where, "headers", name),
                f"or `Bearer ${{NAME}}` for Authorization, {fix}",
            )


def problems_of(
    section: Any, enabled: Sequence[str], line: Callable[[KeyPath], int | None]
) -> tuple[tuple[McpServer, ...], list[Problem]]:
    """The servers and the located problems of an `mcp:` block of rulesync.yaml."""
    problems: list[Problem] = []

    def report(message: str, key_path: KeyPath, fix: str | None) -> None:
        problems.append(Problem("rulesync.yaml", message, line(key_path), fix))

    return parse_servers(section, enabled, report), problems
