"""The safety promise against a hostile checkout (issue 11): hostile lock entries, symlinks in
every position, planted temp names, a source folder that leaves the project, and OS errors.

Each test hashes a folder outside the project before and after, and asserts it is unchanged.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from treestate import tree_state as snapshot

import rulesync.sync.writer  # noqa: F401  (before a test patches os.rename)
from rulesync.errors import ConfigError, RulesyncError

BASE = {
    "rulesync.yaml": "targets: [claude, gemini]\n",
    ".rulesync/rules/main.md": "---\nroot: true\n---\n# Main\n\nBe brief.\n",
    ".rulesync/commands/fix.md": "---\ndescription: Fix it\n---\nFix $ARGUMENTS now.\n",
    ".rulesync/commands/ship.md": "---\ndescription: Ship it\n---\nShip it.\n",
}
LOCK = ".rulesync/mirror.lock"


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Path]:
    """A folder beside the project, with files worth stealing; unchanged after every test."""
    folder = tmp_path / "outside"
    (folder / "deep").mkdir(parents=True)
    (folder / "keep.txt").write_text("keep me\n")
    (folder / "deep/notes.md").write_text("mine\n")
    (folder / "fix.md").write_text("an outside file named like an output\n")
    before = snapshot(folder)
    yield folder
    assert snapshot(folder) == before, "a file outside the project changed"


@pytest.fixture
def project(build_tree, run_cli) -> Path:
    root = build_tree(BASE)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    return root


def _lock(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / LOCK).read_text())
    return data


def _add_lock_entry(root: Path, path: str, content: bytes, *, merged: bool = False) -> None:
    data = _lock(root)
    sha = hashlib.sha256(content).hexdigest()
    block = data["merged" if merged else "files"]
    assert isinstance(block, dict)
    block[path] = sha if merged else {"sha256": sha, "source": "x", "targets": ["claude"]}
    (root / LOCK).write_text(json.dumps(data))


def bait(tmp_path: Path) -> Path:
    """A second outside folder a test fills itself (the `outside` fixture is sealed)."""
    folder = tmp_path / "bait"
    folder.mkdir()
    return folder


def _refused(result, *names: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for name in names:
        assert name in result.stderr, result.stderr


# --- 1. paths read from the lock ------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("how", ["relative", "absolute"])
def test_a_lock_entry_outside_the_project_is_an_error_and_nothing_is_removed(
    project: Path, outside: Path, run_cli, how: str, force: bool
) -> None:
    keep = outside / "keep.txt"
    entry = "../outside/keep.txt" if how == "relative" else str(keep)
    # with --force, a wrong hash (a conflict) must not let it through either
    _add_lock_entry(project, entry, keep.read_bytes() if not force else b"other")
    (project / ".rulesync/commands/ship.md").unlink()  # so mirror has something to do
    inside = snapshot(project)
    result = run_cli("-C", project, "mirror", *(["--force"] if force else []))
    _refused(result, f"lock entry `{entry}`", ".rulesync/mirror.lock")
    assert snapshot(project) == inside  # nothing written, nothing removed


def test_check_refuses_a_hostile_lock_entry(project: Path, outside: Path, run_cli) -> None:
    _add_lock_entry(project, "../outside/keep.txt", (outside / "keep.txt").read_bytes())
    result = run_cli("-C", project, "check")
    _refused(result, "lock entry `../outside/keep.txt`", "mirror.lock")


def test_dispatch_sync_refuses_a_hostile_lock_entry(project: Path, outside: Path) -> None:
    from rulesync.api import sync_target

    _add_lock_entry(project, "../outside/keep.txt", (outside / "keep.txt").read_bytes())
    (project / ".rulesync/commands/ship.md").unlink()
    inside = snapshot(project)
    with pytest.raises(ConfigError) as caught:
        sync_target(project, "claude", write=True)
    assert "lock entry `../outside/keep.txt`" in str(caught.value)
    assert snapshot(project) == inside


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("a/../../outside/keep.txt", "not a plain relative path"),
        ("./CLAUDE.md", "not a plain relative path"),
        (".claude//commands/fix.md", "not a plain relative path"),
        (".claude\\commands\\fix.md", "backslash"),
        ("CLAUDE.md\0x", "NUL"),
        ("", "is empty"),
        (".rulesync/commands/fix.md", "source folder"),
    ],
)
@pytest.mark.parametrize("merged", [False, True])
def test_every_malformed_lock_path_is_refused(
    project: Path, outside: Path, run_cli, entry: str, why: str, merged: bool
) -> None:
    _add_lock_entry(project, entry, b"x", merged=merged)
    inside = snapshot(project)
    for command in (["mirror"], ["mirror", "--force"], ["check"]):
        result = run_cli("-C", project, *command)
        _refused(result, "lock entry", why, "mirror.lock")
    assert snapshot(project) == inside


def test_a_lock_entry_can_never_remove_a_source_file(project: Path, outside: Path, run_cli) -> None:
    source = project / ".rulesync/commands/fix.md"
    _add_lock_entry(project, ".rulesync/commands/fix.md", source.read_bytes())
    result = run_cli("-C", project, "mirror", "--force")
    _refused(result, "lies in the source folder .rulesync")
    assert source.is_file()


# --- 2. orphan removal and folder symlinks --------------------------------------------


def test_orphans_in_a_folder_linked_outside_are_never_removed(
    project: Path, outside: Path, run_cli, tmp_path: Path
) -> None:
    """The issue's case: `.claude/commands` -> outside, then claude dropped from targets."""
    outside = bait(tmp_path)  # holds the very bytes the lock records
    commands = project / ".claude/commands"
    for name in os.listdir(commands):
        (outside / name).write_bytes((commands / name).read_bytes())
    outside_now = snapshot(outside)
    for name in os.listdir(commands):
        (commands / name).unlink()
    commands.rmdir()
    commands.symlink_to(outside)
    (project / "rulesync.yaml").write_text("targets: [gemini]\n")
    inside = snapshot(project)
    for command in (["mirror"], ["mirror", "--force"], ["check"]):
        result = run_cli("-C", project, *command)
        _refused(result, "lock entry `.claude/commands/fix.md`", "symlink .claude/commands")
    assert snapshot(outside) == outside_now
    assert snapshot(project) == inside


