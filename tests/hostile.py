"""Hostile project trees for the safety tests of issue 11: build them, run rulesync, judge.

A tree lives in a fresh folder `base` and has two parts:

    base/project/   a small valid rulesync project, then attacked (see the mutation classes)
    base/outside/   canary files the project must never reach: hashed before and after

Every run of a command is judged on the promises of the issue: nothing outside changes (every
entry compared by lstat, links never followed), no traceback (an exception escaping `main`,
an exit code outside {0, 1, 2}, or "Traceback" or an exception class name in the output), and
after a mirror that exits 0, no output is a symlink, inside the source or shared with another
output, and `check` exits 0. `check`, `mirror` and dispatch's sync never change a file of the
source (`.rulesync/` but for the lock), and `check` writes nothing at all.

The CLI runs in-process (`rulesync.cli.main`), which a hang guard (SIGALRM) keeps bounded.
Nothing here follows a link when it builds, hashes or removes a tree.

`python tests/hostile.py [COUNT [FIRST_SEED]]` builds COUNT random trees and prints every
problem of every tree (the property test stops at the first failing one).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

TARGETS = ("claude", "gemini", "codex")
CONTEXT_FILES = {"claude": "CLAUDE.md", "gemini": "GEMINI.md", "codex": "AGENTS.md"}
STEP_TIMEOUT = 10.0  # seconds for one in-process command (they take < 0.5 s); then: a hang

# --- the outside folder -------------------------------------------------------------------

ROOT_RULE = "---\nroot: true\ndescription: Main rules\n---\n# Rules\n\nBe brief.\n"
OUTSIDE_FILES: dict[str, bytes] = {
    "keep.txt": b"precious: rulesync must never write or delete this\n",
    "canary.md": b"We use Github at Mueller GmbH.\n",  # a lint --fix would change this
    "commands/triage.md": b"outside triage\n",
    "commands/other.md": b"outside other\n",
    "skills/myskill/SKILL.md": b"---\nname: myskill\ndescription: outside\n---\nOutside.\n",
    "agents/helper.md": b"outside helper\n",
    "src/rules/main.md": ROOT_RULE.encode(),  # a valid source folder, for `.rulesync -> src`
    "deep/a/b/c.txt": b"deep canary\n",
}
OUTSIDE_LINKS = {"link-to-keep": "keep.txt", "deep/up": "../.."}
OUTSIDE_DIRS = ("", "commands", "skills", "agents", "src", "deep")


def outside_hash(name: str) -> str:
    return hashlib.sha256(OUTSIDE_FILES[name]).hexdigest()


# --- the project --------------------------------------------------------------------------

LINT_CONFIG = "lint:\n  identity:\n    names:\n      - GitHub\n      - Müller GmbH\n"
COMMAND = "---\ndescription: Triage the open issues\n---\nTriage the issues about $ARGUMENTS.\n"
SKILL = "---\nname: myskill\ndescription: Does the thing. Use when asked.\n---\n# Skill\n\nSee notes.md.\n"
SUBAGENT = "---\nname: helper\ndescription: Helps with reviews.\ntools: [Read]\n---\nYou help.\n"
NOTES = "We use Github at Mueller GmbH.\n"


def config_text(targets: Sequence[str]) -> str:
    return f"targets: [{', '.join(targets)}]\n{LINT_CONFIG}"


def project_files(
    targets: Sequence[str], command: bool, skill: bool, subagent: bool
) -> dict[str, str]:
    files = {
        "rulesync.yaml": config_text(targets),
        ".rulesync/rules/main.md": ROOT_RULE,
        "docs/notes.md": NOTES,
    }
    if command:
        files[".rulesync/commands/triage.md"] = COMMAND
    if skill:
        files[".rulesync/skills/myskill/SKILL.md"] = SKILL
        files[".rulesync/skills/myskill/notes.md"] = "Notes.\n"
        files[".rulesync/skills/myskill/scripts/run.sh"] = "#!/bin/sh\necho hi\n"
    if subagent:
        files[".rulesync/subagents/helper.md"] = SUBAGENT
    return files


# --- mutations ----------------------------------------------------------------------------

#: Where a symlink may be planted: outputs, output folders, the source, the lock, lint inputs.
LINK_POSITIONS = (
    "CLAUDE.md",
    "GEMINI.md",
    "AGENTS.md",
    ".claude/commands/triage.md",
    ".claude/agents/helper.md",
    ".claude/settings.json",
    ".claude/skills/myskill/SKILL.md",
    ".gemini/commands/triage.toml",
    ".agents/skills/triage/SKILL.md",
    ".codex/agents/helper.toml",
    ".claude",
    ".claude/commands",
    ".claude/skills",
    ".claude/skills/myskill",
    ".claude/agents",
    ".gemini",
    ".gemini/commands",
    ".gemini/agents",
    ".agents",
    ".agents/skills",
    ".agents/skills/myskill",
    ".codex",
    ".codex/agents",
    ".rulesync",
    ".rulesync/rules",
    ".rulesync/rules/main.md",
    ".rulesync/commands",
    ".rulesync/commands/triage.md",
    ".rulesync/skills/myskill/notes.md",
    ".rulesync/skills/myskill/scripts",
    ".rulesync/subagents/helper.md",
    ".rulesync/mirror.lock",
    "rulesync.yaml",
    "docs",
    "docs/notes.md",
)

#: Where a symlink may point. `outside:X` is base/outside/X, `inside:X` is project/X.
LINK_DESTINATIONS = (
    "outside:",
    "outside:commands",
    "outside:skills",
    "outside:agents",
    "outside:src",
    "outside:keep.txt",
    "outside:canary.md",
    "outside:commands/triage.md",
    "outside:link-to-keep",
    "inside:.",
    "inside:.rulesync",
    "inside:.rulesync/rules",
    "inside:.rulesync/rules/main.md",
    "inside:.rulesync/commands",
    "inside:.rulesync/commands/triage.md",
    "inside:.rulesync/skills/myskill",
    "inside:.rulesync/mirror.lock",
    "inside:CLAUDE.md",
    "inside:GEMINI.md",
    "inside:.claude/commands",
    "inside:.claude/skills",
    "inside:.agents/skills",
    "inside:docs/notes.md",
    "dangling:outside",
    "dangling:inside",
    "loop:self",
    "loop:pair",
)
LINK_STYLES = ("relative", "absolute", "hop")  # hop: through a second link in the project


@dataclass(frozen=True)
class Link:
    """Replace whatever is at `position` with a symlink to `destination`."""

    position: str
    destination: str
    style: str = "relative"


#: How a hostile lock entry names its file.
LOCK_PATH_KINDS = (
    "dotdot",  # ../outside/keep.txt
    "dotdot-deep",  # docs/../../outside/keep.txt
    "dotdot-far",  # ../../<base>/outside/keep.txt
    "dot-prefixed",  # ./../outside/keep.txt
    "absolute",  # /tmp/…/outside/keep.txt
    "through-link",  # via/keep.txt, with project/via -> ../outside
    "through-output-folder",  # .claude/commands/triage.md, with .claude/commands -> outside
    "source",  # .rulesync/rules/main.md: a source file, with its own hash
    "empty",  # ""
    "dot",  # "."
    "nul",  # "a\0b"
)
LOCK_CANARIES = ("keep.txt", "canary.md", "commands/triage.md", "link-to-keep")


@dataclass(frozen=True)
class LockEntry:
    """Add one entry to `.rulesync/mirror.lock` (a fresh lock when there is none)."""

    path_kind: str
    canary: str = "keep.txt"
    good_hash: bool = True
    targets: tuple[str, ...] = ("claude",)
    merged: bool = False  # in `merged` instead of `files`
    keep_inputs: bool = False  # keep the lock's fingerprint (False: the next run renders)


#: A lock that is not a lock.
BROKEN_LOCKS: dict[str, bytes | None] = {
    "directory": None,
    "garbage": b"\x00\xff{ not json",
    "empty": b"",
    "deep": b"[" * 100_000,
    "top-list": b"[]",
    "top-string": b'"lock"',
    "files-list": b'{"version":1,"files":[]}',
    "files-null": b'{"version":1,"files":null}',
    "entry-string": b'{"version":1,"files":{"CLAUDE.md":"abc"}}',
    "entry-null": b'{"version":1,"files":{"CLAUDE.md":null}}',
    "hash-int": b'{"version":1,"files":{"CLAUDE.md":{"sha256":5,"targets":["claude"]}}}',
    "hash-missing": b'{"version":1,"files":{"CLAUDE.md":{"targets":["claude"]}}}',
    "targets-string": b'{"version":1,"files":{"CLAUDE.md":{"sha256":"00","targets":"claude"}}}',
    "targets-ints": b'{"version":1,"files":{"CLAUDE.md":{"sha256":"00","targets":[1,2]}}}',
    "source-list": b'{"version":1,"files":{"CLAUDE.md":{"sha256":"00","source":[],"targets":[]}}}',
    "merged-list": b'{"version":1,"files":{},"merged":[]}',
    "merged-hash-int": b'{"version":1,"files":{},"merged":{"CLAUDE.md":7}}',
    "inputs-int": b'{"version":1,"inputs":7,"files":{}}',
    "warnings-dict": b'{"version":1,"files":{},"warnings":{}}',
    "warnings-strings": b'{"version":1,"files":{},"warnings":["x"]}',
    "version-99": b'{"version":99,"files":{}}',
    "not-utf8": b'{"version":1,"files":{"\xff":{"sha256":"00"}}}',
}


@dataclass(frozen=True)
class BrokenLock:
    kind: str


#: Files whose temp name (`.NAME.rulesync-PID.tmp`) an attacker plants as a symlink.
TEMP_TARGETS = (
    "CLAUDE.md",
    "GEMINI.md",
    "AGENTS.md",
    ".rulesync/mirror.lock",
    ".claude/commands/triage.md",
    ".claude/settings.json",
    ".rulesync/rules/main.md",
    ".rulesync/commands/triage.md",
    "docs/notes.md",
)


@dataclass(frozen=True)
class TempPlant:
    """Symlinks at the temp names of `output` for PIDs around ours, to an outside canary."""

    output: str
    canary: str = "keep.txt"
    spread: int = 4
    absolute: bool = True


SWAP_TO_FILE = (
    ".claude",
    ".claude/commands",
    ".claude/skills",
    ".gemini",
    ".gemini/commands",
    ".agents",
    ".agents/skills",
    ".agents/skills/myskill",
    ".codex",
    ".rulesync",
    ".rulesync/rules",
    ".rulesync/commands",
    ".rulesync/skills/myskill/scripts",
    "docs",
)
SWAP_TO_DIR = (
    "CLAUDE.md",
    "GEMINI.md",
    "AGENTS.md",
    ".claude/commands/triage.md",
    ".claude/settings.json",
    ".gemini/commands/triage.toml",
    ".codex/agents/helper.toml",
    ".rulesync/mirror.lock",
    ".rulesync/rules/main.md",
    ".rulesync/commands/triage.md",
    "rulesync.yaml",
    "docs/notes.md",
)


@dataclass(frozen=True)
class Swap:
    """A plain file where a folder is expected (`to="file"`), or a folder for a file."""

    position: str
    to: str


Mutation = Link | LockEntry | BrokenLock | TempPlant | Swap


@dataclass(frozen=True)
class Scenario:
    targets: tuple[str, ...] = TARGETS
    command: bool = True
    skill: bool = True
    subagent: bool = True
    premirror: bool = True  # mirror the clean project before the attack (there is a lock)
    later_targets: tuple[str, ...] | None = None  # targets after the first mirror
    drop_sources: bool = False  # remove the command and subagent after the first mirror
    mutations: tuple[Mutation, ...] = ()

    @property
    def final_targets(self) -> tuple[str, ...]:
        return self.later_targets if self.later_targets is not None else self.targets


# --- drawing a scenario -------------------------------------------------------------------


def random_scenario(rng: random.Random) -> Scenario:
    """A small project and one to four attacks on it, each choice spread evenly."""
    return Scenario(
        targets=_target_set(rng),
        command=rng.random() < 0.7,
        skill=rng.random() < 0.7,
        subagent=rng.random() < 0.5,
        premirror=rng.random() < 0.7,
        later_targets=_target_set(rng) if rng.random() < 0.3 else None,
        drop_sources=rng.random() < 0.2,
        mutations=tuple(random_mutation(rng) for _ in range(rng.randint(1, 4))),
    )


def _target_set(rng: random.Random) -> tuple[str, ...]:
    chosen = rng.sample(TARGETS, rng.randint(1, len(TARGETS)))
    return tuple(t for t in TARGETS if t in chosen)


def random_mutation(rng: random.Random) -> Mutation:
    kind = rng.choices(("link", "lock", "temp", "swap", "broken"), weights=(4, 3, 1, 1, 1))[0]
    if kind == "link":
        return Link(
            rng.choice(LINK_POSITIONS), rng.choice(LINK_DESTINATIONS), rng.choice(LINK_STYLES)
        )
    if kind == "lock":
        return LockEntry(
            rng.choice(LOCK_PATH_KINDS),
            rng.choice(LOCK_CANARIES),
            good_hash=rng.random() < 0.6,
            targets=_target_set(rng),
            merged=rng.random() < 0.2,
            keep_inputs=rng.random() < 0.3,
        )
    if kind == "temp":
        return TempPlant(
            rng.choice(TEMP_TARGETS),
            rng.choice(("keep.txt", "canary.md")),
            spread=rng.randint(0, 6),
            absolute=rng.random() < 0.5,
        )
    if kind == "swap":
        to = rng.choice(("file", "dir"))
        return Swap(rng.choice(SWAP_TO_FILE if to == "file" else SWAP_TO_DIR), to)
    return BrokenLock(rng.choice(sorted(BROKEN_LOCKS)))


# --- building a tree ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tree:
    base: Path
    root: Path
    outside: Path


def build(base: Path, scenario: Scenario) -> Tree:
    """The outside folder and the project of `scenario`, attacked; nothing is followed."""
    tree = Tree(base, base / "project", base / "outside")
    build_outside(tree.outside)
    tree.root.mkdir()
    files = project_files(scenario.targets, scenario.command, scenario.skill, scenario.subagent)
    for relative, text in files.items():
        write_file(tree.root, relative, text.encode())
    if scenario.premirror:
        outcome = run_cli(tree.root, "mirror")
        if outcome.code != 0 or outcome.error is not None:
            raise AssertionError(f"the clean project does not mirror: {outcome.describe()}")
    if scenario.later_targets is not None:
        write_file(tree.root, "rulesync.yaml", config_text(scenario.later_targets).encode())
    if scenario.drop_sources:
        for relative in (".rulesync/commands/triage.md", ".rulesync/subagents/helper.md"):
            (tree.root / relative).unlink(missing_ok=True)
    for index, mutation in enumerate(scenario.mutations):
        apply_mutation(tree, mutation, index)
    forget_process_state()
    return tree


def build_outside(outside: Path) -> None:
    outside.mkdir()
    for relative, content in OUTSIDE_FILES.items():
        write_file(outside, relative, content)
    for relative, target in OUTSIDE_LINKS.items():
        os.symlink(target, outside / relative)


def write_file(root: Path, relative: str, content: bytes) -> bool:
    """Write a plain file at root/relative, unless a folder on the way is not a real one."""
    path = prepare(root, relative)
    if path is None:
        return False
    path.write_bytes(content)
    return True


def prepare(root: Path, relative: str) -> Path | None:
    """Real folders up to `relative` (made if missing) and nothing at it; None when a folder on
    the way is a symlink or a file (building must never write through a link)."""
    folder = root
    for part in PurePosixPath(relative).parts[:-1]:
        folder = folder / part
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            folder.mkdir()
            continue
        if not stat.S_ISDIR(mode):
            return None
    path = root / relative
    remove_entry(path)
    return path


def remove_entry(path: Path) -> None:
    """Remove a file, a link (not its target) or a real folder tree at `path`, if any."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
    else:
        path.unlink()


