"""`rulesync import`: read an existing setup, stage the source, and say what will change.

Nothing here writes; `writeback.apply_import` does, after the command has shown the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rulesync.errors import Problem, RulesyncError
from rulesync.render.outputs import Warning
from rulesync.source.config import CONFIG_NAME, Config, load_config
from rulesync.source.names import TARGETS
from rulesync.sync.lock import Lock, digest, lock_path, read_lock

from .base import ImportContext, Imported
from .cleanup import Removal
from .init_files import config_file, is_untouched_starter
from .jsrulesync import config_targets
from .preview import OutputPreview, preview_outputs
from .registry import LOOKS_FOR, READERS
from .sourcefile import SourceFile

SourceAction = Literal["create", "update", "identical"]


@dataclass(frozen=True)
class SourceChange:
    file: SourceFile
    action: SourceAction


@dataclass(frozen=True)
class ImportPlan:
    root: Path
    agent: str
    sources: tuple[SourceChange, ...]  # rulesync.yaml (when new) and the source files
    backups: tuple[SourceFile, ...]
    outputs: tuple[OutputPreview, ...]
    consumed: frozenset[str]
    warnings: tuple[Warning, ...]
    links: frozenset[str] = frozenset()  # symlinks import replaces (see links.py)
    #: adopted skill files that mirror now writes to another folder the same CLI reads, and
    #: adopted nested CLAUDE.md files whose rules mirror writes to .claude/rules/
    removals: tuple[Removal, ...] = ()

    @property
    def source_writes(self) -> tuple[SourceChange, ...]:
        return tuple(c for c in self.sources if c.action != "identical")

    def outputs_with(self, *actions: str) -> tuple[OutputPreview, ...]:
        return tuple(o for o in self.outputs if o.action in actions)

    @property
    def nothing_to_do(self) -> bool:
        return (
            not self.source_writes
            and not self.outputs_with("rewrite")
            and not self.links
            and not self.removals
        )


def plan_import(
    root: Path, agent: str, *, targets: Sequence[str] | None = None, force: bool = False
) -> ImportPlan:
    """Read the `agent`'s files and stage the source. Raises RulesyncError; writes nothing."""
    config = load_config(root, required=False)
    if targets is not None and config.exists:
        raise RulesyncError(
            [Problem("--targets", f"{CONFIG_NAME} exists", fix="edit `targets:` in it instead")]
        )
    from rulesync.sync.safety import source_folder

    source_folder(root.resolve(), config.source)  # refused before anything is read or written
    ctx = ImportContext(root.resolve(), config.source, config.lint)
    imported = _read(ctx, agent)
    from .mcp_import import read_servers

    servers = read_servers(ctx, agent)
    if ctx.problems:
        raise RulesyncError(ctx.problems)
    warnings = [*imported.warnings, *ctx.warnings[len(imported.warnings) :]]
    staged = list(imported.files)
    if not config.exists:
        new_targets = _new_targets(root, agent, targets)
        new_config = config_file(new_targets, f"rulesync import --from {agent}")
        staged.insert(0, _with_mcp(new_config, servers, agent, tuple(new_targets), warnings))
    elif agent in TARGETS and agent not in config.targets:
        warnings.append(_not_a_target(agent))
    edited = _config_with_servers(root, servers, config, agent, warnings) if config.exists else None
    lock = read_lock(lock_path(config.source_dir), f"{config.source}/mirror.lock")
    sources = _source_changes(
        root, staged, config.source, lock, force=force or agent == "rulesync-js"
    )
    if edited is not None:
        sources = (SourceChange(edited, "update"), *sources)
    writes = [change.file for change in sources if change.action != "identical"]
    from .links import check_links

    check_links(root.resolve(), imported.links)
    preview = preview_outputs(root, config.source, writes, imported.consumed, lock, imported.links)
    from .cleanup import adopted_duplicates, nested_claude_removals

    removals, kept = adopted_duplicates(
        root.resolve(),
        imported.consumed,
        ((o.path, o.source) for o in preview.outputs),
        imported.links,
        _commands_from_skills(imported, config.source),
    )
    nested, nested_kept = nested_claude_removals(
        root.resolve(),
        imported.originals,
        ((o.path, o.source, o.wanted, o.action) for o in preview.outputs),
        imported.links,
    )
    return ImportPlan(
        root,
        agent,
        sources,
        imported.backups,
        preview.outputs,
        imported.consumed,
        (*warnings, *preview.warnings, *kept, *nested_kept),
        imported.links,
        (*removals, *nested),
    )


def _with_mcp(
    file: SourceFile,
    servers: dict[str, dict[str, Any]],
    agent: str,
    targets: tuple[str, ...],
    warnings: list[Warning],
) -> SourceFile:
    """The new rulesync.yaml with the agent's MCP servers in an `mcp:` block."""
    if not servers:
        return file
    from .mcp_import import yaml_block

    _narrow(servers, agent, targets, warnings)
    return SourceFile(file.path, file.content + yaml_block(servers), file.origin)


