"""mirror merges the `mcp:` servers of rulesync.yaml into each agent's MCP configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.treestate import tree_state

RULE = "---\nroot: true\n---\n# Rules\n"
MCP = """\
mcp:
  github:
    command: npx
    args: [-y, "@modelcontextprotocol/server-github"]
    env:
      GITHUB_TOKEN: ${GITHUB_TOKEN}
      LOG_LEVEL: debug
    tools: {allow: [search_issues], deny: [delete_repo]}
    timeout: 30
  tracker:
    type: http
    url: https://tracker.example.com/mcp
    headers:
      Authorization: Bearer ${TRACKER_TOKEN}
"""
CONFIG = "targets: [claude, gemini, codex]\n" + MCP

CLAUDE_GITHUB = {
    "type": "stdio",
    "command": "npx",
    "args": ["-y", "@modelcontextprotocol/server-github"],
    "env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}", "LOG_LEVEL": "debug"},
}
CLAUDE_TRACKER = {
    "type": "http",
    "url": "https://tracker.example.com/mcp",
    "headers": {"Authorization": "Bearer ${TRACKER_TOKEN}"},
}
GEMINI_GITHUB = {
    "command": "npx",
    "args": ["-y", "@modelcontextprotocol/server-github"],
    "env": {"GITHUB_TOKEN": "${GITHUB_TOKEN}", "LOG_LEVEL": "debug"},
    "timeout": 30000,
    "includeTools": ["search_issues"],
    "excludeTools": ["delete_repo"],
}
GEMINI_TRACKER = CLAUDE_TRACKER
USER_TOML = '# my own settings\nmodel = "o3"  # keep this\n\n[mcp_servers.mine]\ncommand = "mine"\n'
CODEX_TOML = (
    USER_TOML
    + """
[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]
env = {LOG_LEVEL = "debug"}
env_vars = ["GITHUB_TOKEN"]
tool_timeout_sec = 30
enabled_tools = ["search_issues"]
disabled_tools = ["delete_repo"]

