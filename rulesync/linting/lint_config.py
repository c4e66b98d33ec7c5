"""The `lint:` section of rulesync.yaml, for a pre-commit run that needs nothing else.

Loading the whole configuration (rulesync.source.config) validates every section, and
importing it is a fifth of a one-file lint run. A text that passed that validation once has
its `lint:` section (and the lines of its keys, for messages) kept in the parse cache
(rulesync.source.cache) under the text itself; the next run with the same rulesync.yaml
reads just that. Anything else (no entry, the cache off, a `sources:` block whose pack names
the lint merges in, an unreadable file) loads the whole configuration, with its errors, so
a broken rulesync.yaml fails the lint exactly as before, every time.
"""

from __future__ import annotations

import os

from rulesync.source import cache

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from rulesync.source.config import Config

CONFIG_NAME = "rulesync.yaml"
#: Cache kind of the `lint:` section of a rulesync.yaml that passed the whole validation.
KIND = "lint-section-v1"


class LintSettings:
    """What the lints read of a validated rulesync.yaml: `lint:` and the lines of its keys."""

    __slots__ = ("lines", "lint")

    #: the pinned rule packs (a rulesync.yaml with packs is read as a whole Config)
    sources: tuple[Any, ...] = ()

    def __init__(self, lint: dict[str, Any], lines: Mapping[tuple[str | int, ...], int]) -> None:
        self.lint = lint
        self.lines = lines

    def line_of(self, *key_path: str | int) -> int | None:
        """1-based line of a key in rulesync.yaml, or of its nearest parent (Config.line_of)."""
        path = tuple(key_path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def load_lint_settings(root: str | os.PathLike[str]) -> LintSettings | Config:
    """The lint settings of `root/rulesync.yaml`. Raises ConfigError as `load_config` does."""
    path = os.path.join(root, CONFIG_NAME)
    if not os.path.isfile(path):
        return LintSettings({}, {})  # load_config(required=False) reads no `lint:` either
    text = _text(path)
    if text is not None:
        kept = _settings(cache.load(KIND, text))
        if kept is not None:
            return kept
    from pathlib import Path

    from rulesync.source.config import load_config

    config = load_config(Path(root), required=False)
    if text is not None and not config.sources and _text(path) == text:
        lines = [[*key, line] for key, line in config.lines.items() if key[:1] == ("lint",)]
        cache.store(KIND, text, {"lint": config.lint, "lines": lines})
    return config


def _text(path: str) -> str | None:
    """The text as load_config reads it, or None (load_config then says what is wrong)."""
    from rulesync.regular_file import read_regular

    try:
        return read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):  # a FIFO swapped in is not opened
        return None


def _settings(entry: object) -> LintSettings | None:
    """The settings of a cache entry, or None when it has not their shape."""
    if not isinstance(entry, dict):
        return None
    lint, rows = entry.get("lint"), entry.get("lines")
    if not isinstance(lint, dict) or not isinstance(rows, list):
        return None
    lines: dict[tuple[str | int, ...], int] = {}
    for row in rows:
        if not isinstance(row, list) or len(row) < 2 or not isinstance(row[-1], int):
            return None
        lines[tuple(row[:-1])] = row[-1]
    return LintSettings(lint, lines)
