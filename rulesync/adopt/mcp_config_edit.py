"""Imported MCP servers added to the `mcp:` block of an existing rulesync.yaml.

ruamel.yaml's round trip keeps the user's comments, key order, quoting and indentation. Only
servers the block does not name yet are added, at its end; a server already there is left as it
is. The result is read back and must mean exactly the user's config with those servers added,
or the edit is refused (and the servers are named instead, as before).
"""

from __future__ import annotations

from typing import Any

HEADER = "MCP servers, imported; see docs/mirror.md"


def add_servers(text: str, servers: dict[str, dict[str, Any]]) -> str | None:
    """`text` (a rulesync.yaml) with `servers` added to its `mcp:` block; None when that
    cannot be done without changing what something else in the file means."""
    import yaml as pyyaml
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    try:
        document, dumper = _load(text)
    except (YAMLError, RecursionError):
        return None
    if not isinstance(document, CommentedMap):
        return None
    block = document.get("mcp")
    if block is None:
        if "mcp" in document:
            del document["mcp"]
        block = CommentedMap()
        document["mcp"] = block
        document.yaml_set_comment_before_after_key("mcp", before="\n" + HEADER)
    elif not isinstance(block, CommentedMap):
        return None
    for name, server in servers.items():
        block[name] = server
    result = _dump(document, dumper)
    before = pyyaml.safe_load(text) or {}
    expected = {**before, "mcp": {**(before.get("mcp") or {}), **servers}}
    try:
        after = pyyaml.safe_load(result)
    except pyyaml.YAMLError:
        return None
    return result if after == expected else None


def _load(text: str) -> tuple[Any, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    _data, sequence, offset = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    sequence, offset = sequence or 2, offset or 0
    yaml.indent(mapping=sequence - offset if offset else sequence, sequence=sequence, offset=offset)
    yaml.explicit_start = text.lstrip().startswith("---")
    return yaml.load(text), yaml


def _dump(document: Any, yaml: Any) -> str:
    import io

    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()