def test_remove_checks_every_folder_again_at_delete_time(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    """Even if the plan was made before a folder became a link, the delete does not follow it."""
    from rulesync.sync.writer import remove

    outside = bait(tmp_path)
    (outside / "deep").mkdir()
    (outside / "deep/fix.md").write_text("not ours\n")
    before = snapshot(outside)
    commands = project / ".claude/commands"
    for name in os.listdir(commands):
        (commands / name).unlink()
    commands.rmdir()
    commands.symlink_to(outside / "deep")
    with pytest.raises(RulesyncError, match="no longer a real folder"):
        remove(project, ".claude/commands/fix.md")
    assert snapshot(outside) == before


def test_remove_leaves_a_symlink_and_does_not_climb_through_links(
    project: Path, outside: Path
) -> None:
    from rulesync.sync.writer import remove

    (project / ".claude/commands/fix.md").unlink()
    (project / ".claude/commands/fix.md").symlink_to(outside / "fix.md")
    remove(project, ".claude/commands/fix.md")
    assert (project / ".claude/commands/fix.md").is_symlink()
    remove(project, ".claude/commands/ship.md")
    assert not (project / ".claude/commands/ship.md").exists()
    assert (project / ".claude/commands").is_dir()  # not empty: the link is still there


def test_a_locked_path_that_became_a_symlink_is_left_alone(
    project: Path, outside: Path, run_cli, tmp_path: Path
) -> None:
    outside = bait(tmp_path)
    fix = project / ".claude/commands/fix.md"
    (outside / "fix.md").write_bytes(fix.read_bytes())  # same bytes: the hash would match
    outside_now = snapshot(outside)
    fix.unlink()
    fix.symlink_to(outside / "fix.md")
    (project / "rulesync.yaml").write_text("targets: [gemini]\n")
    result = run_cli("-C", project, "mirror")
    assert result.exit_code == 0, result.stderr
    assert ".claude/commands/fix.md: is a symlink" in result.stderr
    assert "left alone" in result.stderr
    assert fix.is_symlink()
    assert snapshot(outside) == outside_now
    assert ".claude/commands/fix.md" not in _lock(project)["files"]  # type: ignore[operator]


def test_orphans_of_a_dropped_target_say_the_target_was_dropped(
    project: Path, outside: Path, run_cli
) -> None:
    (project / "rulesync.yaml").write_text("targets: [claude]\n")
    check = run_cli("-C", project, "check")
    assert check.exit_code == 1
    assert (
        "orphan       .gemini/commands/fix.toml  (target gemini was dropped from rulesync.yaml)"
        in check.stdout
    )
    result = run_cli("-C", project, "mirror")
    assert result.exit_code == 0
    assert (
        "remove          .gemini/commands/fix.toml  (target gemini was dropped from rulesync.yaml)"
        in result.stdout
    )
    assert "is gone" not in result.stdout
    assert not (project / ".gemini").exists()


# --- 3. temporary files ---------------------------------------------------------------


def test_planted_temp_name_symlinks_are_never_written_through(
    project: Path, outside: Path, run_cli
) -> None:
    """The issue's case: links named `.CLAUDE.md.rulesync-<pid>.tmp` for the next PIDs."""
    pid = os.getpid()
    for candidate in range(max(1, pid - 50), pid + 300):
        (project / f".CLAUDE.md.rulesync-{candidate}.tmp").symlink_to(outside / "keep.txt")
    (project / ".rulesync/rules/main.md").write_text("---\nroot: true\n---\n# Main\n\nNew.\n")
    result = run_cli("-C", project, "mirror")
    assert result.exit_code == 0, result.stderr
    claude = project / "CLAUDE.md"
    assert not claude.is_symlink() and "New." in claude.read_text()
    assert run_cli("-C", project, "check").exit_code == 0
    assert (project / f".CLAUDE.md.rulesync-{pid}.tmp").is_symlink()  # not ours: kept


def test_temp_names_are_unpredictable_and_of_the_fixed_pattern(
    project: Path, outside: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: list[str] = []
    real_rename = os.rename

    def spy(source: str, target: str, **dir_fds: int) -> None:  # the writer renames in a folder fd
        renamed.append(os.path.basename(os.fspath(source)))
        real_rename(source, target, **dir_fds)

    monkeypatch.setattr(os, "rename", spy)
    (project / CLAUDE_RULE).write_text("---\nroot: true\n---\n# Main\n\nOne.\n")
    run_cli("-C", project, "mirror")
    (project / CLAUDE_RULE).write_text("---\nroot: true\n---\n# Main\n\nTwo.\n")
    run_cli("-C", project, "mirror")
    claude = [name for name in renamed if name.startswith(".CLAUDE.md.")]
    assert len(claude) == 2 and claude[0] != claude[1]
    for name in claude:
        assert re.fullmatch(r"\.CLAUDE\.md\.rulesync-[0-9a-f]{8}\.tmp", name), name
        assert str(os.getpid()) not in name


CLAUDE_RULE = ".rulesync/rules/main.md"


def test_a_read_only_output_keeps_its_mode(project: Path, outside: Path, run_cli) -> None:
    claude = project / "CLAUDE.md"
    claude.chmod(0o444)
    fix = project / ".claude/commands/fix.md"
    fix.chmod(0o600)
    (project / CLAUDE_RULE).write_text("---\nroot: true\n---\n# Main\n\nChanged.\n")
    (project / ".rulesync/commands/fix.md").write_text("Fix $ARGUMENTS later.\n")
    result = run_cli("-C", project, "mirror")
    assert result.exit_code == 0, result.stderr
    assert "Changed." in claude.read_text()
    assert stat.S_IMODE(claude.stat().st_mode) == 0o444
    assert stat.S_IMODE(fix.stat().st_mode) == 0o600


def test_stale_temp_files_of_rulesync_are_cleaned_and_only_those(
    project: Path, outside: Path, run_cli
) -> None:
    old = time.time() - 3600
    commands = project / ".claude/commands"
    stale = [
        commands / ".fix.md.rulesync-0123abcd.tmp",
        project / ".CLAUDE.md.rulesync-4242.tmp",  # the name older versions used
        project / ".rulesync/.mirror.lock.rulesync-deadbeef.tmp",
    ]
    kept = [
        commands / ".fix.md.rulesync-0123abce.tmp",  # young: maybe a run in progress
        commands / ".fix.md.rulesync-xyz.tmp",  # not our pattern
        commands / "fix.md.rulesync-0123abcd.tmp",  # no leading dot
        project / "docs/.a.md.rulesync-0123abcd.tmp",  # not a folder rulesync writes in
    ]
    for path in stale + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half a file")
        if path.name != ".fix.md.rulesync-0123abce.tmp":
            os.utime(path, (old, old))
    link = commands / ".ship.md.rulesync-00000000.tmp"
    link.symlink_to(outside / "keep.txt")
    os.utime(link, (old, old), follow_symlinks=False)
    (project / CLAUDE_RULE).write_text("---\nroot: true\n---\n# Main\n\nAgain.\n")
    result = run_cli("-C", project, "mirror")
    assert result.exit_code == 0, result.stderr
    assert [p for p in stale if os.path.lexists(p)] == []
    assert [p for p in kept if not p.exists()] == []
    assert link.is_symlink()


# --- check and symlinked outputs ------------------------------------------------------


def test_an_output_that_is_a_symlink_is_drift_never_in_sync(
    project: Path, outside: Path, run_cli, tmp_path: Path
) -> None:
    """Even with the very bytes mirror wrote behind the link (the lock's fast path)."""
    outside = bait(tmp_path)
    claude = project / "CLAUDE.md"
    (outside / "CLAUDE.md").write_bytes(claude.read_bytes())
    outside_now = snapshot(outside)
    claude.unlink()
    claude.symlink_to(outside / "CLAUDE.md")
    result = run_cli("-C", project, "check")
    assert result.exit_code == 1
    assert "CLAUDE.md  (is a symlink (to " in result.stdout
    assert "rulesync writes regular files" in result.stdout
    assert "in sync" not in result.stdout
    report = json.loads(run_cli("-C", project, "check", "--format", "json").stdout)
    entry = next(f for f in report["files"] if f["path"] == "CLAUDE.md")
    assert entry["status"] == "hand-edited" and "symlink" in entry["reason"]
    for command in (["mirror"], ["mirror", "--force"]):
        refused = run_cli("-C", project, *command)
        _refused(refused, "CLAUDE.md: is a symlink", "move it away")
    assert claude.is_symlink()
    assert snapshot(outside) == outside_now


# --- 4. a source folder that leaves the project ---------------------------------------


def test_a_source_folder_linked_outside_is_refused_before_anything(
    build_tree, outside: Path, run_cli, tmp_path: Path
) -> None:
    real = tmp_path / "elsewhere-rules"
    (real / "rules").mkdir(parents=True)
    (real / "rules/main.md").write_text("---\nroot: true\n---\n# Main\n")
    elsewhere = snapshot(real)
    root = build_tree({"rulesync.yaml": "targets: [claude]\n"})
    (root / ".rulesync").symlink_to(real)
    inside = snapshot(root)
    for command in (["mirror"], ["mirror", "--force"], ["check"]):
        result = run_cli("-C", root, *command)
        _refused(result, ".rulesync: the source folder leads outside the project")
    assert snapshot(real) == elsewhere  # no lock written there
    assert snapshot(root) == inside
    from rulesync.api import rules_text

    with pytest.raises(RulesyncError, match="outside the project"):
        rules_text(root)


def test_a_source_folder_linked_inside_the_project_still_works(
    build_tree, outside: Path, run_cli
) -> None:
    root = build_tree({**{k.replace(".rulesync/", "src/"): v for k, v in BASE.items()}})
    (root / ".rulesync").symlink_to("src")
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / "src/mirror.lock").is_file()
    assert run_cli("-C", root, "check").exit_code == 0


def test_a_source_folder_linked_to_an_output_folder_is_refused(
    build_tree, outside: Path, run_cli
) -> None:
    root = build_tree({**{k.replace(".rulesync/", ".claude/"): v for k, v in BASE.items()}})
    (root / ".rulesync").symlink_to(".claude")
    inside = snapshot(root)
    result = run_cli("-C", root, "mirror", "--force")
    _refused(result, "lies in the source folder .claude")
    assert snapshot(root) == inside


# --- 6. output folders linked into the source or onto another output --------------------


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (".claude/commands", "../.rulesync/commands"),  # the case: into the source
        (".gemini", ".claude"),  # inside the project, onto another agent's folder
        (".claude/commands", "../outside-of-nothing"),  # dangling
    ],
)
def test_output_folders_that_are_symlinks_are_refused(
    project: Path, outside: Path, run_cli, link: str, target: str
) -> None:
    folder = project / link
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    folder.rmdir()
    folder.symlink_to(target)
    (project / ".rulesync/commands/fix.md").write_text("Fix $ARGUMENTS differently.\n")
    inside = snapshot(project)
    for command in (["mirror", "--force"], ["check"]):
        result = run_cli("-C", project, *command)
        _refused(result, f"would go through the symlink {link}", "real folder")
    assert snapshot(project) == inside


