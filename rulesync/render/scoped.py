"""Scoped rules in each agent's native form (vendor facts: docs/mirror.md, "Scoped rules").

- Gemini CLI and Codex: a folder-scoped rule goes into that folder's `GEMINI.md` / `AGENTS.md`;
  a rule with other patterns goes, with its "Applies to files matching …" line, into the file of
  its nearest folder. Unscoped rules and the standing orders stay in the root file.
- Claude Code: every scoped rule becomes `.claude/rules/<name>.md` with `paths:` frontmatter,
  loaded when Claude touches a matching file.

With `scopes: root` in rulesync.yaml everything stays in the root files, as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rulesync.record import Frozen
from rulesync.render.outputs import Output
from rulesync.source.model import Item
from rulesync.source.scopes import in_folder, scope_of
from rulesync.targets.base import (
    SECTION_MARKER,
    RenderContext,
    Section,
    context_file,
    context_output,
    markdown_file,
    ordered_rules,
    rule_section,
)

CLAUDE_RULES = ".claude/rules"


def nested(ctx: RenderContext) -> bool:
    return ctx.project.config.scopes == "nested"


def folder_sections(ctx: RenderContext, target: str) -> dict[str, list[Section]]:
    """The sections of each folder's context file ("" is the root), rules in name order."""
    groups: dict[str, list[Section]] = {"": []}
    for rule in ordered_rules(ctx.project, target):
        scope = scope_of(rule.get(target, "globs"))
        if rule.fields.get("root") is True or not scope.scoped:
            groups[""].append(rule_section(rule, target))
            continue
        section = rule_section(rule, target, scope_line=not scope.whole)
        for folder in scope.folders:
            groups.setdefault(folder, []).append(section)
    return groups


def context_outputs(ctx: RenderContext, target: str, filename: str) -> list[Output]:
    """The root context file, then one per folder that has scoped rules (Gemini, Codex)."""
    if not nested(ctx):
        whole = context_file(ctx, target, filename)
        return [whole] if whole else []
    groups = folder_sections(ctx, target)
    found = [context_output(ctx, target, filename, groups.pop(""))]
    for folder in sorted(groups):
        path = in_folder(folder, filename)
        source = _rules_folders(groups[folder])
        found.append(context_output(ctx, target, path, groups[folder], orders=False, source=source))
    return [output for output in found if output is not None]


def _rules_folders(sections: list[Section]) -> str:
    """`.rulesync/rules/`, or `packages/api/.rulesync/rules/` for a package's rules."""
    folders = dict.fromkeys(f"{s.source.rpartition('/')[0]}/" for s in sections)
    return " and ".join(folders)


def claude_rule_outputs(ctx: RenderContext, target: str = "claude") -> list[Output]:
    """CLAUDE.md with the unscoped rules, and `.claude/rules/<name>.md` per scoped rule."""
    if not nested(ctx):
        whole = context_file(ctx, target, "CLAUDE.md")
        return [whole] if whole else []
    unscoped: list[Section] = []
    found: list[Output | None] = []
    for rule in ordered_rules(ctx.project, target):
        scope = scope_of(rule.get(target, "globs"))
        if rule.fields.get("root") is True or not scope.scoped:
            unscoped.append(rule_section(rule, target))
        else:
            found.append(_claude_rule(rule, target, scope.patterns))
    found.insert(0, context_output(ctx, target, "CLAUDE.md", unscoped))
    return [output for output in found if output is not None]


def _claude_rule(rule: Item, target: str, patterns: Sequence[str]) -> Output | None:
    """Claude Code 2.1 reads `paths:` (a list, or one comma-separated string) and matches it
    with gitignore rules against paths relative to the project root."""
    body = rule.body_for(target).strip("\n")
    if not body:
        return None
    fields = [("description", rule.get(target, "description")), ("paths", list(patterns))]
    content = markdown_file(rule.path, fields, body)
    return Output(f"{CLAUDE_RULES}/{rule.name}.md", content, rule.path, (target,))


# --- what Codex reads: the root AGENTS.md and every one on the way down -------------------


class Chain(Frozen):
    """The context files Codex joins for work in one folder, root first."""

    __slots__ = ("files",)
    files: tuple[Output, ...]

    def __init__(self, files: tuple[Output, ...]) -> None:
        self._set(files=files)

    @property
    def size(self) -> int:
        return sum(len(output.content) for output in self.files)

    @property
    def last(self) -> Output:
        return self.files[-1]


def chains(outputs: Sequence[Output], filename: str) -> Iterator[Chain]:
    """For each context file, the files Codex joins when working in its folder."""
    by_path = {o.path: o for o in outputs if o.path.rpartition("/")[2] == filename}
    for path, output in sorted(by_path.items()):
        folder = path.rpartition("/")[0]
        parts = folder.split("/") if folder else []
        above = [in_folder("/".join(parts[:depth]), filename) for depth in range(len(parts))]
        yield Chain((*(by_path[p] for p in above if p in by_path), output))


def sources_past(chain: Chain, limit: int) -> list[str]:
    """The rule files whose text lies, wholly or in part, past `limit` bytes of the joined
    chain: what Codex cuts (its budget covers the project files together)."""
    dropped: list[str] = []
    offset, current = 0, None
    for output in chain.files:
        for line in output.content.splitlines(keepends=True):
            current = _marker_source(line) or current
            offset += len(line)
            if offset > limit and current is not None and current not in dropped:
                dropped.append(current)
    return dropped


def largest_sources(chain: Chain, count: int = 3) -> list[tuple[str, int]]:
    """The `count` largest sections of the chain, by bytes: the best rules to scope or trim."""
    sizes: dict[str, int] = {}
    for output in chain.files:
        current = None  # the file's own note comes before its first section
        for line in output.content.splitlines(keepends=True):
            current = _marker_source(line) or current
            if current is not None:
                sizes[current] = sizes.get(current, 0) + len(line)
    return sorted(sizes.items(), key=lambda item: (-item[1], item[0]))[:count]


def _marker_source(line: bytes) -> str | None:
    head, _, tail = SECTION_MARKER.partition("{source}")
    text = line.decode("utf-8", "replace").rstrip("\n")
    if text.startswith(head) and text.endswith(tail) and len(text) > len(head) + len(tail):
        return text[len(head) : len(text) - len(tail)]
    return None
