"""What `rulesync check` reports about sources, beside the usual drift of the outputs."""

from __future__ import annotations

from pathlib import Path

from rulesync.errors import Problem
from rulesync.source.config import Config
from rulesync.sources.overlay import (
    Resolved,
    SourceNotCached,
    damaged_problem,
    pins_display,
    resolve_sources,
)


def source_findings(root: Path, config: Config) -> list[Problem]:
    """Unpinned sources, a stale sources.lock, a cache that differs from the pinned commit,
    and a rev that now points elsewhere (a moved tag). Never runs git: a source that is not in
    the cache is a finding naming it and `rulesync sources fetch`."""
    if not config.sources:
        return []
    try:
        everything = resolve_sources(root, config.source, config.sources)
    except SourceNotCached as missing:
        return list(missing.problems)
    return _findings(config, everything)


def _findings(config: Config, everything: tuple[Resolved, ...]) -> list[Problem]:
    lock = pins_display(config.source)
    findings = []
    for resolved in everything:
        label, pin = resolved.spec.label, resolved.pin
        line = config.line_of("sources", resolved.spec.index, "rev")
        if resolved.damaged:
            findings.append(damaged_problem(resolved))
        elif pin is None:
            findings.append(Problem(lock, f"{label} is not pinned", fix="run `rulesync mirror`"))
        elif not pin.same_selection(resolved.spec):
            message = f"{label}: `path`/`include` changed since the pin"
            findings.append(Problem(lock, message, fix="run `rulesync mirror`"))
        elif pin.content != resolved.content:
            message = (
                f"{label}: the cache does not match the pinned content of commit {pin.commit[:12]}"
            )
            fix = f"delete {resolved.files_root.parent} and run `rulesync sources fetch`"
            findings.append(Problem(lock, message, fix=fix))
        if resolved.moved_to is not None and pin is not None:
            message = (
                f"{label}: `rev: {resolved.spec.rev}` now points at {resolved.moved_to[:12]}, "
                f"the lock pins {pin.commit[:12]}: the content changed under an unchanged rev "
                f"({'a moved tag' if resolved.rev_is_tag else 'the branch moved on'})"
            )
            fix = "review the change with `rulesync sources update --dry-run`"
            findings.append(Problem("rulesync.yaml", message, line, fix))
    return findings
