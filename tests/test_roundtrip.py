"""The round trip: mirror a generated source for one agent, import that agent's files into a
fresh project, and get back an equivalent source: the same items with the same bodies, which
mirror renders into byte-identical files.

The generated sources stay inside what each agent's files can carry back. Text that only one
direction of the Gemini translation understands (a literal `{{args}}`, `!{…}` or `@{…}` in the
source) is left out, as are `<!-- only -->` passages: an agent's files show only its own view.
A positional `$1` has no Gemini form: Gemini gets the plain text `$1`, and an import from Gemini
keeps it plain text for Claude too, as `\\$1`; the comparison for Gemini allows for that.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulesync.adopt.importing import plan_import
from rulesync.adopt.writeback import apply_import
from rulesync.source.loader import load_project
from rulesync.source.model import Item, Project
from rulesync.source.names import TARGETS
from rulesync.sync.plan import make_plan
from rulesync.sync.writer import apply_plan

WORDS = [
    "alpha",
    "Größe",
    "naïve",
    "C:\\Users\\me",
    "\\d+",
    "'''",
    '"quoted"',
    "a: b",
    "yes",
    "1.0",
    "50%",
    "{braces}",
    "$1",
    "$ARGUMENTS",
    "!`git status --short`",
    "!`grep -rn x {} +`",
    "@docs/spec.md",
    "@src/",
    "`@not/a/path.md`",
    "`!{code}`",
    "``a ` b``",
    "#tag",
]
#: the tokens each agent's syntax treats differently: every body has some
SPECIAL = st.lists(st.sampled_from(WORDS[3:]), min_size=1, max_size=3).map(" ".join)
LINE = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
BLOCK = st.one_of(
    LINE,
    LINE.map(lambda line: f"- {line}"),
    LINE.map(lambda line: f"## {line}"),
    LINE.map(lambda line: f"```sh\n{line} @in/fence.md !`x`\n```"),
)
BODY = st.tuples(SPECIAL, st.lists(BLOCK, max_size=3), st.sampled_from(["\n", "\n\n"])).map(
    lambda parts: parts[2].join([*parts[1], parts[0]])
)
TEXT = st.lists(
    st.sampled_from(["Fix", "the", "bug: now", "Größe", "'quoted'", "#1"]), min_size=1, max_size=4
).map(" ".join)
# mostly for every agent, sometimes for some
TARGET_FILTER = st.one_of(
    st.none(), st.none(), st.lists(st.sampled_from(TARGETS), min_size=1, unique=True)
)


@st.composite
def rules(draw: st.DrawFn) -> dict[str, str]:
    names = draw(
        st.lists(
            st.sampled_from(["main", "style", "testing", "zeta", "a-b"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    root = draw(st.one_of(st.none(), st.sampled_from(names)))
    files = {}
    for name in names:
        fields: dict[str, Any] = {}
        if name == root:
            fields["root"] = True
        if draw(st.booleans()):
            fields["globs"] = draw(
                st.lists(
                    st.sampled_from(["src/**", "*.py", "docs/*.md"]),
                    min_size=1,
                    max_size=2,
                    unique=True,
                )
            )
        if draw(st.booleans()):
            fields["description"] = draw(TEXT)
        fields["targets"] = draw(TARGET_FILTER)
        files[f".rulesync/rules/{name}.md"] = markdown(fields, draw(BODY))
    return files


@st.composite
def commands(draw: st.DrawFn) -> dict[str, str]:
    names = draw(
        st.lists(
            st.sampled_from(["fix", "review-pr", "frontend/component", "git/log"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    files = {}
    for name in names:
        fields: dict[str, Any] = {
            "description": draw(st.one_of(st.none(), TEXT, st.just(f"The /{name} command."))),
            "argument-hint": draw(st.one_of(st.none(), st.just("[message]"))),
            "allowed-tools": draw(
                st.one_of(st.none(), st.just("Bash(git add:*), Read"), st.just(["Read", "Grep"]))
            ),
            "model": draw(
                st.one_of(
                    st.none(), st.sampled_from(["sonnet", "gemini-2.5-pro", "gpt-5", "house-model"])
                )
            ),
            "disable-model-invocation": draw(st.one_of(st.none(), st.booleans())),
            "targets": draw(TARGET_FILTER),
        }
        files[f".rulesync/commands/{name}.md"] = markdown(fields, draw(BODY))
    return files


@st.composite
def skills(draw: st.DrawFn) -> dict[str, str | bytes]:
    names = draw(st.lists(st.sampled_from(["pdf-tools", "db-migration"]), max_size=2, unique=True))
    files: dict[str, str | bytes] = {}
    for name in names:
        fields = {
            "name": name,
            "description": draw(TEXT),
            "license": draw(st.one_of(st.none(), st.just("MIT"))),
            "metadata": draw(st.one_of(st.none(), st.just({"owner": "docs", "version": "1"}))),
            "allowed-tools": draw(st.one_of(st.none(), st.just("Bash, Read"))),
            "targets": draw(TARGET_FILTER),
        }
        files[f".rulesync/skills/{name}/SKILL.md"] = markdown(fields, draw(BODY))
        if draw(st.booleans()):
            files[f".rulesync/skills/{name}/scripts/run.sh"] = b"#!/bin/sh\necho '\\d'\n"
        if draw(st.booleans()):
            files[f".rulesync/skills/{name}/data.bin"] = bytes(range(256))
    return files


@st.composite
def subagents(draw: st.DrawFn) -> dict[str, str]:
    names = draw(st.lists(st.sampled_from(["reviewer", "researcher"]), max_size=2, unique=True))
    tools = [
        "Read",
        "Grep",
        "Glob",
        "Bash",
        "Edit",
        "Write",
        "WebFetch",
        "WebSearch",
        "Bash(git diff:*)",
    ]
    files = {}
    for name in names:
        fields = {
            "name": name,
            "description": draw(TEXT),
            # at least one tool Gemini has too: see test_gemini_agent_with_no_tools_stays_restricted
            "tools": draw(
                st.one_of(
                    st.none(),
                    st.lists(st.sampled_from(tools), min_size=1, max_size=4, unique=True).filter(
                        lambda ts: any("(" not in t for t in ts)
                    ),
                )
            ),
            "model": draw(
                st.one_of(
                    st.none(), st.sampled_from(["opus", "inherit", "gemini-2.5-flash", "gpt-5"])
                )
            ),
            "color": draw(st.one_of(st.none(), st.just("blue"))),
            "temperature": draw(st.one_of(st.none(), st.sampled_from([0, 0.2, 1.5]))),
            "max_turns": draw(st.one_of(st.none(), st.integers(1, 50))),
            "timeout_mins": draw(st.one_of(st.none(), st.integers(1, 30))),
            "sandbox_mode": draw(
                st.one_of(st.none(), st.sampled_from(["read-only", "workspace-write"]))
            ),
            "targets": draw(TARGET_FILTER),
        }
        files[f".rulesync/subagents/{name}.md"] = markdown(fields, draw(BODY))
    return files


def markdown(fields: dict[str, Any], body: str) -> str:
    """A source file written as a person would: PyYAML's plain style, not rulesync's quoting."""
    present = {k: v for k, v in fields.items() if v is not None}
    if not present:
        return body + "\n"
    front = yaml.safe_dump(present, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{body}\n"


SOURCES = st.tuples(rules(), commands(), skills(), subagents()).map(
    lambda parts: {path: content for part in parts for path, content in part.items()}
)


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        if relative.endswith(".sh"):
            path.chmod(0o755)


def agent_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not p.relative_to(root).as_posix().startswith((".rulesync/", "rulesync.yaml"))
    }


def view(project: Project, target: str) -> dict[str, Any]:
    """What one agent sees of a source: item names, bodies and supporting files, per kind."""

    def items(group: tuple[Item, ...]) -> dict[str, Any]:
        return {
            item.name: (
                item.body_for(target).strip("\n"),
                {(f.relative, f.content, f.executable) for f in item.files},
            )
            for item in project.for_target(group, target)
            if item.body_for(target).strip() or item.kind != "rule"
        }

    return {
        "rules": items(project.rules),
        "commands": items(project.commands),
        "skills": items(project.skills),
        "subagents": items(project.subagents),
    }


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=SOURCES, target=st.sampled_from(TARGETS))
def test_mirror_then_import_gives_back_an_equivalent_source(
    source: dict[str, str | bytes], target: str
) -> None:
    config = f"targets: [{target}]\n"
    with tempfile.TemporaryDirectory() as folder:
        original, imported = Path(folder) / "original", Path(folder) / "imported"
        write(original, {"rulesync.yaml": config, **source})
        apply_plan(make_plan(original))
        mirrored = agent_files(original)
        write(imported, {"rulesync.yaml": config, **mirrored})
        if not mirrored:
            return  # nothing reached this agent: nothing to import
        plan = plan_import(imported, target)
        assert {o.action for o in plan.outputs} == {"identical"}, [
            o.path for o in plan.outputs if o.action != "identical"
        ]
        apply_import(plan)
        assert agent_files(imported) == mirrored
        assert make_plan(imported).pending == ()
        again = view(load_project(imported), target)
        if target == "gemini":
            again = unescaped_positionals(again)
        assert again == view(load_project(original), target)


def unescaped_positionals(seen: dict[str, Any]) -> dict[str, Any]:
    """Command bodies with `\\$1` read back as `$1` (see the module's docstring)."""
    commands = {
        name: (re.sub(r"\\\$(?=\d)", "$", body), files)
        for name, (body, files) in seen["commands"].items()
    }
    return {**seen, "commands": commands}


SAMPLE = Path(__file__).resolve().parent.parent / "sample-project"


@pytest.mark.parametrize("target", TARGETS)
def test_sample_project_round_trip(target: str, tmp_path: Path) -> None:
    """The realistic corpus: every kind of source, lint settings, overrides, nested commands."""
    original, imported = tmp_path / "original", tmp_path / "imported"
    shutil.copytree(
        SAMPLE / ".rulesync", original / ".rulesync", ignore=shutil.ignore_patterns("mirror.lock")
    )
    config = (SAMPLE / "rulesync.yaml").read_text()
    config = config.replace("targets: [claude, gemini, codex]", f"targets: [{target}]")
    write(original, {"rulesync.yaml": config})
    apply_plan(make_plan(original))
    mirrored = {p: c for p, c in agent_files(original).items() if not p.endswith("settings.json")}
    write(imported, {"rulesync.yaml": config, **mirrored})
    plan = plan_import(imported, target)
    assert plan.warnings == ()
    assert {o.path for o in plan.outputs if o.action != "identical"} <= {f".{target}/settings.json"}
    apply_import(plan)
    apply_plan(make_plan(imported))
    assert agent_files(imported) == agent_files(original)
    assert view(load_project(imported), target) == view(load_project(original), target)
