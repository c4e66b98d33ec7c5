"""The store: where files go, MEMORY.md, search, freshness, damage and refusals."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from rulesync.memory import index_md
from rulesync.memory.store import MemoryStoreError, Store
from tests.memory.conftest import MemoryEnv, tree_digest

DAY = dt.date(2026, 11, 27)


def add(store: Store, title: str, category: str = "project", **fields: str) -> str:
    values = {"description": f"About {title}", "body": "", "agent": "codex", **fields}
    return store.add(category=category, title=title, **values).id


def test_claude_layout_puts_project_entries_in_claudes_folder(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    before = tree_digest(memory_env.project)
    add(store, "Build uses uv", body="Run `uv sync`.")
    add(store, "Prefers short answers", category="user")
    folder = memory_env.home / "claude" / "projects"
    project_dir = folder / str(memory_env.project).replace("/", "-").replace("_", "-") / "memory"
    assert store.layout.project_dir == project_dir
    assert (project_dir / "build-uses-uv.md").read_text().startswith("---\nname: build-uses-uv\n")
    user_dir = memory_env.home / "memory" / "user"
    assert (user_dir / "prefers-short-answers.md").is_file()
    assert (project_dir / "MEMORY.md").read_text() == (
        f"{index_md.BEGIN}\n"
        f"- [User memory, all projects]({user_dir}/MEMORY.md) — who the user is, read it first\n"
        "- [Build uses uv](build-uses-uv.md) — project: About Build uses uv\n"
        f"{index_md.END}\n"
    )
    assert (
        "- [Prefers short answers](prefers-short-answers.md) — user:"
        in (user_dir / "MEMORY.md").read_text()
    )
    assert tree_digest(memory_env.project) == before  # nothing written into the project


def test_without_claude_the_project_folder_is_rulesyncs(memory_env: MemoryEnv) -> None:
    store = memory_env.store(claude=False)
    add(store, "Deploys on Fridays")
    assert store.layout.project_dir.parent == memory_env.home / "memory" / "projects"
    assert (store.layout.project_dir / "deploys-on-fridays.md").is_file()
    assert not (memory_env.home / "claude").exists()


def test_search_folds_umlauts_both_ways(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    add(store, "Größe der Tabellen", description="Maximal 10 MB")
    add(store, "Groesse im Export", description="Spelt without umlauts")
    add(store, "Unrelated", description="Nothing here")
    assert {row.id for row in store.search("Groesse")} == {
        "groesse-der-tabellen",
        "groesse-im-export",
    }
    assert {row.id for row in store.search("größe")} == {
        "groesse-der-tabellen",
        "groesse-im-export",
    }
    assert [row.id for row in store.search("tabellen größe")] == ["groesse-der-tabellen"]


def test_search_ranks_title_over_body_and_filters_category(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    add(store, "Notes", description="misc", body="the cache lives in redis")
    add(store, "Cache is redis", description="where the cache is")
    add(store, "Cache rule", category="feedback", description="never flush the cache")
    assert next(row.id for row in store.search("cache")) in {"cache-is-redis", "cache-rule"}
    assert [row.id for row in store.search("cache")][-1] == "notes"
    assert [row.id for row in store.search("cache", category="feedback")] == ["cache-rule"]


def test_substring_fallback_finds_the_middle_of_a_word(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    add(store, "Tabellengröße", description="x")
    assert [row.id for row in store.search("engröß")] == ["tabellengroesse"]
    assert [row.id for row in store.search("%")] == []


def test_hand_edits_are_picked_up_by_the_next_search(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    entry_id = add(store, "Old title")
    path = store.layout.project_dir / f"{entry_id}.md"
    path.write_text(path.read_text().replace("Old title", "Zebra crossing"))
    assert [row.id for row in store.search("zebra")] == [entry_id]
    (store.layout.project_dir / "by-hand.md").write_text(
        "---\nname: by-hand\ndescription: written by hand\ntype: reference\n---\nxylophone\n"
    )
    assert [row.id for row in store.search("xylophone")] == ["by-hand"]
    path.unlink()
    assert store.search("zebra") == []


def test_memory_md_keeps_text_outside_its_block(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    folder = store.layout.project_dir
    folder.mkdir(parents=True)
    (folder / "MEMORY.md").write_text(
        "# My notes\n- [Build](build-uses-uv.md) — a line Claude wrote\n- [Other](other.md) — kept\n"
    )
    add(store, "Build uses uv")
    text = (folder / "MEMORY.md").read_text()
    assert text.startswith("# My notes\n- [Other](other.md) — kept\n\n" + index_md.BEGIN)
    assert text.count("build-uses-uv.md") == 1
    store.forget("build-uses-uv")
    assert "build-uses-uv" not in (folder / "MEMORY.md").read_text()
    assert not (folder / "build-uses-uv.md").exists()


def test_memory_md_block_is_bounded(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    store.import_entries(
        [store._checked(_entry(f"entry-{n:03d}", f"Entry {n}")) for n in range(180)]
    )
    lines = (store.layout.project_dir / "MEMORY.md").read_text().splitlines()
    assert len(lines) <= 200
    assert lines[-2].startswith("- … 30 more: run `rulesync memory list`")
    assert all(len(line) <= 150 for line in lines[2:])  # after the marker and the pointer


def _entry(entry_id: str, title: str) -> object:
    from rulesync.memory.entry import Entry

    return Entry(entry_id, "project", title, "d", "", DAY, DAY, DAY, "cli")


def test_ids_are_unique_across_user_and_project(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    assert add(store, "Same title", category="user") == "same-title"
    assert add(store, "Same title") == "same-title-2"
    with pytest.raises(MemoryStoreError, match="an entry with this id exists"):
        store.add(
            category="project",
            title="t",
            description="d",
            body="",
            agent="x",
            entry_id="same-title",
        )


def test_edit_updates_dates_and_refuses_moving_scope(memory_env: MemoryEnv) -> None:
    days = iter([DAY, DAY + dt.timedelta(days=3)])
    store = Store(memory_env.store().layout, today=lambda: next(days))
    entry_id = add(store, "Status")
    edited = store.edit(entry_id, description="Now in beta", verified=True, agent="gemini")
    assert (edited.created, edited.updated, edited.last_verified) == (
        DAY,
        DAY + dt.timedelta(days=3),
        DAY + dt.timedelta(days=3),
    )
    assert store.get(entry_id).description == "Now in beta"
    assert store.get(entry_id).agent == "gemini"
    with pytest.raises(MemoryStoreError, match="between the user's and the project's memory"):
        store.edit(entry_id, category="user")


def test_secrets_are_refused_on_add_edit_and_import(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    token = "ghp_" + "x" * 36
    with pytest.raises(
        MemoryStoreError, match=r"the body \(line 2\) holds what looks like an API key"
    ):
        add(store, "GitHub", body=f"The token:\n{token}")
    entry_id = add(store, "GitHub", body="In the vault, item `github`.")
    with pytest.raises(MemoryStoreError, match="the description"):
        store.edit(entry_id, description=f"token {token}")
    assert token not in (store.layout.project_dir / f"{entry_id}.md").read_text()
    assert [row.id for row in store.rows()] == [entry_id]


def test_a_symlink_in_the_entrys_place_is_refused(memory_env: MemoryEnv, tmp_path: Path) -> None:
    store = memory_env.store()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.md").write_text("precious\n")
    before = tree_digest(outside)
    store.layout.project_dir.mkdir(parents=True)
    (store.layout.project_dir / "victim.md").symlink_to(outside / "victim.md")
    with pytest.raises(MemoryStoreError, match="an entry with this id exists"):
        store.add(
            category="project", title="V", description="d", body="", agent="x", entry_id="victim"
        )
    assert add(store, "Victim") == "victim-2"
    assert tree_digest(outside) == before


def test_a_symlinked_memory_md_is_refused_before_any_write(
    memory_env: MemoryEnv, tmp_path: Path
) -> None:
    store = memory_env.store()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "MEMORY.md").write_text("precious\n")
    before = tree_digest(outside)
    store.layout.project_dir.mkdir(parents=True)
    (store.layout.project_dir / "MEMORY.md").symlink_to(outside / "MEMORY.md")
    with pytest.raises(MemoryStoreError, match=r"MEMORY\.md: not written: it is a symlink"):
        add(store, "Anything")
    assert tree_digest(outside) == before
    assert sorted(p.name for p in store.layout.project_dir.iterdir()) == ["MEMORY.md"]


def test_write_atomic_never_follows_a_symlink(tmp_path: Path) -> None:
    from rulesync.memory import files

    (tmp_path / "target").write_text("precious")
    (tmp_path / "link.md").symlink_to(tmp_path / "target")
    with files.open_folder(tmp_path, create=False) as folder, pytest.raises(files.UnsafeFile):
        files.write_atomic(folder, "link.md", b"new", display="link.md")
    assert (tmp_path / "target").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "target"]


def test_a_symlinked_folder_is_refused(memory_env: MemoryEnv, tmp_path: Path) -> None:
    store = memory_env.store()
    outside = tmp_path / "outside"
    outside.mkdir()
    store.layout.project_dir.parent.mkdir(parents=True)
    store.layout.project_dir.symlink_to(outside)
    with pytest.raises(MemoryStoreError, match="symlink"):
        add(store, "Anything")
    assert list(outside.iterdir()) == []


def test_a_damaged_index_is_rebuilt_with_a_note(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    add(store, "Survives damage")
    store.close()
    index_path = store.layout.index_path
    for suffix in ("-wal", "-shm"):
        Path(f"{index_path}{suffix}").unlink(missing_ok=True)
    index_path.write_bytes(b"this is not a database" * 100)
    fresh = memory_env.store()
    assert [row.id for row in fresh.search("survives")] == ["survives-damage"]
    assert len(fresh.notes) == 1
    assert "the memory index was damaged" in fresh.notes[0]
    assert "rebuilt it from the files" in fresh.notes[0]


def test_files_that_are_not_entries_are_reported_by_sync(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    add(store, "Good one")
    (store.layout.project_dir / "notes.md").write_text("just notes, no frontmatter\n")
    (store.layout.project_dir / ".hidden.md.abc.rulesync-tmp").write_text("leftover")
    report = store.sync()
    assert report.indexed == 1
    assert [(u.name, u.problem) for u in report.unreadable] == [
        ("notes.md", "the file has no frontmatter (it must start with a `---` line)")
    ]
    assert report.temps_removed == 1
    assert (store.layout.project_dir / "notes.md").read_text() == "just notes, no frontmatter\n"


def test_rebuild_indexes_every_file_again(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    for n in range(5):
        add(store, f"Entry {n}")
    os.utime(store.layout.project_dir / "entry-0.md", ns=(0, 0))
    assert store.sync(rebuild=True).indexed == 5
    assert len(store.search("entry")) == 5


def test_other_accents_are_removed_by_the_tokenizer(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    add(store, "Café opening hours", description="the café downstairs")
    assert [row.id for row in store.search("cafe")] == ["cafe-opening-hours"]
    assert [row.id for row in store.search("CAFÉ")] == ["cafe-opening-hours"]


def test_a_subfolder_finds_the_projects_memory(memory_env: MemoryEnv) -> None:
    from rulesync.memory.store import open_store

    (memory_env.project / "rulesync.yaml").write_text("targets: [gemini, codex]\n")
    (memory_env.project / "src" / "deep").mkdir(parents=True)
    top = open_store(memory_env.project, memory_env.environ)
    deep = open_store(memory_env.project / "src" / "deep", memory_env.environ)
    assert deep.layout == top.layout
    assert deep.layout.root == memory_env.project
    assert not deep.layout.claude_native


def test_query_syntax_is_never_fts_syntax(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    add(store, "Plain entry", description="alpha OR beta")
    for query in ('"', "*", "NOT", "a OR", "title:x", "NEAR(a b)", "(", "^", "'; DROP TABLE files"):
        assert isinstance(store.search(query), list)
    assert [row.id for row in store.search("alpha OR")] == ["plain-entry"]
    assert [row.id for row in store.search("plain")] == ["plain-entry"]


def test_hostile_files_in_the_folder_never_stop_a_search(memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    add(store, "Survivor")
    folder = store.layout.project_dir
    os.mkfifo(folder / "pipe.md")
    (folder / "deep.md").write_text("---\ntype: " + "[" * 50_000 + "\n---\n")
    (folder / "big.md").write_bytes(b"---\ntype: project\n---\n" + b"x" * 200_000)
    (folder / "binary.md").write_bytes(b"---\ntype: project\ntitle: \xff\n---\n")
    (folder / "link.md").symlink_to("/etc/hostname")
    assert [row.id for row in store.search("survivor")] == ["survivor"]
    problems = {item.name: item.problem for item in store.sync().unreadable}
    assert set(problems) == {"deep.md", "big.md", "binary.md"}
    assert "larger than" in problems["big.md"]


def test_memory_md_drops_a_pointer_to_an_entry_past_the_block(memory_env: MemoryEnv) -> None:
    """MEMORY.md is rendered from the first 151 rows; a hand-written pointer line to an
    entry beyond them still counts as a repeat of the block and is dropped."""
    store = memory_env.store()
    folder = store.layout.project_dir
    folder.mkdir(parents=True)
    (folder / "MEMORY.md").write_text(
        "# Mine\n- [Old](entry-179.md) — repeats\n- [Gone](not-an-entry.md) — kept\n"
    )
    store.import_entries(
        [store._checked(_entry(f"entry-{n:03d}", f"Entry {n}")) for n in range(180)]
    )
    text = (folder / "MEMORY.md").read_text()
    assert "](entry-179.md)" not in text  # sorts last (same day, by id): past the 151 rows
    assert text.startswith("# Mine\n- [Gone](not-an-entry.md) — kept\n\n" + index_md.BEGIN)
    assert "- … 30 more: run `rulesync memory list`" in text
