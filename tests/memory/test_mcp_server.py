"""`rulesync memory serve`: a real MCP client session (the SDK's stdio client) against the
server run as `python -m rulesync memory serve` in a tmp project."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests.memory.conftest import MemoryEnv, tree_digest

Session = Callable[[ClientSession], Awaitable[None]]


def _run_session(env: MemoryEnv, body: Session) -> str:
    """Run `body` in a session with the server; the server's stderr, as text."""
    errlog = env.home.parent / "server-stderr.txt"
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "rulesync", "memory", "serve"],
        env={**env.environ, "RULESYNC_AGENT": "gemini"},
        cwd=str(env.project),
    )

    async def main() -> None:
        with errlog.open("w") as log:
            async with (
                stdio_client(params, errlog=log) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                with anyio.fail_after(60):
                    await body(session)

    anyio.run(main)
    return errlog.read_text()


def _data(result: Any) -> Any:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        value = result.structured_content
        return value.get("result", value) if set(value) == {"result"} else value
    return json.loads(result.content[0].text)


def _error_text(result: Any) -> str:
    assert result.is_error
    return " ".join(part.text for part in result.content)


def test_a_session_adds_searches_gets_updates_and_forgets(memory_env: MemoryEnv) -> None:
    outside = memory_env.home.parent / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("untouched\n")
    before = tree_digest(outside)
    seen: dict[str, Any] = {}

    async def body(session: ClientSession) -> None:
        tools = await session.list_tools()
        seen["tools"] = sorted(tool.name for tool in tools.tools)
        added = await session.call_tool(
            "memory_add",
            {
                "category": "reference",
                "title": "Größe der Puffer",
                "description": "where the buffer sizes are set",
                "body": "See `config/buffers.toml`.",
            },
        )
        seen["added"] = _data(added)
        seen["search"] = _data(await session.call_tool("memory_search", {"query": "Groesse"}))
        seen["get"] = _data(await session.call_tool("memory_get", {"id": seen["added"]["id"]}))
        updated = await session.call_tool(
            "memory_update", {"id": seen["added"]["id"], "description": "buffer sizes live here"}
        )
        seen["updated"] = _data(updated)
        seen["forgot"] = _data(
            await session.call_tool("memory_forget", {"id": seen["added"]["id"]})
        )
        seen["after"] = _data(await session.call_tool("memory_search", {"query": "Puffer"}))

    _run_session(memory_env, body)

    assert seen["tools"] == [
        "memory_add",
        "memory_forget",
        "memory_get",
        "memory_search",
        "memory_update",
    ]
    assert seen["added"]["category"] == "reference"
    assert seen["added"]["agent"] == "gemini"
    entry_id = seen["added"]["id"]
    assert [row["id"] for row in seen["search"]] == [entry_id]
    assert seen["get"]["body"].strip() == "See `config/buffers.toml`."
    assert seen["updated"]["description"] == "buffer sizes live here"
    assert seen["forgot"]["id"] == entry_id
    assert seen["after"] == []
    assert tree_digest(outside) == before


def test_the_server_writes_files_the_cli_reads(memory_env: MemoryEnv) -> None:
    async def body(session: ClientSession) -> None:
        result = await session.call_tool(
            "memory_add",
            {
                "category": "feedback",
                "title": "Use umlauts",
                "description": "German prose keeps ä ö ü ß",
                "id": "use-umlauts",
            },
        )
        assert not result.is_error

    _run_session(memory_env, body)
    store = memory_env.store()
    try:
        entry = store.get("use-umlauts")
        assert entry.agent == "gemini"
        memory_md = (store.layout.project_dir / "MEMORY.md").read_text()
        assert "use-umlauts.md" in memory_md  # the index block Claude reads is up to date
    finally:
        store.close()


def test_secrets_unknown_ids_and_bad_fields_are_tool_errors(memory_env: MemoryEnv) -> None:
    texts: dict[str, str] = {}

    async def body(session: ClientSession) -> None:
        secret = await session.call_tool(
            "memory_add",
            {
                "category": "reference",
                "title": "Deploy key",
                "description": "the key",
                "body": "token ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
            },
        )
        texts["secret"] = _error_text(secret)
        texts["unknown"] = _error_text(await session.call_tool("memory_get", {"id": "nope"}))
        bad = await session.call_tool(
            "memory_add", {"category": "gossip", "title": "x", "description": "y"}
        )
        texts["bad"] = _error_text(bad)
        # the server is still alive after the errors
        listed = await session.call_tool("memory_search", {"query": "deploy"})
        texts["after"] = json.dumps(_data(listed))

    stderr = _run_session(memory_env, body)

    assert "refused" in texts["secret"] and "looks like" in texts["secret"]
    assert "a1B2c3D4e5F6" not in texts["secret"] and "a1B2c3D4e5F6" not in stderr
    assert "no memory entry has this id" in texts["unknown"]
    assert "category" in texts["bad"]
    assert texts["after"] == "[]"
    assert "Traceback" not in stderr
    assert not list(Path(memory_env.home).rglob("deploy-key.md"))
