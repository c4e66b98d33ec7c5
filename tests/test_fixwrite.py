"""rulesync.linting.fixwrite: the walk without links, and a rewrite that notices a swap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rulesync.linting.fixwrite import NotFixable, open_for_fix
from rulesync.regular_file import NotARegularFile, TooLarge, read_regular


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "project/docs").mkdir(parents=True)
    (tmp_path / "project/docs/a.md").write_text("old\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/keep.md").write_text("keep\n")
    return tmp_path / "project"


def test_a_file_swapped_for_a_link_after_the_read_is_not_written(root: Path) -> None:
    outside = root.parent / "outside/keep.md"
    target = open_for_fix(root, Path("docs/a.md"))
    try:
        assert target.data == b"old\n"
        (root / "docs/a.md").unlink()
        (root / "docs/a.md").symlink_to(outside)
        with pytest.raises(NotFixable, match="it changed while it was being fixed"):
            target.replace(b"new\n")
    finally:
        target.close()
    assert outside.read_text() == "keep\n"
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["a.md"]  # no temp file left


def test_a_folder_swapped_for_a_link_after_the_walk_is_not_followed(root: Path) -> None:
    target = open_for_fix(root, Path("docs/a.md"))
    try:
        (root / "docs").rename(root / "moved")
        (root / "docs").symlink_to(root.parent / "outside", target_is_directory=True)
        target.replace(b"new\n")  # lands in the folder that was walked, wherever it is now
    finally:
        target.close()
    assert (root / "moved/a.md").read_text() == "new\n"
    assert (root.parent / "outside/keep.md").read_text() == "keep\n"
    assert sorted(p.name for p in (root.parent / "outside").iterdir()) == ["keep.md"]


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("../outside/keep.md", "it is outside the project"),
        ("docs/../../outside/keep.md", "it is outside the project"),
        ("docs", "it is a directory"),
        ("docs/a.md/x.md", "`a.md` in its path is a regular file, not a folder"),
    ],
)
def test_refusals(root: Path, given: str, reason: str) -> None:
    with pytest.raises(NotFixable) as refused:
        open_for_fix(root, Path(given))
    assert refused.value.reason == reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_read_regular_refuses_a_fifo_before_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotARegularFile) as refused:
        read_regular(tmp_path / "pipe")  # would block for ever if it opened the FIFO
    assert refused.value.kind == "a FIFO"


def test_read_regular_bounds_the_size(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x" * 10)
    assert read_regular(tmp_path / "f", limit=10) == b"x" * 10
    with pytest.raises(TooLarge):
        read_regular(tmp_path / "f", limit=9)
