"""Read-only and hot paths (check, status, dispatch's drift memo, the loader) never run git.

A `git` shim first on PATH records every call; the real git stays reachable behind it, so a
call that slipped through would succeed and only the record shows it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sources.conftest import Pack


@pytest.fixture
def pinned(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> Path:
    pack = make_pack()
    pack.commit({"rules/tone.md": "# Tone\n\nPACK TONE\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return root


def _clear_cache(tmp_path: Path) -> None:
    shutil.rmtree(tmp_path / "cache")


def test_check_of_a_cached_project_runs_no_git(
    pinned: Path, run_cli: Callable[..., object], git_calls: Callable[[], list[str]]
) -> None:
    result = run_cli("-C", pinned, "check")
    assert result.exit_code == 0, result.stdout  # type: ignore[attr-defined]
    (pinned / ".rulesync/rules/project.md").write_text("# Project\n\nChanged.\n")
    result = run_cli("-C", pinned, "check")  # the slow path renders, from the cache
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert git_calls() == []


def test_check_reports_a_source_missing_from_the_cache_as_a_finding(
    pinned: Path,
    tmp_path: Path,
    run_cli: Callable[..., object],
    git_calls: Callable[[], list[str]],
) -> None:
    _clear_cache(tmp_path)
    result = run_cli("-C", pinned, "check")
    out = result.stdout  # type: ignore[attr-defined]
    assert result.exit_code == 1, out + result.stderr  # type: ignore[attr-defined]
    assert "agent-rules@v1.0.0" in out
    assert "is not in the cache" in out
    assert "rulesync sources fetch" in out
    (pinned / ".rulesync/rules/project.md").write_text("# Project\n\nChanged.\n")
    as_json = run_cli("-C", pinned, "check", "--format", "json")
    assert as_json.exit_code == 1  # type: ignore[attr-defined]
    document = json.loads(as_json.stdout)  # type: ignore[attr-defined]
    assert document["in_sync"] is False
    [finding] = document["sources"]
    assert finding["path"] == "agent-rules@v1.0.0"
    assert "rulesync sources fetch" in finding["fix"]
    assert git_calls() == []
    assert not (tmp_path / "cache/sources").exists()  # nothing fetched behind our back


def test_check_of_an_unpinned_source_not_in_the_cache_runs_no_git(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    git_calls: Callable[[], list[str]],
) -> None:
    pack = make_pack()
    pack.commit({"rules/tone.md": "# Tone\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    result = run_cli("-C", root, "check")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "`rev: v1.0.0` is not in the cache" in result.stdout  # type: ignore[attr-defined]
    assert git_calls() == []


def test_status_and_the_drift_memo_run_no_git(
    pinned: Path, tmp_path: Path, git_calls: Callable[[], list[str]]
) -> None:
    from rulesync.status.drift import drift_state, known_in_sync
    from rulesync.status.memo import Memo

    environ = dict(os.environ)
    assert drift_state(str(pinned), Memo(environ)) == "ok"
    _clear_cache(tmp_path)
    (pinned / ".rulesync/rules/project.md").write_text("# Project\n\nChanged.\n")
    assert drift_state(str(pinned), Memo(environ)) == "error"
    assert known_in_sync(str(pinned), Memo(environ)) is False
    assert git_calls() == []


def test_the_status_line_shows_an_unknown_state_without_git(
    pinned: Path, tmp_path: Path, git_calls: Callable[[], list[str]]
) -> None:
    from rulesync.status.main import run

    _clear_cache(tmp_path)
    (pinned / ".rulesync/rules/project.md").write_text("# Project\n\nChanged.\n")
    facts = json.loads(run(dict(os.environ), str(pinned), 1_800_000_000.0, as_json=True))
    assert "error" in json.dumps(facts)
    assert git_calls() == []


def test_the_loader_raises_source_not_cached_without_git(
    pinned: Path, tmp_path: Path, git_calls: Callable[[], list[str]]
) -> None:
    from rulesync.source.loader import load_project
    from rulesync.sources.overlay import SourceNotCached

    _clear_cache(tmp_path)
    with pytest.raises(SourceNotCached) as raised:
        load_project(pinned)
    assert "agent-rules@v1.0.0" in str(raised.value)
    assert git_calls() == []


def test_mirror_and_sources_fetch_do_run_git_to_fill_the_cache(
    pinned: Path,
    tmp_path: Path,
    run_cli: Callable[..., object],
    git_calls: Callable[[], list[str]],
) -> None:
    _clear_cache(tmp_path)
    result = run_cli("-C", pinned, "sources", "fetch")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert any(call.startswith("fetch") for call in git_calls())
    assert run_cli("-C", pinned, "check").exit_code == 0  # type: ignore[attr-defined]
