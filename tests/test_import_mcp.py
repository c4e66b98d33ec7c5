"""`rulesync import` brings each agent's MCP servers into the `mcp:` block of rulesync.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

CLAUDE_MD = "# Rules\n\nBe kind.\n"
CLAUDE_SERVERS = {
    "github": {
        "type": "stdio",
        "command": "npx",
        "args": ["-y", "@modelcontextprotocol/server-github"],
        "env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}", "LOG_LEVEL": "debug"},
    },
    "tracker": {
        "type": "http",
        "url": "https://tracker.example.com/mcp",
        "headers": {"Authorization": "Bearer ${TRACKER_TOKEN}"},
    },
}


def _mcp(root: Path) -> dict[str, object]:
    block: dict[str, object] = yaml.safe_load((root / "rulesync.yaml").read_text())["mcp"]
    return block


def test_claude_servers_round_trip_through_the_source(build_tree, run_cli) -> None:
    mcp_json = json.dumps({"mcpServers": CLAUDE_SERVERS, "other": 1}, indent=2) + "\n"
    root = build_tree({"CLAUDE.md": CLAUDE_MD, ".mcp.json": mcp_json})
    result = run_cli("-C", root, "import", "--from", "claude", "--targets", "claude")
    assert result.exit_code == 0, result.stderr
    assert _mcp(root) == {
        "github": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-github"],
            "env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}", "LOG_LEVEL": "debug"},
        },
        "tracker": {
            "type": "http",
            "url": "https://tracker.example.com/mcp",
            "headers": {"Authorization": "Bearer ${TRACKER_TOKEN}"},
        },
    }
    mirror = run_cli("-C", root, "mirror")
    assert mirror.exit_code == 0, mirror.stderr
    assert (root / ".mcp.json").read_text() == mcp_json
    assert run_cli("-C", root, "check").exit_code == 0


def test_a_server_another_target_cannot_take_is_kept_to_its_agent(build_tree, run_cli) -> None:
    servers = {"db": {"command": "db", "args": ["--root", "${PROJECT_ROOT}"]}}
    root = build_tree({"CLAUDE.md": CLAUDE_MD, ".mcp.json": json.dumps({"mcpServers": servers})})
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0, result.stderr
    assert "MCP server `db` (from .mcp.json) is kept to claude" in result.stdout + result.stderr
    assert _mcp(root)["db"] == {**servers["db"], "targets": ["claude"]}
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert not (root / ".codex/config.toml").exists()


def test_a_literal_secret_stops_the_import(build_tree, run_cli) -> None:
    servers = {"db": {"command": "db", "env": {"DB_PASSWORD": "hunter2hunter2"}}}
    root = build_tree({"CLAUDE.md": CLAUDE_MD, ".mcp.json": json.dumps({"mcpServers": servers})})
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 2
    assert ".mcp.json: MCP server `db.env.DB_PASSWORD`: `env.DB_PASSWORD` holds a secret" in (
        result.stderr
    )
    assert "hunter2hunter2" not in result.stdout + result.stderr
    assert not (root / "rulesync.yaml").exists()


def test_gemini_servers_are_read_in_the_source_form(build_tree, run_cli) -> None:
    settings = {
        "theme": "dark",
        "mcpServers": {
            "db": {
                "command": "db",
                "env": {"DB_URL": "$DB_URL"},
                "cwd": "tools",
                "timeout": 2500,
                "includeTools": ["query"],
                "trust": True,
            },
            "web": {"httpUrl": "https://web.example.com/mcp"},
        },
    }
    root = build_tree({"GEMINI.md": CLAUDE_MD, ".gemini/settings.json": json.dumps(settings)})
    result = run_cli("-C", root, "import", "--from", "gemini", "--targets", "gemini")
    assert result.exit_code == 0, result.stderr
    assert "MCP server `db`: `trust` has no place in the source" in result.stdout + result.stderr
    assert _mcp(root) == {
        "db": {
            "command": "db",
            "env": {"DB_URL": "${DB_URL}"},
            "cwd": "tools",
            "timeout": 3,
            "tools": {"allow": ["query"]},
        },
        "web": {"type": "http", "url": "https://web.example.com/mcp"},
    }


def test_codex_servers_are_read_in_the_source_form(build_tree, run_cli) -> None:
    toml = """\
[mcp_servers.db]
command = "db"
env = { LOG_LEVEL = "debug" }
env_vars = ["DB_TOKEN"]
tool_timeout_sec = 20
disabled_tools = ["drop"]

[mcp_servers.web]
url = "https://web.example.com/mcp"
bearer_token_env_var = "WEB_TOKEN"
env_http_headers = { "X-Team" = "TEAM" }

