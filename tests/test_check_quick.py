"""The click-free `rulesync check` (rulesync.commands.check_quick) prints what the click
command prints, byte for byte, with the same exit code: in sync, every kind of drift, an
unmanaged file, a config error, `-C`, inside and outside a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from rulesync.commands import check_quick

RULES = {
    "rulesync.yaml": "targets: [claude, codex]\n",
    ".rulesync/rules/main.md": "---\nroot: true\n---\n# Main\n\nBe brief.\n",
    ".rulesync/rules/style.md": "---\ndescription: style\n---\n## Style\n\nShort names.\n",
    ".rulesync/commands/fix.md": "---\ndescription: Fix it\n---\nFix $ARGUMENTS now.\n",
    ".rulesync/commands/old.md": "Old.\n",
    ".rulesync/rules/big.md": "## Big\n\n"
    + "A long line of rules.\n" * 2_000,  # AGENTS.md > 32 KiB
}

#: what a failed import leaves: an empty source beside the agent's own file (a finding)
FAILED_IMPORT = {
    "rulesync.yaml": "targets: [claude]\n",
    ".rulesync/rules/.gitkeep": "",
    "CLAUDE.md": "# Our rules\n",
}

Outcome = tuple[int, str, str]


def _both(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[Outcome, Outcome]:
    """(the quick path, the click command) on the same arguments."""
    from rulesync._cli_group import run

    capsys.readouterr()
    quick = check_quick.main(args)
    assert quick is not None, "the quick path declined"
    out, err = capsys.readouterr()
    code = run(args)
    click_out, click_err = capsys.readouterr()
    return (quick, out, err), (code, click_out, click_err)


def _mirrored(build_tree: Callable[..., Path], run_cli: Callable[..., object]) -> Path:
    root = build_tree(RULES)
    run_cli("-C", root, "mirror")
    return root


def _drift(root: Path) -> None:
    (root / ".rulesync/rules/style.md").write_text("---\ndescription: s\n---\n## Style\n\nNew.\n")
    (root / ".claude/commands/fix.md").write_text("hand edit\n")
    (root / ".rulesync/commands/old.md").unlink()
    (root / "AGENTS.md").unlink()


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("case", ["in sync", "drift", "unmanaged", "config error"])
def test_the_quick_check_prints_what_the_click_command_prints(
    build_tree,
    run_cli,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    terminal: bool,
) -> None:
    root = build_tree(FAILED_IMPORT) if case == "unmanaged" else _mirrored(build_tree, run_cli)
    expected_code = 1 if case in ("drift", "unmanaged") else 0
    if case == "drift":
        _drift(root)
    elif case == "config error":
        (root / "rulesync.yaml").write_text("targets: [nobody]\n")
        expected_code = 2
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(root)
    if terminal:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    quick, click = _both(capsys, ["check"])
    assert quick == click
    assert quick[0] == expected_code
    if case == "drift":
        assert "hand-edited" in quick[1] and "missing" in quick[1] and "orphan" in quick[1]
        assert ("\033[31m" in quick[1]) is terminal
    if case == "unmanaged":
        shown = "\033[31munmanaged   \033[0m CLAUDE.md" if terminal else "unmanaged    CLAUDE.md"
        assert quick[1].startswith(shown)
    if case == "in sync":
        assert "files in sync" in quick[1] and "warning: " in quick[2]
        assert ("\033[33mwarning: \033[0m" in quick[2]) is terminal


def test_the_quick_check_takes_c_dir(
    build_tree, run_cli, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _mirrored(build_tree, run_cli)
    _drift(root)
    monkeypatch.chdir(root.parent)
    quick, click = _both(capsys, ["-C", str(root), "check"])
    assert quick == click
    assert quick[0] == 1 and "hand-edited  .claude/commands/fix.md" in quick[1]


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "json"],
        ["check", "-t", "claude"],
        ["check", "--global"],
        ["-C", "", "check"],
        ["-C", "/no/such/folder/here", "check"],
        ["mirror"],
        ["check", "--help"],
    ],
)
def test_anything_but_the_plain_form_is_left_to_click(args: list[str]) -> None:
    assert check_quick.main(args) is None


def test_github_actions_is_left_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert check_quick.main(["check"]) is None


def test_the_plain_check_never_imports_click(tmp_path: Path, build_tree, run_cli) -> None:
    import subprocess

    root = _mirrored(build_tree, run_cli)
    code = (
        "import sys; from rulesync.cli import main; code = main(['-C', sys.argv[1], 'check']); "
        "print('click' in sys.modules, code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=False
    )
    assert done.stdout.splitlines()[-1] == "False 0", done.stdout + done.stderr
