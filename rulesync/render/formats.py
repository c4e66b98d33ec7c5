"""The output files whose shape is a few fixed lines, built as strings (no template engine).

Each function gives the bytes the jinja2 templates of earlier versions gave, exactly (the
snapshot tests hold them): UTF-8, `\\n` newlines, exactly one final newline. Building them
directly saves importing jinja2 and a template render per output (docs/mirror.md, "Speed").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from rulesync.render.tomlstr import toml_multiline, toml_string


class SectionLike(Protocol):
    @property
    def source(self) -> str: ...

    @property
    def body(self) -> str: ...


def finished(text: str) -> bytes:
    """UTF-8, exactly one final newline."""
    return (text.rstrip("\n") + "\n").encode("utf-8")


def context_md(note: str, sections: Iterable[SectionLike]) -> bytes:
    """CLAUDE.md / GEMINI.md / AGENTS.md: the note, then each section under its source marker."""
    parts = [f"<!-- {note} -->\n"]
    parts += [f"\n<!-- rulesync:source {s.source} -->\n{s.body}\n" for s in sections]
    return finished("".join(parts))


def frontmatter_md(note: str, frontmatter: str, body: str) -> bytes:
    """Markdown with YAML frontmatter that starts with the note as a comment."""
    fields = f"{frontmatter}\n" if frontmatter else ""
    return finished(f"---\n# {note}\n{fields}---\n\n{body}\n")


def gemini_command_toml(note: str, description: Any, prompt: str) -> bytes:
    """A Gemini CLI command: `description` (when there is one) and `prompt`."""
    line = f"description = {toml_string(description)}\n" if description else ""
    return finished(f"# {note}\n{line}prompt = {toml_multiline(prompt)}\n")


def codex_agent_toml(
    note: str, name: str, description: Any, model: Any, sandbox_mode: Any, instructions: str
) -> bytes:
    """A Codex subagent: name, description, model and sandbox when set, the instructions."""
    lines = [f"# {note}\n", f"name = {toml_string(name)}\n"]
    lines.append(f"description = {toml_string(description)}\n")
    if model:
        lines.append(f"model = {toml_string(model)}\n")
    if sandbox_mode:
        lines.append(f"sandbox_mode = {toml_string(sandbox_mode)}\n")
    lines.append(f"developer_instructions = {toml_multiline(instructions)}\n")
    return finished("".join(lines))