# --- 10. OS errors: exit 2, the file and the fix; the lock agrees with the disk -------------


def test_a_directory_where_an_output_goes(build_tree, outside: Path, run_cli) -> None:
    root = build_tree(BASE)
    (root / "CLAUDE.md").mkdir()
    inside = snapshot(root)
    result = run_cli("-C", root, "mirror", "--force")
    _refused(result, "CLAUDE.md: is a directory", "move it away")
    assert snapshot(root) == inside  # nothing else written, no lock
    check = run_cli("-C", root, "check")
    assert check.exit_code == 1
    assert "CLAUDE.md  (is a directory; rulesync writes regular files)" in check.stdout
    assert "Move CLAUDE.md away" in check.stdout


def test_a_file_where_an_output_folder_goes(build_tree, outside: Path, run_cli) -> None:
    root = build_tree({**BASE, ".claude": "not a folder\n"})
    inside = snapshot(root)
    for command in (["mirror"], ["check"]):
        result = run_cli("-C", root, *command)
        _refused(result, "needs a folder at .claude, but a file is there", "move the file away")
    assert snapshot(root) == inside


def test_a_lock_that_is_a_directory(build_tree, outside: Path, run_cli) -> None:
    root = build_tree(BASE)
    (root / LOCK).mkdir()
    inside = snapshot(root)
    for command in (["mirror"], ["check"]):
        result = run_cli("-C", root, *command)
        _refused(result, ".rulesync/mirror.lock: the lock file is a directory")
    assert snapshot(root) == inside


