"""The real CLIs list the MCP servers that mirror merged into their files.

`gemini mcp list`, `claude mcp list` and `codex mcp list` run offline in a scratch HOME with no
login. Gemini tries to connect (the servers here fail at once: a command that exits, a closed
local port); Claude lists project servers as pending approval; Codex reads the project's
`.codex/config.toml` only for a trusted project, so the scratch `~/.codex/config.toml` trusts it.
Each test is skipped when its CLI is not installed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_cli_skill_loaders import real_cli, run, scratch_env

pytestmark = pytest.mark.integration

CONFIG = """\
targets: [claude, gemini, codex]
mcp:
  local-db:
    command: "false"
    args: [--readonly]
    env: {DB_TOKEN: "${DB_TOKEN}", LOG_LEVEL: debug}
    timeout: 5
  tracker:
    type: http
    url: http://127.0.0.1:9/mcp
    headers: {Authorization: "Bearer ${TRACKER_TOKEN}"}
  events:
    type: sse
    url: http://127.0.0.1:9/sse
    targets: [claude, gemini]
"""


@pytest.fixture
def mirrored(build_tree, run_cli) -> Path:
    root: Path = build_tree({"rulesync.yaml": CONFIG, ".rulesync/rules/a.md": "# Rules\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    return root


def test_gemini_lists_every_server_with_its_transport(mirrored: Path, tmp_path: Path) -> None:
    output = run([str(real_cli("gemini")), "mcp", "list"], mirrored, scratch_env(tmp_path))
    assert "Invalid configuration" not in output
    assert re.search(r"local-db: false --readonly \(stdio\)", output), output
    assert re.search(r"tracker: http://127\.0\.0\.1:9/mcp \(http\)", output), output
    assert re.search(r"events: http://127\.0\.0\.1:9/sse \(sse\)", output), output


def test_claude_lists_every_server(mirrored: Path, tmp_path: Path) -> None:
    output = run([str(real_cli("claude")), "mcp", "list"], mirrored, scratch_env(tmp_path))
    assert re.search(r"^local-db: false --readonly", output, re.MULTILINE), output
    assert re.search(r"^tracker: http://127\.0\.0\.1:9/mcp \(HTTP\)", output, re.MULTILINE)
    assert re.search(r"^events: http://127\.0\.0\.1:9/sse \(SSE\)", output, re.MULTILINE)
    # The references reached Claude as references: it names the variables it lacks.
    assert "DB_TOKEN" in output and "TRACKER_TOKEN" in output


def test_codex_lists_the_servers_of_a_trusted_project(mirrored: Path, tmp_path: Path) -> None:
    env = scratch_env(tmp_path)
    trust = f'[projects."{mirrored.resolve()}"]\ntrust_level = "trusted"\n'
    (Path(env["CODEX_HOME"]) / "config.toml").write_text(trust)
    output = run([str(real_cli("codex")), "mcp", "list"], mirrored, env)
    local = re.search(r"^local-db\s+false\s+--readonly\s+(.*)$", output, re.MULTILINE)
    assert local is not None, output
    # a literal is set in `env`, a reference is passed through by name (`env_vars`)
    assert "LOG_LEVEL=*****" in local.group(1) and "DB_TOKEN=*****" in local.group(1)
    assert re.search(r"^tracker\s+http://127\.0\.0\.1:9/mcp\s+TRACKER_TOKEN", output, re.MULTILINE)
    assert "events" not in output


def test_servers_claude_added_come_through_import_to_every_agent(
    build_tree, run_cli, tmp_path: Path
) -> None:
    """`claude mcp add -s project` → `rulesync import` → `mirror`: Claude's file is unchanged
    byte for byte, and Gemini and Codex list the same servers."""
    claude = str(real_cli("claude"))
    root: Path = build_tree({"CLAUDE.md": "# Rules\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    env = scratch_env(tmp_path)
    add = [claude, "mcp", "add", "-s", "project"]
    run([*add, "db", "-e", "API_TOKEN=${API_TOKEN}", "--", "dbserver", "--ro"], root, env)
    web = ["-t", "http", "web", "http://127.0.0.1:9/mcp", "-H", "Authorization: Bearer ${WEB}"]
    run([*add, *web], root, env)
    written_by_claude = (root / ".mcp.json").read_bytes()
    imported = run_cli("-C", root, "import", "--from", "claude")
    assert imported.exit_code == 0, imported.stderr
    mirrored = run_cli("-C", root, "mirror")
    assert mirrored.exit_code == 0, mirrored.stdout + mirrored.stderr
    assert (root / ".mcp.json").read_bytes() == written_by_claude
    assert run_cli("-C", root, "check").exit_code == 0
    listed = run([str(real_cli("gemini")), "mcp", "list"], root, env)
    assert "db: dbserver --ro (stdio)" in listed and "web: http://127.0.0.1:9/mcp (http)" in listed
    (Path(env["CODEX_HOME"]) / "config.toml").write_text(
        f'[projects."{root.resolve()}"]\ntrust_level = "trusted"\n'
    )
    listed = run([str(real_cli("codex")), "mcp", "list"], root, env)
    assert re.search(r"^db\s+dbserver\s+--ro\s+API_TOKEN=\*+", listed, re.MULTILINE), listed
    assert re.search(r"^web\s+http://127\.0\.0\.1:9/mcp\s+WEB\b", listed, re.MULTILINE), listed