[mcp_servers.off]
command = "off"
enabled = false
"""
    root = build_tree({"AGENTS.md": CLAUDE_MD, ".codex/config.toml": toml})
    result = run_cli("-C", root, "import", "--from", "codex", "--targets", "codex")
    assert result.exit_code == 0, result.stderr
    assert _mcp(root) == {
        "db": {
            "command": "db",
            "env": {"LOG_LEVEL": "debug", "DB_TOKEN": "${DB_TOKEN}"},
            "timeout": 20,
            "tools": {"deny": ["drop"]},
        },
        "web": {
            "type": "http",
            "url": "https://web.example.com/mcp",
            "headers": {"X-Team": "${TEAM}", "Authorization": "Bearer ${WEB_TOKEN}"},
        },
    }
    assert "MCP server `off`" in result.stdout + result.stderr
    mirror = run_cli("-C", root, "mirror")
    assert mirror.exit_code == 0, mirror.stderr
    assert run_cli("-C", root, "check").exit_code == 0


EXISTING = """\
# the team's config
targets: [claude, gemini]   # both agents
lint:
  identity:
    names: [GitHub]  # spelt so
mcp:
  tracker:   # ours, kept as it is
    type: http
    url: https://other.example.com/mcp
"""


def _with_config(build_tree, config: str, servers: object = CLAUDE_SERVERS) -> Path:
    files = {"rulesync.yaml": config, "CLAUDE.md": CLAUDE_MD}
    files[".mcp.json"] = json.dumps({"mcpServers": servers})
    root: Path = build_tree(files)
    return root


def test_an_existing_config_gets_the_missing_servers_with_its_comments_kept(
    build_tree, run_cli
) -> None:
    root = _with_config(build_tree, EXISTING)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0, result.stderr
    text = (root / "rulesync.yaml").read_text()
    assert text.startswith(EXISTING)
    assert _mcp(root) == {
        "tracker": {"type": "http", "url": "https://other.example.com/mcp"},
        "github": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-github"],
            "env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}", "LOG_LEVEL": "debug"},
        },
    }
    assert "not in rulesync.yaml" not in result.stdout + result.stderr
    assert run_cli("-C", root, "mirror").exit_code == 0
    claude = json.loads((root / ".mcp.json").read_text())["mcpServers"]
    assert claude["github"] == CLAUDE_SERVERS["github"]
    assert claude["tracker"]["url"] == "https://other.example.com/mcp"
    gemini = json.loads((root / ".gemini/settings.json").read_text())["mcpServers"]
    assert set(gemini) == {"tracker", "github"}
    assert run_cli("-C", root, "check").exit_code == 0


def test_an_existing_config_without_an_mcp_block_gets_one(build_tree, run_cli) -> None:
    config = "# mine\ntargets: [claude]  # only claude\n"
    root = _with_config(build_tree, config)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0, result.stderr
    text = (root / "rulesync.yaml").read_text()
    assert text.startswith(config + "\n# MCP servers, imported; see docs/mirror.md\nmcp:\n")
    assert set(_mcp(root)) == {"github", "tracker"}
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert json.loads((root / ".mcp.json").read_text())["mcpServers"] == CLAUDE_SERVERS


def test_an_existing_config_with_every_server_is_left_byte_identical(build_tree, run_cli) -> None:
    config = "targets: [claude]\nmcp:\n  github: {command: mine}\n  tracker: {command: t}\n"
    root = _with_config(build_tree, config)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0, result.stderr
    assert (root / "rulesync.yaml").read_text() == config


def test_a_server_codex_cannot_take_is_added_kept_to_its_agent(build_tree, run_cli) -> None:
    servers = {"db": {"command": "db", "args": ["--root", "${PROJECT_ROOT}"]}}
    root = _with_config(build_tree, "targets: [claude, codex]\n", servers)
    result = run_cli("-C", root, "import", "--from", "claude")
    assert result.exit_code == 0, result.stderr
    assert "MCP server `db` (from .mcp.json) is kept to claude" in result.stdout + result.stderr
    assert _mcp(root)["db"] == {**servers["db"], "targets": ["claude"]}
    assert run_cli("-C", root, "mirror").exit_code == 0, "the source must be valid"


def test_a_dry_run_names_the_config_and_writes_nothing(build_tree, run_cli) -> None:
    root = _with_config(build_tree, EXISTING)
    result = run_cli("-C", root, "import", "--from", "claude", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "rulesync.yaml" in result.stdout
    assert (root / "rulesync.yaml").read_text() == EXISTING


def test_a_symlinked_mcp_json_is_not_read(build_tree, run_cli, tmp_path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"mcpServers": CLAUDE_SERVERS}))
    root = build_tree({"CLAUDE.md": CLAUDE_MD})
    (root / ".mcp.json").symlink_to(outside)
    result = run_cli("-C", root, "import", "--from", "claude", "--targets", "claude")
    assert result.exit_code == 0, result.stderr
    assert ".mcp.json" in result.stdout + result.stderr
    assert "symlink" in result.stdout + result.stderr
    assert "mcp" not in yaml.safe_load((root / "rulesync.yaml").read_text())
