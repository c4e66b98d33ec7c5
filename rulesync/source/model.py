"""The canonical source as loaded and validated: plain frozen data, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rulesync.source.config import Config
from rulesync.source.only import Segment, join_for

Kind = Literal["rule", "command", "skill", "subagent"]


@dataclass(frozen=True)
class SupportFile:
    """A file shipped beside a skill's SKILL.md, copied as is."""

    relative: str  # inside the skill folder, posix
    content: bytes
    executable: bool = False


@dataclass(frozen=True)
class Item:
    """One rule, command, skill or subagent from `.rulesync/`."""

    kind: Kind
    name: str
    path: str  # project-relative, posix: what error messages and generated notes show
    fields: Mapping[str, Any]
    overrides: Mapping[str, Mapping[str, Any]]
    targets: tuple[str, ...]
    segments: tuple[Segment, ...]
    body_line: int = 1
    files: tuple[SupportFile, ...] = ()

    def fields_for(self, target: str) -> dict[str, Any]:
        """Frontmatter for one target: the shared fields, then that target's override block."""
        merged = dict(self.fields)
        merged.update(self.overrides.get(target, {}))
        return merged

    def body_for(self, target: str) -> str:
        return join_for(self.segments, target)

    def get(self, target: str, key: str, default: Any = None) -> Any:
        return self.fields_for(target).get(key, default)


@dataclass(frozen=True)
class Project:
    """Everything mirror needs: the config and the validated source items."""

    config: Config
    rules: tuple[Item, ...] = ()
    commands: tuple[Item, ...] = ()
    skills: tuple[Item, ...] = ()
    subagents: tuple[Item, ...] = ()
    source_files: tuple[str, ...] = field(default_factory=tuple)

    def for_target(self, items: tuple[Item, ...], target: str) -> tuple[Item, ...]:
        return tuple(item for item in items if target in item.targets)
