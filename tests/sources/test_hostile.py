"""A source is hostile input: it never reads or writes outside the project, nor owns local files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sources.conftest import Pack, tree_hash


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    (folder / "rules").mkdir(parents=True)
    (folder / "secret.md").write_text("# SECRET\n")
    (folder / "rules/secret.md").write_text("# SECRET\n")
    return folder


def test_a_symlink_in_the_pack_is_refused_and_never_followed(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    outside: Path,
) -> None:
    pack = make_pack()
    (pack.path / "rules").mkdir()
    os.symlink(outside / "secret.md", pack.path / "rules/evil.md")
    os.symlink(outside / "rules", pack.path / "commands")
    pack.commit({"rules/ok.md": "# ok\n"}, tag="v1.0.0")
    before = tree_hash(outside)
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    result = run_cli("-C", root, "mirror", "--yes")
    assert result.exit_code == 2
    assert "agent-rules@v1.0.0:rules/evil.md: is a symlink" in result.stderr
    assert "agent-rules@v1.0.0:commands: is a symlink" in result.stderr
    assert not (root / "CLAUDE.md").exists()
    assert tree_hash(outside) == before
    cached = list((root.parent / "cache").rglob("*"))
    assert not any(p.is_symlink() for p in cached)  # the checkout has regular files only


def test_a_symlink_planted_in_the_cache_is_not_followed_out(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    outside: Path,
    tmp_path: Path,
) -> None:
    pack = make_pack()
    pack.commit({"rules/ok.md": "# ok\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    [ok] = (tmp_path / "cache").glob("sources/*/trees/*/files/rules/ok.md")
    ok.unlink()
    os.symlink(outside / "secret.md", ok)
    (root / "CLAUDE.md").unlink()
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "cached checkout is damaged" in result.stderr
    assert not (root / "CLAUDE.md").exists()


@pytest.mark.parametrize(
    ("entry", "message", "line"),
    [
        ("    path: ../../outside\n", "`path` must be a relative folder inside the repository", 5),
        ("    path: /etc\n", "`path` must be a relative folder inside the repository", 5),
        ("    include: [../secret.md]\n", "`include` glob '../secret.md' leaves", 5),
        ("    include: [/abs/*]\n", "`include` glob '/abs/*' leaves", 5),
        ("    include: [rules/*, 'C:/x']\n", "`include` glob 'C:/x' leaves", 5),
    ],
)
def test_path_and_include_cannot_leave_the_pack(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    outside: Path,
    entry: str,
    message: str,
    line: int,
) -> None:
    pack = make_pack()
    pack.commit({"rules/ok.md": "# ok\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n{entry}")
    before = tree_hash(outside)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert f"rulesync.yaml:{line}: {message}" in result.stderr
    assert tree_hash(outside) == before
    assert not (root / "CLAUDE.md").exists()


def test_a_source_cannot_name_an_output_outside_the_project(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    outside: Path,
) -> None:
    pack = make_pack()
    evil = "---\nname: ../../../outside/pwned\ndescription: x\n---\nhi\n"
    pack.commit({"subagents/evil.md": evil}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    before = tree_hash(outside)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "agent-rules:subagents/evil.md:2:" in result.stderr
    assert tree_hash(outside) == before
    assert not (root / "CLAUDE.md").exists()
    assert not (root / ".rulesync/sources.lock").exists()


def test_a_source_never_owns_a_file_written_by_hand(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    pack.commit({"commands/deploy.md": "---\ndescription: d\n---\nPACK\n"}, tag="v1.0.0")
    mine = "my own deploy command\n"
    root = project(
        f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n",
        {".claude/commands/deploy.md": mine},
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 1
    assert "conflict" in result.stdout
    assert (root / ".claude/commands/deploy.md").read_text() == mine


@pytest.mark.parametrize(
    ("commit", "why"),
    [("--upload-pack=touch /tmp/pwned", "is not 40 hex digits"), ("0" * 39, "not 40 hex")],
)
def test_a_hostile_sources_lock_is_refused_before_git_sees_it(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    commit: str,
    why: str,
) -> None:
    import json

    pack = make_pack()
    pack.commit({"rules/ok.md": "# ok\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    lock = root / ".rulesync/sources.lock"
    data = json.loads(lock.read_text())
    data["sources"][0]["commit"] = commit
    lock.write_text(json.dumps(data))
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert ".rulesync/sources.lock: damaged" in result.stderr and why in result.stderr
    assert "Traceback" not in result.stderr


def test_a_sources_lock_that_is_a_symlink_is_refused(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    outside: Path,
) -> None:
    pack = make_pack()
    pack.commit({"rules/ok.md": "# ok\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    os.symlink(outside / "secret.md", root / ".rulesync/sources.lock")
    before = tree_hash(outside)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert ".rulesync/sources.lock: is a symlink" in result.stderr
    assert tree_hash(outside) == before


def test_a_cached_folder_swapped_for_a_link_out_is_refused(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    outside: Path,
    tmp_path: Path,
) -> None:
    import shutil

    pack = make_pack()
    pack.commit({"rules/secret.md": "# ok\n"}, tag="v1.0.0")
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    [rules] = (tmp_path / "cache").glob("sources/*/trees/*/files/rules")
    shutil.rmtree(rules)
    os.symlink(outside / "rules", rules)
    before = tree_hash(outside)
    (root / "CLAUDE.md").unlink()
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    assert "the cache does not match the pinned commit" in result.stderr
    assert not (root / "CLAUDE.md").exists()
    assert tree_hash(outside) == before
