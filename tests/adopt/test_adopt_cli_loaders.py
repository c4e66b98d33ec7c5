"""After import → mirror, the real CLIs' own loaders list each skill once and no command as a
skill (skipped when the CLI is not installed; see tests/test_cli_skill_loaders.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_cli_skill_loaders import real_cli, run, scratch_env

from .shapes import adopt
from .test_layout_cleanup import COMMANDS, FIXTURES, SKILLS, flat

pytestmark = pytest.mark.integration


def adopted(build_tree, run_cli, agent: str) -> Path:
    root = build_tree(FIXTURES[agent])
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    imported, mirrored, checked = adopt(run_cli, root, agent)
    assert imported.exit_code == 0, imported.stderr
    assert mirrored.exit_code == 0, mirrored.stderr
    assert checked.exit_code == 0, checked.stdout
    return root


@pytest.mark.parametrize("agent", sorted(FIXTURES))
def test_gemini_lists_each_adopted_skill_once(build_tree, run_cli, tmp_path, agent: str) -> None:
    gemini = str(real_cli("gemini"))
    root = adopted(build_tree, run_cli, agent)
    output = run([gemini, "skills", "list"], root, scratch_env(tmp_path))
    assert "Skill conflict" not in output
    listed = re.findall(r"^(\S+) \[(?:Enabled|Disabled)\]$", output, re.MULTILINE)
    locations = re.findall(r"Location:\s+(\S+)", output)
    project = [
        name for name, place in zip(listed, locations, strict=True) if place.startswith(str(root))
    ]
    assert sorted(project) == sorted(SKILLS)


@pytest.mark.parametrize("agent", sorted(FIXTURES))
def test_codex_lists_each_adopted_skill_and_command_once(
    build_tree, run_cli, tmp_path, agent: str
) -> None:
    codex = str(real_cli("codex"))
    root = adopted(build_tree, run_cli, agent)
    output = run([codex, "debug", "prompt-input", "hi"], root, scratch_env(tmp_path))
    text = output.replace("\\n", "\n")
    roots = dict(re.findall(r"- `(r\d+)` = `([^`]+)`", text))
    project_roots = {key for key, path in roots.items() if path.startswith(str(root))}
    listed = re.findall(r"^- ([a-z0-9-]+): .*\(file: (r\d+)/", text, re.MULTILINE)
    project = [name for name, key in listed if key in project_roots]
    assert sorted(project) == sorted(SKILLS | {flat(c) for c in COMMANDS})
