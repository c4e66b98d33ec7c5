"""What every target shares: the render context, the context file, skills, model filtering."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from rulesync.errors import Problem
from rulesync.render.outputs import Output, Warning
from rulesync.render.standing_orders import standing_orders
from rulesync.render.templates import generated_note, render
from rulesync.render.yamlout import frontmatter
from rulesync.source.model import Item, Project
from rulesync.source.scopes import patterns_of


@dataclass
class RenderContext:
    """Collects warnings (printed, not fatal) and problems (fatal: nothing is written)."""

    project: Project
    #: merged file -> the names of the entries the last mirror wrote there (from the lock)
    written: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def warn(self, item: Item | str, message: str, line: int | None = None) -> None:
        path = item.path if isinstance(item, Item) else item
        self.warnings.append(Warning(path, message, line))

    def fail(
        self, item: Item | str, message: str, fix: str | None = None, line: int | None = None
    ) -> None:
        path = item.path if isinstance(item, Item) else item
        self.problems.append(Problem(path, message, line, fix))


class Target(Protocol):
    """One agent. `render` turns the project into that agent's files, in memory."""

    name: str

    def render(self, ctx: RenderContext) -> Iterable[Output]: ...


# --- the context file (CLAUDE.md, GEMINI.md, AGENTS.md) -------------------------------

SECTION_MARKER = "<!-- rulesync:source {source} -->"


@dataclass(frozen=True)
class Section:
    source: str
    body: str


def context_file(ctx: RenderContext, target: str, path: str) -> Output | None:
    """All rules for `target` in one file, root rule first, each under a marker naming its
    source file (rulesync.render.scoped spreads scoped rules over folders instead)."""
    sections = [rule_section(rule, target) for rule in ordered_rules(ctx.project, target)]
    return context_output(ctx, target, path, sections)


def context_output(
    ctx: RenderContext,
    target: str,
    path: str,
    sections: list[Section],
    *,
    orders: bool = True,
    source: str | None = None,
) -> Output | None:
    """The context file at `path` holding `sections` (and the standing orders, at the root).
    `source` names where they come from (default: the source's rules folder)."""
    if orders:
        sections = sections + [
            Section(source, body) for source, body in standing_orders(ctx.project.config, target)
        ]
    sections = [s for s in sections if s.body]
    if not sections:
        return None
    source = source or f"{ctx.project.config.source}/rules/"
    content = render("context.md.j2", note=generated_note(source), sections=sections)
    return Output(path, content, source, (target,))


def ordered_rules(project: Project, target: str) -> list[Item]:
    rules = project.for_target(project.rules, target)
    return sorted(rules, key=lambda rule: (rule.fields.get("root") is not True, rule.name))


def rule_section(rule: Item, target: str, *, scope_line: bool = True) -> Section:
    """The rule's body; with `scope_line`, after "Applies to files matching …" when scoped."""
    body = rule.body_for(target).strip("\n")
    patterns = list(patterns_of(rule.get(target, "globs"))) if scope_line else []
    if body and patterns:
        scope = ", ".join(f"`{pattern}`" for pattern in patterns)
        body = f"_Applies to files matching {scope}._\n\n{body}"
    return Section(rule.path, body)


# --- skills (Agent Skills format, shared by every agent) ------------------------------

SKILL_KEYS = (
    "name",
    "description",
    "license",
    "compatibility",
    "metadata",
    "allowed-tools",
    "disable-model-invocation",
)


def skill_outputs(ctx: RenderContext, skill: Item, target: str, folder: str) -> list[Output]:
    """SKILL.md plus the supporting files, under `folder/<name>/`."""
    fields = skill.fields_for(target)
    fields["name"] = skill.name
    base = f"{folder}/{skill.name}"
    skill_md = markdown_file(
        skill.path, [(k, fields.get(k)) for k in SKILL_KEYS], skill.body_for(target)
    )
    outputs = [Output(f"{base}/SKILL.md", skill_md, skill.path, (target,))]
    source_dir = skill.path.rsplit("/", 1)[0]
    for support in skill.files:
        source = f"{source_dir}/{support.relative}"
        path = f"{base}/{support.relative}"
        outputs.append(
            Output(path, support.content, source, (target,), executable=support.executable)
        )
    return outputs


def markdown_file(source: str, fields: Iterable[tuple[str, Any]], body: str) -> bytes:
    """A Markdown file with quoted YAML frontmatter and the generated note as a YAML comment."""
    return render(
        "frontmatter.md.j2",
        note=generated_note(source),
        frontmatter=frontmatter(fields),
        body=body.strip("\n"),
    )


# --- models: pass a model name only to the agent it belongs to ------------------------

_MODEL_FAMILIES: dict[str, re.Pattern[str]] = {
    "claude": re.compile(r"^(inherit|sonnet|opus|haiku|opusplan|claude-.*)$", re.IGNORECASE),
    "gemini": re.compile(r"^(gemini-.*|auto|pro|flash|flash-lite)$", re.IGNORECASE),
    "codex": re.compile(r"^(gpt-.*|o\d.*|codex-.*)$", re.IGNORECASE),
}


def restricts_tools(fields: dict[str, Any]) -> bool:
    """A `tools` field, even an empty one, limits the agent; no field grants every tool."""
    return fields.get("tools") is not None


def model_for(target: str, model: Any) -> str | None:
    """`sonnet` means nothing to Gemini: a model of a known family goes only to its agent."""
    if not isinstance(model, str) or not model:
        return None
    owners = [name for name, pattern in _MODEL_FAMILIES.items() if pattern.match(model)]
    return model if not owners or target in owners else None


def tool_list(value: Any) -> list[str]:
    """`Read, Grep` or `[Read, Grep]` -> ["Read", "Grep"]. Test `restricts_tools` for "given"."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part).strip() for part in value]
