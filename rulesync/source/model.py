"""The canonical source as loaded and validated: plain frozen data, no I/O.

Records are `Frozen` (rulesync.record), not dataclasses: every run that renders imports this
module, and building a dataclass costs about a millisecond at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from rulesync.record import Frozen
from rulesync.source.config import Config
from rulesync.source.only import Segment, join_for

Kind = Literal["rule", "command", "skill", "subagent"]


class SupportFile(Frozen):
    """A file shipped beside a skill's SKILL.md, copied as is."""

    __slots__ = ("relative", "content", "executable")  # noqa: RUF023 - the field order
    relative: str  # inside the skill folder, posix
    content: bytes
    executable: bool

    def __init__(self, relative: str, content: bytes, executable: bool = False) -> None:
        self._set(relative=relative, content=content, executable=executable)


class Item(Frozen):
    """One rule, command, skill or subagent from `.rulesync/`."""

    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "kind", "name", "path", "fields", "overrides", "targets", "segments", "body_line",
        "files",
    )  # fmt: skip
    kind: Kind
    name: str
    path: str  # project-relative, posix: what error messages and generated notes show
    fields: Mapping[str, Any]
    overrides: Mapping[str, Mapping[str, Any]]
    targets: tuple[str, ...]
    segments: tuple[Segment, ...]
    body_line: int
    files: tuple[SupportFile, ...]

    def __init__(
        self,
        kind: Kind,
        name: str,
        path: str,
        fields: Mapping[str, Any],
        overrides: Mapping[str, Mapping[str, Any]],
        targets: tuple[str, ...],
        segments: tuple[Segment, ...],
        body_line: int = 1,
        files: tuple[SupportFile, ...] = (),
    ) -> None:
        self._set(
            kind=kind, name=name, path=path, fields=fields, overrides=overrides,
            targets=targets, segments=segments, body_line=body_line, files=files,
        )  # fmt: skip

    def fields_for(self, target: str) -> dict[str, Any]:
        """Frontmatter for one target: the shared fields, then that target's override block."""
        merged = dict(self.fields)
        merged.update(self.overrides.get(target, {}))
        return merged

    def body_for(self, target: str) -> str:
        return join_for(self.segments, target)

    def get(self, target: str, key: str, default: Any = None) -> Any:
        return self.fields_for(target).get(key, default)


class Project(Frozen):
    """Everything mirror needs: the config and the validated source items."""

    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "config", "rules", "commands", "skills", "subagents", "source_files",
    )  # fmt: skip
    config: Config
    rules: tuple[Item, ...]
    commands: tuple[Item, ...]
    skills: tuple[Item, ...]
    subagents: tuple[Item, ...]
    source_files: tuple[str, ...]

    def __init__(
        self,
        config: Config,
        rules: tuple[Item, ...] = (),
        commands: tuple[Item, ...] = (),
        skills: tuple[Item, ...] = (),
        subagents: tuple[Item, ...] = (),
        source_files: tuple[str, ...] = (),
    ) -> None:
        self._set(
            config=config, rules=rules, commands=commands, skills=skills, subagents=subagents,
            source_files=source_files,
        )  # fmt: skip

    def for_target(self, items: tuple[Item, ...], target: str) -> tuple[Item, ...]:
        return tuple(item for item in items if target in item.targets)