def apply_mutation(tree: Tree, mutation: Mutation, index: int) -> None:
    if isinstance(mutation, Link):
        plant_link(tree, mutation, index)
    elif isinstance(mutation, LockEntry):
        add_lock_entry(tree, mutation)
    elif isinstance(mutation, BrokenLock):
        break_lock(tree, mutation.kind)
    elif isinstance(mutation, TempPlant):
        plant_temp_links(tree, mutation)
    else:
        swap(tree, mutation)


def plant_link(tree: Tree, link: Link, index: int) -> None:
    position = prepare(tree.root, link.position)
    if position is None:
        return
    kind, _, name = link.destination.partition(":")
    if kind == "loop":
        partner = position if name == "self" else tree.root / f"loop{index}"
        if partner != position:
            remove_entry(partner)
            os.symlink(os.path.relpath(position, partner.parent), partner)
        os.symlink(os.path.relpath(partner, position.parent), position)
        return
    if kind == "outside":
        target = tree.outside / name if name else tree.outside
    elif kind == "inside":
        target = tree.root / name
    elif name == "outside":
        target = tree.outside / "no-such-folder" / "nothing"
    else:
        target = tree.root / "no-such-file"
    if link.style == "hop":
        hop = tree.root / f"hop{index}"
        remove_entry(hop)
        os.symlink(target, hop)
        target = hop
    text = str(target) if link.style == "absolute" else os.path.relpath(target, position.parent)
    os.symlink(text, position)


