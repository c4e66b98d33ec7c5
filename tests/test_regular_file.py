"""One reader for untrusted files (rulesync.regular_file), with and without following a link;
rulesync.sync.safety.read_regular is its adapter for mirror (None / NotAFile)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rulesync.regular_file import NotARegularFile, TooLarge, kind_of, read_regular
from rulesync.sync.safety import NotAFile
from rulesync.sync.safety import read_regular as read_output


def test_a_symlink_is_followed_or_reported(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_bytes(b"text")
    (tmp_path / "link.md").symlink_to("real.md")
    assert read_regular(tmp_path / "link.md") == b"text"
    with pytest.raises(NotARegularFile) as caught:
        read_regular(tmp_path / "link.md", follow=False)
    assert caught.value.kind == "a symlink (to real.md)"
    assert str(caught.value) == "it is a symlink (to real.md), not a regular file"
    assert read_output(tmp_path / "link.md") == NotAFile("a symlink (to real.md)")


def test_a_dangling_symlink_is_reported_when_not_followed(tmp_path: Path) -> None:
    (tmp_path / "gone.md").symlink_to("nowhere.md")
    assert read_output(tmp_path / "gone.md") == NotAFile("a symlink (to nowhere.md)")
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "gone.md")


@pytest.mark.parametrize("follow", [True, False])
def test_a_fifo_is_never_opened(tmp_path: Path, follow: bool) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotARegularFile, match="it is a FIFO, not a regular file"):
        read_regular(tmp_path / "pipe", follow=follow)  # would block for ever if opened


def test_the_adapter_says_what_is_there(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_bytes(b"x" * 3_000_000)
    assert read_output(tmp_path / "pipe") == NotAFile("a FIFO")
    assert read_output(tmp_path / "folder") == NotAFile("a directory")
    assert read_output(tmp_path / "missing") is None
    assert read_output(tmp_path / "file/below") is None
    assert read_output(f"{tmp_path}/bad\0name") is None
    assert read_output(tmp_path / "file") == b"x" * 3_000_000
    assert NotAFile("a FIFO").reason == "is a FIFO; rulesync writes regular files"


def test_the_limit_holds_either_way(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 11)
    for follow in (True, False):
        with pytest.raises(TooLarge):
            read_regular(tmp_path / "big", limit=10, follow=follow)
        assert read_regular(tmp_path / "big", limit=11, follow=follow) == b"x" * 11


def test_one_wording_for_each_kind(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to("x")
    (tmp_path / "folder").mkdir()
    assert kind_of(os.lstat(tmp_path / "link").st_mode) == "a symlink"
    assert kind_of(os.lstat(tmp_path / "folder").st_mode) == "a directory"
    assert kind_of(os.stat("/dev/null").st_mode) == "a character device"
