"""A context file (CLAUDE.md, GEMINI.md, AGENTS.md) back into rules.

- A file that rulesync wrote is cut at its `<!-- rulesync:source … -->` markers: one rule per
  section, under the name the marker gives, with the `_Applies to files matching …_` line
  turned back into `globs`. The first section becomes the root rule, so the order stays.
- A hand-kept file becomes one root rule, `main.md`. A line that is only an import
  (`@docs/architecture.md`) is replaced by that file's text, up to 5 levels deep as Claude Code
  does, so that agents without imports (Codex) see the same rules. Imports that leave the
  project (`@~/…`) or name no file are kept as they are, with a warning. An `@path` inside a
  sentence is text, not an import, and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rulesync.errors import Problem
from rulesync.source.fences import track_fence

from .base import ImportContext
from .readfront import ReadError, decode, generated_from
from .sourcefile import item_source

ROOT_RULE = "main"
MAX_IMPORT_DEPTH = 5  # Claude Code follows imports 5 levels deep
MAX_IMPORT_BYTES = 1024 * 1024  # a larger imported file is left as its `@path` line
_MARKER = re.compile(r"^<!-- rulesync:source (?P<source>.+) -->$")
_RULE_SOURCE = re.compile(r"(?:^|/)rules/(?P<name>[^/]+)\.md$")
_GLOBS = re.compile(r"^_Applies to files matching (?P<list>`[^`]*`(?:, `[^`]*`)*)\._$")
_IMPORT_LINE = re.compile(r"^\s*@(?P<ref>[^\s`]+)\s*$")


@dataclass(frozen=True)
class RuleDraft:
    name: str
    body: str
    globs: tuple[str, ...] = ()
    description: str | None = None


def import_context_file(ctx: ImportContext, relative: str, *, follow_imports: bool) -> None:
    """Stage the rules held in the context file `relative`, if it exists."""
    from .links import adopt_context_links

    if not (ctx.root / relative).is_file() or not adopt_context_links(ctx, relative):
        return
    raw = ctx.read(relative)
    if raw is None:
        return
    try:
        text = decode(raw, relative)
    except ReadError as error:
        ctx.fail(error.problem)
        return
    if generated_from(text) is not None or _marker_lines(text.split("\n")):
        drafts = split_generated(ctx, relative, text)
    else:
        if follow_imports:
            text = inline_imports(ctx, ctx.root / relative, text, [ctx.root / relative])
        drafts = [RuleDraft(ROOT_RULE, text)]
    stage_rules(ctx, drafts, relative, first_is_root=True)


def stage_rules(
    ctx: ImportContext,
    drafts: list[RuleDraft],
    origin: str,
    *,
    first_is_root: bool,
    reuse: bool = False,
) -> list[str]:
    """Stage each draft with a body as a rule; returns the source paths staged. With `reuse`,
    a rule staged already under the same name with the same content is not staged twice."""
    staged: list[str] = []
    for index, draft in enumerate(d for d in drafts if d.body.strip()):
        fields: dict[str, object] = {"root": True} if first_is_root and index == 0 else {}
        if draft.description:
            fields["description"] = draft.description
        if draft.globs:
            fields["globs"] = list(draft.globs)
        content = item_source("rule", fields, draft.body)
        same = ctx.files.get(f"{ctx.source}/rules/{draft.name}.md")
        if reuse and same is not None and same.content == content:
            staged.append(same.path)
            continue
        relative = f"{ctx.free_name('rules', draft.name, '.md')}.md"
        ctx.add("rules", relative, content, origin)
        staged.append(f"{ctx.source}/rules/{relative}")
    return staged


# --- files rulesync wrote -------------------------------------------------------------


def has_markers(text: str) -> bool:
    return bool(_marker_lines(text.split("\n")))


def _marker_lines(lines: list[str]) -> list[int]:
    """Marker lines as the template writes them: after a blank line (or first in the file)."""
    return [
        index
        for index, line in enumerate(lines)
        if _MARKER.match(line) and (index == 0 or not lines[index - 1])
    ]


def split_generated(ctx: ImportContext, relative: str, text: str) -> list[RuleDraft]:
    lines = text.split("\n")
    markers = _marker_lines(lines)
    start = 1 if generated_from(lines[0]) else 0
    preamble = "\n".join(lines[start : markers[0] if markers else len(lines)]).strip("\n")
    drafts: list[RuleDraft] = []
    for position, index in enumerate(markers):
        end = markers[position + 1] if position + 1 < len(markers) else len(lines)
        source = _MARKER.match(lines[index]).group("source")  # type: ignore[union-attr]
        body = "\n".join(lines[index + 1 : end]).strip("\n")
        name = _RULE_SOURCE.search(source)
        if name is None:
            _settings_section(ctx, relative, source, index + 1)
            continue
        drafts.append(_with_globs(name.group("name"), body))
    if preamble.strip():
        ctx.warn(relative, "text above the first rulesync section was added to the first rule")
        first = drafts[0] if drafts else RuleDraft(ROOT_RULE, "")
        merged = RuleDraft(first.name, f"{preamble}\n\n{first.body}".strip("\n"), first.globs)
        drafts = [merged, *drafts[1:]]
    return drafts


def _settings_section(ctx: ImportContext, relative: str, source: str, line: int) -> None:
    """A section mirror renders from rulesync.yaml (the lints' standing orders), not a rule."""
    lint_key = source.rpartition("lint.")[2]
    if lint_key not in ctx.lint:
        ctx.warn(
            relative,
            f"the section from `{source}` comes from rulesync.yaml settings that this project "
            f"lacks; not imported (set `lint: {lint_key}:` in rulesync.yaml to keep it)",
            line,
        )


def _with_globs(name: str, body: str) -> RuleDraft:
    first, _, rest = body.partition("\n")
    match = _GLOBS.match(first)
    if match is None or not rest.startswith("\n"):
        return RuleDraft(name, body)
    globs = tuple(part[1:-1] for part in match.group("list").split(", "))
    return RuleDraft(name, rest.strip("\n"), globs)


# --- hand-kept files: @imports ---------------------------------------------------------


def inline_imports(ctx: ImportContext, path: Path, text: str, stack: list[Path]) -> str:
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        fence = track_fence(line, fence)
        match = _IMPORT_LINE.match(line) if fence is None else None
        if match:
            lines[index] = _import(ctx, path, match.group("ref"), index + 1, stack) or line
    return "\n".join(lines)


def _import(ctx: ImportContext, importer: Path, ref: str, line: int, stack: list[Path]) -> str:
    """The imported file's text, or "" when the line stays as it is (with a warning why)."""
    shown = ctx.display(importer)
    target = _resolve(ctx, importer, ref)
    if target is None:
        if "/" in ref or "." in ref:
            ctx.warn(
                shown,
                f"import `@{ref}` is outside the project or names no file; kept as is "
                "(Codex does not follow imports)",
                line,
            )
        return ""
    if target in stack or len(stack) > MAX_IMPORT_DEPTH:
        why = "imports itself" if target in stack else f"is nested over {MAX_IMPORT_DEPTH} deep"
        ctx.warn(shown, f"import `@{ref}` {why}; kept as is", line)
        return ""
    try:
        if target.stat().st_size > MAX_IMPORT_BYTES:
            ctx.warn(shown, f"import `@{ref}` is over 1 MiB; kept as is", line)
            return ""
        text = decode(target.read_bytes(), ctx.display(target))
    except ReadError as error:
        ctx.fail(error.problem)
        return ""
    except OSError as error:
        fix = "check its permissions, or remove the import"
        ctx.fail(Problem(ctx.display(target), f"cannot read: {error.strerror}", fix=fix))
        return ""
    ctx.consumed.add(ctx.display(target))
    inner = inline_imports(ctx, target, text, [*stack, target])
    return inner.strip("\n")


def _resolve(ctx: ImportContext, importer: Path, ref: str) -> Path | None:
    if ref.startswith("~"):
        return None
    candidate = Path(ref) if ref.startswith("/") else importer.parent / ref
    resolved = candidate.resolve()
    root = ctx.root.resolve()
    inside = root in resolved.parents
    return resolved if inside and resolved.is_file() else None
