"""Issue 11: the safety promise holds against a hostile checkout.

A property test builds random hostile trees (symlinks in every position, lock entries with
`..`, absolute paths and links, broken locks, planted temp-file names, files for folders and
folders for files) and runs mirror, mirror --force, check, import, lint --fix and dispatch's
sync on each. Nothing outside the project may change, and no traceback may appear.

Below it, one explicit case per Severity-1 item of the issue, as the attacker wrote it.
The machinery is in tests/hostile.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import (
    BROKEN_LOCKS,
    LINK_DESTINATIONS,
    LINK_POSITIONS,
    LINK_STYLES,
    LOCK_CANARIES,
    LOCK_PATH_KINDS,
    SWAP_TO_DIR,
    SWAP_TO_FILE,
    TARGETS,
    TEMP_TARGETS,
    BrokenLock,
    Link,
    LockEntry,
    Mutation,
    Outcome,
    Scenario,
    Swap,
    TempPlant,
    Tree,
    build,
    differences,
    escape_problems,
    exercise,
    lock_entry_path,
    run_cli,
    run_sync,
    snapshot,
    source_snapshot,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# --- the property test --------------------------------------------------------------------

target_sets = st.lists(st.sampled_from(TARGETS), min_size=1, max_size=3, unique=True).map(
    lambda chosen: tuple(t for t in TARGETS if t in chosen)
)
links = st.builds(
    Link,
    st.sampled_from(LINK_POSITIONS),
    st.sampled_from(LINK_DESTINATIONS),
    st.sampled_from(LINK_STYLES),
)
lock_entries = st.builds(
    LockEntry,
    st.sampled_from(LOCK_PATH_KINDS),
    st.sampled_from(LOCK_CANARIES),
    st.booleans(),
    target_sets,
    st.booleans(),
    st.booleans(),
)
broken_locks = st.builds(BrokenLock, st.sampled_from(sorted(BROKEN_LOCKS)))
temp_plants = st.builds(
    TempPlant,
    st.sampled_from(TEMP_TARGETS),
    st.sampled_from(("keep.txt", "canary.md")),
    st.integers(0, 6),
    st.booleans(),
)
swaps = st.one_of(
    st.builds(Swap, st.sampled_from(SWAP_TO_FILE), st.just("file")),
    st.builds(Swap, st.sampled_from(SWAP_TO_DIR), st.just("dir")),
)
# one_of picks a branch uniformly: links and lock entries are the richest, so they come twice
mutations: st.SearchStrategy[Mutation] = st.one_of(
    links, links, lock_entries, lock_entries, temp_plants, swaps, broken_locks
)
scenarios = st.builds(
    Scenario,
    targets=target_sets,
    command=st.booleans(),
    skill=st.booleans(),
    subagent=st.booleans(),
    premirror=st.sampled_from((True, True, False)),
    later_targets=st.none() | target_sets,
    drop_sources=st.booleans(),
    mutations=st.lists(mutations, min_size=1, max_size=4).map(tuple),
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=scenarios)
def test_a_hostile_tree_changes_nothing_outside_and_gives_no_traceback(
    tmp_path_factory: pytest.TempPathFactory, scenario: Scenario
) -> None:
    base = tmp_path_factory.mktemp("hostile")
    try:
        tree = build(base, scenario)
        report = exercise(tree, scenario)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    assert not report.problems, "\n".join(report.problems)


# --- helpers of the explicit cases --------------------------------------------------------


def assert_kept(tree: Tree, before: dict[str, tuple[object, ...]], outcome: Outcome) -> None:
    """The outside folder is byte-identical and the run ended without a traceback."""
    assert differences(before, snapshot(tree.outside)) == [], outcome.describe()
    assert escape_problems(outcome) == []


def attack(tmp_path: Path, *mutations: Mutation, **fields: object) -> tuple[Tree, dict[str, tuple[object, ...]]]:
    tree = build(tmp_path, Scenario(mutations=mutations, **fields))
    return tree, snapshot(tree.outside)


# --- 1. mirror trusts the paths in the lock -----------------------------------------------


@pytest.mark.parametrize("path_kind", ["dotdot", "dotdot-far", "absolute", "through-link"])
def test_1_mirror_refuses_a_lock_entry_outside_the_project(tmp_path: Path, path_kind: str) -> None:
    entry = LockEntry(path_kind, "keep.txt", good_hash=True)
    tree, before = attack(tmp_path, entry)
    name, _ = lock_entry_path(tree, entry)
    outcome = run_cli(tree.root, "mirror")
    assert_kept(tree, before, outcome)
    assert outcome.code == 2, outcome.describe()
    assert name in outcome.stderr
    assert (tree.outside / "keep.txt").read_bytes().startswith(b"precious")


@pytest.mark.parametrize("path_kind", ["dotdot", "absolute"])
def test_1_mirror_force_does_not_delete_a_conflicting_lock_entry_outside(
    tmp_path: Path, path_kind: str
) -> None:
    tree, before = attack(tmp_path, LockEntry(path_kind, "keep.txt", good_hash=False))
    outcome = run_cli(tree.root, "mirror", "--force")
    assert_kept(tree, before, outcome)
    assert outcome.code == 2, outcome.describe()


@pytest.mark.parametrize("path_kind", ["dotdot", "absolute"])
def test_1_dispatch_sync_does_not_delete_a_lock_entry_outside(tmp_path: Path, path_kind: str) -> None:
    tree, before = attack(tmp_path, LockEntry(path_kind, "keep.txt", good_hash=True))
    outcome = run_sync(tree.root, "claude")
    assert_kept(tree, before, outcome)
    assert outcome.code == 2, f"sync_target did not refuse the lock: {outcome.describe()}"


def test_1_in_a_real_process_the_refusal_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    tree, before = attack(tmp_path, LockEntry("dotdot", "keep.txt", good_hash=True))
    done = subprocess.run(
        [sys.executable, "-m", "rulesync", "mirror"],
        cwd=tree.root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert differences(before, snapshot(tree.outside)) == []
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr


# --- 2. orphan removal follows a folder symlink out of the project ------------------------


@pytest.mark.parametrize("force", [False, True])
def test_2_orphan_removal_does_not_follow_an_output_folder_link(tmp_path: Path, force: bool) -> None:
    # .claude/commands -> ../../outside/commands, claude dropped from the targets; the lock
    # holds the outside file's own hash (or, with --force, any hash at all)
    entry = LockEntry("through-output-folder", good_hash=not force, targets=("claude",))
    tree, before = attack(tmp_path, entry, later_targets=("gemini", "codex"))
    assert os.path.islink(tree.root / ".claude/commands")
    outcome = run_cli(tree.root, "mirror", *(["--force"] if force else []))
    assert_kept(tree, before, outcome)
    assert (tree.outside / "commands/triage.md").read_bytes() == b"outside triage\n"


# --- 3. temp files with predictable names -------------------------------------------------


@pytest.mark.parametrize("output", ["CLAUDE.md", ".rulesync/mirror.lock", ".claude/commands/triage.md"])
def test_3_planted_temp_file_links_are_not_written_through(tmp_path: Path, output: str) -> None:
    plant = TempPlant(output, "keep.txt", spread=20)
    tree, before = attack(tmp_path, plant, premirror=False)
    outcome = run_cli(tree.root, "mirror")
    assert_kept(tree, before, outcome)
    assert not os.path.islink(tree.root / output)
    if outcome.code == 0:
        check = run_cli(tree.root, "check")
        assert check.code == 0, check.describe()


def test_3_check_reports_an_output_that_is_a_symlink(tmp_path: Path) -> None:
    # What the temp-file attack leaves behind: CLAUDE.md a link to a file with its content.
    tree = build(tmp_path, Scenario())
    rendered = tree.outside / "rendered.md"
    rendered.write_bytes((tree.root / "CLAUDE.md").read_bytes())
    (tree.root / "CLAUDE.md").unlink()
    os.symlink(rendered, tree.root / "CLAUDE.md")
    before = snapshot(tree.outside)
    outcome = run_cli(tree.root, "check")
    assert_kept(tree, before, outcome)
    assert outcome.code != 0, "check says in sync with CLAUDE.md a symlink"
    assert "CLAUDE.md" in outcome.stdout + outcome.stderr


# --- 4. a .rulesync that is a symlink to an outside folder --------------------------------


@pytest.mark.parametrize("destination", ["outside:src", "outside:commands"])
@pytest.mark.parametrize("style", ["relative", "absolute"])
@pytest.mark.parametrize(
    "command", [("mirror",), ("mirror", "--force"), ("check",), ("import", "--from", "claude")]
)
def test_4_a_source_folder_outside_the_project_is_refused(
    tmp_path: Path, destination: str, style: str, command: tuple[str, ...]
) -> None:
    # outside/src is a valid source; outside/commands is a folder with no rules in it
    tree, before = attack(tmp_path, Link(".rulesync", destination, style))
    outcome = run_cli(tree.root, *command)
    assert_kept(tree, before, outcome)
    assert outcome.code == 2, outcome.describe()
    assert ".rulesync" in outcome.stderr


def test_4_dispatch_sync_refuses_a_source_folder_outside(tmp_path: Path) -> None:
    tree, before = attack(tmp_path, Link(".rulesync", "outside:src"), premirror=False)
    outcome = run_sync(tree.root, "claude")
    assert_kept(tree, before, outcome)
    assert outcome.code == 2, outcome.describe()


# --- 5. lint --fix through a file symlink -------------------------------------------------


@pytest.mark.parametrize("style", ["relative", "absolute", "hop"])
@pytest.mark.parametrize("given", ["docs/notes.md", "docs"])
def test_5_lint_fix_does_not_rewrite_a_file_outside(tmp_path: Path, style: str, given: str) -> None:
    tree, before = attack(tmp_path, Link("docs/notes.md", "outside:canary.md", style))
    outcome = run_cli(tree.root, "lint", "--fix", given)
    assert_kept(tree, before, outcome)
    assert outcome.code in (1, 2), outcome.describe()
    assert "docs/notes.md" in outcome.stdout + outcome.stderr  # the link is reported


# --- 6. an output folder that links back into the source ----------------------------------


@pytest.mark.parametrize("command", [("mirror",), ("mirror", "--force")])
def test_6_an_output_folder_linked_into_the_source_is_refused(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    tree, before = attack(tmp_path, Link(".claude/commands", "inside:.rulesync/commands"))
    source = source_snapshot(tree.root)
    outcome = run_cli(tree.root, *command)
    assert_kept(tree, before, outcome)
    assert source_snapshot(tree.root) == source, "the source was overwritten"
    assert (tree.root / ".rulesync/commands/triage.md").read_text().startswith("---\ndescription")
    assert outcome.code != 0, outcome.describe()


def test_6_an_output_folder_linked_onto_another_output_is_refused(tmp_path: Path) -> None:
    # claude and codex both render .../skills/myskill/: one folder must not serve both
    link = Link(".agents/skills", "inside:.claude/skills")
    tree, before = attack(tmp_path, link, targets=("claude", "codex"), premirror=False)
    os.makedirs(tree.root / ".claude/skills", exist_ok=True)
    outcome = run_cli(tree.root, "mirror", "--force")
    assert_kept(tree, before, outcome)
    assert outcome.code != 0, outcome.describe()


# --- beyond the six: a FIFO where an output belongs must not hang a run -------------------


@pytest.mark.parametrize("command", [("check",), ("mirror",)])
def test_a_fifo_at_an_output_path_does_not_hang(tmp_path: Path, command: tuple[str, ...]) -> None:
    tree = build(tmp_path, Scenario())
    (tree.root / "CLAUDE.md").unlink()
    os.mkfifo(tree.root / "CLAUDE.md")
    before = snapshot(tree.outside)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "rulesync", *command],
            cwd=tree.root,
            capture_output=True,
            text=True,
            timeout=10,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"rulesync {' '.join(command)} hangs on a FIFO at CLAUDE.md")
    assert differences(before, snapshot(tree.outside)) == []
    assert done.returncode in (1, 2), done.stderr
    assert "Traceback" not in done.stderr
