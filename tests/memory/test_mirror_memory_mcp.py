"""`memory: {mcp: true}`: mirror registers `rulesync memory serve` in each agent's MCP config,
beside the user's own servers."""

from __future__ import annotations

import json
from pathlib import Path

from tests.tomlcompat import tomllib

RULE = "---\nroot: true\n---\n# Rules\n"
USER_SERVERS = """\
mcp:
  github:
    command: npx
    args: [-y, "@modelcontextprotocol/server-github"]
"""


def _project(build_tree, config: str, **extra: str) -> Path:
    files = {"rulesync.yaml": config, ".rulesync/rules/a.md": RULE}
    files.update({k.replace("__", "/"): v for k, v in extra.items()})
    root: Path = build_tree(files)
    return root


def _outputs(root: Path) -> tuple[dict, dict, dict]:
    claude = json.loads((root / ".mcp.json").read_text())["mcpServers"]
    gemini = json.loads((root / ".gemini/settings.json").read_text())["mcpServers"]
    codex = tomllib.loads((root / ".codex/config.toml").read_text())["mcp_servers"]
    return claude, gemini, codex


def test_the_three_outputs_register_the_memory_server(build_tree, run_cli) -> None:
    config = "targets: [claude, gemini, codex]\nmemory: {mcp: true}\n" + USER_SERVERS
    root = _project(
        build_tree,
        config,
        **{".mcp.json": json.dumps({"mcpServers": {"mine": {"command": "mine"}}})},
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    claude, gemini, codex = _outputs(root)
    assert claude["rulesync-memory"] == {
        "type": "stdio",
        "command": "rulesync",
        "args": ["memory", "serve"],
        "env": {"RULESYNC_AGENT": "claude"},
    }
    assert gemini["rulesync-memory"] == {
        "command": "rulesync",
        "args": ["memory", "serve"],
        "env": {"RULESYNC_AGENT": "gemini"},
    }
    assert codex["rulesync-memory"] == {
        "command": "rulesync",
        "args": ["memory", "serve"],
        "env": {"RULESYNC_AGENT": "codex"},
    }
    # the user's servers are kept: the one in the source and the one only in .mcp.json
    assert list(claude) == ["mine", "github", "rulesync-memory"]
    assert claude["mine"] == {"command": "mine"}
    assert "github" in gemini and "github" in codex
    check = run_cli("-C", root, "check")
    assert check.exit_code == 0, check.stdout


def test_only_the_enabled_targets_get_it(build_tree, run_cli) -> None:
    root = _project(build_tree, "targets: [claude, codex]\nmemory: {mcp: true}\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "rulesync-memory" in json.loads((root / ".mcp.json").read_text())["mcpServers"]
    assert "rulesync-memory" in (root / ".codex/config.toml").read_text()
    gemini = root / ".gemini/settings.json"
    assert not gemini.exists() or "rulesync-memory" not in gemini.read_text()


def test_off_by_default(build_tree, run_cli) -> None:
    root = _project(build_tree, "targets: [claude, gemini, codex]\n" + USER_SERVERS)
    assert run_cli("-C", root, "mirror").exit_code == 0
    claude, gemini, codex = _outputs(root)
    assert "rulesync-memory" not in claude
    assert "rulesync-memory" not in gemini
    assert "rulesync-memory" not in codex


def test_a_server_the_user_calls_rulesync_memory_wins(build_tree, run_cli) -> None:
    config = (
        "targets: [claude, gemini, codex]\nmemory: {mcp: true}\n"
        "mcp:\n  rulesync-memory:\n    command: /opt/rs/bin/rulesync\n    args: [memory, serve]\n"
    )
    root = _project(build_tree, config)
    assert run_cli("-C", root, "mirror").exit_code == 0
    claude, gemini, codex = _outputs(root)
    for servers in (claude, gemini, codex):
        assert servers["rulesync-memory"]["command"] == "/opt/rs/bin/rulesync"
        assert "env" not in servers["rulesync-memory"]


def test_a_bad_value_is_a_located_error(build_tree, run_cli) -> None:
    root = _project(build_tree, "targets: [claude]\nmemory:\n  mcp: yes please\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "rulesync.yaml:3" in result.stderr
    assert "`memory.mcp` must be true or false" in result.stderr
