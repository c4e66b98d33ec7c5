"""The parsed frontmatter of a project's last load, kept on disk, keyed by the YAML text.

A project's frontmatter blocks change rarely, and the same text always parses to the same
data. Parsing the few hundred blocks of a large project with PyYAML (its import, ~12 ms, and
its parse, ~15 ms) was a tenth of a fresh mirror's CPU time; with every block found here,
PyYAML is not even imported.

One file per project (rulesync.source.cache's folder, `frontmatter-VERSION/`), named by a
checksum of the project's path and holding that path: a JSON object of YAML text -> data. A
block is looked up by its whole text (a dict key: no checksum can collide), and only data
that JSON gives back unchanged is kept (not dates, say). The file is rewritten after a load
that parsed something new or no longer needed an entry, so it holds the blocks of the last
load only. Like every entry of that cache it only ever saves time: a file that cannot be
read, parsed or written is ignored, and the data read from it is validated as parsed data is.
"""

from __future__ import annotations

import copy
import json
import os
import zlib
from typing import Any

from rulesync import __version__
from rulesync.source.cache import cache_dir

KIND = "frontmatter"


class FrontmatterCache:
    """What the last load of one project parsed, and what this load parses."""

    def __init__(self, root: str) -> None:
        self._root = root
        self._path = _bundle_path(root)
        self._known = _read_bundle(self._path, root) if self._path else {}
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
        """Rewrite the file when this load parsed a new block or left an old one unused."""
        if self._path is None or not (self._changed or self._known):
            return
        try:
            text = json.dumps({"root": self._root, "blocks": self._used}, ensure_ascii=False)
            os.makedirs(os.path.dirname(self._path), exist_ok=True)
            temporary = f"{self._path}.{os.getpid()}.tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, self._path)
        except (OSError, TypeError, ValueError, RecursionError):
            return
        self._known, self._changed = {}, False


def _bundle_path(root: str) -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = f"{zlib.crc32(root.encode('utf-8', 'surrogatepass')):08x}.json"
    return os.path.join(folder, f"{KIND}-{__version__}", name)


def _read_bundle(path: str, root: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            bundle = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(bundle, dict) or bundle.get("root") != root:
        return {}  # another project with the same checksum, or a broken file
    blocks = bundle.get("blocks")
    return blocks if isinstance(blocks, dict) else {}