def lock_file(tree: Tree) -> Path | None:
    """The lock's path when `.rulesync` is a real folder (never written through a link)."""
    source = tree.root / ".rulesync"
    if not _is_real_dir(source):
        return None
    return source / "mirror.lock"


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_real_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_lock_data(tree: Tree) -> dict[str, object]:
    path = lock_file(tree)
    fresh: dict[str, object] = {
        "version": 1,
        "generator": "x",
        "inputs": None,
        "files": {},
        "merged": {},
        "warnings": [],
    }
    if path is None or not _is_real_file(path):
        return fresh
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        return fresh
    if not isinstance(data, dict):
        return fresh
    for key in ("files", "merged"):
        if not isinstance(data.get(key), dict):
            data[key] = {}
    return data


def add_lock_entry(tree: Tree, entry: LockEntry) -> None:
    path = lock_file(tree)
    if path is None or (os.path.lexists(path) and not _is_real_file(path)):
        return
    data = read_lock_data(tree)
    name, sha256 = lock_entry_path(tree, entry)
    if not entry.good_hash:
        sha256 = "0" * 64
    if not entry.keep_inputs:
        data["inputs"] = None
    section = data["merged" if entry.merged else "files"]
    assert isinstance(section, dict)
    if entry.merged:
        section[name] = sha256
    else:
        section[name] = {"sha256": sha256, "source": "s", "targets": list(entry.targets)}
    path.write_text(json.dumps(data), encoding="utf-8")