def test_a_lock_that_is_a_symlink(build_tree, outside: Path, run_cli) -> None:
    root = build_tree(BASE)
    (root / LOCK).symlink_to(outside / "keep.txt")
    result = run_cli("-C", root, "mirror")
    _refused(result, "the lock file is a symlink")


def test_a_name_too_long_for_one_output_writes_nothing(build_tree, outside: Path, run_cli) -> None:
    """251 characters + `.md` is a valid source name; + `.toml` is one byte too long."""
    name = "n" * 251
    root = build_tree({**BASE, f".rulesync/commands/{name}.md": "Long.\n"})
    inside = snapshot(root)
    result = run_cli("-C", root, "mirror")
    _refused(result, name)
    assert snapshot(root) == inside


def test_a_long_name_that_fits_gets_a_temp_name_that_fits(
    build_tree, outside: Path, run_cli
) -> None:
    # The longest name the source may have: `<name>.toml` is 231 bytes, and its temp file
    # `.<name>.toml.rulesync-XXXXXXXX.tmp` exactly the 255 that the file system allows.
    name = "n" * 226
    root = build_tree({**BASE, f".rulesync/commands/{name}.md": "Long.\n"})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert (root / f".gemini/commands/{name}.toml").is_file()
    assert run_cli("-C", root, "check").exit_code == 0


