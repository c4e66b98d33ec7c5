"""`-C packages/api` in a monorepo: the sources step reads the root's rulesync.yaml."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.sources.conftest import Pack


def monorepo(
    make_pack: Callable[..., Pack], project: Callable[..., Path]
) -> tuple[Pack, Path, Path]:
    pack = make_pack()
    pack.commit({"rules/tone.md": "# Tone\n\nPACK TONE\n"}, tag="v1.0.0")
    root = project(
        f"packages: [packages/*]\nsources:\n  - repo: {pack.path}\n    rev: v1.0.0\n",
        {"packages/api/.rulesync/rules/api.md": "# API\n\nAPI RULES\n"},
    )
    return pack, root, root / "packages/api"


def test_mirror_in_a_package_pins_the_roots_sources(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack, root, api = monorepo(make_pack, project)
    result = run_cli("-C", api, "mirror")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    lock = json.loads((root / ".rulesync/sources.lock").read_text())
    assert [entry["commit"] for entry in lock["sources"]] == [pack.git("rev-parse", "v1.0.0")]
    assert not (api / ".rulesync/sources.lock").exists()
    assert "API RULES" in (api / "AGENTS.md").read_text()
    assert run_cli("-C", api, "check").exit_code == 0  # type: ignore[attr-defined]
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    assert "PACK TONE" in (root / "CLAUDE.md").read_text()


def test_sources_commands_in_a_package_use_the_root(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    pack, root, api = monorepo(make_pack, project)
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    listed = run_cli("-C", api, "sources", "list")
    assert listed.exit_code == 0, listed.stderr  # type: ignore[attr-defined]
    assert "agent-rules@v1.0.0" in listed.stdout  # type: ignore[attr-defined]
    pack.commit({"rules/tone.md": "# Tone\n\nPACK TWO\n"}, tag="v2.0.0")
    result = run_cli("-C", api, "sources", "update")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert "    rev: v2.0.0\n" in (root / "rulesync.yaml").read_text()
    assert not (api / "rulesync.yaml").exists()
