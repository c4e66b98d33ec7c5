"""`rulesync lint --hook`: the PreToolUse / BeforeTool gate, fed real tool-call payloads.

The payloads are shaped as Claude Code 2.1 sends them to a PreToolUse command hook (common
fields from the hook runner, `tool_input` as in the SDK's FileWriteInput / FileEditInput, and
MultiEdit's `edits` from earlier versions), and as Gemini CLI 0.61 sends BeforeTool (see its
bundled docs/hooks/reference.md). Exit 2 blocks the call and stderr goes to the model.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rulesync.linting.agent_hook import PlannedWrite, planned_writes

CONFIG = "lint:\n  identity:\n    names:\n      - GitHub\n      - Müller GmbH\n"
EXISTING = "# Offer\n\nOld text by Mueller GmbH.\n\n```sh\ngit clone repo\n```\n\nThe end.\n"


def claude_payload(root: Path, tool: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": "5f0c5a2e-1b7d-4c11-9d3e-0a6c2f1e9b77",
        "transcript_path": "/home/dev/.claude/projects/-work-offer/5f0c5a2e.jsonl",
        "cwd": str(root),
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": tool_input,
        "tool_use_id": "toolu_01QmR8Ga6b8Jz1Xo4c5XvYpL",
    }


def gemini_payload(root: Path, tool: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": "f3b1c2d4-0000-4e5f-8a9b-112233445566",
        "transcript_path": "/home/dev/.gemini/tmp/abc/chats/session.json",
        "cwd": str(root),
        "hook_event_name": "BeforeTool",
        "timestamp": "2026-11-22T08:00:00.000Z",
        "tool_name": tool,
        "tool_input": tool_input,
    }


@pytest.fixture
def project(build_tree: Any) -> Path:
    root: Path = build_tree({"rulesync.yaml": CONFIG, "docs/offer.md": EXISTING})
    return root


@pytest.fixture
def hook(run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    def run(root: Path, payload: dict[str, Any] | str, agent: str = "claude") -> Any:
        raw = payload if isinstance(payload, str) else json.dumps(payload)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw.encode())))
        return run_cli("-C", root, "lint", "--hook", agent)

    return run


def test_write_with_a_misspelt_name_is_blocked(project: Path, hook: Any) -> None:
    content = "# Angebot\n\nFür die Mueller GmbH, gehostet auf Github.\n"
    payload = claude_payload(
        project, "Write", {"file_path": str(project / "docs/new.md"), "content": content}
    )
    result = hook(project, payload)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "rulesync lint blocked this write to docs/new.md. Fix and write again:\n"
        '- docs/new.md:3:9: write "Müller GmbH", not "Mueller GmbH": umlaut or ß written out\n'
        '- docs/new.md:3:36: write "GitHub", not "Github": wrong case\n'
        "Always spell these names exactly so: GitHub, Müller GmbH.\n"
    )


def test_clean_write_passes_silently(project: Path, hook: Any) -> None:
    payload = claude_payload(
        project,
        "Write",
        {"file_path": str(project / "docs/new.md"), "content": "Die Müller GmbH auf GitHub.\n"},
    )
    result = hook(project, payload)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("name", ["script.py", "data.json", "Makefile"])
def test_files_that_are_not_prose_pass(project: Path, hook: Any, name: str) -> None:
    payload = claude_payload(
        project, "Write", {"file_path": str(project / name), "content": "Github = 1\n"}
    )
    assert hook(project, payload).exit_code == 0


def test_edit_is_linted_in_the_context_of_the_file(project: Path, hook: Any) -> None:
    path = str(project / "docs/offer.md")
    in_code = claude_payload(
        project,
        "Edit",
        {
            "file_path": path,
            "old_string": "git clone repo",
            "new_string": "gh repo clone github/docs",
            "replace_all": False,
        },
    )
    assert hook(project, in_code).exit_code == 0
    in_prose = claude_payload(
        project,
        "Edit",
        {"file_path": path, "old_string": "The end.", "new_string": "See you on Github."},
    )
    blocked = hook(project, in_prose)
    assert blocked.exit_code == 2
    assert '- docs/offer.md:9:12: write "GitHub", not "Github": wrong case' in blocked.stderr


def test_old_mistakes_elsewhere_do_not_block_an_edit(project: Path, hook: Any) -> None:
    payload = claude_payload(
        project,
        "Edit",
        {
            "file_path": str(project / "docs/offer.md"),
            "old_string": "The end.",
            "new_string": "The end, on GitHub.",
        },
    )
    result = hook(project, payload)
    assert (result.exit_code, result.stderr) == (0, "")


def test_multi_edit_reports_lines_of_the_edited_file(project: Path, hook: Any) -> None:
    payload = claude_payload(
        project,
        "MultiEdit",
        {
            "file_path": str(project / "docs/offer.md"),
            "edits": [
                {"old_string": "# Offer", "new_string": "# Offer for\n# GITHUB"},
                {
                    "old_string": "The end.",
                    "new_string": "Signed, Mueller GmbH.",
                    "replace_all": True,
                },
            ],
        },
    )
    result = hook(project, payload)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1:3] == [
        '- docs/offer.md:2:3: write "GitHub", not "GITHUB": wrong case',
        '- docs/offer.md:10:9: write "Müller GmbH", not "Mueller GmbH": umlaut or ß written out',
    ]


def test_edit_whose_old_string_is_missing_lints_the_new_text_alone(
    project: Path, hook: Any
) -> None:
    payload = claude_payload(
        project,
        "Edit",
        {"file_path": str(project / "docs/gone.md"), "old_string": "x", "new_string": "Github"},
    )
    result = hook(project, payload)
    assert result.exit_code == 2
    assert "- docs/gone.md:1:1:" in result.stderr


def test_gemini_write_file_with_a_relative_path(project: Path, hook: Any) -> None:
    payload = gemini_payload(
        project, "write_file", {"file_path": "docs/notes.md", "content": "Hosted on Github.\n"}
    )
    result = hook(project, payload, "gemini")
    assert (result.exit_code, result.stdout) == (2, "")
    assert '- docs/notes.md:1:11: write "GitHub", not "Github": wrong case' in result.stderr


def test_gemini_replace_with_allow_multiple(project: Path, hook: Any) -> None:
    payload = gemini_payload(
        project,
        "replace",
        {
            "file_path": str(project / "docs/offer.md"),
            "instruction": "Rename the company",
            "old_string": "Mueller GmbH",
            "new_string": "Müller GmbH",
            "allow_multiple": True,
        },
    )
    assert hook(project, payload, "gemini").exit_code == 0


def test_other_tools_pass(project: Path, hook: Any) -> None:
    payload = claude_payload(project, "Bash", {"command": "echo Github > x.md"})
    assert hook(project, payload).exit_code == 0


def test_a_payload_that_is_not_json_warns_but_does_not_block(project: Path, hook: Any) -> None:
    result = hook(project, "not json")
    assert result.exit_code == 1
    assert result.stderr == (
        "rulesync lint --hook: stdin is not JSON (Expecting value at line 1); "
        "the write goes ahead unlinted\n"
    )


def test_a_bad_tool_input_warns(project: Path, hook: Any) -> None:
    result = hook(project, claude_payload(project, "Write", {"file_path": "a.md"}))
    assert result.exit_code == 1
    assert result.stderr == (
        "rulesync lint --hook: `tool_input.content` is missing or not a string; "
        "the write goes ahead unlinted\n"
    )


def test_without_configured_lints_everything_passes(build_tree: Any, hook: Any) -> None:
    root = build_tree({"docs/a.md": "x"})
    payload = claude_payload(root, "Write", {"file_path": str(root / "a.md"), "content": "Github"})
    assert hook(root, payload).exit_code == 0


def test_a_broken_configuration_warns_and_lets_the_write_through(
    build_tree: Any, hook: Any
) -> None:
    root = build_tree({"rulesync.yaml": "lint:\n  identity:\n    names: [X]\n"})
    payload = claude_payload(root, "Write", {"file_path": str(root / "a.md"), "content": "Github"})
    result = hook(root, payload)
    assert result.exit_code == 1
    assert "`X` is too short to check reliably" in result.stderr


@pytest.mark.parametrize(
    ("current", "edits", "text", "parts"),
    [
        ("a b a", [("a", "X", False)], "X b a", ((0, 1),)),
        ("a b a", [("a", "XY", True)], "XY b XY", ((0, 2), (5, 7))),
        ("one two", [("one", "1", False), ("two", "2", False)], "1 2", ((0, 1), (2, 3))),
        ("abc", [("b", "BBB", False), ("BB", "x", False)], "axBc", ((1, 3),)),
        ("", [("", "new file", False)], "new file", ((0, 8),)),
    ],
)
def test_planned_edits(
    current: str, edits: list[tuple[str, str, bool]], text: str, parts: tuple[Any, ...]
) -> None:
    tool_input = {
        "file_path": "/p/a.md",
        "edits": [{"old_string": o, "new_string": n, "replace_all": a} for o, n, a in edits],
    }
    payload = {"tool_name": "MultiEdit", "tool_input": tool_input}
    assert planned_writes(payload, lambda path: current) == [PlannedWrite("/p/a.md", text, parts)]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs a POSIX environment")
def test_the_console_script_blocks_with_exit_code_2(project: Path) -> None:
    script = Path(sys.executable).with_name("rulesync-hook")
    if not script.exists():
        pytest.skip("the rulesync-hook launcher is not installed next to this Python")
    payload = claude_payload(
        project, "Write", {"file_path": str(project / "docs/x.md"), "content": "Github\n"}
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["CLAUDE_PROJECT_DIR"] = str(project)
    done = subprocess.run(
        'rulesync-hook -C "$CLAUDE_PROJECT_DIR" lint --hook claude',
        shell=True,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env={**env, "PATH": f"{script.parent}{os.pathsep}{env.get('PATH', '')}"},
        cwd="/",
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert '- docs/x.md:1:1: write "GitHub", not "Github": wrong case' in done.stderr
