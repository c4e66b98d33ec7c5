"""`rulesync lint --fix` on a hostile checkout: it never writes through a link or outside.

Each case plants links in the project that point at a folder outside it, runs the lint, and
asserts the exit code, the exact report and that the outside folder is byte-identical.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from treestate import tree_state as tree_digest

CONFIG = "lint:\n  identity:\n    names:\n      - GitHub\n"
BAD = "We host on Github.\n"
GOOD = "We host on GitHub.\n"
WHY = "(--fix rewrites only regular files inside the project, never through a link)"

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    (folder / "notes").mkdir(parents=True)
    (folder / "keep.md").write_text(BAD)
    (folder / "notes" / "n.md").write_text(BAD)
    return folder


@pytest.fixture
def project(build_tree: Any) -> Path:
    root: Path = build_tree({"rulesync.yaml": CONFIG, "docs/real.md": BAD})
    return root


def fix(run_cli: Any, root: Path, *paths: str) -> Any:
    return run_cli("-C", root, "lint", "--fix", *paths)


def test_a_file_symlink_to_outside_is_reported_not_fixed(
    project: Path, outside: Path, run_cli: Any
) -> None:
    (project / "docs/link.md").symlink_to(outside / "keep.md")
    before = tree_digest(outside)
    result = fix(run_cli, project, "docs/link.md")
    assert result.exit_code == 1
    assert result.stdout == (
        'docs/link.md:1:12: identity: write "GitHub", not "Github": wrong case (GitHub)\n'
    )
    assert result.stderr == (
        f"docs/link.md: not fixed: it is a symlink {WHY}\n1 problem in 1 file\n"
    )
    assert tree_digest(outside) == before
    assert (project / "docs/link.md").is_symlink()


def test_a_folder_symlink_in_the_path_is_reported_not_fixed(
    project: Path, outside: Path, run_cli: Any
) -> None:
    (project / "linked").symlink_to(outside / "notes", target_is_directory=True)
    before = tree_digest(outside)
    for given in ("linked", "linked/n.md"):
        result = fix(run_cli, project, given)
        assert result.exit_code == 1
        assert result.stderr == (
            f"linked/n.md: not fixed: its folder `linked` is a symlink {WHY}\n1 problem in 1 file\n"
        )
    assert tree_digest(outside) == before


def test_a_folder_symlink_deeper_in_the_path(project: Path, outside: Path, run_cli: Any) -> None:
    (project / "docs/sub").mkdir()
    (project / "docs/sub/deep").symlink_to(outside / "notes", target_is_directory=True)
    before = tree_digest(outside)
    for given in ("docs/sub/deep", "docs/sub/deep/n.md"):
        result = fix(run_cli, project, given)
        assert result.exit_code == 1
        assert result.stderr == (
            f"docs/sub/deep/n.md: not fixed: its folder `deep` is a symlink {WHY}\n"
            "1 problem in 1 file\n"
        )
    walked = fix(run_cli, project, "docs")  # a walk does not descend into folder links
    assert (walked.exit_code, walked.stdout) == (1, "")
    assert walked.stderr == "fixed 1 problem in docs/real.md\n"
    assert (project / "docs/real.md").read_text() == GOOD
    assert tree_digest(outside) == before


@pytest.mark.parametrize("how", ["relative", "absolute"])
def test_a_file_outside_the_project_is_not_fixed(
    project: Path, outside: Path, run_cli: Any, how: str
) -> None:
    given = "../outside/keep.md" if how == "relative" else str(outside / "keep.md")
    before = tree_digest(outside)
    result = fix(run_cli, project, given)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{given}: not fixed: it is outside the project {WHY}\n1 problem in 1 file\n"
    )
    assert tree_digest(outside) == before


def test_a_hard_link_to_an_outside_file_keeps_the_outside_text(
    project: Path, outside: Path, run_cli: Any
) -> None:
    try:
        os.link(outside / "keep.md", project / "docs/hard.md")
    except OSError:
        pytest.skip("no hard links here")
    before = tree_digest(outside)
    result = fix(run_cli, project, "docs/hard.md")
    assert (result.exit_code, result.stderr) == (1, "fixed 1 problem in docs/hard.md\n")
    assert (project / "docs/hard.md").read_text() == GOOD
    assert tree_digest(outside) == before


def test_a_link_inside_the_project_is_reported_and_its_target_fixed_once(
    project: Path, run_cli: Any
) -> None:
    (project / "docs/alias.md").symlink_to("real.md")
    result = fix(run_cli, project, "docs/alias.md", "docs/real.md")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "fixed 1 problem in docs/real.md\n"
    assert (project / "docs/real.md").read_text() == GOOD
    assert os.readlink(project / "docs/alias.md") == "real.md"


def test_a_link_inside_the_project_alone_is_not_written_through(
    project: Path, run_cli: Any
) -> None:
    (project / "docs/alias.md").symlink_to("real.md")
    result = fix(run_cli, project, "docs/alias.md")
    assert result.exit_code == 1
    assert result.stderr == (
        f"docs/alias.md: not fixed: it is a symlink {WHY}\n1 problem in 1 file\n"
    )
    assert (project / "docs/real.md").read_text() == BAD


def test_fix_keeps_the_mode_and_leaves_no_temp_file(project: Path, run_cli: Any) -> None:
    (project / "docs/real.md").chmod(0o640)
    result = fix(run_cli, project, "docs/real.md")
    assert (result.exit_code, result.stderr) == (1, "fixed 1 problem in docs/real.md\n")
    assert stat.S_IMODE((project / "docs/real.md").stat().st_mode) == 0o640
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["real.md"]


def test_a_symlink_loop_is_an_error_not_a_traceback(project: Path, run_cli: Any) -> None:
    (project / "docs/loop.md").symlink_to("loop.md")
    for args in (["docs/loop.md"], ["--fix", "docs/loop.md"]):
        result = run_cli("-C", project, "lint", *args)
        assert result.exit_code == 2
        assert result.stderr == (
            "error: docs/loop.md: cannot read it (Too many levels of symbolic links)\n"
        )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("fix_flag", [[], ["--fix"]])
def test_a_fifo_is_an_error_and_never_blocks(
    project: Path, outside: Path, fix_flag: list[str]
) -> None:
    os.mkfifo(project / "docs/pipe.md")
    os.mkfifo(outside / "pipe.md")
    (project / "docs/outpipe.md").symlink_to(outside / "pipe.md")
    args = ["-m", "rulesync", "-C", str(project), "lint", *fix_flag, "docs"]
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "error: docs/pipe.md: is a FIFO, not a regular file; leave it out of the lint\n" in (
        done.stderr
    )
    assert "error: docs/outpipe.md: is a FIFO" in done.stderr
    assert "Traceback" not in done.stderr
