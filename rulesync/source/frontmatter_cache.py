"""Parsed frontmatter blocks, kept on disk, keyed by their YAML text.

Frontmatter changes rarely, and the same text always parses to the same data. Parsing the
few hundred blocks of a large project with PyYAML (its import, ~12 ms, and its parse, ~15 ms)
was a tenth of a fresh mirror's CPU time; with every block found here, PyYAML is not even
imported. Blocks are not tied to a project's path: a second clone or work tree of a project,
or a copy, finds them too.

One file (rulesync.source.cache's folder, `frontmatter-v1-VERSION/blocks.json`): a JSON object
of YAML text -> data, the blocks of the latest load first. A block is looked up by its whole
text (a dict key: no checksum can collide), and only data that JSON gives back unchanged is
kept (not dates, say). After a load that parsed a block not yet kept, the file is written
again: that load's blocks, then the earlier ones as long as they fit in KEEP_CHARACTERS (so
reading it stays cheap). Like every entry of that cache it only ever saves time: a file that
cannot be read, parsed or written is ignored, and the data read from it is validated as
parsed data is.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

from rulesync import __version__
from rulesync.source.cache import cache_dir

KIND = "frontmatter-v1"  # a new shape of the file needs a new kind
#: Characters of YAML text kept for blocks the latest load did not use (the rest is dropped).
KEEP_CHARACTERS = 256 * 1024


class FrontmatterCache:
    """The blocks kept by earlier loads, and those this load uses."""

    def __init__(self) -> None:
        self._path = _bundle_path()
        self._known = _read_bundle(self._path) if self._path else {}
        self._used: dict[str, dict[str, Any]] = {}
        self._changed = False

    def get(self, yaml_text: str) -> dict[str, Any] | None:
        """The data of `yaml_text` when known; a text met twice gets a copy the second time."""
        if yaml_text in self._used:
            return copy.deepcopy(self._used[yaml_text])
        data = self._known.pop(yaml_text, None)
        if not isinstance(data, dict):
            return None
        self._used[yaml_text] = data
        return data

    def put(self, yaml_text: str, data: dict[str, Any]) -> None:
        """Keep what the YAML parser gave for `yaml_text` (when JSON can give it back)."""
        if self._path is None or yaml_text in self._used:
            return
        try:
            if json.loads(json.dumps(data, ensure_ascii=False)) != data:
                return
        except (TypeError, ValueError, RecursionError):
            return
        self._used[yaml_text] = data
        self._changed = True

    def save(self) -> None:
        """Write the file again when this load parsed a block that was not kept."""
        if self._path is None or not self._changed:
            return
        blocks = dict(self._used)
        room = KEEP_CHARACTERS
        for yaml_text, data in self._known.items():  # earlier loads' blocks, latest first
            room -= len(yaml_text)
            if room < 0:
                break
            blocks.setdefault(yaml_text, data)
        try:
            text = json.dumps({"blocks": blocks}, ensure_ascii=False)
            os.makedirs(os.path.dirname(self._path), exist_ok=True)
            temporary = f"{self._path}.{os.getpid()}.tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, self._path)
        except (OSError, TypeError, ValueError, RecursionError):
            return
        self._known, self._changed = {}, False


def _bundle_path() -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    return os.path.join(folder, f"{KIND}-{__version__}", "blocks.json")


def _read_bundle(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            bundle = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(bundle, dict):
        return {}
    blocks = bundle.get("blocks")
    return blocks if isinstance(blocks, dict) else {}
