"""Precedence (local over sources, later sources over earlier), offline use, the cache."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.sources.conftest import Pack


def two_packs(make_pack: Callable[..., Pack]) -> tuple[Pack, Pack]:
    base, team = make_pack("base"), make_pack("team")
    base.commit(
        {
            "rules/tone.md": "# Tone\n\nBASE TONE\n",
            "commands/review.md": "---\ndescription: r\n---\nBASE REVIEW\n",
            "commands/ship.md": "---\ndescription: s\n---\nBASE SHIP\n",
        },
        tag="v1.0.0",
    )
    team.commit({"commands/ship.md": "---\ndescription: s\n---\nTEAM SHIP\n"}, tag="v2.0.0")
    return base, team


def test_local_files_override_sources_and_later_sources_override_earlier(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    base, team = two_packs(make_pack)
    sources = (
        f"sources:\n  - repo: {base.path}\n    rev: v1.0.0\n"
        f"  - repo: {team.path}\n    rev: v2.0.0\n"
    )
    root = project(sources, {".rulesync/commands/review.md": "---\ndescription: r\n---\nLOCAL\n"})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "LOCAL" in (root / ".claude/commands/review.md").read_text()
    assert "TEAM SHIP" in (root / ".claude/commands/ship.md").read_text()
    claude = (root / "CLAUDE.md").read_text()
    assert "BASE TONE" in claude
    assert claude.index("BASE TONE") > claude.index("Local rules.")  # the root rule first


def test_a_source_root_rule_yields_to_the_local_one(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    pack.commit({"rules/main.md": "---\nroot: true\n---\n# Pack root\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "# Pack root" in (root / "CLAUDE.md").read_text()


def test_offline_works_from_the_cache_without_git(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    monkeypatch: object,
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    base, _ = two_packs(make_pack)
    root = project(f"sources:\n  - repo: {base.path}\n    rev: v1.0.0\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    shutil.rmtree(base.path)  # the network is gone
    monkeypatch.setenv("PATH", "/nonexistent")  # and so is git: no call may happen
    (root / "CLAUDE.md").unlink()
    assert run_cli("-C", root, "check").exit_code == 1
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "BASE TONE" in (root / "CLAUDE.md").read_text()
    assert run_cli("-C", root, "check").exit_code == 0


def test_no_cache_and_no_network_is_an_error_naming_the_source(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    tmp_path: Path,
) -> None:
    base, _ = two_packs(make_pack)
    root = project(f"sources:\n  - repo: {base.path}\n    rev: v1.0.0\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    shutil.rmtree(tmp_path / "cache")
    shutil.rmtree(base.path)
    before = (root / "CLAUDE.md").read_bytes()
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "base@v1.0.0" in result.stderr
    assert "not in the cache and cannot be fetched" in result.stderr
    assert (root / "CLAUDE.md").read_bytes() == before
    assert "Traceback" not in result.stderr


def test_a_new_unpinned_source_with_no_network_names_it(
    project: Callable[..., Path], run_cli: Callable[..., object], tmp_path: Path
) -> None:
    root = project(f"sources:\n  - repo: {tmp_path / 'gone'}\n    rev: v1.0.0\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "gone@v1.0.0" in result.stderr and "cannot be fetched" in result.stderr
    assert not (root / "CLAUDE.md").exists()


def test_a_damaged_cache_is_reported_by_check_and_refused_by_mirror(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    tmp_path: Path,
) -> None:
    base, _ = two_packs(make_pack)
    root = project(f"sources:\n  - repo: {base.path}\n    rev: v1.0.0\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    [cached] = (tmp_path / "cache").glob("sources/*/trees/*/files/rules/tone.md")
    cached.write_text("# Tone\n\nTAMPERED\n")
    check = run_cli("-C", root, "check")
    assert check.exit_code == 1
    assert "the cache does not match the pinned commit" in check.stdout
    (root / "CLAUDE.md").unlink()
    mirror = run_cli("-C", root, "mirror")
    assert mirror.exit_code == 2
    assert "the cache does not match the pinned commit" in mirror.stderr
    assert not (root / "CLAUDE.md").exists()


def test_a_pack_written_for_the_javascript_rulesync_names_include_as_the_way_out(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    pack.commit({"rules/overview.md": "---\ncursor:\n  description: x\n---\n# O\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "agent-rules:rules/overview.md:2: unknown key `cursor`" in result.stderr
    assert "leave this file out with the source's `include:`" in result.stderr
    assert "rulesync import" not in result.stderr
    assert not (root / ".rulesync/sources.lock").exists()  # a bad pack writes nothing


def test_a_source_that_supplies_nothing_is_an_error(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    pack.commit({"packs/python/rules/a.md": "# A\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n    path: packs/pyhton\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "agent-rules@v1.0.0: supplies no files" in result.stderr
    assert "below `packs/pyhton`" in result.stderr
    assert not (root / "CLAUDE.md").exists()


def test_only_the_source_path_is_checked_out(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    tmp_path: Path,
) -> None:
    pack = make_pack()
    pack.commit(
        {"packs/python/rules/a.md": "# A\n", "assets/big.bin": b"\0" * 100_000}, tag="v1.0.0"
    )
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n    path: packs/python\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    cached = [p for p in (tmp_path / "cache").glob("sources/*/trees/*/files/**/*") if p.is_file()]
    assert [p.name for p in cached] == ["a.md"]


def test_fetch_verifies_every_cached_file_by_its_hash(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    tmp_path: Path,
) -> None:
    import os

    base, _ = two_packs(make_pack)
    root = project(f"sources:\n  - repo: {base.path}\n    rev: v1.0.0\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert run_cli("-C", root, "sources", "fetch").exit_code == 0
    [cached] = (tmp_path / "cache").glob("sources/*/trees/*/files/rules/tone.md")
    status = cached.stat()
    cached.write_text("# Tone\n\nBASE TONX\n")  # same size
    os.utime(cached, ns=(status.st_atime_ns, status.st_mtime_ns))  # same mtime
    assert run_cli("-C", root, "check").exit_code == 0  # size and mtime match: not seen
    result = run_cli("-C", root, "sources", "fetch")
    assert result.exit_code == 1
    assert "differs from the pinned commit  base@v1.0.0:rules/tone.md" in result.stderr