def _narrow(
    servers: dict[str, dict[str, Any]],
    agent: str,
    targets: Sequence[str],
    warnings: list[Warning],
) -> None:
    """`targets: [agent]` for each server another target cannot take as it is."""
    from .mcp_import import PATHS, keep_to_agent

    for name in keep_to_agent(servers, agent, tuple(targets)):
        warnings.append(
            Warning(
                CONFIG_NAME,
                f"MCP server `{name}` (from {PATHS[agent]}) is kept to {agent}: another target "
                "cannot take it as it is (see `rulesync mirror` with its `targets:` widened)",
            )
        )


def _config_with_servers(
    root: Path,
    servers: dict[str, dict[str, Any]],
    config: Config,
    agent: str,
    warnings: list[Warning],
) -> SourceFile | None:
    """The existing rulesync.yaml with the agent's servers its `mcp:` block lacks added (a
    round trip that keeps comments); None when it lacks none. A server of a name the block has
    already is left as the block says. When the file cannot be edited in place, the missing
    servers are named in a warning instead."""
    from .mcp_import import PATHS

    names = {server.name for server in config.mcp}
    missing = {name: server for name, server in servers.items() if name not in names}
    if not missing:
        return None
    _narrow(missing, agent, config.targets, warnings)
    text = _config_text(root)
    from .mcp_config_edit import add_servers

    edited = add_servers(text, missing) if text is not None else None
    if edited is None:
        listed = ", ".join(f"`{name}`" for name in missing)
        warnings.append(
            Warning(
                CONFIG_NAME,
                f"MCP servers in {PATHS[agent]} not in rulesync.yaml: {listed}; import could not "
                "add them without changing the rest of the file, so add them to its `mcp:` "
                "block by hand (docs/mirror.md)",
            )
        )
        return None
    return SourceFile(CONFIG_NAME, edited.encode("utf-8"), PATHS[agent])


def _config_text(root: Path) -> str | None:
    """rulesync.yaml as text, never through a symlink; None when it cannot be read so."""
    from rulesync.sync.safety import read_regular

    try:
        found = read_regular(root / CONFIG_NAME)
    except OSError:
        return None
    if not isinstance(found, bytes):
        return None
    try:
        return found.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _commands_from_skills(imported: Imported, source: str) -> dict[str, str]:
    """Source command file -> the SKILL.md it was imported from (Codex's command-skills)."""
    return {
        f.path: f.origin
        for f in imported.files
        if f.path.startswith(f"{source}/commands/") and f.origin.endswith("/SKILL.md")
    }


def _read(ctx: ImportContext, agent: str) -> Imported:
    READERS[agent](ctx)
    if ctx.problems:
        raise RulesyncError(ctx.problems)
    imported = ctx.result(agent)
    if not imported.files and agent != "rulesync-js":
        skipped = [Problem(w.path, w.message, w.line) for w in imported.warnings]
        raise RulesyncError(
            [
                *skipped,
                Problem(agent, "found nothing to import", fix=f"looked for {LOOKS_FOR[agent]}"),
            ]
        )
    return imported


def _new_targets(root: Path, agent: str, targets: Sequence[str] | None) -> Sequence[str]:
    if targets is not None:
        return targets
    if agent == "rulesync-js":
        return config_targets(root) or TARGETS
    return TARGETS


def _not_a_target(agent: str) -> Warning:
    return Warning(
        CONFIG_NAME,
        f"{agent} is not in `targets:`; its files were imported, but mirror will not write them",
    )


def _source_changes(
    root: Path, staged: Sequence[SourceFile], source: str, lock: Lock, *, force: bool
) -> tuple[SourceChange, ...]:
    """Create, update or keep each staged file. An existing source file is kept when its agent
    file is still as mirror wrote it (the source may hold more than that agent's file shows);
    it is refused when it differs, unless `force`."""
    changes: list[SourceChange] = []
    refused: list[Problem] = []
    for file in staged:
        path = root / file.path
        current = path.read_bytes() if path.is_file() else None
        if current is None:
            changes.append(SourceChange(file, "create"))
        elif current == file.content or _mirrored_unchanged(root, file.origin, lock):
            changes.append(SourceChange(file, "identical"))
        elif force or is_untouched_starter(file.path, current, source):
            changes.append(SourceChange(file, "update"))
        else:
            refused.append(_refusal(file))
    if refused:
        raise RulesyncError(refused)
    return tuple(changes)


def _mirrored_unchanged(root: Path, origin: str, lock: Lock) -> bool:
    entry = lock.files.get(origin)
    path = root / origin
    return entry is not None and path.is_file() and digest(path.read_bytes()) == entry.sha256


def _refusal(file: SourceFile) -> Problem:
    return Problem(
        file.path,
        f"exists and differs from what import would write from {file.origin}; nothing was written",
        fix="move it away, or run the import again with --force to overwrite it",
    )
