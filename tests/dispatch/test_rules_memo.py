"""Dispatch's fast path: the status memo may say the rules are in place, and only then is
the plan skipped. Any change to the files the answer depends on sends it the long way."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from hostile import snapshot

from rulesync import api

YAML = "targets: [claude, gemini]\ndispatch:\n  kill_grace: 0.2\n"
RULE = "---\nroot: true\n---\n# Rules\n\nBe brief.\n"


def age(top: Path, seconds: float = 60.0) -> None:
    """Every file and folder below `top` last changed `seconds` ago: past the racy window."""
    when = time.time() - seconds
    for folder, dirs, files in os.walk(top):
        for name in [*dirs, *files]:
            os.utime(os.path.join(folder, name), (when, when), follow_symlinks=False)


@pytest.fixture
def mirrored(build_tree: Any, run_cli: Any) -> Path:
    root: Path = build_tree({"rulesync.yaml": YAML, ".rulesync/rules/main.md": RULE})
    assert run_cli("-C", root, "mirror").exit_code == 0
    age(root)
    return root


@pytest.fixture
def syncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The targets dispatch asked rulesync.api to put in place (the long way)."""
    calls: list[str] = []
    real = api.sync_target

    def counting(root: Path, target: str, *, write: bool) -> api.SyncResult:
        calls.append(target)
        return real(root, target, write=write)

    monkeypatch.setattr(api, "sync_target", counting)
    return calls


def test_a_second_dispatch_takes_the_rules_from_the_memo(
    fakes: Any, mirrored: Path, syncs: list[str], run_cli: Any
) -> None:
    assert run_cli("-C", mirrored, "dispatch", "--to", "claude", "hi").exit_code == 0
    assert syncs == ["claude"]
    result = run_cli("-C", mirrored, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 0
    assert syncs == ["claude"]  # the plan was not made again
    assert fakes.called("gemini")
    assert (mirrored / "GEMINI.md").read_text().count("Be brief.") == 1


def test_a_hand_edit_after_the_memo_still_stops_the_dispatch(
    fakes: Any, mirrored: Path, syncs: list[str], run_cli: Any
) -> None:
    assert run_cli("-C", mirrored, "dispatch", "--to", "claude", "hi").exit_code == 0
    (mirrored / "GEMINI.md").write_text("# Mine now\n")
    result = run_cli("-C", mirrored, "dispatch", "--to", "gemini", "--fallback", "claude", "hi")
    assert result.exit_code == 3
    assert "GEMINI.md" in result.stderr
    assert syncs == ["claude", "gemini"]
    assert not fakes.called("gemini")


def test_a_changed_source_is_mirrored_before_the_vendor_starts(
    fakes: Any, mirrored: Path, syncs: list[str], run_cli: Any
) -> None:
    assert run_cli("-C", mirrored, "dispatch", "--to", "claude", "hi").exit_code == 0
    (mirrored / ".rulesync/rules/main.md").write_text(RULE.replace("brief", "kind"))
    result = run_cli("-C", mirrored, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 0
    assert syncs == ["claude", "claude"]
    assert "Be kind." in (mirrored / "CLAUDE.md").read_text()
    assert result.stderr.startswith("rulesync: ")
    assert "CLAUDE.md" in result.stderr.splitlines()[0]


def test_files_written_this_very_moment_are_not_remembered(
    fakes: Any, build_tree: Any, syncs: list[str], run_cli: Any
) -> None:
    root = build_tree({"rulesync.yaml": YAML, ".rulesync/rules/main.md": RULE})
    assert run_cli("-C", root, "mirror").exit_code == 0  # files seconds old, not aged
    assert run_cli("-C", root, "dispatch", "--to", "claude", "hi").exit_code == 0
    assert run_cli("-C", root, "dispatch", "--to", "claude", "hi").exit_code == 0
    assert syncs == ["claude", "claude"]


def test_a_source_folder_swapped_for_a_link_outside_is_refused_again(
    fakes: Any, mirrored: Path, run_cli: Any, tmp_path: Path
) -> None:
    assert run_cli("-C", mirrored, "dispatch", "--to", "claude", "hi").exit_code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    os.rename(mirrored / ".rulesync", outside / "moved")  # same inodes and times
    (mirrored / ".rulesync").symlink_to(outside / "moved")
    before = snapshot(outside)
    result = run_cli("-C", mirrored, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 2
    assert ".rulesync" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(outside) == before


def test_an_output_folder_swapped_for_a_link_is_refused_again(
    fakes: Any, build_tree: Any, run_cli: Any, tmp_path: Path
) -> None:
    root = build_tree(
        {
            "rulesync.yaml": YAML,
            ".rulesync/rules/main.md": RULE,
            ".rulesync/commands/review.md": "---\ndescription: Review\n---\nReview it.\n",
        }
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    age(root)
    assert run_cli("-C", root, "dispatch", "--to", "claude", "hi").exit_code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    os.rename(root / ".claude", outside / "claude")
    (root / ".claude").symlink_to(outside / "claude")
    before = snapshot(outside)
    result = run_cli("-C", root, "dispatch", "--to", "claude", "hi")
    assert result.exit_code != 0
    assert ".claude" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(outside) == before


def test_the_next_dispatch_reads_quota_marks_from_the_memo(
    fakes: Any, mirrored: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rulesync.status import runlog

    reads: list[str] = []
    real = runlog._recent

    def counting(path: str) -> list[tuple[object, ...]]:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(runlog, "_recent", counting)
    assert run_cli("-C", mirrored, "dispatch", "--to", "claude", "hi").exit_code == 0
    assert len(reads) == 1  # after the run, for the memo (no log before it)
    fakes.mode("gemini", "quota")
    result = run_cli("-C", mirrored, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 75
    assert len(reads) == 2  # routing took the marks from the memo; the new row read after
    result = run_cli("-C", mirrored, "dispatch", "--to", "gemini", "--fallback", "claude", "hi")
    assert result.exit_code == 0
    assert "skipped gemini" in result.stderr
    assert len(reads) == 3
