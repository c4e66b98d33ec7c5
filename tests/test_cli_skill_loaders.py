"""The real CLIs' own loaders list each mirrored skill once and no command as a skill.

- Gemini CLI: `gemini skills list` (trusted workspace, scratch HOME) for skills; its bundled
  `FileCommandLoader`, imported from Node, for the TOML commands.
- Codex CLI: `codex debug prompt-input` prints the skills block Codex would send.
Each is skipped when the CLI is not installed (npm: /tmp/clis, /tmp/npmcli, or PATH).
Claude Code has no offline lister; its folder (`.claude/skills` only) is covered by
tests/test_skill_layout.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from skill_layout_fixture import CODEX_SKILLS, GEMINI_COMMANDS, GEMINI_SKILLS, LAYOUT_PROJECT

pytestmark = pytest.mark.integration

NPM_BINS = (Path("/tmp/clis/node_modules/.bin"), Path("/tmp/npmcli/node_modules/.bin"))
TIMEOUT = 120

#: imports Gemini's own command loader from its bundle and prints the commands it loads
LIST_GEMINI_COMMANDS = """
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
const bundle = process.argv[2];
const file = readdirSync(bundle).filter((n) => n.endsWith(".js")).find((n) => {
  const text = readFileSync(join(bundle, n), "utf8");
  return text.includes("var FileCommandLoader = class") && /\\n  FileCommandLoader,\\n/.test(text);
});
const mod = await import(pathToFileURL(join(bundle, file)).href);
const commands = await new mod.FileCommandLoader(null).loadCommands(new AbortController().signal);
console.log(JSON.stringify(commands.map((c) => c.name)));
process.exit(0);
"""


def real_cli(name: str) -> Path:
    for folder in NPM_BINS:
        if (folder / name).exists():
            return folder / name
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return Path(found)


@pytest.fixture
def mirrored(build_tree, run_cli, tmp_path: Path) -> Path:
    root = build_tree(LAYOUT_PROJECT)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    return root


def scratch_env(tmp_path: Path) -> dict[str, str]:
    """An empty HOME and no vendor keys: nothing of the machine's user is read."""
    home = tmp_path / "home"
    (home / ".codex").mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith(("_API_KEY", "_TOKEN"))
        and not key.startswith(("GEMINI_", "GOOGLE_", "CODEX_", "CLAUDE_"))
    }
    env.update(HOME=str(home), CODEX_HOME=str(home / ".codex"), GEMINI_CLI_TRUST_WORKSPACE="true")
    return env


def run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_gemini_lists_each_skill_once_and_no_command_as_a_skill(
    mirrored: Path, tmp_path: Path
) -> None:
    output = run([str(real_cli("gemini")), "skills", "list"], mirrored, scratch_env(tmp_path))
    assert "Skill conflict" not in output
    listed = re.findall(r"^(\S+) \[(?:Enabled|Disabled)\]$", output, re.MULTILINE)
    project = [
        name
        for name, location in zip(listed, re.findall(r"Location:\s+(\S+)", output), strict=True)
        if location.startswith(str(mirrored))
    ]
    assert sorted(project) == sorted(GEMINI_SKILLS)


def test_gemini_loads_every_command_as_a_command(mirrored: Path, tmp_path: Path) -> None:
    gemini = real_cli("gemini").resolve()
    bundle = gemini.parent if gemini.name.endswith(".js") else gemini.parent / "bundle"
    if not (bundle / "gemini.js").exists():
        pytest.skip("Gemini CLI's bundle folder not found")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "list_commands.mjs"
    script.write_text(LIST_GEMINI_COMMANDS)
    output = run([node, str(script), str(bundle)], mirrored, scratch_env(tmp_path))
    names = json.loads(output.strip().splitlines()[-1])
    assert sorted(names) == sorted(GEMINI_COMMANDS)
    assert not set(names) & GEMINI_SKILLS


def test_codex_lists_each_skill_and_each_command_once(mirrored: Path, tmp_path: Path) -> None:
    codex = str(real_cli("codex"))
    output = run([codex, "debug", "prompt-input", "hi"], mirrored, scratch_env(tmp_path))
    text = output.replace("\\n", "\n")
    roots = dict(re.findall(r"- `(r\d+)` = `([^`]+)`", text))
    project_roots = {key for key, path in roots.items() if path.startswith(str(mirrored))}
    listed = re.findall(r"^- ([a-z0-9-]+): .*\(file: (r\d+)/", text, re.MULTILINE)
    project = [name for name, root in listed if root in project_roots]
    assert sorted(project) == sorted(CODEX_SKILLS)


def test_a_leftover_copy_is_a_gemini_conflict_and_a_check_finding(
    mirrored: Path, tmp_path: Path, run_cli
) -> None:
    """What a Gemini import left behind: check reports exactly what Gemini complains about."""
    leftover = mirrored / ".gemini/skills/shared/SKILL.md"
    leftover.parent.mkdir(parents=True)
    leftover.write_text((mirrored / ".agents/skills/shared/SKILL.md").read_text())
    output = run([str(real_cli("gemini")), "skills", "list"], mirrored, scratch_env(tmp_path))
    assert 'Skill conflict detected: "shared"' in output
    result = run_cli("-C", mirrored, "check")
    assert result.exit_code == 1
    assert result.stdout.startswith("duplicate    .gemini/skills/shared/SKILL.md  (Gemini CLI")
