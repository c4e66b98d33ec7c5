"""Resolve each source to a cached checkout and stack them under the project's `.rulesync/`.

Precedence, lowest first: the sources in the order `sources:` lists them, then the project's
own `.rulesync/`. A file of the same kind and name in a later layer replaces the earlier one,
so local files always win, and a later source overrides an earlier one.

A source supplies only files below `path` in its `rules/`, `commands/`, `skills/` and
`subagents/` folders, filtered by `include`. Every file is read from the checkout of the pinned
commit and checked against the hash git's tree gave it; a symlink, submodule or escaping path
among them is an error naming the file.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rulesync.errors import ConfigError, Problem
from rulesync.sources.cache import COMMIT, FileRecord, Manifest, RepoCache, repo_location
from rulesync.sources.content import content_hash
from rulesync.sources.layers import NAMES_FILE, Layer
from rulesync.sources.pins import Pin, pins_path, read_pins
from rulesync.sources.spec import SourceSpec

KIND_FOLDERS = ("rules/", "commands/", "skills/", "subagents/")


@dataclass(frozen=True)
class Resolved:
    spec: SourceSpec
    commit: str
    files_root: Path
    selected: dict[str, str]  # relative to the source's `path` folder -> sha256 of its bytes
    damaged: tuple[str, ...]  # cached files that differ from the commit
    moved_to: str | None  # the rev points elsewhere since the last fetch (a moved tag)
    pin: Pin | None  # what sources.lock recorded for this repo and rev
    executable: frozenset[str] = frozenset()  # selected files git marks executable
    rev_is_tag: bool = True  # as the last fetch saw it (a branch moving on is no moved tag)
    shell: Mapping[str, list[tuple[int, str]]] = field(default_factory=dict)  # by `selected` key

    @property
    def content(self) -> str:
        return content_hash(self.selected.items())

    @property
    def new_pin(self) -> Pin:
        s = self.spec
        return Pin(s.repo, s.rev, s.path, s.include, self.commit, self.content)

    @property
    def layer(self) -> Layer:
        folder = self.files_root / self.spec.path if self.spec.path else self.files_root
        return Layer(folder, self.files_root, f"{self.spec.name}:", frozenset(self.selected))


def pins_display(config_source: str) -> str:
    return f"{config_source}/sources.lock"


class SourceNotCached(ConfigError):
    """A source's commit is not in the cache, on a path that never runs git (check, status,
    dispatch, hooks, the loader): `rulesync sources fetch` or `rulesync mirror` brings it."""


def resolve_sources(
    root: Path,
    source: str,
    specs: tuple[SourceSpec, ...],
    *,
    repin: Collection[int] = (),
    git_allowed: bool = False,
) -> tuple[Resolved, ...]:
    """Each source at its pinned commit, from the cache.

    Only with `git_allowed` (mirror, `rulesync sources …`) is what the cache lacks resolved
    and fetched; otherwise a source not in the cache raises SourceNotCached, naming every such
    source. The sources whose index is in `repin` are resolved afresh from the repository
    (`sources update`), pin or no pin.
    """
    if not specs:
        return ()
    git_allowed = git_allowed or bool(repin)
    pins = read_pins(pins_path(root / source), pins_display(source))
    resolved = []
    problems: list[Problem] = []
    missing: list[Problem] = []
    for spec in specs:
        pin = next((p for p in pins if p.matches(spec)), None)
        cache = RepoCache(repo_location(spec.repo, root), spec.label, spec.path)
        commit = _commit(cache, spec, pin, repin=spec.index in repin, git_allowed=git_allowed)
        if commit is None or not (git_allowed or cache.has(commit)):
            missing.append(not_cached_problem(spec, commit))
            continue
        resolved.append(_resolve(cache, spec, pin, commit, problems))
    if missing:
        raise SourceNotCached(missing + problems)
    if problems:
        raise ConfigError(problems)
    return tuple(resolved)


def _commit(
    cache: RepoCache, spec: SourceSpec, pin: Pin | None, *, repin: bool, git_allowed: bool
) -> str | None:
    """The pinned commit; else, with git, the rev resolved after a fetch; else the commit the
    last fetch saw for the rev (None when the cache cannot say)."""
    if pin is not None and not repin:
        return pin.commit
    if git_allowed:
        return cache.resolve(spec.rev, _fetch(cache))
    refs = cache.known_refs()
    known = refs.get(f"refs/tags/{spec.rev}") or refs.get(f"refs/heads/{spec.rev}")
    return known or (spec.rev if COMMIT.fullmatch(spec.rev) else None)


def not_cached_problem(spec: SourceSpec, commit: str | None) -> Problem:
    what = f"the commit {commit[:12]}" if commit else f"`rev: {spec.rev}`"
    return Problem(
        spec.label,
        f"{what} is not in the cache (check, status, dispatch and hooks never run git)",
        fix="run `rulesync sources fetch` (or `rulesync mirror`, which also pins it)",
    )


def _resolve(
    cache: RepoCache, spec: SourceSpec, pin: Pin | None, commit: str, problems: list[Problem]
) -> Resolved:
    cache.checkout(commit)  # no git when the cache has it
    manifest = cache.manifest(commit)
    files_root = cache.files_root(commit)
    selected, damaged, executable = _select(spec, manifest, files_root)
    prefix = _prefix(spec)
    shell = {
        p[len(prefix) :]: lines
        for p, lines in manifest.shell.items()
        if p[len(prefix) :] in selected
    }
    refused = [p for p in manifest.refused if _refusal_matters(p, prefix, spec.include)]
    problems.extend(
        Problem(f"{spec.label}:{path}", f"is {manifest.refused[path]}; a pack may hold regular "
                "files only", fix="remove it from the pack, or leave it out with `include:`")
        for path in refused
    )  # fmt: skip
    if not selected and not refused:
        problems.append(_empty_problem(spec))
    refs = cache.known_refs()
    moved = _moved(refs, spec, pin.commit) if pin is not None else None
    is_tag = f"refs/tags/{spec.rev}" in refs
    return Resolved(
        spec, commit, files_root, selected, damaged, moved, pin, executable, is_tag, shell
    )


def _prefix(spec: SourceSpec) -> str:
    return f"{spec.path}/" if spec.path else ""


def _select(
    spec: SourceSpec, manifest: Manifest, files_root: Path
) -> tuple[dict[str, str], tuple[str, ...], frozenset[str]]:
    """The files the source supplies (relative to its `path`, with their sha256), those
    changed since the checkout was written, and those git marks executable.

    Nothing is read here: a file is checked by its size and mtime against the manifest (the
    checkout is ours, written once), which costs one lstat. The loader reads the files later,
    through its own checks (no link may lead out of the checkout).
    """
    prefix, label = _prefix(spec), spec.label
    root = f"{files_root}{os.sep}"
    selected: dict[str, str] = {}
    damaged, executable = [], set()
    for path, record in manifest.files.items():
        relative = path[len(prefix) :] if path.startswith(prefix) else None
        if relative is None or not _wanted(relative, spec.include):
            continue
        if _changed(root + path, record, label, path):
            damaged.append(path)
        selected[relative] = record.sha256
        if record.executable:
            executable.add(relative)
    return selected, tuple(damaged), frozenset(executable)


def _changed(path: str, record: FileRecord, label: str, shown: str) -> bool:
    try:
        status = os.lstat(path)
    except OSError as error:
        why = error.strerror
    else:
        if stat.S_ISREG(status.st_mode):
            return (status.st_size, status.st_mtime_ns) != (record.size, record.mtime_ns)
        why = "a symlink" if stat.S_ISLNK(status.st_mode) else "not a regular file"
    raise ConfigError(
        [Problem(f"{label}:{shown}", f"the cached checkout is damaged ({why})",
                 fix=f"delete {os.path.dirname(path)} from the cache and run the command again")]
    )  # fmt: skip


def _empty_problem(spec: SourceSpec) -> Problem:
    where = f"below `{spec.path}` " if spec.path else ""
    chosen = " chosen by `include`" if spec.include else ""
    return Problem(
        spec.label,
        f"supplies no files: nothing in rules/, commands/, skills/ or subagents/ {where}"
        f"of {spec.repo}{chosen}",
        fix="check the source's `path:` and `include:` (or that the rev is the right one)",
    )


def _fetch(cache: RepoCache) -> dict[str, str]:
    from rulesync.sources.gitcmd import GitFailed

    try:
        return cache.fetch()
    except GitFailed as error:
        why = error.problems[0].message if error.problems else "git failed"
        raise ConfigError(
            [Problem(cache.label, f"{cache.location} is not in the cache and cannot be fetched "
                     f"({why})", fix="connect to the network, or fix `repo:` in rulesync.yaml")]
        ) from None  # fmt: skip


def _wanted(relative: str, include: tuple[str, ...]) -> bool:
    if not relative.startswith(KIND_FOLDERS) and relative != NAMES_FILE:
        return False
    return not include or any(fnmatch.fnmatchcase(relative, glob) for glob in include)


def _refusal_matters(path: str, prefix: str, include: tuple[str, ...]) -> bool:
    """A link or submodule among the selected files, or in place of a folder holding them."""
    if prefix.startswith(f"{path}/"):
        return True
    if not path.startswith(prefix):
        return False
    relative = path[len(prefix) :]
    return f"{relative}/" in KIND_FOLDERS or _wanted(relative, include)


def _moved(refs: dict[str, str], spec: SourceSpec, commit: str) -> str | None:
    """Where the last fetch saw `rev` (a tag, else a branch), when not at the pinned commit."""
    now = refs.get(f"refs/tags/{spec.rev}") or refs.get(f"refs/heads/{spec.rev}")
    return now if now is not None and now != commit else None


def source_layers(root: Path, source: str, specs: tuple[SourceSpec, ...]) -> list[Layer]:
    """The layers the loader reads, lowest precedence first (the project's own is last)."""
    layers = []
    for resolved in resolve_sources(root, source, specs):
        if resolved.damaged:
            raise ConfigError([damaged_problem(resolved)])
        layers.append(resolved.layer)
    return layers


def names_layers(root: Path, source: str, specs: tuple[SourceSpec, ...]) -> list[Layer]:
    """The layers of the sources whose pinned checkout holds a names.yaml they supply, lowest
    first: what the identity lint needs, at the cost of one manifest and one lstat per source
    (no git; a source missing from the cache raises SourceNotCached)."""
    pins = read_pins(pins_path(root / source), pins_display(source))
    layers, missing, problems = [], [], []
    for spec in specs:
        pin = next((p for p in pins if p.matches(spec)), None)
        cache = RepoCache(repo_location(spec.repo, root), spec.label, spec.path)
        commit = _commit(cache, spec, pin, repin=False, git_allowed=False)
        if commit is None or not cache.has(commit):
            missing.append(not_cached_problem(spec, commit))
            continue
        path = _prefix(spec) + NAMES_FILE
        if not _wanted(NAMES_FILE, spec.include):
            continue
        record, refused = cache.record(commit, path)
        if refused is not None:
            why = f"is {refused}; a pack may hold regular files only"
            problems.append(Problem(f"{spec.label}:{path}", why, fix="remove it from the pack"))
        if record is None:
            continue
        files_root = cache.files_root(commit)
        if _changed(str(files_root / path), record, spec.label, path):
            raise ConfigError([_damaged_cache(spec, commit, files_root, path)])
        folder = files_root / spec.path if spec.path else files_root
        layers.append(Layer(folder, files_root, f"{spec.name}:", frozenset({NAMES_FILE})))
    if missing or problems:
        raise (SourceNotCached if missing else ConfigError)(missing + problems)
    return layers


def _damaged_cache(spec: SourceSpec, commit: str, files_root: Path, path: str) -> Problem:
    return Problem(
        spec.label,
        f"the cache does not match the pinned commit {commit[:12]} ({path} differs)",
        fix=f"delete {files_root.parent} and run `rulesync sources fetch`",
    )


def unverified_files(resolved: Resolved) -> list[str]:
    """Read every file the source supplies and compare it with git's hash (what
    `rulesync sources fetch` does; mirror and check trust size and mtime)."""
    from rulesync.sources.content import file_digest
    from rulesync.sync.safety import read_regular

    prefix = _prefix(resolved.spec)
    wrong = []
    for relative, digest in sorted(resolved.selected.items()):
        content = read_regular(resolved.files_root / (prefix + relative))
        if not isinstance(content, bytes) or file_digest(content) != digest:
            wrong.append(prefix + relative)
    return wrong


def damaged_problem(resolved: Resolved) -> Problem:
    shown = ", ".join(resolved.damaged[:5])
    return Problem(
        resolved.spec.label,
        f"the cache does not match the pinned commit {resolved.commit[:12]} ({shown} differ)",
        fix=f"delete {resolved.files_root.parent} and run `rulesync sources fetch`",
    )
