"""The drift memo keeps ok and drift answers, never an error (its cause may lie outside)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rulesync.status import drift
from rulesync.status.memo import Memo
from tests.status.conftest import Homes


def _project(tmp_path: Path) -> str:
    root = tmp_path / "project"
    (root / ".rulesync" / "rules").mkdir(parents=True)
    (root / "rulesync.yaml").write_text("targets: [claude]\n", encoding="utf-8")
    old = 1_700_000_000
    for path in (root / "rulesync.yaml", root / ".rulesync" / "rules"):
        os.utime(path, (old, old))
    return str(root)


def _answers(monkeypatch: pytest.MonkeyPatch, states: list[str]) -> list[str]:
    asked: list[str] = []

    def fake_check(root: str) -> tuple[str, str, list[str]]:
        asked.append(root)
        return states[len(asked) - 1], ".rulesync", []

    monkeypatch.setattr(drift, "_check", fake_check)
    return asked


def test_an_error_is_asked_again_on_the_next_refresh(
    homes: Homes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    asked = _answers(monkeypatch, [drift.ERROR, drift.OK])
    memo = Memo(homes.environ)
    assert drift.drift_state(root, memo) == drift.ERROR
    memo.save()
    # nothing in the project changed (a pack was fetched into the user's cache)
    assert drift.drift_state(root, Memo(homes.environ)) == drift.OK
    assert len(asked) == 2


def test_an_ok_answer_is_kept_while_nothing_changes(
    homes: Homes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    asked = _answers(monkeypatch, [drift.OK, drift.ERROR])
    memo = Memo(homes.environ)
    assert drift.drift_state(root, memo) == drift.OK
    memo.save()
    assert drift.drift_state(root, Memo(homes.environ)) == drift.OK
    assert len(asked) == 1
