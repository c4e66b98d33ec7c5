"""Identity names from packs: `names.yaml` at a source's `path`, merged under the project's own.

The file has the schema of the `lint.identity` block of rulesync.yaml (`names:` and its list),
so a block can move between a project and a pack unchanged. Names merge by `name`: the
project's `lint.identity.names` win, then later sources over earlier ones (the precedence of
every other file of a pack). Both `rulesync lint` (and its hooks) and mirror's "Spelling of
names" section then see one list.

Only the cache is read, never git: the file is one of the files the source supplies (so it
is in the pin's content hash and `include` can leave it out), checked by size and mtime
against the checkout's manifest, read without following a link, and its parse is kept in
the parse cache (no ruamel import on the next run).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from rulesync.errors import ConfigError, Problem
from rulesync.source.config import Config
from rulesync.sources.layers import NAMES_FILE, Layer

#: Cache kind of a parsed names.yaml; a new shape of entry needs a new kind.
CACHE_KIND = "pack-names-v2"
FIX = "fix the pack's names.yaml (the schema of `lint.identity`), or leave it out with `include:`"


def with_source_names(config: Config) -> Config:
    """`config` with the names its cached sources supply (for `rulesync lint` and its hooks).
    A source missing from the cache raises SourceNotCached; git never runs."""
    if not config.sources:
        return config
    from rulesync.sources.overlay import names_layers

    return with_pack_names(config, names_layers(config.root, config.source, config.sources))


def with_pack_names(config: Config, layers: Sequence[Layer]) -> Config:
    """`config` whose `lint.identity.names` also holds the names of the packs among `layers`
    (lowest precedence first); unchanged when no pack has any, or when the project's own
    `lint.identity` is malformed (its own check reports that)."""
    packs = [entries for layer in layers if layer.prefix for entries in [_pack_entries(layer)]]
    if not any(packs):
        return config
    lint = dict(config.lint or {})
    own = lint.get("identity")
    if own is None:
        own = {"names": []}
    if not isinstance(own, Mapping) or not isinstance(own.get("names", []), list):
        return config
    names = list(own.get("names", []))
    taken = {_name_of(entry) for entry in names}
    merged: dict[str, Any] = {}
    for entries in packs:
        for entry in entries:
            merged[_name_of(entry)] = entry  # a later pack wins over an earlier one
    names += [entry for name, entry in merged.items() if name not in taken]
    lint["identity"] = {**own, "names": names}
    return config.replace(lint=lint)


def _name_of(entry: Any) -> str:
    if isinstance(entry, Mapping):
        value = entry.get("name")
        return value.strip() if isinstance(value, str) else ""
    return entry.strip() if isinstance(entry, str) else ""


def _pack_entries(layer: Layer) -> list[Any]:
    """The validated entries of the layer's names.yaml; [] when it supplies none. A text that
    parsed and passed the checks once is kept in the parse cache: the next run reads JSON."""
    if layer.allowed is not None and NAMES_FILE not in layer.allowed:
        return []
    shown = f"{layer.prefix}{_relative(layer)}{NAMES_FILE}"
    text = _read(layer, shown)
    if text is None:
        return []
    from rulesync.source import cache

    cached = cache.load(CACHE_KIND, text)
    if isinstance(cached, dict) and isinstance(cached.get("names"), list):
        return list(cached["names"])
    entries = _validated(_parse_yaml(text, shown), shown)
    cache.store(CACHE_KIND, text, {"names": entries})
    return entries


def _validated(data: Any, shown: str) -> list[Any]:
    from lints.errors import LintConfigError
    from lints.rules.identity import parse_names

    if data is None:
        return []
    try:
        parse_names(data)
    except LintConfigError as error:
        where = ".".join(str(part) for part in error.key_path)
        message = f"{where}: {error.message}" if where else error.message
        raise ConfigError([Problem(shown, message, fix=FIX)]) from None
    return list(data.get("names", []))


def _relative(layer: Layer) -> str:
    inside = os.path.relpath(layer.folder, layer.fence)
    return "" if inside == "." else f"{inside.replace(os.sep, '/')}/"


def _read(layer: Layer, shown: str) -> str | None:
    from rulesync.sync.safety import NotAFile, read_regular

    fence, folder = os.path.realpath(layer.fence), os.path.realpath(layer.folder)
    if os.path.commonpath([fence, folder]) != fence:
        raise ConfigError([Problem(shown, "leads out of the cached checkout", fix=FIX)])
    try:
        raw = read_regular(layer.folder / NAMES_FILE)
    except OSError as error:
        raise ConfigError([Problem(shown, f"cannot read ({error.strerror})", fix=FIX)]) from None
    if raw is None:
        return None
    if isinstance(raw, NotAFile):
        raise ConfigError([Problem(shown, f"is {raw.what}, not a regular file", fix=FIX)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError([Problem(shown, f"not valid UTF-8 ({error.reason})", fix=FIX)]) from None


def _parse_yaml(text: str, shown: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe", pure=True).load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError([Problem(shown, f"invalid YAML ({error})", line, FIX)]) from None
    except RecursionError:
        raise ConfigError([Problem(shown, "invalid YAML (nested too deeply)", fix=FIX)]) from None
