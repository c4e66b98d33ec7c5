"""Project -> every output of the chosen targets, in memory. Pure: no disk access."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rulesync.errors import ConfigError, Problem
from rulesync.model import Project
from rulesync.outputs import Output, Warning
from rulesync.targets import REGISTRY
from rulesync.targets.base import RenderContext


@dataclass(frozen=True)
class Build:
    outputs: tuple[Output, ...]
    warnings: tuple[Warning, ...]


def build_outputs(project: Project, targets: Sequence[str]) -> Build:
    """Render each target; raise ConfigError when any source cannot be rendered."""
    ctx = RenderContext(project)
    outputs: dict[str, Output] = {}
    for name in targets:
        for output in REGISTRY[name].render(ctx):
            outputs[output.path] = _combine(ctx, outputs.get(output.path), output)
    if ctx.problems:
        raise ConfigError(ctx.problems)
    ordered = tuple(outputs[path] for path in sorted(outputs))
    return Build(ordered, tuple(ctx.warnings))


def _combine(ctx: RenderContext, earlier: Output | None, later: Output) -> Output:
    """Two targets may share a file (a skill in .agents/skills) only if they want the same bytes."""
    if earlier is None:
        return later
    if earlier.content == later.content and earlier.mode == later.mode == "owned":
        return replace(earlier, targets=(*earlier.targets, *later.targets))
    who = " and ".join((*earlier.targets, *later.targets))
    ctx.problems.append(
        Problem(
            later.source,
            f"{who} both write {later.path}, with different content",
            fix="drop the `only:` passages or overrides that differ, or set `gemini: {skills_dir: .gemini/skills}` in rulesync.yaml",
        )
    )
    return earlier
