"""`rulesync sources update NAME|REPO` (one source) and `--freeze` (rev pinned to a commit id)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.sources.conftest import Pack


def two_pinned(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> tuple[Pack, Pack, Path]:
    base, team = make_pack("base"), make_pack("team")
    base.commit({"rules/base.md": "# Base\n\nBASE ONE\n"}, tag="v1.0.0")
    team.commit({"rules/team.md": "# Team\n\nTEAM ONE\n"}, tag="v1.0.0")
    sources = (
        f"sources:\n  - repo: {base.path}\n    rev: v1.0.0\n"
        f"  - repo: {team.path}\n    rev: v1.0.0  # the team's\n"
    )
    root = project(sources)
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    base.commit({"rules/base.md": "# Base\n\nBASE TWO\n"}, tag="v2.0.0")
    team.commit({"rules/team.md": "# Team\n\nTEAM TWO\n"}, tag="v2.0.0")
    return base, team, root


def _revs(root: Path) -> list[str]:
    lock = json.loads((root / ".rulesync/sources.lock").read_text())
    return [entry["rev"] for entry in lock["sources"]]


def test_update_by_name_moves_only_that_source(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    base, team, root = two_pinned(make_pack, project, run_cli)
    result = run_cli("-C", root, "sources", "update", "team")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert "team@v1.0.0 -> v2.0.0" in out
    assert "base@" not in out
    assert "+TEAM TWO" in out and "BASE TWO" not in out
    config = (root / "rulesync.yaml").read_text()
    assert f"  - repo: {base.path}\n    rev: v1.0.0\n" in config
    assert f"  - repo: {team.path}\n    rev: v2.0.0  # the team's\n" in config
    assert _revs(root) == ["v1.0.0", "v2.0.0"]


def test_update_by_repo_as_written(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    base, _, root = two_pinned(make_pack, project, run_cli)
    result = run_cli("-C", root, "sources", "update", str(base.path))
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert _revs(root) == ["v2.0.0", "v1.0.0"]


def test_update_of_an_unknown_source_is_a_usage_error_naming_the_sources(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    _, _, root = two_pinned(make_pack, project, run_cli)
    config = (root / "rulesync.yaml").read_bytes()
    result = run_cli("-C", root, "sources", "update", "teem")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert "no source named teem" in err
    assert "base (" in err and "team (" in err
    assert (root / "rulesync.yaml").read_bytes() == config


def test_freeze_pins_the_commit_id_with_a_frozen_note_and_unfreezes(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    base, team, root = two_pinned(make_pack, project, run_cli)
    commit = team.git("rev-parse", "v2.0.0")
    result = run_cli("-C", root, "sources", "update", "--freeze", "team")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert f"team@v1.0.0 -> {commit} # frozen: v2.0.0" in result.stdout  # type: ignore[attr-defined]
    config = (root / "rulesync.yaml").read_text()
    # the user's own comment stays; a frozen note is added only where there is none
    assert f"  - repo: {team.path}\n    rev: {commit}  # the team's\n" in config
    result = run_cli("-C", root, "sources", "update", "--freeze", "base")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    base_commit = base.git("rev-parse", "v2.0.0")
    config = (root / "rulesync.yaml").read_text()
    assert f"  - repo: {base.path}\n    rev: {base_commit}  # frozen: v2.0.0\n" in config
    assert _revs(root) == [base_commit, commit]
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    assert "BASE TWO" in (root / "CLAUDE.md").read_text()
    assert run_cli("-C", root, "check").exit_code == 0  # type: ignore[attr-defined]
    base.commit({"rules/base.md": "# Base\n\nBASE THREE\n"}, tag="v3.0.0")
    result = run_cli("-C", root, "sources", "update", "base")  # back to a tag: note dropped
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    config = (root / "rulesync.yaml").read_text()
    assert f"  - repo: {base.path}\n    rev: v3.0.0\n" in config


def test_freeze_of_a_source_already_at_the_newest_tag_still_pins_the_commit(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    commit = pack.commit({"rules/tone.md": "# Tone\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    result = run_cli("-C", root, "sources", "update", "--freeze")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert f"    rev: {commit}  # frozen: v1.0.0\n" in (root / "rulesync.yaml").read_text()
    again = run_cli("-C", root, "sources", "update", "--freeze")
    assert "up to date" in again.stdout  # type: ignore[attr-defined]
    assert f"    rev: {commit}  # frozen: v1.0.0\n" in (root / "rulesync.yaml").read_text()
