"""`rulesync memory serve`: the shared memory as a stdio MCP server (the official `mcp` SDK).

Five tools, each one call into the same `Store` the CLI uses, so a write through MCP is
checked for secrets, taken under the same lock and indexed the same way:
`memory_search`, `memory_get`, `memory_add`, `memory_update` and `memory_forget`.

Each call opens the store and closes it again: the SDK may run a plain function on a
worker thread, and an sqlite3 connection belongs to the thread that opened it. A problem
the user can fix (an unknown id, a secret, a bad field) is a tool error with the message
and the fix, never a traceback; stdout carries only the protocol.

The SDK is imported only here, and this module only by `serve`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from rulesync.errors import RulesyncError
from rulesync.memory.store import Store, open_store

T = TypeVar("T")
Category = Literal["user", "project", "feedback", "reference"]
SERVER_NAME = "rulesync-memory"
TOOLS = ("memory_search", "memory_get", "memory_add", "memory_update", "memory_forget")
_INSTRUCTIONS = (
    "Shared memory of this project, read and written by Claude, Gemini and Codex alike. "
    "Search it before you start a task; add what you learn that is true beyond this session "
    "(feedback you were given, where things are, the project's status). Never store a "
    "secret's value: say where it is kept."
)


def build(root: Path, agent: str) -> Any:
    """The MCP server for the project at `root`; `agent` is recorded on entries it writes."""
    from mcp.server.mcpserver import MCPServer

    server = MCPServer(SERVER_NAME, instructions=_INSTRUCTIONS)
    calls = _Calls(root, agent)
    for tool in (calls.memory_search, calls.memory_get, calls.memory_add):
        server.tool()(tool)
    for tool in (calls.memory_update, calls.memory_forget):
        server.tool()(tool)
    return server


def serve(root: Path, agent: str | None = None) -> int:
    """Run the server on stdin/stdout until the client closes it."""
    build(root, agent or os.environ.get("RULESYNC_AGENT") or "mcp").run("stdio")
    return 0


class _Calls:
    """The tools, bound to one project. Docstrings are what the model reads."""

    def __init__(self, root: Path, agent: str) -> None:
        self._root = root
        self._agent = agent

    def memory_search(
        self, query: str, category: Category | None = None, limit: int = 20
    ) -> list[dict[str, str]]:
        """Search the shared memory (ranked full text; `Groesse` finds `Größe`). Returns
        id, category, title, description and dates of each match, best first."""
        limit = max(1, min(limit, 100))
        return self._run(
            lambda store: [row.as_dict() for row in store.search(query, category, limit)]
        )

    def memory_get(self, id: str) -> dict[str, str]:
        """One memory entry with its full Markdown body, by id (from memory_search)."""
        return self._run(lambda store: store.get(id).as_dict())

    def memory_add(
        self,
        category: Category,
        title: str,
        description: str,
        body: str = "",
        id: str | None = None,
    ) -> dict[str, str]:
        """Add an entry. category: user (who the user is, for every project), project
        (status, decisions), feedback (a correction to follow), reference (where things
        are). description: one line saying when it is relevant. Secrets are refused."""
        return self._run(
            lambda store: store.add(
                category=category,
                title=title,
                description=description,
                body=body,
                agent=self._agent,
                entry_id=id,
            ).as_dict()
        )

    def memory_update(
        self,
        id: str,
        title: str | None = None,
        description: str | None = None,
        body: str | None = None,
        category: Category | None = None,
        verified: bool = False,
    ) -> dict[str, str]:
        """Change an entry's fields (only those given); verified=true marks it as
        checked today."""
        return self._run(
            lambda store: store.edit(
                id,
                title=title,
                description=description,
                body=body,
                category=category,
                agent=self._agent,
                verified=verified,
            ).as_dict()
        )

    def memory_forget(self, id: str) -> dict[str, str]:
        """Delete an entry that is no longer true. Returns what was deleted."""
        return self._run(lambda store: store.forget(id).as_dict())

    def _run(self, action: Callable[[Store], T]) -> T:
        from mcp.server.mcpserver.exceptions import ToolError

        try:
            store = open_store(self._root)
        except (RulesyncError, OSError) as error:
            raise ToolError(_message(error)) from None
        try:
            return action(store)
        except (RulesyncError, OSError) as error:
            raise ToolError(_message(error)) from None
        finally:
            store.close()


def _message(error: Exception) -> str:
    from rulesync.terminal_text import printable

    if isinstance(error, OSError):
        return printable(f"{error.filename or 'memory'}: {error.strerror or error}")
    return printable(str(error), multiline=True)
