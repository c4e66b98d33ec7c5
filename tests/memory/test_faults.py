"""Twenty writers at once, and SIGKILL in the middle of a write."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.memory.conftest import MemoryEnv

WRITERS = 20


def cli(env: MemoryEnv, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "rulesync", "-C", str(env.project), "memory", *args]
    return subprocess.Popen(
        command, env=env.environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_twenty_writers_lose_nothing_and_never_see_a_locked_database(
    memory_env: MemoryEnv,
) -> None:
    writers = [
        cli(
            memory_env,
            "add",
            "-c",
            "project",
            "-t",
            f"Fact {n}",
            "-d",
            f"Größe {n}",
            "--agent",
            f"a{n}",
        )
        for n in range(WRITERS)
    ]
    readers = [cli(memory_env, "search", "groesse") for _ in range(5)]
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in writers + readers]
    for code, _out, err in outcomes:
        assert code == 0, err
        assert "locked" not in err
    listed = subprocess.run(
        [sys.executable, "-m", "rulesync", "-C", str(memory_env.project), "memory", "list", "--json"],
        env=memory_env.environ, capture_output=True, text=True, check=True,
    )  # fmt: skip
    ids = sorted(row["id"] for row in json.loads(listed.stdout))
    assert ids == sorted(f"fact-{n}" for n in range(WRITERS))
    folder = memory_env.store().layout.project_dir
    memory_md = (folder / "MEMORY.md").read_text()
    assert all(f"(fact-{n}.md)" in memory_md for n in range(WRITERS))
    assert sorted(p.name for p in folder.glob("fact-*.md")) == sorted(f"{i}.md" for i in ids)


KILL_BEFORE_RENAME = """
    import os, signal, sys
    from pathlib import Path
    from rulesync.memory import files
    from rulesync.memory.store import open_store

    files.before_rename = lambda: os.kill(os.getpid(), signal.SIGKILL)
    open_store(Path(sys.argv[1])).edit("status", description="the new status")
"""

KILL_AFTER_RENAME = """
    import os, signal, sys
    from pathlib import Path
    from rulesync.memory.store import Store, open_store

    Store._after_write = lambda self, keys: os.kill(os.getpid(), signal.SIGKILL)
    open_store(Path(sys.argv[1])).edit("status", description="the new status")
"""


def run_killed(env: MemoryEnv, script: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), str(env.project)],
        env=env.environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr


def test_sigkill_before_the_rename_leaves_the_old_entry(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    store.add(category="project", title="Status", description="the old status", body="", agent="x")
    path = store.layout.project_dir / "status.md"
    old = path.read_bytes()
    memory_md = (store.layout.project_dir / "MEMORY.md").read_bytes()
    store.close()
    run_killed(memory_env, KILL_BEFORE_RENAME)
    assert path.read_bytes() == old
    assert (store.layout.project_dir / "MEMORY.md").read_bytes() == memory_md
    temps = list(store.layout.project_dir.glob(".status.md.*.rulesync-tmp"))
    assert len(temps) == 1  # the half-written file, never read as an entry
    fresh = memory_env.store()
    assert [row.description for row in fresh.search("status")] == ["the old status"]
    assert fresh.sync().temps_removed == 1
    assert not list(store.layout.project_dir.glob(".*rulesync-tmp"))


def test_sigkill_after_the_rename_leaves_the_new_entry(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    store.add(category="project", title="Status", description="the old status", body="", agent="x")
    store.close()
    run_killed(memory_env, KILL_AFTER_RENAME)
    path = store.layout.project_dir / "status.md"
    assert "description: the new status\n" in path.read_text()
    fresh = memory_env.store()
    assert [row.description for row in fresh.search("status")] == ["the new status"]
    fresh.sync()
    assert "— project: the new status" in (store.layout.project_dir / "MEMORY.md").read_text()


def test_untouched_files_are_byte_identical_after_a_kill(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    store.add(category="project", title="Status", description="the old status", body="", agent="x")
    store.add(category="project", title="Other", description="stays", body="body", agent="x")
    other = (store.layout.project_dir / "other.md").read_bytes()
    store.close()
    run_killed(memory_env, KILL_BEFORE_RENAME)
    assert (store.layout.project_dir / "other.md").read_bytes() == other
    assert Path(store.layout.project_dir / "status.md").is_file()
