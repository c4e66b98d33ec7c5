"""Source files built in memory by `import`, and how each kind is written as Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rulesync.source.names import TARGETS
from rulesync.source.schema import SCHEMAS


@dataclass(frozen=True)
class SourceFile:
    """One file of the canonical source, as `import` would write it."""

    path: str  # project-relative, posix, e.g. `.rulesync/rules/main.md`
    content: bytes
    origin: str  # the file(s) it was built from, for reports and error messages
    executable: bool = False


def markdown_source(fields: Iterable[tuple[str, Any]], body: str) -> bytes:
    """`---` frontmatter (every string quoted) and the body, with exactly one final newline."""
    from rulesync.render.yamlout import frontmatter

    front = frontmatter(fields)
    text = body.strip("\n")
    head = f"---\n{front}\n---\n" if front else ""
    if not head and text.startswith("---"):
        head = "---\n---\n"  # an empty frontmatter, so the body's own `---` stays body
    return (head + text + "\n").encode("utf-8") if text else head.encode("utf-8")


def item_source(
    kind: str,
    fields: Mapping[str, Any],
    body: str,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> bytes:
    """A rule, command, skill or subagent file: schema fields in schema order, then overrides."""
    ordered: list[tuple[str, Any]] = [(k, fields[k]) for k in SCHEMAS[kind] if k in fields]
    if "targets" in fields:
        ordered.append(("targets", fields["targets"]))
    for target in TARGETS:
        block = (overrides or {}).get(target)
        if block:
            ordered.append((target, dict(block)))
    return markdown_source(ordered, body)
