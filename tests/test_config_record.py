"""`Config` and `Scope` are `Frozen` records (rulesync/record.py), not dataclasses: the same
fields, defaults, equality (`Config.lines` left out, as `compare=False` did), `repr`
(without `lines`), hashing, immutability, pickling and `replace`."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from rulesync.source.config import Config, load_config
from rulesync.source.names import TARGETS
from rulesync.source.scopes import UNSCOPED, Scope, scope_of


def test_config_defaults_are_those_of_the_dataclass() -> None:
    config = Config(Path("/p"), Path("/p/rulesync.yaml"))
    assert config.targets == TARGETS and config.source == ".rulesync" and config.exists is True
    assert (config.target_options, config.lint, config.dispatch) == ({}, {}, {})
    assert (config.lines, config.memory) == ({}, {})
    assert (config.mcp, config.scopes, config.packages, config.sources) == ((), "nested", (), ())


def test_config_default_mappings_are_not_shared() -> None:
    first = Config(Path("/p"), Path("/p/rulesync.yaml"))
    second = Config(Path("/q"), Path("/q/rulesync.yaml"))
    assert first.lint is not second.lint and first.dispatch is not second.dispatch
    assert first.lines is not second.lines and first.memory is not second.memory


def test_config_positional_fields_keep_the_dataclass_order() -> None:
    lines = {("targets",): 1}
    config = Config(
        Path("/p"), Path("/p/y"), ("claude",), "rules", {"claude": {}}, {"umlaut": {}},
        {"timeout": 5}, False, lines,
    )  # fmt: skip
    assert config.targets == ("claude",) and config.source == "rules"
    assert config.target_options == {"claude": {}} and config.lint == {"umlaut": {}}
    assert config.dispatch == {"timeout": 5} and config.exists is False
    assert config.lines is lines and config.line_of("targets", 0) == 1


def test_config_equality_and_repr_leave_out_lines() -> None:
    one = Config(Path("/p"), Path("/p/y"), lines={("targets",): 1})
    other = Config(Path("/p"), Path("/p/y"), lines={("targets",): 7})
    assert one == other
    assert one != Config(Path("/p"), Path("/p/y"), source="elsewhere")
    assert "lines" not in repr(one) and "targets" not in repr(one).split("lines")[0][:6]
    assert repr(one).startswith("Config(root=PosixPath('/p'), path=PosixPath('/p/y'), targets=")
    assert repr(one).endswith("scopes='nested', packages=(), sources=())")


def test_config_is_frozen_and_unhashable_like_the_dataclass() -> None:
    config = Config(Path("/p"), Path("/p/y"))
    with pytest.raises(AttributeError, match="frozen"):
        config.source = "x"  # type: ignore[misc]
    with pytest.raises(TypeError, match="unhashable"):
        hash(config)  # its mappings are dicts, as they were


def test_config_replace_keeps_the_other_fields_and_lines() -> None:
    lines = {("source",): 2}
    config = Config(Path("/p"), Path("/p/y"), ("gemini",), lines=lines, packages=("pkg/*",))
    moved = config.replace(source=".")
    assert moved.source == "." and moved.targets == ("gemini",)
    assert moved.lines is lines and moved.packages == ("pkg/*",)
    with pytest.raises(TypeError, match="no field 'nope'"):
        config.replace(nope=1)


def test_config_pickles(tmp_path: Path) -> None:
    (tmp_path / "rulesync.yaml").write_text("targets: [claude]\nscopes: root\n", encoding="utf-8")
    config = load_config(tmp_path)
    copy = pickle.loads(pickle.dumps(config))
    assert copy == config and copy.lines == config.lines and copy.line_of("scopes") == 2


def test_scope_compares_hashes_and_shows_like_the_dataclass() -> None:
    scope = scope_of(["packages/api/**"])
    assert scope == Scope(("packages/api/**",), ("packages/api",), True)
    assert hash(scope) == hash(Scope(("packages/api/**",), ("packages/api",), True))
    assert scope != Scope(("packages/api/**",), ("packages/api",), False)
    assert repr(UNSCOPED) == "Scope(patterns=(), folders=('',), whole=True)"
    assert scope.scoped and not UNSCOPED.scoped
    assert {scope: 1}[Scope(("packages/api/**",), ("packages/api",), True)] == 1
    with pytest.raises(AttributeError, match="frozen"):
        scope.whole = False  # type: ignore[misc]
