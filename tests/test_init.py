"""`rulesync init`: rulesync.yaml, the source skeleton, and the pre-commit hooks, kept idempotent."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rulesync.adopt.init_files import OPTION_HELP, STARTER_RULE
from rulesync.adopt.precommit import HOOK_IDS, PLACEHOLDER_REPO, add_hooks
from rulesync.source.config import TARGET_OPTIONS, load_config

COMMENTED_CONFIG = """\
# Pre-commit hooks for the Acme portal.   <- keep this header
# See https://pre-commit.com for more information
default_language_version:
    python: python3.11   # pinned: CI runs 3.11
exclude: '^(vendor|third_party)/'
fail_fast: false

repos:
# --- housekeeping -------------------------------------------------
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: "v4.6.0"  # the last release that supports our CI image
    hooks:
    -   id: trailing-whitespace
    -   id: end-of-file-fixer
        exclude: "\\\\.svg$"
    -   id: check-yaml
        args: [--allow-multiple-documents]

# --- formatting ---------------------------------------------------
-   repo: https://github.com/psf/black
    rev: 24.4.2
    hooks:
    -   id: black
        args: ['--line-length=100']  # wide screens
        language_version: python3.11
# end of file: add new repos above this line
"""
NEW_CONFIG = """\
# See https://pre-commit.com for more information
repos:
  # rulesync's hooks run the installed `rulesync`: it must be on PATH when you commit
  - repo: local
    hooks:
      - id: rulesync-check
        name: rulesync check
        entry: rulesync check
        language: system
        pass_filenames: false
        always_run: true
      - id: identity-lint
        name: identity lint
        entry: rulesync lint --only identity
        language: system
        types_or: [markdown, plain-text]
        require_serial: false
      - id: umlaut-lint
        name: umlaut lint
        entry: rulesync lint --only umlaut
        language: system
        types_or: [markdown, plain-text]
        require_serial: false
