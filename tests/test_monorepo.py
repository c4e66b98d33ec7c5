"""Monorepos: `packages: [packages/*]`; each package's `.rulesync/rules/` adds or overrides."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "docs/examples/monorepo"


@pytest.fixture
def mono(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLE, root)
    return root


def written(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "/.rulesync/" not in f"/{p.relative_to(root).as_posix()}"
        if p.name != "rulesync.yaml"
    }


ALL = {
    "CLAUDE.md",
    "GEMINI.md",
    "AGENTS.md",
    ".claude/rules/sql.md",
    ".claude/rules/packages/api/api.md",
    ".claude/rules/packages/api/style.md",
    ".claude/rules/packages/web/components.md",
    "packages/api/AGENTS.md",
    "packages/api/GEMINI.md",
    "packages/web/src/AGENTS.md",
    "packages/web/src/GEMINI.md",
}


def test_one_mirror_at_the_root_covers_every_package(mono: Path, run_cli) -> None:
    result = run_cli("-C", mono, "mirror")
    assert result.exit_code == 0, result.stderr
    assert written(mono) == ALL
    api = (mono / "packages/api/AGENTS.md").read_text()
    assert "<!-- rulesync:source packages/api/.rulesync/rules/api.md -->\n## API" in api
    assert (
        "_In `packages/api/`, this takes precedence over the project-wide rule `style`._\n\n"
        "## Style (Python)"
    ) in api
    assert "Names say what a thing is." in (mono / "AGENTS.md").read_text()
    web = (mono / "packages/web/src/GEMINI.md").read_text()
    assert "_Applies to files matching `packages/web/src/**/*.tsx`._" in web
    claude = (mono / ".claude/rules/packages/api/api.md").read_text()
    assert 'paths:\n  - "packages/api/**"\n' in claude
    assert run_cli("-C", mono, "check").exit_code == 0


def test_root_check_sees_a_package_rule_change(mono: Path, run_cli) -> None:
    assert run_cli("-C", mono, "mirror").exit_code == 0
    rule = mono / "packages/web/.rulesync/rules/components.md"
    rule.write_text(rule.read_text().replace("One component per file.", "Small files."))
    check = run_cli("-C", mono, "check")
    assert check.exit_code == 1
    assert "packages/web/src/AGENTS.md" in check.stdout
    assert "packages/api/AGENTS.md" not in check.stdout


def test_a_new_package_source_is_seen_by_check(mono: Path, run_cli) -> None:
    assert run_cli("-C", mono, "mirror").exit_code == 0
    (mono / "packages/cli/.rulesync/rules").mkdir(parents=True)
    (mono / "packages/cli/.rulesync/rules/cli.md").write_text("Exit 2 on usage errors.\n")
    check = run_cli("-C", mono, "check")
    assert check.exit_code == 1
    assert "packages/cli/AGENTS.md" in check.stdout


def test_dash_c_on_a_package_works_on_that_package_only(mono: Path, run_cli) -> None:
    result = run_cli("-C", mono / "packages/api", "mirror")
    assert result.exit_code == 0, result.stderr
    assert written(mono) == {
        ".claude/rules/packages/api/api.md",
        ".claude/rules/packages/api/style.md",
        "packages/api/AGENTS.md",
        "packages/api/GEMINI.md",
    }
    lock = json.loads((mono / ".rulesync/mirror.lock").read_text())
    assert set(lock["files"]) == written(mono)
    assert run_cli("-C", mono / "packages/api", "check").exit_code == 0
    assert run_cli("-C", mono, "check").exit_code == 1  # the rest is still missing
    assert run_cli("-C", mono, "mirror").exit_code == 0
    assert written(mono) == ALL
    rule = mono / "packages/web/.rulesync/rules/components.md"
    rule.write_text("Changed.\n")
    assert run_cli("-C", mono / "packages/api", "check").exit_code == 0
    # mirroring one package keeps the lock entries of the others
    assert run_cli("-C", mono / "packages/api", "mirror").exit_code == 0
    lock = json.loads((mono / ".rulesync/mirror.lock").read_text())
    assert set(lock["files"]) == ALL
    assert run_cli("-C", mono, "check").exit_code == 1


def test_a_hand_written_package_agents_md_is_a_conflict(mono: Path, run_cli) -> None:
    (mono / "packages/api/AGENTS.md").write_text("# our notes\n")
    result = run_cli("-C", mono, "mirror")
    assert result.exit_code == 1
    assert "conflict        packages/api/AGENTS.md  (exists, but rulesync did not write it)" in (
        result.stdout
    )
    assert (mono / "packages/api/AGENTS.md").read_text() == "# our notes\n"


def test_a_package_root_rule_is_an_error(mono: Path, run_cli) -> None:
    (mono / "packages/web/.rulesync/rules/top.md").write_text("---\nroot: true\n---\nTop.\n")
    result = run_cli("-C", mono, "mirror")
    assert result.exit_code == 2
    assert (
        "packages/web/.rulesync/rules/top.md:1: a package's rule cannot be the root rule"
        in result.stderr
    )
    assert written(mono) == set()


def test_bad_packages_entries_are_config_errors(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "packages: ['../other/*', 'a/**']\n",
            ".rulesync/rules/main.md": "Main.\n",
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "`packages` entry `../other/*` must be a folder inside the project" in result.stderr
    assert "`packages` entry `a/**` must be a folder inside the project" in result.stderr


def test_symlinked_package_folders_are_not_packages(mono: Path, run_cli, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / ".rulesync/rules").mkdir(parents=True)
    (elsewhere / ".rulesync/rules/x.md").write_text("Outside.\n")
    (mono / "packages/linked").symlink_to(elsewhere)
    assert run_cli("-C", mono, "mirror").exit_code == 0
    assert not (elsewhere / "AGENTS.md").exists()
    assert written(mono) == ALL


def test_snapshot_of_every_scoped_output(mono: Path, run_cli, snapshot) -> None:
    """The example monorepo's files for every agent (review with --snapshot-update)."""
    assert run_cli("-C", mono, "mirror").exit_code == 0
    assert {path: (mono / path).read_text() for path in sorted(written(mono))} == snapshot


def test_package_check_names_files_from_the_working_directory(
    mono: Path, run_cli, monkeypatch
) -> None:
    assert run_cli("-C", mono, "mirror").exit_code == 0
    (mono / "packages/api/AGENTS.md").write_text("edited\n")
    monkeypatch.chdir(mono)
    check = run_cli("-C", "packages/api", "check")
    assert check.exit_code == 1
    assert "packages/api/AGENTS.md" in check.stdout
    assert "packages/api/packages/api" not in check.stdout


def test_package_sources_that_lead_out_of_the_project(mono: Path, run_cli, tmp_path) -> None:
    from tests.treestate import tree_state

    outside = tmp_path / "outside"
    (outside / "rules").mkdir(parents=True)
    (outside / "rules/x.md").write_text("Outside.\n")
    before = tree_state(outside)
    (mono / "packages/linked-source").mkdir()
    (mono / "packages/linked-source/.rulesync").symlink_to(outside)
    assert run_cli("-C", mono, "mirror").exit_code == 0
    assert written(mono) == ALL  # a symlinked package source is not a source
    (mono / "packages/api/.rulesync/rules/leak.md").symlink_to(outside / "rules/x.md")
    result = run_cli("-C", mono, "mirror")
    assert result.exit_code == 2
    assert "packages/api/.rulesync/rules/leak.md: is a symlink to" in result.stderr
    assert "outside the project" in result.stderr
    assert tree_state(outside) == before
