"""rulesync.sync.atomic: the one writer (mirror, lint --fix, import's link replacement)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rulesync.linting.fixwrite import open_for_fix
from rulesync.sync.atomic import (
    TEMP_NAME,
    Blocked,
    FolderChain,
    open_folder,
    replace_in,
    temp_name,
)
from tests.treestate import tree_state


@pytest.mark.parametrize("name", ["CLAUDE.md", "x" * 255, "ä" * 127, ".hidden"])
def test_every_temp_name_is_of_the_one_pattern_and_fits(name: str) -> None:
    temp = temp_name(name)
    assert TEMP_NAME.fullmatch(temp), temp
    assert len(os.fsencode(temp)) <= 255
    assert temp != temp_name(name)  # unpredictable


def test_the_walk_makes_missing_folders_and_refuses_links_and_files(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    (root / "a").symlink_to(outside)
    (root / "f").write_text("a file")
    before = tree_state(outside)
    folder = open_folder(root, ("new", "deeper"), create=True)
    os.close(folder)
    assert (root / "new/deeper").is_dir()
    with pytest.raises(Blocked) as caught:
        open_folder(root, ("a", "below"), create=True)
    assert (caught.value.parts, caught.value.kind) == (("a",), "a symlink")
    with pytest.raises(Blocked) as caught:
        open_folder(root, ("f", "below"), create=True)
    assert (caught.value.parts, caught.value.kind) == (("f",), "a regular file")
    with pytest.raises(FileNotFoundError):
        open_folder(root, ("missing",), create=False)
    assert tree_state(outside) == before


def test_the_folder_chain_walks_each_shared_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = os.open

    def spy(path: str, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        opened.append(os.fsdecode(path))
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", spy)
    with FolderChain(tmp_path, create=True) as chain:
        for parts in [("a", "b"), ("a", "b"), ("a", "c"), ("d",), ()]:
            folder = chain.open(parts)
            replace_in(folder, "f.txt", "/".join(parts).encode())
    monkeypatch.undo()
    folders = [name for name in opened if not name.startswith(".f.txt.")]
    assert folders == [str(tmp_path), "a", "b", "c", "d"]
    assert (tmp_path / "a/b/f.txt").read_bytes() == b"a/b"
    assert (tmp_path / "a/c/f.txt").read_bytes() == b"a/c"
    assert (tmp_path / "d/f.txt").read_bytes() == b"d"
    assert (tmp_path / "f.txt").read_bytes() == b""


def test_the_folder_chain_refuses_links_and_files_and_closes_what_it_held(
    tmp_path: Path,
) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "real").mkdir(parents=True)
    outside.mkdir()
    (root / "real/link").symlink_to(outside)
    (root / "real/file").write_text("a file")
    before = tree_state(outside)
    held_before = len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else None
    with FolderChain(root, create=True) as chain:
        chain.open(("real", "new"))
        with pytest.raises(Blocked) as caught:
            chain.open(("real", "link", "below"))
        assert (caught.value.parts, caught.value.kind) == (("real", "link"), "a symlink")
        with pytest.raises(Blocked) as caught:
            chain.open(("real", "file"))
        assert (caught.value.parts, caught.value.kind) == (("real", "file"), "a regular file")
        assert (root / "real/new").is_dir()
    if held_before is not None:
        assert len(os.listdir("/proc/self/fd")) == held_before
    assert tree_state(outside) == before


def test_replace_keeps_the_link_target_and_leaves_no_temp(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("theirs")
    (tmp_path / "link").symlink_to(outside)
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        replace_in(folder, "link", b"ours", mode=0o640)
    finally:
        os.close(folder)
    assert not (tmp_path / "link").is_symlink()
    assert (tmp_path / "link").read_bytes() == b"ours"
    assert (tmp_path / "link").stat().st_mode & 0o777 == 0o640
    assert outside.read_text() == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "outside.txt"]


def test_lint_fix_writes_through_the_same_temp_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/a.md").write_text("old")
    renamed: list[str] = []
    real_rename = os.rename

    def spy(source: str, target: str, **dir_fds: int) -> None:
        renamed.append(source)
        real_rename(source, target, **dir_fds)

    target = open_for_fix(tmp_path, Path("docs/a.md"))
    monkeypatch.setattr(os, "rename", spy)  # after the check for the `*at` calls
    try:
        target.replace(b"new")
    finally:
        target.close()
    assert (tmp_path / "docs/a.md").read_bytes() == b"new"
    assert len(renamed) == 1 and TEMP_NAME.fullmatch(renamed[0]), renamed


def test_without_the_at_calls_mirror_writes_by_path_with_the_same_checks(
    build_tree, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rulesync.sync import writer

    monkeypatch.setattr(writer, "has_dir_fd_calls", lambda: False)
    outside = tmp_path / "outside"
    outside.mkdir()
    files = {
        "rulesync.yaml": "targets: [claude]\n",
        ".rulesync/rules/a.md": "---\nroot: true\n---\n# Rules\n",
        ".rulesync/commands/fix.md": "Fix it.\n",
    }
    root: Path = build_tree(files)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert (root / ".claude/commands/fix.md").read_text().endswith("Fix it.\n")
    assert not [p for p in root.rglob("*") if TEMP_NAME.fullmatch(p.name)]
    (root / ".rulesync/commands/ship.md").write_text("Ship it.\n")
    (root / ".claude/commands/fix.md").unlink()
    (root / ".claude/commands").rmdir()
    (root / ".claude/commands").symlink_to(outside)
    before = tree_state(outside)
    refused = run_cli("-C", root, "mirror")
    assert refused.exit_code == 2
    assert ".claude/commands" in refused.stderr
    assert tree_state(outside) == before