"""
#: the local entry as ruamel writes it into a file indented `- repo:` at column 0
LOCAL_BLOCK = (
    "- repo: local\n  hooks:\n"
    "  - id: rulesync-check\n    name: rulesync check\n    entry: rulesync check\n"
    "    language: system\n    pass_filenames: false\n    always_run: true\n"
    "  - id: identity-lint\n    name: identity lint\n    entry: rulesync lint --only identity\n"
    "    language: system\n    types_or: [markdown, plain-text]\n    require_serial: false\n"
    "  - id: umlaut-lint\n    name: umlaut lint\n    entry: rulesync lint --only umlaut\n"
    "    language: system\n    types_or: [markdown, plain-text]\n    require_serial: false\n"
)


def _indent(line: str) -> str:
    """LOCAL_BLOCK in a file that indents sequences by 2 with an offset of 2."""
    return "  " if line.startswith(("- ", "  hooks")) else "    "


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_init_writes_config_skeleton_and_hooks(build_tree, run_cli, snapshot) -> None:
    root = build_tree({".pre-commit-config.yaml": COMMENTED_CONFIG})
    result = run_cli("-C", root, "init")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "create          rulesync.yaml\n"
        "create          .rulesync/rules/main.md\n"
        "create          .rulesync/commands/.gitkeep\n"
        "create          .rulesync/skills/.gitkeep\n"
        "create          .rulesync/subagents/.gitkeep\n"
        "update          .pre-commit-config.yaml  (hooks rulesync-check, identity-lint, umlaut-lint)\n"
        "Next: write your rules in .rulesync/, then run `rulesync mirror`.\n"
    )
    updated = (root / ".pre-commit-config.yaml").read_text()
    assert updated.startswith(COMMENTED_CONFIG)  # every byte of the user's file survives
    assert updated == snapshot
    assert (root / ".rulesync/rules/main.md").read_bytes() == STARTER_RULE


def test_second_run_adds_nothing_twice(build_tree, run_cli) -> None:
    root = build_tree({".pre-commit-config.yaml": COMMENTED_CONFIG})
    run_cli("-C", root, "init")
    before = tree(root)
    again = run_cli("-C", root, "init", "--hooks-only")
    assert again.exit_code == 0
    assert again.stdout == (
        "identical       .pre-commit-config.yaml  (rulesync's hooks are there already)\n"
    )
    assert tree(root) == before


def test_refuses_to_overwrite_rulesync_yaml_and_writes_nothing(build_tree, run_cli) -> None:
    root = build_tree(
        {"rulesync.yaml": "targets: [claude]\n", ".pre-commit-config.yaml": COMMENTED_CONFIG}
    )
    before = tree(root)
    result = run_cli("-C", root, "init")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: rulesync.yaml: exists already; init never overwrites it (nothing was written) "
        "(edit it by hand, or run `rulesync init --hooks-only` to add just the pre-commit hooks)\n"
    )
    assert tree(root) == before


def test_new_pre_commit_config_when_there_is_none(build_tree, run_cli) -> None:
    root = build_tree({"README.md": "hi\n"})
    result = run_cli("-C", root, "init", "--targets", "claude")
    assert result.exit_code == 0
    assert (
        "create          .pre-commit-config.yaml  (hooks rulesync-check, identity-lint, umlaut-lint)\n"
        in result.stdout
    )
    assert (root / ".pre-commit-config.yaml").read_text() == NEW_CONFIG


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # our local repo is there with one hook: the others join it, nothing else changes
        (
            "repos:\n- repo: local  # ours\n  hooks:\n  - id: rulesync-check\n    entry: rulesync check\n",
            "repos:\n- repo: local  # ours\n  hooks:\n  - id: rulesync-check\n    entry: rulesync check\n"
            + LOCAL_BLOCK.split("    always_run: true\n", 1)[1],
        ),
        # a local repo provides the hooks already: nothing is added
        (
            "repos:\n  - repo: local\n    hooks:\n      - id: rulesync-check\n      - id: identity-lint\n"
            "      - id: umlaut-lint\n",
            None,
        ),
        # the placeholder repository an earlier init wrote is replaced by the local hooks
        (
            f"repos:\n- repo: {PLACEHOLDER_REPO}\n  rev: v0.1.0\n  hooks:\n  - id: rulesync-check\n",
            f"repos:\n{LOCAL_BLOCK}",
        ),
        # an empty flow list becomes a block list
        ("repos: []\n", f"repos:\n{LOCAL_BLOCK}"),
        # a document start marker and keys after `repos:` stay where they are
        (
            '---\nrepos:\n  - repo: x\n    rev: "1"\n    hooks:\n      - id: a\nci:\n  autofix: true  # yes\n',
            '---\nrepos:\n  - repo: x\n    rev: "1"\n    hooks:\n      - id: a\n'
            + "".join(f"{_indent(line)}{line}\n" for line in LOCAL_BLOCK.splitlines())
            + "ci:\n  autofix: true  # yes\n",
        ),
    ],
)
def test_hooks_join_any_config_style(text: str, expected: str | None) -> None:
    update = add_hooks(text.encode())
    if expected is None:
        assert update.added == ()
        assert update.content == text.encode()
    else:
        assert update.content.decode() == expected


def test_crlf_config_keeps_crlf() -> None:
    text = "repos:\r\n- repo: x\r\n  rev: '1'\r\n  hooks:\r\n  - id: a\r\n"
    content = add_hooks(text.encode()).content
    assert content.startswith(text.encode())
    assert b"\n" not in content.replace(b"\r\n", b"")


def test_invalid_pre_commit_config_names_the_line_and_writes_nothing(build_tree, run_cli) -> None:
    root = build_tree({".pre-commit-config.yaml": "repos:\n  - repo: x\n   bad: [\n"})
    result = run_cli("-C", root, "init")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: .pre-commit-config.yaml:3: invalid YAML: ")
    assert "by hand" in result.stderr
    assert not (root / "rulesync.yaml").exists()
    assert not (root / ".rulesync").exists()


def test_unknown_target_is_a_usage_error(build_tree, run_cli) -> None:
    root = build_tree({})
    result = run_cli("-C", root, "init", "--targets", "claude,gemnii")
    assert result.exit_code == 2
    assert result.stderr == ("error: --targets: unknown target `gemnii` (did you mean `gemini`?)\n")
    assert tree(root) == {}


def test_rulesync_yaml_explains_every_key_and_loads(build_tree, run_cli) -> None:
    root = build_tree({})
    run_cli("-C", root, "init", "--targets", "codex,claude")
    text = (root / "rulesync.yaml").read_text()
    config = load_config(root)
    assert config.targets == ("claude", "codex")
    assert config.source == ".rulesync"
    assert config.lint == {} and config.dispatch == {}
    for key in ("targets:", "source:", "# lint:", "# dispatch:", "identity:", "umlaut:"):
        assert key in text
    for target, options in TARGET_OPTIONS.items():
        assert f"\n{target}:\n" in text
        for option, default in options.items():
            assert (target, option) in OPTION_HELP, f"explain {target}.{option} in OPTION_HELP"
            assert f"  # {option}: " in text
            shown = str(default).lower() if isinstance(default, bool) else str(default)
            assert f"\n  {option}: {shown}\n" in text


def test_mirror_runs_on_a_fresh_init(build_tree, run_cli) -> None:
    root = build_tree({})
    run_cli("-C", root, "init")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "Put separate topics in more files" in (root / "AGENTS.md").read_text()


def test_existing_setup_gets_no_starter_rule_but_a_hint(build_tree, run_cli) -> None:
    root = build_tree({"CLAUDE.md": "# Mine\n", ".gemini/commands/x.toml": 'prompt = "x"\n'})
    result = run_cli("-C", root, "init")
    assert result.exit_code == 0
    assert not (root / ".rulesync/rules/main.md").exists()
    assert (root / ".rulesync/rules/.gitkeep").exists()
    assert (
        "note: found an existing claude setup: run `rulesync import --from claude` to bring it in\n"
        "note: found an existing gemini setup: run `rulesync import --from gemini` to bring it in\n"
    ) in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_accepts_the_result(build_tree, run_cli) -> None:
    root = build_tree({".pre-commit-config.yaml": COMMENTED_CONFIG})
    run_cli("-C", root, "init")
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = (root / ".pre-commit-config.yaml").read_text()
    for hook in HOOK_IDS:
        assert f"-   id: {hook}\n" in text
