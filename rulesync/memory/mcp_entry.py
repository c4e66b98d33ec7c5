"""The memory's MCP server as one more entry of the `mcp:` block, for `memory: {mcp: true}`.

Mirror then renders it like any server the user wrote (`targets/mcp.py`): into `.mcp.json`
for Claude, `mcpServers` of `.gemini/settings.json` and `[mcp_servers.*]` of
`.codex/config.toml`, merged beside the user's own servers. One entry per target, each with
`RULESYNC_AGENT` set, so an entry written through MCP records which agent wrote it.

The command is `rulesync memory serve`, without `-C`: each agent starts a stdio server in
the session's folder, and the store finds the project from there (`layout.project_root`),
so the committed files hold no absolute path. A server the user names `rulesync-memory` in
the `mcp:` block (or lists as `rulesync-memory: null`) wins over this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SERVER_NAME = "rulesync-memory"
COMMAND = "rulesync"
ARGS = ("memory", "serve")


def with_memory_server(servers: tuple[Any, ...], targets: Sequence[str]) -> tuple[Any, ...]:
    """`servers` plus the memory's server for each of `targets`, unless the user has one."""
    if any(server.name == SERVER_NAME for server in servers):
        return servers
    from rulesync.source.mcp_config import McpServer

    return servers + tuple(
        McpServer(SERVER_NAME, COMMAND, ARGS, env={"RULESYNC_AGENT": target}, targets=(target,))
        for target in targets
    )