def lock_entry_path(tree: Tree, entry: LockEntry) -> tuple[str, str]:
    """The entry's path as the lock names it, and the sha256 of the file it reaches."""
    canary = tree.outside / entry.canary
    relative = os.path.relpath(canary, tree.root)
    kind = entry.path_kind
    if kind == "dotdot":
        return relative, outside_hash_of(entry.canary)
    if kind == "dotdot-deep":
        return f"docs/../{relative}", outside_hash_of(entry.canary)
    if kind == "dotdot-far":
        return f"../../{tree.base.name}/outside/{entry.canary}", outside_hash_of(entry.canary)
    if kind == "dot-prefixed":
        return f"./{relative}", outside_hash_of(entry.canary)
    if kind == "absolute":
        return str(canary), outside_hash_of(entry.canary)
    if kind == "through-link":
        via = tree.root / "via"
        if not os.path.lexists(via):
            os.symlink("../outside", via)
        return f"via/{entry.canary}", outside_hash_of(entry.canary)
    if kind == "through-output-folder":
        folder = prepare(tree.root, ".claude/commands")
        if folder is not None:
            os.symlink(os.path.relpath(tree.outside / "commands", folder.parent), folder)
        return ".claude/commands/triage.md", outside_hash_of("commands/triage.md")
    if kind == "source":
        source = tree.root / ".rulesync/rules/main.md"
        content = source.read_bytes() if _is_real_file(source) else b""
        return ".rulesync/rules/main.md", hashlib.sha256(content).hexdigest()
    return {"empty": "", "dot": ".", "nul": "a\x00b"}[kind], "0" * 64