[mcp_servers.tracker]
url = "https://tracker.example.com/mcp"
bearer_token_env_var = "TRACKER_TOKEN"
"""
)


def _project(build_tree, config: str = CONFIG, **extra: str) -> Path:
    files = {"rulesync.yaml": config, ".rulesync/rules/a.md": RULE}
    files.update({k.replace("__", "/"): v for k, v in extra.items()})
    root: Path = build_tree(files)
    return root


def test_each_agent_gets_the_servers_in_its_own_format(build_tree, run_cli) -> None:
    root = _project(build_tree)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    for path in (".mcp.json", ".gemini/settings.json", ".codex/config.toml"):
        assert f"create          {path}" in result.stdout
    claude = json.loads((root / ".mcp.json").read_text())
    assert claude == {"mcpServers": {"github": CLAUDE_GITHUB, "tracker": CLAUDE_TRACKER}}
    gemini = json.loads((root / ".gemini/settings.json").read_text())
    assert gemini == {"mcpServers": {"github": GEMINI_GITHUB, "tracker": GEMINI_TRACKER}}
    codex = (root / ".codex/config.toml").read_text()
    assert codex == CODEX_TOML.replace(USER_TOML + "\n", "")


def test_user_servers_keys_and_comments_are_kept(build_tree, run_cli) -> None:
    user_json = {"mcpServers": {"mine": {"command": "x"}}, "other": 1}
    root = _project(
        build_tree,
        **{
            ".mcp.json": json.dumps(user_json),
            ".gemini__settings.json": json.dumps({"theme": "dark", **user_json}),
            ".codex__config.toml": USER_TOML,
        },
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    claude = json.loads((root / ".mcp.json").read_text())
    assert claude["other"] == 1
    assert list(claude["mcpServers"]) == ["mine", "github", "tracker"]
    assert claude["mcpServers"]["mine"] == {"command": "x"}
    gemini = json.loads((root / ".gemini/settings.json").read_text())
    assert gemini["theme"] == "dark"
    assert gemini["mcpServers"]["mine"] == {"command": "x"}
    assert gemini["mcpServers"]["github"] == GEMINI_GITHUB
    assert (root / ".codex/config.toml").read_text() == CODEX_TOML
    lock = (root / ".rulesync/mirror.lock").read_text()
    merged = json.loads(lock)["merged"]
    assert set(merged) == {".mcp.json", ".gemini/settings.json", ".codex/config.toml"}


def test_mirror_is_idempotent_and_check_is_clean(build_tree, run_cli) -> None:
    root = _project(build_tree)
    assert run_cli("-C", root, "mirror").exit_code == 0
    before = {p: (root / p).read_bytes() for p in (".mcp.json", ".codex/config.toml")}
    again = run_cli("-C", root, "mirror")
    assert again.stdout.startswith("mirror: nothing to do"), again.stdout
    assert {p: (root / p).read_bytes() for p in before} == before
    check = run_cli("-C", root, "check")
    assert check.exit_code == 0, check.stdout


def test_check_reports_drift_of_a_server_and_mirror_restores_it(build_tree, run_cli) -> None:
    root = _project(build_tree)
    assert run_cli("-C", root, "mirror").exit_code == 0
    path = root / ".mcp.json"
    settings = json.loads(path.read_text())
    settings["mcpServers"]["github"]["command"] = "evil"
    settings["mcpServers"]["mine"] = {"command": "x"}
    path.write_text(json.dumps(settings))
    codex = root / ".codex/config.toml"
    codex.write_text(codex.read_text().replace("TRACKER_TOKEN", "OTHER"))
    check = run_cli("-C", root, "check")
    assert check.exit_code == 1
    assert ".mcp.json" in check.stdout and ".codex/config.toml" in check.stdout
    assert ".gemini/settings.json" not in check.stdout
    fixed = run_cli("-C", root, "mirror")
    assert fixed.exit_code == 0, fixed.stderr
    settings = json.loads(path.read_text())
    assert settings["mcpServers"]["github"] == CLAUDE_GITHUB
    assert settings["mcpServers"]["mine"] == {"command": "x"}
    assert 'bearer_token_env_var = "TRACKER_TOKEN"' in codex.read_text()
    assert run_cli("-C", root, "check").exit_code == 0


def test_gemini_servers_share_the_settings_file_with_the_lint_hook(build_tree, run_cli) -> None:
    config = "targets: [gemini]\nlint:\n  umlaut: true\n" + MCP
    root = _project(build_tree, config)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count(".gemini/settings.json") == 1
    gemini = json.loads((root / ".gemini/settings.json").read_text())
    assert gemini["mcpServers"]["github"] == GEMINI_GITHUB
    assert "lint --hook gemini" in json.dumps(gemini["hooks"])
    assert run_cli("-C", root, "check").exit_code == 0


def test_per_server_targets(build_tree, run_cli) -> None:
    config = """\
targets: [claude, gemini, codex]
mcp:
  local:
    command: ./server
    targets: [gemini]
"""
    root = _project(build_tree, config)
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert not (root / ".mcp.json").exists()
    assert not (root / ".codex/config.toml").exists()
    gemini = json.loads((root / ".gemini/settings.json").read_text())
    assert gemini == {"mcpServers": {"local": {"command": "./server"}}}


def test_sse_server_for_claude_and_gemini(build_tree, run_cli) -> None:
    config = """\
targets: [claude, gemini]
mcp:
  events:
    type: sse
    url: https://events.example.com/sse
    headers: {X-Team: "${TEAM:-core}"}
