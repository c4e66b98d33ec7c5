"""`rulesync sources update` and a tag moved under an unchanged rev."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.sources.conftest import Pack

CONFIG_TAIL = "# the team's pack; bump with `rulesync sources update`\n"


def pinned(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> tuple[Pack, Path]:
    pack = make_pack()
    pack.commit({"rules/tone.md": "# Tone\n\nVERSION ONE\n"}, tag="v1.2.0")
    sources = f"sources:\n  - repo: {pack.path}  # pinned pack\n    rev: v1.2.0\n{CONFIG_TAIL}"
    root = project(sources)
    assert run_cli("-C", root, "mirror").exit_code == 0
    return pack, root


def test_update_moves_to_the_newest_version_tag_keeping_comments(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack, root = pinned(make_pack, project, run_cli)
    pack.commit({"rules/tone.md": "# Tone\n\nVERSION TEN\n"}, tag="v1.10.0")
    pack.commit({"rules/tone.md": "# Tone\n\nVERSION NINE\n"}, tag="v1.9.0")
    pack.commit({}, tag="nightly")
    result = run_cli("-C", root, "sources", "update")
    assert result.exit_code == 0, result.stderr
    assert "update      agent-rules@v1.2.0 -> v1.10.0" in result.stdout
    assert "--- a/CLAUDE.md" in result.stdout
    assert "-VERSION ONE" in result.stdout and "+VERSION TEN" in result.stdout
    config = (root / "rulesync.yaml").read_text()
    assert config == (
        f"targets: [claude, gemini, codex]\nsources:\n  - repo: {pack.path}  # pinned pack\n"
        f"    rev: v1.10.0\n{CONFIG_TAIL}"
    )  # only the rev changed: comments, indentation and layout are kept byte for byte
    lock = json.loads((root / ".rulesync/sources.lock").read_text())
    assert lock["sources"][0]["rev"] == "v1.10.0"
    assert "VERSION ONE" in (root / "CLAUDE.md").read_text()  # update writes no outputs
    assert run_cli("-C", root, "check").exit_code == 1  # CLAUDE.md is stale now
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "VERSION TEN" in (root / "CLAUDE.md").read_text()


def test_update_dry_run_writes_nothing(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack, root = pinned(make_pack, project, run_cli)
    pack.commit({"rules/tone.md": "# Tone\n\nVERSION TWO\n"}, tag="v2.0.0")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = run_cli("-C", root, "sources", "update", "--dry-run")
    assert result.exit_code == 0
    assert "+VERSION TWO" in result.stdout
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_update_with_nothing_newer_is_up_to_date(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    _, root = pinned(make_pack, project, run_cli)
    config = (root / "rulesync.yaml").read_bytes()
    result = run_cli("-C", root, "sources", "update")
    assert result.exit_code == 0
    assert result.stdout.startswith("up to date  agent-rules@v1.2.0 -> v1.2.0")
    assert (root / "rulesync.yaml").read_bytes() == config


def test_check_reports_a_moved_tag(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack, root = pinned(make_pack, project, run_cli)
    pack.commit({"rules/tone.md": "# Tone\n\nSNEAKY\n"}, tag="v1.2.0")  # tag -f
    assert run_cli("-C", root, "check").exit_code == 0  # nothing fetched yet: no network use
    assert run_cli("-C", root, "sources", "fetch").exit_code == 0
    result = run_cli("-C", root, "check")
    assert result.exit_code == 1
    assert "`rev: v1.2.0` now points at" in result.stdout
    assert "a moved tag" in result.stdout
    assert "rulesync.yaml:4:" in result.stdout  # the line of its `rev:`
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "VERSION ONE" in (root / "CLAUDE.md").read_text()  # the pin holds
    update = run_cli("-C", root, "sources", "update", "--yes")
    assert update.exit_code == 0
    assert "+SNEAKY" in update.stdout
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert run_cli("-C", root, "check").exit_code == 0


def test_check_json_lists_source_findings(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack, root = pinned(make_pack, project, run_cli)
    pack.commit({"rules/tone.md": "# Tone\n\nSNEAKY\n"}, tag="v1.2.0")
    run_cli("-C", root, "sources", "fetch")
    result = run_cli("-C", root, "check", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["in_sync"] is False
    [finding] = document["sources"]
    assert finding["path"] == "rulesync.yaml" and finding["line"] == 4
    assert "a moved tag" in finding["message"]


def test_update_keeps_quotes_and_flow_style(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    pack.commit({"rules/tone.md": "# Tone\n"}, tag="v1.0.0")
    other = make_pack("other")
    other.commit({"rules/other.md": "# Other\n"}, tag="v3.0.0")
    sources = (
        f"sources:\n  - {{repo: '{pack.path}', rev: 'v1.0.0'}}\n"
        f'  - repo: {other.path}\n    rev: "v3.0.0"   # newest already\n'
    )
    root = project(sources)
    assert run_cli("-C", root, "mirror").exit_code == 0
    pack.commit({"rules/tone.md": "# Tone 2\n"}, tag="v1.1.0")
    assert run_cli("-C", root, "sources", "update").exit_code == 0
    assert (root / "rulesync.yaml").read_text() == "targets: [claude, gemini, codex]\n" + (
        sources.replace("'v1.0.0'", "'v1.1.0'")
    )


def test_a_branch_rev_that_moved_on_is_named_as_such(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack = make_pack()
    pack.commit({"rules/tone.md": "# Tone\n"})
    root = project(f"sources:\n  - repo: {pack.path}\n    rev: main\n")
    assert run_cli("-C", root, "mirror").exit_code == 0
    pack.commit({"rules/tone.md": "# Tone 2\n"})
    run_cli("-C", root, "sources", "fetch")
    result = run_cli("-C", root, "check")
    assert result.exit_code == 1
    assert "(the branch moved on)" in result.stdout
