"""Monorepo packages: `packages: [packages/*]` in the root rulesync.yaml.

Each package folder may hold its own `.rulesync/rules/`. Its rules are scoped to the package
(a rule without `globs` gets `<package>/**`; a rule's own globs are taken as relative to the
package), so mirror renders them into the package's context files and `.claude/rules/<package>/`.
The root's rules apply everywhere, since every agent reads the root file as well; a package rule
with the name of a root rule says that, in this package, it takes precedence over that rule.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from rulesync.errors import Problem
from rulesync.source.config import DEFAULT_SOURCE, Config
from rulesync.source.model import Item, Project
from rulesync.source.only import Segment
from rulesync.source.scopes import patterns_of, safe_folder

#: A package's own source folder, inside the package.
PACKAGE_SOURCE = DEFAULT_SOURCE


def package_folders(root: Path, patterns: Iterable[str]) -> list[str]:
    """The real (not symlinked), non-hidden folders the patterns name, sorted, each once."""
    found: set[str] = set()
    for pattern in patterns:
        folders = [""]
        for part in pattern.split("/"):
            folders = [
                f"{f}/{name}".lstrip("/") for f in folders for name in _matching(root, f, part)
            ]
        found.update(folders)
    return sorted(f for f in found if f and safe_folder(f))


def _matching(root: Path, folder: str, part: str) -> list[str]:
    if not any(c in part for c in "*?["):
        path = root / folder / part
        return [part] if path.is_dir() and not path.is_symlink() else []
    try:
        with os.scandir(root / folder) as entries:
            return [
                e.name
                for e in entries
                if not e.name.startswith(".")
                and e.is_dir(follow_symlinks=False)
                and fnmatch.fnmatchcase(e.name, part)
            ]
    except OSError:
        return []


def enclosing_project(folder: Path) -> tuple[Path, str | None]:
    """`folder` itself when it has a rulesync.yaml; else the nearest folder above that has
    one and declares `folder` a package, with the package's relative path (for `-C`)."""
    from rulesync.errors import ConfigError
    from rulesync.source.config import CONFIG_NAME, load_config

    if (folder / CONFIG_NAME).is_file():
        return folder, None
    for above in folder.parents:
        if (above / CONFIG_NAME).is_file():
            try:
                config = load_config(above)
            except ConfigError:  # not this folder's project: report "no rulesync.yaml" here
                break
            relative = folder.relative_to(above).as_posix()
            if relative in package_folders(above, config.packages):
                return above, relative
            break
    return folder, None


def package_sources(config: Config) -> list[str]:
    """The packages' source folders that exist, project-relative (`packages/api/.rulesync`)."""
    return [
        f"{folder}/{PACKAGE_SOURCE}"
        for folder in package_folders(config.root, config.packages)
        if (config.root / folder / PACKAGE_SOURCE).is_dir()
        and not (config.root / folder / PACKAGE_SOURCE).is_symlink()
    ]


def with_packages(
    project: Project,
    load_rules: Callable[[Config], tuple[tuple[Item, ...], list[str], list[Problem]]],
) -> tuple[Project, list[Problem]]:
    """`project` plus every package's rules, scoped to their package."""
    config = project.config
    root_names = {rule.name for rule in project.rules}
    rules, seen = list(project.rules), list(project.source_files)
    problems: list[Problem] = []
    for source in package_sources(config):
        folder = source.rsplit("/", 1)[0]
        loaded, files, found = load_rules(config.replace(source=source))
        seen.extend(files)
        problems.extend(found)
        for rule in loaded:
            if rule.fields.get("root") is True:
                problems.append(
                    Problem(
                        rule.path,
                        "a package's rule cannot be the root rule",
                        1,
                        "remove `root: true`",
                    )
                )
                continue
            rules.append(_scoped(rule, folder, rule.name in root_names))
    return project.replace(rules=tuple(rules), source_files=tuple(sorted(seen))), problems


def _scoped(rule: Item, folder: str, overrides: bool) -> Item:
    fields = dict(rule.fields)
    fields["globs"] = _prefixed(rule.fields.get("globs"), folder)
    blocks = {
        target: {**block, "globs": _prefixed(block["globs"], folder)} if "globs" in block else block
        for target, block in rule.overrides.items()
    }
    segments = rule.segments
    if overrides:
        note = (
            f"_In `{folder}/`, this takes precedence over the project-wide rule `{rule.name}`._\n"
        )
        segments = (Segment(note), *segments)
    return rule.replace(
        name=f"{folder}/{rule.name}", fields=fields, overrides=blocks, segments=segments
    )


def _prefixed(globs: object, folder: str) -> list[str]:
    patterns = patterns_of(globs)
    if not patterns:
        return [f"{folder}/**"]
    return [f"{folder}/{p.lstrip('/').removeprefix('./')}" for p in patterns]
