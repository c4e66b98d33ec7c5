"""The `lint` segment: what lint runs recorded, while the files stay as they were."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from rulesync.status.lintstate import record_path

from .conftest import Homes

YAML = "targets: [claude]\nlint:\n  identity:\n    names: [GitHub]\n"
CLEAN = "# Notes\n\nWe host on GitHub.\n"
WRONG = "# Notes\n\nWe host on Github.\n"


def age(*paths: Path) -> None:
    when = time.time() - 60
    for path in paths:
        os.utime(path, (when, when))


@pytest.fixture
def project(build_tree: Any, homes: Homes) -> Path:
    root: Path = build_tree(
        {
            "rulesync.yaml": YAML,
            ".rulesync/rules/main.md": "---\nroot: true\n---\n# Rules\n",
            "docs/a.md": CLEAN,
            "docs/b.md": CLEAN,
        }
    )
    age(root / "rulesync.yaml", root / "docs/a.md", root / "docs/b.md")
    return root


def segment(run_cli: Any, root: Path) -> str:
    line = run_cli("-C", root, "status", "--for", "plain").stdout.rstrip("\n")
    return line.split(" · ")[-1]


def test_unknown_until_a_lint_has_run(project: Path, run_cli: Any) -> None:
    assert segment(run_cli, project) == "lint ?"


def test_ok_after_a_clean_run_and_findings_after_a_dirty_one(project: Path, run_cli: Any) -> None:
    assert run_cli("-C", project, "lint", "docs").exit_code == 0
    assert segment(run_cli, project) == "lint ok"
    (project / "docs/b.md").write_text(WRONG + WRONG.replace("# Notes\n", ""))
    age(project / "docs/b.md")
    assert run_cli("-C", project, "lint", "docs/b.md").exit_code == 1
    assert segment(run_cli, project) == "lint 2"  # a.md's clean entry is kept beside b.md's


def test_a_file_changed_since_makes_it_unknown(project: Path, run_cli: Any) -> None:
    assert run_cli("-C", project, "lint", "docs").exit_code == 0
    (project / "docs/a.md").write_text(WRONG)
    assert segment(run_cli, project) == "lint ?"
    age(project / "docs/a.md")
    assert segment(run_cli, project) == "lint ?"  # still not linted since the change
    (project / "docs/a.md").unlink()
    assert segment(run_cli, project) == "lint ?"


def test_a_changed_config_makes_it_unknown(project: Path, run_cli: Any) -> None:
    assert run_cli("-C", project, "lint", "docs").exit_code == 0
    (project / "rulesync.yaml").write_text(YAML.replace("[GitHub]", "[GitHub, GitLab]"))
    assert segment(run_cli, project) == "lint ?"


def test_a_file_written_this_very_second_is_not_vouched_for(project: Path, run_cli: Any) -> None:
    (project / "docs/a.md").write_text(CLEAN + "\nMore.\n")
    assert run_cli("-C", project, "lint", "docs").exit_code == 0
    assert segment(run_cli, project) == "lint ?"


def test_a_fix_run_leaves_its_files_unknown(project: Path, run_cli: Any) -> None:
    assert run_cli("-C", project, "lint", "docs").exit_code == 0
    (project / "docs/a.md").write_text(WRONG)
    age(project / "docs/a.md")
    run_cli("-C", project, "lint", "--fix", "docs/a.md")
    assert segment(run_cli, project) == "lint ?"


def test_json_has_the_lint_state(project: Path, run_cli: Any) -> None:
    assert run_cli("-C", project, "lint", "docs").exit_code == 0
    data = json.loads(run_cli("-C", project, "status", "--json").stdout)
    assert data["lint"] == {"state": "ok", "findings": 0}


@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage\n", b"\xff\xfe\x00\n\x1f\x1f\x1f", b"x" * 100_000],
)
def test_a_damaged_record_is_unknown_never_ok(
    project: Path, run_cli: Any, homes: Homes, damage: bytes
) -> None:
    assert run_cli("-C", project, "lint", "docs").exit_code == 0
    path = Path(record_path(str(project.resolve()), homes.environ))
    path.write_bytes(damage)
    result = run_cli("-C", project, "status", "--for", "plain")
    assert result.exit_code == 0
    assert result.stdout.endswith(" · lint ?\n")
    assert result.stderr == ""


def test_a_record_that_is_a_link_or_a_fifo_is_not_read(
    project: Path, run_cli: Any, homes: Homes, tmp_path: Path
) -> None:
    assert run_cli("-C", project, "lint", "docs").exit_code == 0
    path = Path(record_path(str(project.resolve()), homes.environ))
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(elsewhere)
    assert segment(run_cli, project) == "lint ?"
    path.unlink()
    os.mkfifo(path)
    assert segment(run_cli, project) == "lint ?"
