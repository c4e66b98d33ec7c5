"""The lint reads only the `lint:` section of a rulesync.yaml that passed the whole validation
before (rulesync.linting.lint_config); anything else is loaded whole, with its errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from rulesync.errors import ConfigError
from rulesync.linting import lint_config
from rulesync.linting.lint_config import LintSettings, load_lint_settings

CONFIG = textwrap.dedent(
    """\
    targets: [claude]
    lint:
      identity:
        names:
          - GitHub
      umlaut:
        lang: de
    """
)
DOC = "We use Github. Fuer die Pruefung.\n"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("RULESYNC_CACHE_DIR", str(cache))
    monkeypatch.delenv("RULESYNC_NO_CACHE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return cache


def _no_whole_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole rulesync.yaml was loaded")

    monkeypatch.setattr("rulesync.source.config.load_config", refuse)


def test_the_second_read_takes_the_lint_section_from_the_cache(
    build_tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree({"rulesync.yaml": CONFIG})
    first = load_lint_settings(root)
    assert not isinstance(first, LintSettings)  # the whole Config, validated
    _no_whole_load(monkeypatch)
    second = load_lint_settings(root)
    assert isinstance(second, LintSettings)
    assert (
        second.lint == first.lint == {"identity": {"names": ["GitHub"]}, "umlaut": {"lang": "de"}}
    )
    assert second.line_of("lint", "umlaut", "lang") == first.line_of("lint", "umlaut", "lang") == 7
    assert second.line_of("lint", "identity", "names", 0) == 5
    assert second.line_of("lint", "nothing", "here") == 2
    assert second.sources == ()


def test_lint_output_is_the_same_from_the_cache(build_tree: Any, run_cli: Any) -> None:
    root = build_tree({"rulesync.yaml": CONFIG, "a.md": DOC})
    first = run_cli("-C", root, "lint", "a.md")
    second = run_cli("-C", root, "lint", "a.md")
    assert first.exit_code == second.exit_code == 1
    assert (first.stdout, first.stderr) == (second.stdout, second.stderr)
    assert 'write "GitHub"' in first.stdout and "Für" in first.stdout


@pytest.mark.parametrize(
    "broken",
    [
        "targets: [claud]\nlint:\n  identity:\n    names: [GitHub]\n",
        "lint:\n  identity:\n    names: [GitHub]\nsource: ../outside\n",
        "lint:\n  identity:\n    names: [GitHub]\nunknown: 1\n",
    ],
)
def test_a_broken_rulesync_yaml_fails_the_lint_every_time(
    build_tree: Any, run_cli: Any, broken: str
) -> None:
    root = build_tree({"rulesync.yaml": broken, "a.md": DOC})
    runs = [run_cli("-C", root, "lint", "a.md") for _ in range(3)]
    assert [run.exit_code for run in runs] == [2, 2, 2]
    assert runs[0].stderr.startswith("error: rulesync.yaml:")
    assert runs[0].stderr == runs[1].stderr == runs[2].stderr
    assert runs[0].stdout == ""


def test_an_option_error_names_the_same_line_from_the_cache(build_tree: Any, run_cli: Any) -> None:
    config = "targets: [claude]\n\nlint:\n  umlaut: 5\n"
    root = build_tree({"rulesync.yaml": config, "a.md": DOC})
    first = run_cli("-C", root, "lint", "a.md")
    second = run_cli("-C", root, "lint", "a.md")
    assert first.exit_code == second.exit_code == 2
    assert first.stderr == second.stderr
    assert "rulesync.yaml:4: `lint.umlaut` must be a mapping" in first.stderr


def test_a_changed_rulesync_yaml_is_read_anew(
    build_tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree({"rulesync.yaml": CONFIG})
    load_lint_settings(root)
    changed = CONFIG.replace("GitHub", "GitLab")
    (root / "rulesync.yaml").write_text(changed, encoding="utf-8")
    settings = load_lint_settings(root)
    assert settings.lint["identity"] == {"names": ["GitLab"]}
    assert not isinstance(settings, LintSettings)


def test_a_project_with_rule_packs_is_always_loaded_whole(build_tree: Any) -> None:
    config = CONFIG + "sources:\n  - repo: https://example.com/packs.git\n    rev: v1\n"
    root = build_tree({"rulesync.yaml": config})
    for _ in range(2):
        settings = load_lint_settings(root)
        assert not isinstance(settings, LintSettings)
        assert settings.sources


def test_without_rulesync_yaml_there_is_no_lint_section(tmp_path: Path) -> None:
    settings = load_lint_settings(tmp_path)
    assert isinstance(settings, LintSettings)
    assert (settings.lint, settings.line_of("lint")) == ({}, None)


def test_with_the_cache_off_every_read_is_whole(
    build_tree: Any, monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    monkeypatch.setenv("RULESYNC_NO_CACHE", "1")
    root = build_tree({"rulesync.yaml": CONFIG})
    for _ in range(2):
        assert not isinstance(load_lint_settings(root), LintSettings)
    assert not own_cache.exists()


@pytest.mark.parametrize(
    "entry",
    [
        "not a dict",
        {"lint": [], "lines": []},
        {"lint": {}, "lines": "x"},
        {"lint": {}, "lines": [["lint", "x"]]},
        {"lint": {}, "lines": [[3]]},
    ],
)
def test_a_cache_entry_of_another_shape_is_ignored(
    build_tree: Any, monkeypatch: pytest.MonkeyPatch, entry: object
) -> None:
    from rulesync.source import cache

    root = build_tree({"rulesync.yaml": CONFIG})
    cache.store(lint_config.KIND, CONFIG, entry)
    settings = load_lint_settings(root)
    assert not isinstance(settings, LintSettings)
    assert settings.lint["umlaut"] == {"lang": "de"}


def test_a_fifo_named_rulesync_yaml_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "rulesync.yaml")
    settings = load_lint_settings(tmp_path)  # not a regular file: as without one
    assert isinstance(settings, LintSettings) and settings.lint == {}


def test_an_unreadable_rulesync_yaml_is_reported_by_the_whole_load(build_tree: Any) -> None:
    root = build_tree({"rulesync.yaml": b"lint:\n  umlaut: {lang: \xff}\n"})
    with pytest.raises(ConfigError) as raised:
        load_lint_settings(root)
    assert "not valid UTF-8" in str(raised.value.problems[0])


def test_a_one_file_run_with_a_known_rulesync_yaml_imports_no_config_module(
    build_tree: Any, own_cache: Path
) -> None:
    root = build_tree({"rulesync.yaml": CONFIG, "a.md": DOC})
    probe = (
        "import sys; from rulesync.cli import main; code = main(['lint', 'a.md']); "
        "sys.stderr.write(f'\\nloaded: {\"rulesync.source.config\" in sys.modules}\\n'); "
        "sys.exit(code)"
    )
    env = {**os.environ, "RULESYNC_CACHE_DIR": str(own_cache)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True
        )
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [1, 1]
    assert runs[0].stdout == runs[1].stdout != ""
    assert runs[0].stderr.endswith("loaded: True\n")
    assert runs[1].stderr.endswith("loaded: False\n")