def outside_hash_of(name: str) -> str:
    return outside_hash(OUTSIDE_LINKS.get(name, name))


def break_lock(tree: Tree, kind: str) -> None:
    path = lock_file(tree)
    if path is None:
        return
    remove_entry(path)
    content = BROKEN_LOCKS[kind]
    if content is None:
        path.mkdir()
        (path / "x").write_bytes(b"{}")
    else:
        path.write_bytes(content)


def temp_name(relative: str, pid: int) -> str:
    path = PurePosixPath(relative)
    return str(path.with_name(f".{path.name}.rulesync-{pid}.tmp"))


def plant_temp_links(tree: Tree, plant: TempPlant) -> None:
    canary = tree.outside / plant.canary
    pid = os.getpid()
    for candidate in range(max(pid - plant.spread, 1), pid + plant.spread + 1):
        position = prepare(tree.root, temp_name(plant.output, candidate))
        if position is None:
            return
        text = str(canary) if plant.absolute else os.path.relpath(canary, position.parent)
        os.symlink(text, position)


def swap(tree: Tree, change: Swap) -> None:
    path = prepare(tree.root, change.position)
    if path is None:
        return
    if change.to == "file":
        path.write_bytes(b"a file where a folder belongs\n")
    else:
        path.mkdir()
        (path / "inside.txt").write_bytes(b"a folder where a file belongs\n")


