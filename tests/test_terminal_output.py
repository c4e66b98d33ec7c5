"""Text taken from files reaches the terminal escaped: a hand edit or a file name cannot send
escape sequences (colours, cursor moves, forged lines) to the user's terminal."""

from __future__ import annotations

from conftest import BuildTree

ESC = "\x1b"
PROJECT = {
    "rulesync.yaml": "targets: [claude]\n",
    ".rulesync/rules/main.md": "---\nroot: true\n---\n# Rules\n\nRun the tests.\n",
}


def test_check_shows_a_hand_edit_with_escapes_escaped(build_tree: BuildTree, run_cli) -> None:
    root = build_tree(PROJECT)
    assert run_cli("-C", root, "mirror").exit_code == 0
    claude = root / "CLAUDE.md"
    claude.write_text(claude.read_text() + f"{ESC}]0;pwned{ESC}\\{ESC}[2J\rforged line\n")

    result = run_cli("-C", root, "check")

    assert result.exit_code == 1
    assert ESC not in result.stdout + result.stderr
    assert "\\x1b]0;pwned" in result.stdout
    assert "forged line" in result.stdout
    assert "\r" not in result.stdout


def test_mirror_conflict_diff_is_escaped(build_tree: BuildTree, run_cli) -> None:
    root = build_tree(PROJECT)
    assert run_cli("-C", root, "mirror").exit_code == 0
    claude = root / "CLAUDE.md"
    claude.write_text(claude.read_text() + f"{ESC}[31mred\u202eevil\n")

    result = run_cli("-C", root, "mirror")

    assert result.exit_code == 1
    assert ESC not in result.stdout + result.stderr
    assert "\u202e" not in result.stdout + result.stderr
    assert "\\x1b[31mred\\u202eevil" in result.stdout


def test_an_error_naming_a_hostile_file_name_is_escaped(build_tree: BuildTree, run_cli) -> None:
    root = build_tree({**PROJECT, f".rulesync/rules/x{ESC}[8m.md": "---\nroot: true\n---\nTwo.\n"})

    result = run_cli("-C", root, "mirror")

    assert result.exit_code == 2
    assert ESC not in result.stderr
    assert "x\\x1b[8m.md" in result.stderr