"""
    root = _project(build_tree, config)
    assert run_cli("-C", root, "mirror").exit_code == 0
    want = {
        "type": "sse",
        "url": "https://events.example.com/sse",
        "headers": {"X-Team": "${TEAM:-core}"},
    }
    assert json.loads((root / ".mcp.json").read_text())["mcpServers"]["events"] == want
    gemini = json.loads((root / ".gemini/settings.json").read_text())
    assert gemini["mcpServers"]["events"] == want


def _errors(build_tree, run_cli, servers: str, targets: str = "[claude, gemini, codex]") -> str:
    root = _project(build_tree, f"targets: {targets}\nmcp:\n{servers}")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2, result.stdout
    assert not (root / ".mcp.json").exists()
    assert not (root / "CLAUDE.md").exists()
    return result.stderr


def test_unknown_key_has_a_suggestion_and_a_line(build_tree, run_cli) -> None:
    err = _errors(build_tree, run_cli, "  db:\n    command: x\n    tmeout: 3\n")
    assert "rulesync.yaml:5" in err and "unknown MCP server key `tmeout`" in err
    assert "timeout" in err


def test_stdio_needs_command_and_remote_needs_url(build_tree, run_cli) -> None:
    err = _errors(build_tree, run_cli, "  db:\n    args: [x]\n  web:\n    type: http\n")
    assert "rulesync.yaml:3: MCP server `db` needs a `command`" in err
    assert "rulesync.yaml:5: MCP server `web` (type http) needs a `url`" in err
    err = _errors(build_tree, run_cli, "  web:\n    type: websocket\n    url: https://x\n")
    assert "`type` must be stdio, http or sse" in err


def test_a_literal_secret_is_an_error_naming_its_line(build_tree, run_cli) -> None:
    servers = (
        "  db:\n"
        "    command: x\n"
        "    env:\n"
        "      LOG_LEVEL: debug\n"
        "      GITHUB_TOKEN: not-a-reference\n"
        "      OTHER: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"
        "  web:\n"
        "    type: http\n"
        "    url: https://x.example.com/mcp\n"
        "    headers: {Authorization: Bearer abcdefghijklmnopqrstuvwxyz}\n"
    )
    err = _errors(build_tree, run_cli, servers)
    assert "rulesync.yaml:7: `env.GITHUB_TOKEN` holds a secret literally" in err
    assert "rulesync.yaml:8: `env.OTHER` holds a secret literally" in err
    assert "rulesync.yaml:12: `headers.Authorization` holds a secret literally" in err
    assert "LOG_LEVEL" not in err
    assert "ghp_abcdefghijklmnopqrstuvwxyz0123456789" not in err
    assert "${NAME}" in err


def test_a_secret_hidden_in_a_default_or_beside_a_reference_is_an_error(
    build_tree, run_cli
) -> None:
    servers = (
        "  db:\n"
        "    command: x\n"
        "    args: ['--user=${USER}', '--key=sk-abcdefghijklmnopqrstuvwx']\n"
        "    env:\n"
        "      DB_PASSWORD: ${DB_PASSWORD:-hunter2}\n"
        "      LOG_LEVEL: ${LOG_LEVEL:-debug}\n"
    )
    err = _errors(build_tree, run_cli, servers, "[claude, gemini]")
    assert "rulesync.yaml:5: an argument holds a secret literally" in err
    assert "rulesync.yaml:7: `env.DB_PASSWORD` holds a secret literally" in err
    assert "LOG_LEVEL" not in err and "hunter2" not in err and "sk-abc" not in err


def test_what_codex_cannot_express_is_an_error_unless_codex_is_left_out(
    build_tree, run_cli
) -> None:
    servers = (
        "  db:\n"
        "    command: x\n"
        "    args: [--root, '${HOME}']\n"
        "    env: {GH_TOKEN: '${GITHUB_TOKEN}'}\n"
        "  web:\n"
        "    type: sse\n"
        "    url: https://x.example.com/sse\n"
    )
    err = _errors(build_tree, run_cli, servers)
    assert "rulesync.yaml:5: Codex does not expand `${…}` in `args`" in err
    assert "rulesync.yaml:6: Codex can only pass `env.GH_TOKEN`" in err
    assert "rulesync.yaml:8: Codex has no SSE transport" in err
    root = _project(build_tree, f"targets: [claude, gemini]\nmcp:\n{servers}")
    assert run_cli("-C", root, "mirror").exit_code == 0


def test_broken_json_is_exit_2_and_nothing_is_written(build_tree, run_cli) -> None:
    root = _project(build_tree, **{".mcp.json": '{"mcpServers": {'})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert ".mcp.json" in result.stderr and "not valid JSON" in result.stderr
    assert (root / ".mcp.json").read_text() == '{"mcpServers": {'
    assert not (root / "CLAUDE.md").exists()


def test_broken_toml_is_exit_2(build_tree, run_cli) -> None:
    root = _project(build_tree, **{".codex__config.toml": "[mcp_servers\n"})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert ".codex/config.toml" in result.stderr and "not valid TOML" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_symlinked_mcp_json_is_never_followed(build_tree, run_cli, tmp_path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mcp.json").write_text('{"mcpServers": {}}')
    root = _project(build_tree)
    (root / ".mcp.json").symlink_to(outside / "mcp.json")
    before = tree_state(outside)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code in (1, 2)
    assert ".mcp.json" in result.stdout + result.stderr
    assert tree_state(outside) == before


def test_a_server_listed_as_null_is_taken_out_and_others_stay(build_tree, run_cli) -> None:
    user_json = {"mcpServers": {"mine": {"command": "x"}}}
    root = _project(
        build_tree, **{".mcp.json": json.dumps(user_json), ".codex__config.toml": USER_TOML}
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    dropped = CONFIG.replace("  tracker:\n", "  gone:\n    command: y\n  tracker:\n", 1)
    (root / "rulesync.yaml").write_text(dropped)
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "gone" in json.loads((root / ".mcp.json").read_text())["mcpServers"]
    # `NAME: null` takes a server out even of a file the lock knows nothing about.
    github_only = CONFIG.split("  tracker:")[0]
    (root / "rulesync.yaml").write_text(github_only + "  gone: null\n  tracker: null\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    claude = json.loads((root / ".mcp.json").read_text())["mcpServers"]
    assert claude == {"mine": {"command": "x"}, "github": CLAUDE_GITHUB}
    gemini = json.loads((root / ".gemini/settings.json").read_text())["mcpServers"]
    assert list(gemini) == ["github"]
    codex = (root / ".codex/config.toml").read_text()
    assert codex.startswith(USER_TOML)
    assert "[mcp_servers.tracker]" not in codex and "[mcp_servers.gone]" not in codex
    assert "[mcp_servers.github]" in codex
    assert run_cli("-C", root, "check").exit_code == 0
    assert run_cli("-C", root, "mirror").stdout.startswith("mirror: nothing to do")


def test_a_removal_alone_creates_no_file(build_tree, run_cli) -> None:
    root = _project(build_tree, "targets: [claude, gemini, codex]\nmcp:\n  gone: null\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    for path in (".mcp.json", ".gemini/settings.json", ".codex/config.toml"):
        assert not (root / path).exists(), path


def test_an_underscore_is_an_error_only_for_gemini(build_tree, run_cli) -> None:
    err = _errors(build_tree, run_cli, "  my_db:\n    command: x\n")
    assert "rulesync.yaml:3: MCP server name `my_db` has an underscore" in err
    root = _project(build_tree, "targets: [claude, codex]\nmcp:\n  my_db:\n    command: x\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "[mcp_servers.my_db]" in (root / ".codex/config.toml").read_text()


CODEX_ONLY = "targets: [codex]\nmcp:\n  github:\n    command: npx\n    env: {A: b}\n"


def test_codex_inline_mcp_servers_stay_inline(build_tree, run_cli) -> None:
    user = 'mcp_servers = { mine = { command = "m" } }  # mine\n'
    root = _project(build_tree, CODEX_ONLY, **{".codex__config.toml": user})
    assert run_cli("-C", root, "mirror").exit_code == 0
    text = (root / ".codex/config.toml").read_text()
    assert text.startswith('mcp_servers = { mine = { command = "m" }, github = {command = "npx"')
    assert text.rstrip().endswith("# mine")
    assert run_cli("-C", root, "check").exit_code == 0


def test_codex_layout_that_cannot_be_edited_in_place_is_refused(build_tree, run_cli) -> None:
    # tomlkit would write `[mcp_servers.github]` above `x = 1`, moving x into that table
    user = 'mcp_servers.github.command = "old"\nx = 1\n'
    root = _project(build_tree, CODEX_ONLY, **{".codex__config.toml": user})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert ".codex/config.toml: rulesync cannot add its MCP servers here" in result.stderr
    assert "[mcp_servers.NAME]" in result.stderr
    assert (root / ".codex/config.toml").read_text() == user


def test_codex_tables_after_ours_keep_their_keys(build_tree, run_cli) -> None:
    user = 'x = 1\n[mcp_servers.mine]\ncommand = "m"  # c\n[other]\ny = 2\n'
    root = _project(build_tree, CODEX_ONLY, **{".codex__config.toml": user})
    assert run_cli("-C", root, "mirror").exit_code == 0
    import tomlkit

    document = tomlkit.parse((root / ".codex/config.toml").read_text()).unwrap()
    assert document == {
        "x": 1,
        "mcp_servers": {"mine": {"command": "m"}, "github": {"command": "npx", "env": {"A": "b"}}},
        "other": {"y": 2},
    }
    assert 'command = "m"  # c' in (root / ".codex/config.toml").read_text()


def test_an_empty_allow_list_is_an_error_not_an_open_door(build_tree, run_cli) -> None:
    err = _errors(build_tree, run_cli, "  db:\n    command: x\n    tools: {allow: []}\n")
    assert "rulesync.yaml:5: `tools.allow` is empty" in err


def _lock(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / ".rulesync/mirror.lock").read_text())
    return data


def _servers(root: Path) -> tuple[dict[str, object], dict[str, object], str]:
    claude = json.loads((root / ".mcp.json").read_text())["mcpServers"]
    gemini = json.loads((root / ".gemini/settings.json").read_text())["mcpServers"]
    return claude, gemini, (root / ".codex/config.toml").read_text()


def test_the_lock_names_the_servers_rulesync_wrote(build_tree, run_cli) -> None:
    root = _project(build_tree, **{".mcp.json": json.dumps({"mcpServers": {"mine": {}}})})
    assert run_cli("-C", root, "mirror").exit_code == 0
    merged = _lock(root)["merged"]
    assert isinstance(merged, dict)
    for path in (".mcp.json", ".gemini/settings.json", ".codex/config.toml"):
        assert merged[path]["names"] == ["mcp.github", "mcp.tracker"], path
        assert len(merged[path]["sha256"]) == 64


def test_a_server_deleted_from_the_source_is_forgotten(build_tree, run_cli) -> None:
    user_json = {"mcpServers": {"mine": {"command": "x"}}}
    root = _project(
        build_tree,
        **{
            ".mcp.json": json.dumps(user_json),
            ".gemini__settings.json": json.dumps({"theme": "dark", **user_json}),
            ".codex__config.toml": USER_TOML,
        },
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    github_only = CONFIG.split("  tracker:")[0]
    (root / "rulesync.yaml").write_text(github_only)
    check = run_cli("-C", root, "check")
    assert check.exit_code == 1
    for path in (".mcp.json", ".gemini/settings.json", ".codex/config.toml"):
        assert path in check.stdout
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    claude, gemini, codex = _servers(root)
    assert claude == {"mine": {"command": "x"}, "github": CLAUDE_GITHUB}
    assert gemini == {"mine": {"command": "x"}, "github": GEMINI_GITHUB}
    assert json.loads((root / ".gemini/settings.json").read_text())["theme"] == "dark"
    assert codex == CODEX_TOML.split("[mcp_servers.tracker]")[0]  # tomlkit keeps the blank line
    merged = _lock(root)["merged"]
    assert isinstance(merged, dict)
    assert {p: m["names"] for p, m in merged.items()} == {
        ".mcp.json": ["mcp.github"],
        ".gemini/settings.json": ["mcp.github"],
        ".codex/config.toml": ["mcp.github"],
    }
    assert run_cli("-C", root, "check").exit_code == 0
    assert run_cli("-C", root, "mirror").stdout.startswith("mirror: nothing to do")


def test_deleting_the_whole_block_forgets_every_server_and_keeps_the_files(
    build_tree, run_cli
) -> None:
    root = _project(build_tree, **{".codex__config.toml": USER_TOML})
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / "rulesync.yaml").write_text("targets: [claude, gemini, codex]\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    claude, gemini, codex = _servers(root)
    assert claude == {} and gemini == {}
    assert codex == USER_TOML + "\n"  # tomlkit keeps the blank line before our tables
    merged = _lock(root)["merged"]
    assert isinstance(merged, dict) and [m["names"] for m in merged.values()] == [[], [], []]
    # The files are the user's now: once rulesync renders again, it tracks them no more.
    (root / ".rulesync/rules/b.md").write_text("# More\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert _lock(root)["merged"] == {}


def test_forgetting_the_last_server_of_a_config_toml_rulesync_created(build_tree, run_cli) -> None:
    root = _project(build_tree)  # no config.toml of the user's: rulesync creates it
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "[mcp_servers.github]" in (root / ".codex/config.toml").read_text()
    (root / "rulesync.yaml").write_text("targets: [claude, gemini, codex]\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr  # an emptied table is no table, not an error
    claude, gemini, codex = _servers(root)
    assert claude == {} and gemini == {}
    assert "mcp_servers" not in codex
    assert run_cli("-C", root, "check").exit_code == 0


def test_a_server_dropped_from_one_target_leaves_only_that_file(build_tree, run_cli) -> None:
    root = _project(build_tree)
    assert run_cli("-C", root, "mirror").exit_code == 0
    not_codex = CONFIG.replace("  tracker:\n", "  tracker:\n    targets: [claude, gemini]\n")
    (root / "rulesync.yaml").write_text(not_codex)
    assert run_cli("-C", root, "mirror").exit_code == 0
    claude, gemini, codex = _servers(root)
    assert "tracker" in claude and "tracker" in gemini
    assert "[mcp_servers.tracker]" not in codex and "[mcp_servers.github]" in codex


def test_a_server_the_user_adds_after_rulesync_removed_its_own_stays(build_tree, run_cli) -> None:
    root = _project(build_tree)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / "rulesync.yaml").write_text(CONFIG.split("  tracker:")[0])
    assert run_cli("-C", root, "mirror").exit_code == 0
    # The user writes a server of the same name by hand, in each file.
    mine = {"command": "my-tracker"}
    for path in (".mcp.json", ".gemini/settings.json"):
        settings = json.loads((root / path).read_text())
        settings["mcpServers"]["tracker"] = mine
        (root / path).write_text(json.dumps(settings))
    codex_path = root / ".codex/config.toml"
    codex_path.write_text(codex_path.read_text() + '\n[mcp_servers.tracker]\ncommand = "mine"\n')
    hand_written = {p: (root / p).read_bytes() for p in (".mcp.json", ".gemini/settings.json")}
    codex_before = codex_path.read_bytes()
    (root / ".rulesync/rules/b.md").write_text("# More\n")  # a change: mirror renders again
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    for path, content in hand_written.items():
        assert json.loads((root / path).read_bytes())["mcpServers"]["tracker"] == mine
        assert (root / path).read_bytes() == content
    assert codex_path.read_bytes() == codex_before
    assert run_cli("-C", root, "check").exit_code == 0


def test_a_lock_from_before_names_were_kept_is_read(build_tree, run_cli) -> None:
    root = _project(build_tree)
    assert run_cli("-C", root, "mirror").exit_code == 0
    lock_file = root / ".rulesync/mirror.lock"
    data = json.loads(lock_file.read_text())
    data["merged"] = {p: m["sha256"] for p, m in data["merged"].items()}
    data["inputs"] = None  # as after an upgrade: rulesync's own code is part of the fingerprint
    lock_file.write_text(json.dumps(data))
    assert run_cli("-C", root, "check").exit_code == 0
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    merged = _lock(root)["merged"]
    assert isinstance(merged, dict)
    assert merged[".mcp.json"]["names"] == ["mcp.github", "mcp.tracker"]


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ({"sha256": "0" * 64, "names": "mcp.github"}, "names must be a list"),
        ({"sha256": "0" * 64, "names": [3]}, "is not the name of an entry"),
        ({"sha256": "0" * 64, "names": ["mcp.a/../b"]}, "is not the name of an entry"),
        ({"sha256": "0" * 64, "names": ["mcp.x\n\x1b[2J"]}, "is not the name of an entry"),
        ({"sha256": "0" * 64, "names": ["m" * 5000]}, "is not the name of an entry"),
        ({"names": []}, "lock file is damaged"),
        (["mcp.github"], "must be an object"),
    ],
)
def test_a_hostile_merged_entry_is_exit_2_and_nothing_is_written(
    build_tree, run_cli, tmp_path, entry: object, said: str
) -> None:
    root = _project(build_tree)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / "rulesync.yaml").write_text(CONFIG.split("  tracker:")[0])
    lock_file = root / ".rulesync/mirror.lock"
    data = json.loads(lock_file.read_text())
    data["merged"][".mcp.json"] = entry
    lock_file.write_text(json.dumps(data))
    before = tree_state(root)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "mirror.lock" in result.stderr and said in result.stderr
    assert "\x1b" not in result.stderr and len(result.stderr) < 2000
    assert tree_state(root) == before
