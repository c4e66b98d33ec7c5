"""The parse cache of rulesync.yaml: same result as a parse, never a source of errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rulesync.errors import ConfigError
from rulesync.source import cache
from rulesync.source.config import CACHE_KIND, load_config

CONFIG = """\
targets: [claude, gemini]
codex:
  max_bytes: 4096
lint:
  umlaut:
    lang: de-CH
    allow: [Schaefer, Jaeger]
"""


def project(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    (root / "rulesync.yaml").write_text(text, encoding="utf-8")
    return root


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def ruamel_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed with ruamel.yaml instead of the cache")

    monkeypatch.setattr("ruamel.yaml.YAML.load", refuse)


def test_a_second_load_reads_the_cache_and_gets_the_same_config(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, CONFIG)
    parsed = load_config(root)
    assert len(entries(cache_folder)) == 1
    ruamel_fails(monkeypatch)
    cached = load_config(root)
    assert cached == parsed
    assert cached.lines == parsed.lines
    assert cached.line_of("lint", "umlaut", "allow", 1) == 7
    assert cached.options_for("codex") == {"max_bytes": 4096}


def test_the_cache_keeps_the_order_of_keys(tmp_path: Path, cache_folder: Path) -> None:
    text = "dispatch:\n  roles:\n    zeta: [gemini]\n    alpha: [codex]\n"
    root = project(tmp_path, text)
    assert list(load_config(root).dispatch["roles"]) == ["zeta", "alpha"]
    assert entries(cache_folder)
    assert list(load_config(root).dispatch["roles"]) == ["zeta", "alpha"]


def test_an_edited_file_is_parsed_again(tmp_path: Path, cache_folder: Path) -> None:
    root = project(tmp_path, CONFIG)
    load_config(root)
    root = project(tmp_path, CONFIG.replace("de-CH", "auto"))
    assert load_config(root).lint["umlaut"]["lang"] == "auto"
    assert len(entries(cache_folder)) == 2


def test_a_cached_config_is_still_validated(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, "targets: [claude, gemnii]\n")
    with pytest.raises(ConfigError):
        load_config(root)
    ruamel_fails(monkeypatch)
    with pytest.raises(ConfigError) as raised:
        load_config(root)
    assert [(p.line, p.message) for p in raised.value.problems] == [(1, "unknown target `gemnii`")]


BROKEN_VALUES = [
    {"data": {}},
    {"data": 1, "lines": []},
    {"data": {}, "lines": [["targets", "not a line"]]},
]


@pytest.mark.parametrize(
    "entry",
    [
        "not json",
        "[]",
        # another text with the same checksum: its value must not be used
        json.dumps(
            {"text": "targets: [codex]\n", "value": {"data": {"targets": ["codex"]}, "lines": []}}
        ),
        *(json.dumps({"text": CONFIG, "value": value}) for value in BROKEN_VALUES),
    ],
)
def test_a_broken_or_foreign_entry_is_ignored(
    tmp_path: Path, cache_folder: Path, entry: str
) -> None:
    root = project(tmp_path, CONFIG)
    expected = load_config(root)
    [path] = entries(cache_folder)
    path.write_text(entry, encoding="utf-8")
    assert load_config(root) == expected
    assert load_config(root).targets == ("claude", "gemini")


def test_invalid_yaml_is_not_cached(tmp_path: Path, cache_folder: Path) -> None:
    root = project(tmp_path, "targets: [claude\n")
    for _ in range(2):
        with pytest.raises(ConfigError) as raised:
            load_config(root)
        assert raised.value.problems[0].message.startswith("invalid YAML")
    assert entries(cache_folder) == []


def test_what_json_cannot_give_back_is_not_cached(tmp_path: Path, cache_folder: Path) -> None:
    root = project(tmp_path, "lint:\n  umlaut:\n    since: 2024-01-01\n")
    assert str(load_config(root).lint["umlaut"]["since"]) == "2024-01-01"
    assert entries(cache_folder) == []


def test_the_cache_can_be_switched_off(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RULESYNC_NO_CACHE", "1")
    load_config(project(tmp_path, CONFIG))
    assert cache.cache_dir() is None
    assert entries(cache_folder) == []


def test_an_unwritable_cache_folder_costs_nothing_but_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("RULESYNC_CACHE_DIR", str(blocker / "cache"))
    assert load_config(project(tmp_path, CONFIG)).targets == ("claude", "gemini")


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RULESYNC_CACHE_DIR", raising=False)
    monkeypatch.delenv("RULESYNC_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == str(tmp_path / "rulesync")


@pytest.mark.parametrize(
    "content",
    [
        '{"text" 1}',
        '{"text": "\x01"}',
        '{"text": tru}',
        '{"text":',
        "[1,]",
        "",
        "\ufeff{}",
        "9" * 5000,
    ],
)
def test_a_broken_entry_is_ignored_in_a_fresh_process(
    tmp_path: Path, cache_folder: Path, content: str
) -> None:
    """A fresh process, where json.decoder is not imported yet: there `_json`'s scanner
    raises SystemError, not a JSON error, on some broken texts (rulesync.lean_json)."""
    root = project(tmp_path, CONFIG)
    load_config(root)
    [path] = entries(cache_folder)
    path.write_text(content, encoding="utf-8")
    code = (
        "import sys\n"
        "from rulesync.source import cache\n"
        "print(cache.load(sys.argv[1], sys.argv[2]), 'json.decoder' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, CACHE_KIND, CONFIG],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "None"


def test_an_entry_nested_too_deep_is_ignored(tmp_path: Path, cache_folder: Path) -> None:
    root = project(tmp_path, CONFIG)
    expected = load_config(root)
    [path] = entries(cache_folder)
    path.write_text("[" * 200_000, encoding="utf-8")
    assert cache.load(CACHE_KIND, CONFIG) is None
    assert load_config(root) == expected
