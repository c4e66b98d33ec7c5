"""Pinning: a source supplies rules, commands, skills and subagents at the pinned commit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.sources.conftest import Pack

PACK = {
    "packs/python/rules/style.md": "# Style\n\nUse type hints.\n",
    "packs/python/commands/review.md": "---\ndescription: Review\n---\nReview $ARGUMENTS.\n",
    "packs/python/skills/lint/SKILL.md": "---\nname: lint\ndescription: Lint it\n---\nRun it.\n",
    "packs/python/subagents/critic.md": "---\nname: critic\ndescription: Critic\n---\nBe sharp.\n",
    "packs/go/rules/go.md": "# Go\n",
    "README.md": "not read\n",
}


def sources_yaml(pack: Pack, rev: str = "v1.0.0", extra: str = "") -> str:
    return f"sources:\n  - repo: {pack.path}\n    rev: {rev}\n    path: packs/python\n{extra}"


def test_mirror_pins_the_commit_and_renders_the_pack(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    commit = pack.commit(PACK, tag="v1.0.0")
    root = project(sources_yaml(pack))
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    claude = (root / "CLAUDE.md").read_text()
    assert "Use type hints." in claude and "Local rules." in claude
    assert "# Go" not in claude  # another path of the pack
    assert "Review $ARGUMENTS." in (root / ".claude/commands/review.md").read_text()
    assert (root / ".claude/skills/lint/SKILL.md").is_file()
    assert (root / ".claude/agents/critic.md").is_file()
    lock = json.loads((root / ".rulesync/sources.lock").read_text())
    assert lock["version"] == 1
    [pin] = lock["sources"]
    assert pin["commit"] == commit and pin["rev"] == "v1.0.0" and pin["path"] == "packs/python"
    assert len(pin["content"]) == 64
    check = run_cli("-C", root, "check")
    assert check.exit_code == 0, check.stdout + check.stderr


def test_the_pin_holds_when_the_branch_moves_on(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    pack.commit(PACK, tag="v1.0.0")
    root = project(sources_yaml(pack, rev="main"))
    assert run_cli("-C", root, "mirror").exit_code == 0
    pack.commit({"packs/python/rules/style.md": "# Style\n\nNEW TEXT\n"})
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "NEW TEXT" not in (root / "CLAUDE.md").read_text()
    assert "Use type hints." in (root / "CLAUDE.md").read_text()


def test_include_limits_the_files(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    pack.commit(PACK, tag="v1.0.0")
    root = project(sources_yaml(pack, extra="    include: [rules/*, commands/rev*]\n"))
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / ".claude/commands/review.md").is_file()
    assert not (root / ".claude/skills/lint").exists()
    assert not (root / ".claude/agents/critic.md").exists()


def test_list_shows_each_source(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    commit = pack.commit(PACK, tag="v1.0.0")
    root = project(sources_yaml(pack))
    run_cli("-C", root, "mirror")
    result = run_cli("-C", root, "sources", "list")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"agent-rules@v1.0.0  {commit[:12]}  4 files  (pinned)")