# --- snapshots ----------------------------------------------------------------------------

Snapshot = dict[str, tuple[object, ...]]


def snapshot(
    top: Path, *, strict: bool = True, skip: Callable[[str], bool] | None = None
) -> Snapshot:
    """Every entry under `top` by lstat: a link by its target text, a file by its sha256 and
    mode. `strict` adds inode and mtime (of files and folders), so a rewrite with the same
    bytes, or a file made and removed again, shows too. No link is ever followed."""
    found: Snapshot = {}
    _visit(top, "", found, strict, skip)
    return found


def _visit(
    path: Path, relative: str, found: Snapshot, strict: bool, skip: Callable[[str], bool] | None
) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    extra: tuple[object, ...] = (info.st_ino, info.st_mtime_ns) if strict else ()
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        found[relative] = ("link", os.readlink(path))
    elif stat.S_ISDIR(mode):
        found[relative] = ("dir", stat.S_IMODE(mode), *extra)
        for name in sorted(os.listdir(path)):
            child = f"{relative}/{name}" if relative else name
            if skip is None or not skip(child):
                _visit(path / name, child, found, strict, skip)
    elif stat.S_ISREG(mode):
        found[relative] = ("file", stat.S_IMODE(mode), _file_hash(path), *extra)
    else:
        found[relative] = ("special", stat.S_IFMT(mode))