Failing = Callable[[str], bool]


def _fail_replace_after(
    monkeypatch: pytest.MonkeyPatch, count: int, code: int, when: Failing = lambda _: True
) -> None:
    real_rename = os.rename
    calls = {"n": 0}

    def failing(source: str, target: str, **dir_fds: int) -> None:  # renames in a folder fd
        if when(os.fspath(target)):
            calls["n"] += 1
            if calls["n"] > count:
                raise OSError(code, os.strerror(code), os.fspath(target))
        real_rename(source, target, **dir_fds)

    monkeypatch.setattr(os, "rename", failing)


def _lock_agrees_with_disk(root: Path) -> None:
    data = _lock(root)
    files = data["files"]
    assert isinstance(files, dict)
    for path, entry in files.items():
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == entry["sha256"], path


@pytest.mark.parametrize(
    ("code", "fix"),
    [
        (errno.ENOSPC, "free some disk space"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permissions"),
        (errno.EPERM, "immutable"),
    ],
)
def test_a_failure_mid_way_leaves_the_lock_agreeing_with_the_disk(
    project: Path, outside: Path, run_cli, monkeypatch: pytest.MonkeyPatch, code: int, fix: str
) -> None:
    for name in ("fix", "ship"):
        (project / f".rulesync/commands/{name}.md").write_text(f"{name} $ARGUMENTS anew.\n")
    (project / CLAUDE_RULE).write_text("---\nroot: true\n---\n# Main\n\nAnew.\n")
    _fail_replace_after(monkeypatch, 2, code, lambda target: "mirror.lock" not in target)
    result = run_cli("-C", project, "mirror")
    _refused(result, os.strerror(code), fix, "2 of 6 changes were made, and the lock records them")
    _lock_agrees_with_disk(project)
    monkeypatch.undo()
    assert run_cli("-C", project, "mirror").exit_code == 0
    assert run_cli("-C", project, "check").exit_code == 0


def test_a_full_disk_while_writing_a_file(
    project: Path, outside: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd to tell the temp files apart")
    real_write = os.write

    def full(descriptor: int, data: bytes) -> int:
        """The disk is full for rulesync's temp files (the writer writes them with os.write)."""
        if ".rulesync-" in os.readlink(f"/proc/self/fd/{descriptor}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    (project / CLAUDE_RULE).write_text("---\nroot: true\n---\n# Main\n\nFull.\n")
    before = snapshot(project)
    monkeypatch.setattr(os, "write", full)
    result = run_cli("-C", project, "mirror")
    _refused(result, "No space left on device", "free some disk space")
    assert snapshot(project) == before  # no temp file left, nothing replaced


def test_the_lock_failing_too_is_reported_not_raised(
    project: Path, outside: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / CLAUDE_RULE).write_text("---\nroot: true\n---\n# Main\n\nLast.\n")
    (project / ".rulesync/commands/fix.md").write_text("Fix $ARGUMENTS last.\n")
    _fail_replace_after(monkeypatch, 1, errno.ENOSPC)
    result = run_cli("-C", project, "mirror")
    _refused(result, "No space left on device", "the lock could not be updated either")


# --- random hostile trees ---------------------------------------------------------------

LINK_PLACES = (
    ".claude",
    ".claude/commands",
    ".claude/commands/fix.md",
    "CLAUDE.md",
    "GEMINI.md",
    ".gemini/commands",
    ".rulesync/mirror.lock",
    ".CLAUDE.md.rulesync-{pid}.tmp",
    ".claude/commands/.fix.md.rulesync-{pid}.tmp",
)
LINK_TARGETS = ("{outside}", "{outside}/keep.txt", "../outside", ".rulesync", "nowhere")
LOCK_PATHS = (
    "../outside/keep.txt",
    "{outside}/keep.txt",
    "a/../../outside/keep.txt",
    ".claude/../../outside/keep.txt",
    ".rulesync/rules/main.md",
    ".claude/commands/fix.md",
    "CLAUDE.md",
    "./CLAUDE.md",
)


def _hostile_tree(root: Path, outside: Path, links, entries, targets) -> None:
    pid = os.getpid()
    for place, target in links:
        path = root / place.format(pid=pid)
        if any(p.is_symlink() or p.is_file() for p in path.parents if root in p.parents):
            continue  # the fixture itself must not write through a link it made
        if os.path.lexists(path) and not path.is_symlink():
            if path.is_dir():
                for child in sorted(path.rglob("*"), reverse=True):
                    child.unlink() if not child.is_dir() or child.is_symlink() else child.rmdir()
                path.rmdir()
            else:
                path.unlink()
        if not os.path.lexists(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(target.format(outside=outside))
    lock = root / LOCK
    if entries and lock.is_file() and not lock.is_symlink():
        data = json.loads(lock.read_text())
        for entry, merged in entries:
            sha = hashlib.sha256((outside / "keep.txt").read_bytes()).hexdigest()
            value = {"sha256": sha, "source": "x", "targets": ["claude"]}
            data["merged" if merged else "files"][entry.format(outside=outside)] = (
                sha if merged else value
            )
        lock.write_text(json.dumps(data))
    (root / "rulesync.yaml").write_text(f"targets: [{', '.join(targets)}]\n")


def test_random_hostile_trees_change_nothing_outside(run_cli) -> None:
    import shutil
    import tempfile

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from rulesync.api import sync_target

    places = st.lists(
        st.tuples(st.sampled_from(LINK_PLACES), st.sampled_from(LINK_TARGETS)),
        max_size=3,
        unique_by=lambda pair: pair[0],
    )
    entries = st.lists(st.tuples(st.sampled_from(LOCK_PATHS), st.booleans()), max_size=2)
    chosen = st.lists(st.sampled_from(["claude", "gemini"]), min_size=1, max_size=2, unique=True)

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(places, entries, chosen)
    def run(links, lock_entries, targets) -> None:
        work = Path(tempfile.mkdtemp(prefix="rulesync-hostile-"))
        try:
            outside = work / "outside"
            (outside / "deep").mkdir(parents=True)
            (outside / "keep.txt").write_text("keep me\n")
            root = work / "project"
            for rel, text in BASE.items():
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_text(text)
            assert run_cli("-C", root, "mirror").exit_code == 0
            _hostile_tree(root, outside, links, lock_entries, targets)
            before = snapshot(outside)
            for command in (["mirror"], ["mirror", "--force"], ["check"]):
                result = run_cli("-C", root, *command)
                assert result.exit_code in (0, 1, 2), result
                assert "Traceback" not in result.stderr
            for target in targets:
                with contextlib.suppress(RulesyncError):
                    sync_target(root, target, write=True)
            assert snapshot(outside) == before
        finally:
            shutil.rmtree(work)

    run()


def test_an_interrupt_mid_way_leaves_the_lock_agreeing_with_the_disk(
    project: Path, outside: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("fix", "ship"):
        (project / f".rulesync/commands/{name}.md").write_text(f"{name} $ARGUMENTS later.\n")
    real_rename = os.rename
    calls = {"n": 0}

    def interrupted(source: str, target: str, **dir_fds: int) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real_rename(source, target, **dir_fds)

    monkeypatch.setattr(os, "rename", interrupted)
    result = run_cli("-C", project, "mirror")
    assert result.exit_code == 130
    _lock_agrees_with_disk(project)
    assert not list(project.rglob("*.rulesync-*.tmp"))  # its own temp file is gone
    monkeypatch.undo()
    assert run_cli("-C", project, "mirror").exit_code == 0
    assert run_cli("-C", project, "check").exit_code == 0


def test_a_read_only_folder_is_found_before_the_first_write(
    project: Path, outside: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, who may write anywhere: os.access stands in for a chmod 555 folder."""
    read_only = str(project / ".gemini/commands")
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode, **kw: os.fspath(path) != read_only and real_access(path, mode, **kw),
    )
    for name in ("fix", "ship"):
        (project / f".rulesync/commands/{name}.md").write_text(f"{name} $ARGUMENTS anew.\n")
    inside = snapshot(project)
    result = run_cli("-C", project, "mirror")
    _refused(result, "the folder .gemini/commands is not writable", "chmod u+w")
    assert result.stderr.count("not writable") == 1  # once, not once per file
    assert snapshot(project) == inside


def test_the_dispatch_command_refuses_a_hostile_lock_entry(
    project: Path, outside: Path, run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dispatch.conftest import KEY_VARIABLES, install_fakes

    install_fakes(tmp_path / "bin")
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_RECORD_DIR", str(tmp_path / "records"))
    monkeypatch.setenv("RULESYNC_STATE_DIR", str(tmp_path / "state"))
    _add_lock_entry(project, "../outside/keep.txt", (outside / "keep.txt").read_bytes())
    (project / ".rulesync/commands/ship.md").unlink()
    inside = snapshot(project)
    result = run_cli("-C", project, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 2, result.stderr
    assert "lock entry `../outside/keep.txt`" in result.stderr
    assert not (tmp_path / "records/claude.json").exists()  # the vendor never ran
    assert snapshot(project) == inside


def test_a_lock_entry_with_a_folder_name_too_long_is_refused(
    project: Path, outside: Path, run_cli
) -> None:
    entry = f"{'d' * 300}/x.md"
    _add_lock_entry(project, entry, b"x")
    result = run_cli("-C", project, "check")
    _refused(result, "mirror.lock", "cannot be checked", "File name too long")
