"""`rulesync sources update`: move each `rev` to the newest tag, like `pre-commit autoupdate`.

Newest means the highest version among the repository's tags (`v1.10.0` after `v1.9.2`;
tags that are not versions are left out). A source whose repository has no version tag keeps
its rev, re-resolved (a branch moves on). Nothing is written here: the caller shows the diff
of every rendered output, asks about new shell lines, then calls `write_update`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from rulesync.errors import ConfigError, Problem
from rulesync.source.config import Config
from rulesync.sources.cache import RepoCache, repo_location
from rulesync.sources.overlay import Resolved, resolve_sources
from rulesync.sources.pins import Pin
from rulesync.sources.spec import SourceSpec

VERSION = re.compile(r"v?(\d+(?:\.\d+)*)")
FROZEN_NOTE = re.compile(r"[ \t]*#[ \t]*frozen:.*")


@dataclass(frozen=True)
class Move:
    old: SourceSpec
    new: SourceSpec
    old_commit: str | None
    new_commit: str
    frozen_tag: str | None = None  # `--freeze`: the tag whose commit id `new.rev` is

    @property
    def changed(self) -> bool:
        return self.old.rev != self.new.rev or self.old_commit != self.new_commit


@dataclass(frozen=True)
class UpdatePlan:
    moves: tuple[Move, ...]
    config: Config  # with the new revs
    resolved: tuple[Resolved, ...]
    diffs: tuple[tuple[str, bytes | None, bytes | None], ...]  # path, before, after

    @property
    def changed(self) -> bool:
        return any(m.changed for m in self.moves)


def newest_tag(refs: dict[str, str]) -> str | None:
    tags = []
    for ref in refs:
        name = ref.removeprefix("refs/tags/")
        match = VERSION.fullmatch(name) if ref.startswith("refs/tags/") else None
        if match:
            tags.append((tuple(int(p) for p in match.group(1).split(".")), name))
    return max(tags)[1] if tags else None


def chosen_sources(root: Path, config: Config, wanted: tuple[str, ...]) -> frozenset[int]:
    """The indexes of the sources `wanted` names (by name, `repo:` as written, or the same
    local path); every source when `wanted` is empty. An unknown one is an error (exit 2)."""
    if not wanted:
        return frozenset(spec.index for spec in config.sources)
    chosen, unknown = set(), []
    for word in wanted:
        hits = [s.index for s in config.sources if _names(s, word, root)]
        chosen.update(hits)
        if not hits:
            unknown.append(word)
    if unknown:
        known = ", ".join(f"{s.name} ({s.repo})" for s in config.sources) or "none"
        raise ConfigError(
            [Problem("rulesync.yaml", f"no source named {', '.join(unknown)}",
                     fix=f"name a source by its repository name or `repo:`; sources: {known}")]
        )  # fmt: skip
    return frozenset(chosen)


def _names(spec: SourceSpec, word: str, root: Path) -> bool:
    if word in (spec.name, spec.repo, spec.repo.rstrip("/")):
        return True
    return "://" not in word and repo_location(word, root) == repo_location(spec.repo, root)


def plan_update(
    root: Path, config: Config, *, only: frozenset[int] | None = None, freeze: bool = False
) -> UpdatePlan:
    """Fetch each chosen source (`only`: their indexes; None: all), pick its newest tag (with
    `freeze`, that tag's commit id), render before and after; write nothing."""
    before = resolve_sources(root, config.source, config.sources, git_allowed=True)
    chosen = only if only is not None else frozenset(s.index for s in config.sources)
    specs, tags = [], []
    for spec in config.sources:
        tag = _newest(root, spec) if spec.index in chosen else None
        rev = tag or spec.rev
        if freeze and spec.index in chosen:
            cache = RepoCache(repo_location(spec.repo, root), spec.label)
            rev = cache.resolve(rev, cache.known_refs())
            tag = tag if tag is not None and tag != rev else None
        specs.append(replace(spec, rev=rev))
        tags.append(tag if freeze else None)
    new_config = config.replace(sources=tuple(specs))
    after = resolve_sources(root, config.source, new_config.sources, repin=chosen)
    moves = tuple(
        Move(old.spec, new.spec, old.commit, new.commit, tag)
        for old, new, tag in zip(before, after, tags, strict=True)
        if old.spec.index in chosen
    )
    diffs = _output_diffs(root, config, before, new_config, after)
    return UpdatePlan(moves, new_config, after, diffs)


def _newest(root: Path, spec: SourceSpec) -> str | None:
    """The newest version tag after a fetch (None: the repository has none)."""
    return newest_tag(RepoCache(repo_location(spec.repo, root), spec.label).fetch())


def _output_diffs(
    root: Path,
    config: Config,
    before: tuple[Resolved, ...],
    new_config: Config,
    after: tuple[Resolved, ...],
) -> tuple[tuple[str, bytes | None, bytes | None], ...]:
    old = _render(config, before)
    new = _render(new_config, after)
    return tuple(
        (path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    )


def render_check(config: Config, resolved: tuple[Resolved, ...]) -> None:
    """Load and render with these sources, in memory: raises what mirror would."""
    _render(config, resolved)


def _render(config: Config, resolved: tuple[Resolved, ...]) -> dict[str, bytes]:
    from rulesync.render.build import build_outputs
    from rulesync.source.loader import load_project
    from rulesync.sources.layers import Layer

    layers = [*(r.layer for r in resolved), Layer(config.source_dir, config.root)]
    build = build_outputs(load_project(config.root, config, layers), config.targets)
    return {output.path: output.content for output in build.outputs}


def write_update(root: Path, plan: UpdatePlan) -> None:
    """rulesync.yaml with the new revs (comments and layout kept), then sources.lock."""
    from rulesync.sources.pins import write_pins
    from rulesync.sync.writer import write_atomic

    text = plan.config.path.read_bytes().decode("utf-8-sig")
    write_atomic(plan.config.path, _with_revs(text, plan.moves).encode("utf-8"), root=root)
    write_pins(plan.config.source_dir, tuple(r.new_pin for r in plan.resolved))


def _with_revs(text: str, moves: tuple[Move, ...]) -> str:
    """The text with each moved `rev:` value replaced in place: every other byte (comments,
    indentation, quoting) stays. ruamel's round-trip parse gives the value's position."""
    from ruamel.yaml import YAML

    data = YAML(typ="rt").load(text)
    lines = text.splitlines(keepends=True)
    for move in moves:
        if move.old.rev != move.new.rev:
            entry = data["sources"][move.new.index]
            line, column = entry.lc.value("rev")
            replaced = _replace_scalar(lines[line], column, move.old.rev, move.new.rev)
            end = column + _width(replaced, column, move.new.rev)
            lines[line] = _with_frozen_note(replaced, end, move.frozen_tag)
    return "".join(lines)


def _width(line: str, column: int, value: str) -> int:
    """The scalar's width on the line, quotes included."""
    return len(value) + (2 if line[column] in "'\"" else 0)


def _with_frozen_note(line: str, end: int, tag: str | None) -> str:
    """pre-commit's `# frozen: v1.2.0` after a commit id: written by `--freeze`, dropped when
    the rev moves to a tag again. Any other comment of the user's stays as it was."""
    head, rest = line[:end], line[end:]
    body = rest.rstrip("\r\n")
    newline = rest[len(body) :]
    note = FROZEN_NOTE.match(body)
    if note is not None:
        body = body[note.end() :]
    if tag is not None and not body.strip():
        body = f"  # frozen: {tag}"
    return f"{head}{body}{newline}"


def _replace_scalar(line: str, column: int, old: str, new: str) -> str:
    quote = line[column] if line[column] in "'\"" else ""
    end = column + len(quote) + len(old) + len(quote)
    if line[column:end] != f"{quote}{old}{quote}":
        raise ConfigError(
            [Problem("rulesync.yaml", f"cannot find `rev: {old}` to replace",
                     fix=f"set `rev: {new}` by hand")]
        )  # fmt: skip
    return f"{line[:column]}{quote}{new}{quote}{line[end:]}"


def pins_of(resolved: tuple[Resolved, ...]) -> tuple[Pin, ...]:
    return tuple(r.new_pin for r in resolved)
