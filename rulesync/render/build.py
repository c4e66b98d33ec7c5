"""Project -> every output of the chosen targets, in memory.

Pure but for one question to the file system: how long a name may be (`os.pathconf`).
Besides rendering, the outputs are checked as a set before anything is written: two sources
that become one file (exactly, or but for case), a file where another output needs a folder,
names too long for the file system (errors), and names Windows cannot create (warnings).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator, Mapping, Sequence

from rulesync.errors import ConfigError, Problem
from rulesync.record import Frozen
from rulesync.render.outputs import Output, Warning
from rulesync.source.model import Project
from rulesync.source.names import (
    TEMP_NAME_EXTRA,
    output_name_problem,
    platform_limits,
    windows_name_problem,
)
from rulesync.targets import REGISTRY
from rulesync.targets.base import RenderContext

RENAME = "rename one of them"
CASE_INSENSITIVE = "case-insensitive file systems (macOS, Windows) would make them one file"


class Build(Frozen):
    __slots__ = ("outputs", "warnings")
    outputs: tuple[Output, ...]
    warnings: tuple[Warning, ...]

    def __init__(self, outputs: tuple[Output, ...], warnings: tuple[Warning, ...]) -> None:
        self._set(outputs=outputs, warnings=warnings)


def build_outputs(
    project: Project,
    targets: Sequence[str],
    limits: tuple[int, int] | None = None,
    written: Mapping[str, tuple[str, ...]] | None = None,
) -> Build:
    """Render each target; raise ConfigError when any source cannot be rendered.

    `limits` is (NAME_MAX, PATH_MAX) in bytes; by default, those of the project's file system.
    `written`: the names of the entries the last mirror wrote into each merged file (the lock).
    """
    ctx = RenderContext(project, written=dict(written or {}))
    outputs: dict[str, Output] = {}
    clashing: set[frozenset[str]] = set()  # pairs of sources already reported
    for name in targets:
        for output in REGISTRY[name].render(ctx):
            outputs[output.path] = _combine(ctx, outputs.get(output.path), output, clashing)
    ordered = tuple(outputs[path] for path in sorted(outputs))
    root = str(project.config.root)
    name_max, path_max = limits or platform_limits(root)
    ctx.problems.extend(_unwritable_names(ordered, name_max, len(os.fsencode(root)), path_max))
    ctx.problems.extend(_case_clashes(ordered))
    ctx.problems.extend(_file_folder_clashes(ordered))
    ctx.warnings.extend(_windows_warnings(ordered))
    if ctx.problems:
        raise ConfigError(ctx.problems)
    return Build(ordered, tuple(ctx.warnings))


def _combine(
    ctx: RenderContext, earlier: Output | None, later: Output, clashing: set[frozenset[str]]
) -> Output:
    """Two targets may share a file (a skill in .agents/skills) only if they want the same bytes.
    Two sources never may (`docs/check.md` and `docs-check.md` are one Codex skill)."""
    if earlier is None:
        return later
    if earlier.source != later.source and earlier.mode == later.mode == "owned":
        pair = frozenset((earlier.source, later.source))
        if pair in clashing:
            return earlier
        clashing.add(pair)
        ctx.problems.append(
            Problem(
                later.source,
                f"this file and {earlier.source} both become `{later.path}`",
                fix=RENAME,
            )
        )
        return earlier
    if earlier.content == later.content and earlier.mode == later.mode == "owned":
        from dataclasses import replace  # Output stays a dataclass: others replace it too

        return replace(earlier, targets=(*earlier.targets, *later.targets))
    who = (*earlier.targets, *later.targets)
    fix = "drop the `only:` passages or overrides that differ"
    if "gemini" in who and len(set(who)) > 1:
        fix += _skills_dir_fix(ctx, later.path)
    ctx.problems.append(
        Problem(
            later.source,
            f"{' and '.join(who)} both write {later.path}, with different content",
            fix=fix,
        )
    )
    return earlier


def _skills_dir_fix(ctx: RenderContext, path: str) -> str:
    """Gemini shares a file with another agent only when `gemini: {skills_dir: …}` names a
    folder that agent writes its own skills to (the default layout shares `.agents/skills`
    only for identical bytes): the fix is to give Gemini a folder of its own again."""
    from rulesync.targets.skill_layout import AUTO, gemini_choice

    choice = gemini_choice(ctx)
    if choice == AUTO or not path.startswith(f"{choice}/"):
        return ""
    return (
        f", or remove `skills_dir: {choice}` from `gemini:` in rulesync.yaml (another agent "
        "writes its own skills there; by default Gemini gets .gemini/skills, or .agents/skills "
        "shared with Codex for identical files)"
    )


def _unwritable_names(
    outputs: Sequence[Output], name_max: int, root_bytes: int, path_max: int
) -> Iterator[Problem]:
    """Names the file system would refuse (ENAMETOOLONG): one problem per source."""
    reported: set[str] = set()
    for output in outputs:
        if output.source in reported:
            continue
        why = output_name_problem(output.path, name_max)
        full = root_bytes + 1 + len(output.path.encode("utf-8", "surrogatepass"))
        if why is None and full + TEMP_NAME_EXTRA > path_max:
            why = f"the output path is {full} bytes long, and the file system allows {path_max}"
        if why is not None:
            reported.add(output.source)
            yield Problem(output.source, why, fix="shorten its name")


def _folded(path: str) -> str:
    """The name a case-insensitive file system sees."""
    if path.isascii():  # both normalisations leave ASCII as it is; casefold is lower there
        return path.lower()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", path).casefold())


def _case_clashes(outputs: Sequence[Output]) -> Iterator[Problem]:
    """Outputs whose paths differ only in case: one problem per pair of sources."""
    first_by_fold: dict[str, Output] = {}
    reported: set[frozenset[str]] = set()
    for output in outputs:
        earlier = first_by_fold.setdefault(_folded(output.path), output)
        pair = frozenset((earlier.source, output.source))
        if earlier is output or pair in reported:
            continue
        reported.add(pair)
        yield Problem(
            output.source,
            f"becomes `{output.path}`, and {earlier.source} becomes `{earlier.path}`: the names "
            f"differ only in case, and {CASE_INSENSITIVE}",
            fix=RENAME,
        )


def _file_folder_clashes(outputs: Sequence[Output]) -> Iterator[Problem]:
    """An output file where another output needs a folder (`x.toml` and `x.toml/y.toml`)."""
    folder_users: dict[str, Output] = {}
    for output in outputs:
        parts = _folded(output.path).split("/")
        for depth in range(1, len(parts)):
            folder_users.setdefault("/".join(parts[:depth]), output)
    for output in outputs:
        user = folder_users.get(_folded(output.path))
        if user is not None:
            yield Problem(
                output.source,
                f"becomes the file `{output.path}`, where {user.source} needs a folder "
                f"(for `{user.path}`)",
                fix=RENAME,
            )


def _windows_warnings(outputs: Sequence[Output]) -> Iterator[Warning]:
    """Names Windows cannot create: a warning (the project may never see Windows), per source."""
    reported: set[str] = set()
    for output in outputs:
        why = windows_name_problem(output.path)
        if why is not None and output.source not in reported:
            reported.add(output.source)
            yield Warning(
                output.source,
                f"becomes `{output.path}`, which cannot be created on Windows: {why} "
                "(rename the source if the project is used on Windows)",
            )