def _file_hash(path: Path) -> str:
    handle = os.open(
        path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    )
    with os.fdopen(handle, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """What changed, in words: deleted, created, written (new bytes), replaced, touched."""
    changes = []
    changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    for name in sorted(changed):
        old, new = before.get(name), after.get(name)
        shown = name or "."
        if _only_its_mtime(old, new) and any(_under(other, name) for other in changed):
            continue  # a folder whose mtime moved with the entries reported below
        if new is None:
            changes.append(f"deleted {shown}")
        elif old is None:
            changes.append(f"created {shown}")
        elif old[0] != new[0]:
            changes.append(f"replaced {shown} ({old[0]} -> {new[0]})")
        elif old[0] == "file" and old[2] != new[2]:
            changes.append(f"written {shown}")
        elif old[0] == "link":
            changes.append(f"relinked {shown}")
        elif old[1] != new[1]:
            changes.append(f"mode changed {shown}")
        elif old[0] == "file":
            changes.append(f"rewritten with the same bytes {shown}")
        else:
            changes.append(f"touched folder {shown} (an entry made and removed in it)")
    return changes


def _only_its_mtime(old: tuple[object, ...] | None, new: tuple[object, ...] | None) -> bool:
    return old is not None and new is not None and old[0] == new[0] == "dir" and old[1] == new[1]


def _under(path: str, folder: str) -> bool:
    return path != folder and (folder == "" or path.startswith(folder + "/"))


def is_temp_name(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return ".rulesync-" in name and name.endswith(".tmp")


def source_snapshot(root: Path) -> Snapshot | None:
    """The source folder but its lock and temp files, when `.rulesync` is a real folder."""
    source = root / ".rulesync"
    if not _is_real_dir(source):
        return None
    return snapshot(
        source, strict=False, skip=lambda rel: rel == "mirror.lock" or is_temp_name(rel)
    )


def project_snapshot(root: Path) -> Snapshot:
    return snapshot(root, strict=False, skip=is_temp_name)


# --- running ------------------------------------------------------------------------------

#: An exception class name in the output: a traceback's last line, or a repr in a message.
EXCEPTION_NAME = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception|Exit|Interrupt)\b|Traceback \(")
ALLOWED_EXIT = {0, 1, 2}


class Hang(BaseException):
    """A command ran longer than STEP_TIMEOUT (a BaseException: no `except Exception` in the
    code under test may swallow it)."""


@dataclass
class Outcome:
    step: str
    code: int | None = None
    stdout: str = ""
    stderr: str = ""
    error: BaseException | None = None

    def describe(self) -> str:
        if self.error is not None:
            return f"raised {type(self.error).__name__}: {_short(str(self.error))}"
        return f"exit {self.code}: {_short(self.stderr or self.stdout)}"


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


@contextlib.contextmanager
def hang_guard(seconds: float) -> Iterator[None]:
    """Raise Hang in the main thread after `seconds` (a blocking syscall included)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def forget_process_state() -> None:
    """Each CLI run is a fresh process in real life: drop what an earlier in-process run
    remembered about folders it made (the folders may have been replaced since)."""
    import importlib

    try:
        writer = importlib.import_module("rulesync.sync.writer")
    except ImportError:
        return
    made = getattr(writer, "_made_folders", None)
    if isinstance(made, set):
        made.clear()


def run_cli(root: Path, *args: str) -> Outcome:
    """`rulesync -C ROOT ARGS…` in-process, from ROOT, with output captured and a hang guard."""
    from rulesync.cli import main

    outcome = Outcome(" ".join(args))
    out, err = io.StringIO(), io.StringIO()
    forget_process_state()
    try:
        with (
            working_directory(root),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            hang_guard(STEP_TIMEOUT),
        ):
            outcome.code = main(["-C", str(root), *args])
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # every escape is the finding
        outcome.error = error
    outcome.stdout, outcome.stderr = out.getvalue(), err.getvalue()
    return outcome


def run_sync(root: Path, target: str) -> Outcome:
    """Dispatch's sync: only RulesyncError may come out of it."""
    from rulesync.api import sync_target
    from rulesync.errors import RulesyncError

    outcome = Outcome(f"api.sync_target({target}, write=True)")
    try:
        with working_directory(root), hang_guard(STEP_TIMEOUT):
            outcome.stdout = sync_target(root, target, write=True).message
        outcome.code = 0
    except RulesyncError as error:
        outcome.code = 2
        outcome.stderr = str(error)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # every escape is the finding
        outcome.error = error
    return outcome


def escape_problems(outcome: Outcome) -> list[str]:
    """A traceback, in any of its forms."""
    if outcome.error is not None:
        return [f"{outcome.step}: traceback: {outcome.describe()}"]
    problems = []
    if outcome.code not in ALLOWED_EXIT:
        problems.append(f"{outcome.step}: exit code {outcome.code}")
    for stream, text in (("stdout", outcome.stdout), ("stderr", outcome.stderr)):
        match = EXCEPTION_NAME.search(text)
        if match:
            problems.append(f"{outcome.step}: {match.group(0)!r} in {stream}: {_short(text)}")
    return problems


# --- judging one scenario -----------------------------------------------------------------

LINT_PATHS = ("docs", "CLAUDE.md", "GEMINI.md", ".rulesync", ".claude")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def exercise(tree: Tree, scenario: Scenario) -> Report:
    """Run every command of the issue on the tree and collect what broke a promise."""
    report = Report()
    root = tree.root
    # (what the step is, the step): mirror, check and sync must keep the source as it is
    steps: list[tuple[str, Callable[[], Outcome]]] = [
        ("mirror", partial(run_cli, root, "mirror")),
        ("mirror", partial(run_cli, root, "mirror", "--force")),
        ("check", partial(run_cli, root, "check")),
        *[("sync", partial(run_sync, root, target)) for target in scenario.final_targets],
        ("import", partial(run_cli, root, "import", "--from", "claude")),
        ("import", partial(run_cli, root, "import", "--from", "gemini")),
        ("lint", partial(run_cli, root, "lint", "--fix", *LINT_PATHS)),
    ]
    for kind, step in steps:
        keep_source = kind in ("mirror", "check", "sync")
        outcome = observe(tree, step, report, keep_source=keep_source, keep_project=kind == "check")
        if kind == "mirror" and outcome.code == 0 and outcome.error is None:
            report.problems += after_mirror_problems(tree, scenario, outcome.step)
            check = partial(check_after, root, outcome.step)
            observe(tree, check, report, keep_source=True, keep_project=True, must_pass=True)
    return report


def check_after(root: Path, mirror_step: str) -> Outcome:
    outcome = run_cli(root, "check")
    outcome.step = f"check (after a successful `{mirror_step}`)"
    return outcome


def observe(
    tree: Tree,
    step: Callable[[], Outcome],
    report: Report,
    *,
    keep_source: bool,
    keep_project: bool,
    must_pass: bool = False,
) -> Outcome:
    """Run one step and judge it: outside untouched, no traceback, source (or all) kept."""
    outside_before = snapshot(tree.outside)
    source_before = source_snapshot(tree.root) if keep_source else None
    project_before = project_snapshot(tree.root) if keep_project else None
    outcome = step()
    report.outcomes.append(outcome)
    changed = differences(outside_before, snapshot(tree.outside))
    if changed:
        report.problems.append(
            f"{outcome.step}: OUTSIDE CHANGED: {', '.join(changed)} [{outcome.describe()}]"
        )
    report.problems += escape_problems(outcome)
    if source_before is not None:
        after = source_snapshot(tree.root)
        lost = differences(source_before, after or {})
        if lost:
            report.problems.append(f"{outcome.step}: source changed: {', '.join(lost)}")
    if project_before is not None:
        touched = differences(project_before, project_snapshot(tree.root))
        if touched:
            report.problems.append(f"{outcome.step}: wrote in the project: {', '.join(touched)}")
    if must_pass and outcome.error is None and outcome.code != 0:
        report.problems.append(f"{outcome.step}: not in sync: {outcome.describe()}")
    return outcome


def after_mirror_problems(tree: Tree, scenario: Scenario, step: str) -> list[str]:
    """After a mirror that exited 0: every output a regular file of its own, inside the
    project, outside the source, and the lock naming nothing else."""
    outputs = [CONTEXT_FILES[t] for t in scenario.final_targets]
    problems = []
    data = read_lock_data(tree) if lock_file(tree) is not None else {}
    for section in ("files", "merged"):
        entries = data.get(section)
        if isinstance(entries, dict):
            outputs += [str(name) for name in entries]
    root = os.path.realpath(tree.root)
    source = os.path.realpath(tree.root / ".rulesync")
    if source == root:
        source = os.path.join(root, ".rulesync")
    seen: dict[str, str] = {}
    for relative in dict.fromkeys(outputs):
        pure = PurePosixPath(relative)
        if not relative or "\0" in relative or pure.is_absolute() or ".." in pure.parts:
            problems.append(f"{step}: exit 0 with the lock entry {relative!r}")
            continue
        path = tree.root / relative
        if os.path.islink(path):
            problems.append(
                f"{step}: exit 0, and the output {relative} is a symlink to {os.readlink(path)}"
            )
            continue
        real = os.path.realpath(path)
        if not _within(real, root):
            problems.append(f"{step}: exit 0, and the output {relative} resolves outside: {real}")
        elif _within(real, source):
            problems.append(
                f"{step}: exit 0, and the output {relative} resolves into the source: {real}"
            )
        elif real in seen:
            problems.append(
                f"{step}: exit 0, and the outputs {seen[real]} and {relative} are one file"
            )
        seen[real] = relative
    return problems


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# --- a survey: every failure of many trees at once ----------------------------------------


def survey(count: int, first_seed: int = 0) -> int:
    """Build and exercise `count` random trees (seeds first_seed…) and print every problem:
    the property test stops at its first failing tree, this shows them all."""
    import tempfile

    os.environ.setdefault("RULESYNC_CACHE_DIR", tempfile.mkdtemp(prefix="rulesync-cache-"))
    failing = 0
    for seed in range(first_seed, first_seed + count):
        scenario = random_scenario(random.Random(seed))
        base = Path(tempfile.mkdtemp(prefix="hostile-"))
        try:
            problems = exercise(build(base, scenario), scenario).problems
        finally:
            shutil.rmtree(base, ignore_errors=True)
        if problems:
            failing += 1
            print(f"seed {seed}: {scenario}")
            for problem in problems:
                print(f"    {_short(problem, 400)}")
    print(f"{failing} of {count} trees broke a promise")
    return 1 if failing else 0


if __name__ == "__main__":  # python tests/hostile.py [COUNT [FIRST_SEED]]
    import sys

    raise SystemExit(survey(*(int(a) for a in sys.argv[1:3])) if sys.argv[1:] else survey(60))
