"""Identity names from a pack's names.yaml: merged under the project's, seen by lint and mirror."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.sources.conftest import Pack

PACK_NAMES = (
    "names:\n  - name: Acme\n    wrong: [acme-corp]\n  - name: Widgetly\n    wrong: [WidgetLy]\n"
)
OWN = "lint:\n  identity:\n    names:\n      - name: Acme\n        wrong: [ACME]\n"


def names_project(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    own: str = OWN,
    extra: str = "",
    names: str = PACK_NAMES,
) -> tuple[Pack, Path]:
    pack = make_pack()
    pack.commit({"packs/py/names.yaml": names, "packs/py/rules/tone.md": "# Tone\n"}, tag="v1.0.0")
    root = project(
        f"{own}sources:\n  - repo: {pack.path}\n    rev: v1.0.0\n    path: packs/py\n{extra}",
        {"docs/a.md": "# Doc\n\nWe ship WidgetLy and ACME and acme-corp.\n"},
    )
    return pack, root


def test_mirror_renders_pack_names_under_the_projects_own(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    _, root = names_project(make_pack, project)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    claude = (root / "CLAUDE.md").read_text()
    assert "## Spelling of names" in claude
    assert "- **Acme** (never ~~ACME~~)" in claude  # the project's entry wins
    assert "acme-corp" not in claude
    assert "- **Widgetly** (never ~~WidgetLy~~" in claude
    assert claude.index("**Acme**") < claude.index("**Widgetly**")
    assert run_cli("-C", root, "check").exit_code == 0  # type: ignore[attr-defined]


def test_lint_checks_pack_names_from_the_cache_without_git(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    git_calls: Callable[[], list[str]],
) -> None:
    _, root = names_project(make_pack, project)
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    before = len(git_calls())
    result = run_cli("-C", root, "lint", "docs/a.md")
    out = result.stdout  # type: ignore[attr-defined]
    assert result.exit_code == 1, out + result.stderr  # type: ignore[attr-defined]
    assert 'write "Widgetly", not "WidgetLy"' in out
    assert 'write "Acme", not "ACME"' in out
    assert "acme-corp" not in out  # the pack's Acme yields to the project's
    assert len(git_calls()) == before


def test_pack_names_alone_turn_the_identity_lint_on(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    _, root = names_project(make_pack, project, own="")
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    result = run_cli("-C", root, "lint", "--only", "identity", "docs/a.md")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert 'write "Acme", not "acme-corp"' in result.stdout  # type: ignore[attr-defined]


def test_include_can_leave_names_out(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    _, root = names_project(make_pack, project, extra="    include: [rules/*]\n")
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    assert "Widgetly" not in (root / "CLAUDE.md").read_text()


def test_a_malformed_names_file_is_an_error_naming_it(
    make_pack: Callable[..., Pack], project: Callable[..., Path], run_cli: Callable[..., object]
) -> None:
    _, root = names_project(make_pack, project, names="names:\n  - name: X\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "agent-rules:packs/py/names.yaml" in result.stderr  # type: ignore[attr-defined]
    assert "too short" in result.stderr  # type: ignore[attr-defined]
    assert not (root / "CLAUDE.md").exists()


def test_lint_with_the_cache_gone_names_the_source_and_the_fix(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    tmp_path: Path,
    git_calls: Callable[[], list[str]],
) -> None:
    import shutil

    _, root = names_project(make_pack, project)
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    shutil.rmtree(tmp_path / "cache/sources")
    before = len(git_calls())
    result = run_cli("-C", root, "lint", "docs/a.md")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "agent-rules@v1.0.0" in result.stderr  # type: ignore[attr-defined]
    assert "rulesync sources fetch" in result.stderr  # type: ignore[attr-defined]
    assert len(git_calls()) == before


def test_lint_refuses_a_cached_names_file_changed_after_the_fact(
    make_pack: Callable[..., Pack],
    project: Callable[..., Path],
    run_cli: Callable[..., object],
    tmp_path: Path,
) -> None:
    _, root = names_project(make_pack, project)
    assert run_cli("-C", root, "mirror").exit_code == 0  # type: ignore[attr-defined]
    [cached] = (tmp_path / "cache/sources").glob("*/trees/*/files/packs/py/names.yaml")
    cached.write_text(PACK_NAMES + "  - name: Sneaky\n")
    result = run_cli("-C", root, "lint", "docs/a.md")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert "agent-rules@v1.0.0" in err and "the cache does not match the pinned commit" in err
    assert "packs/py/names.yaml differs" in err


def test_a_later_pack_wins_per_name_and_the_project_over_both(tmp_path: Path) -> None:
    from rulesync.source.config import load_config
    from rulesync.sources.layers import Layer
    from rulesync.sources.names import with_pack_names

    layers = []
    for name, text in {
        "early": "names:\n  - name: Shared\n    wrong: [EARLY]\n  - name: Early\n",
        "late": "names:\n  - name: Shared\n    wrong: [LATE]\n  - name: Mine\n    wrong: [PACK]\n",
    }.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "names.yaml").write_text(text)
        layers.append(Layer(folder, folder, f"{name}:", frozenset({"names.yaml"})))
    root = tmp_path / "project"
    root.mkdir()
    (root / "rulesync.yaml").write_text(
        "targets: [claude]\nlint:\n  identity:\n    names:\n      - name: Mine\n        wrong: [OWN]\n"
    )
    merged = with_pack_names(load_config(root), [*layers, Layer(root / ".rulesync", root)])
    assert merged.lint["identity"]["names"] == [
        {"name": "Mine", "wrong": ["OWN"]},
        {"name": "Shared", "wrong": ["LATE"]},
        {"name": "Early"},
    ]
