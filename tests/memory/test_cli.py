"""`rulesync memory …` end to end, in-process: exit codes, text and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result
from tests.memory.conftest import MemoryEnv

Run = Callable[..., Result]


def memory(run_cli: Run, env: MemoryEnv, *args: str | Path) -> Result:
    return run_cli("-C", env.project, "memory", *args)


def test_add_search_show_list_forget(run_cli: Run, memory_env: MemoryEnv) -> None:
    added = memory(
        run_cli, memory_env, "add", "-c", "feedback", "-t", "Umlaute nie umschreiben",
        "-d", "Schreibe Größe, nie Groesse", "-b", "Gilt überall.", "--agent", "gemini",
    )  # fmt: skip
    assert (added.exit_code, added.stdout) == (0, "added umlaute-nie-umschreiben\n")
    found = memory(run_cli, memory_env, "search", "--json", "groesse")
    assert found.exit_code == 0
    [row] = json.loads(found.stdout)
    assert (row["id"], row["category"], row["agent"]) == (
        "umlaute-nie-umschreiben",
        "feedback",
        "gemini",
    )
    shown = memory(run_cli, memory_env, "show", "umlaute-nie-umschreiben")
    assert shown.stdout.splitlines()[:3] == [
        "id: umlaute-nie-umschreiben",
        "category: feedback",
        "title: Umlaute nie umschreiben",
    ]
    assert shown.stdout.endswith("\nGilt überall.\n")
    listed = memory(run_cli, memory_env, "list", "--category", "feedback")
    assert listed.stdout.startswith("umlaute-nie-umschreiben  [feedback]  ")
    gone = memory(run_cli, memory_env, "forget", "--json", "umlaute-nie-umschreiben")
    assert json.loads(gone.stdout)["id"] == "umlaute-nie-umschreiben"
    assert memory(run_cli, memory_env, "list", "--json").stdout == "[]\n"


def test_unknown_id_and_secret_exit_2_with_the_fix(run_cli: Run, memory_env: MemoryEnv) -> None:
    missing = memory(run_cli, memory_env, "show", "nope")
    assert missing.exit_code == 2
    assert "nope: no memory entry has this id (run `rulesync memory list`" in missing.stderr
    secret = memory(
        run_cli, memory_env, "add", "-c", "reference", "-t", "DB", "-d", "the database",
        "-b", "postgres://app:hunter2@db/app",
    )  # fmt: skip
    assert secret.exit_code == 2
    assert "refused: the body (line 1) holds what looks like a password in a URL" in secret.stderr
    assert "hunter2" not in secret.stderr
    bad_id = memory(run_cli, memory_env, "show", "../etc/passwd")
    assert bad_id.exit_code == 2 and "is not an entry id" in bad_id.stderr


def test_body_from_stdin(run_cli: Run, memory_env: MemoryEnv, monkeypatch: object) -> None:
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO(b"Zeile eins\nZeile zwei\n")

    monkeypatch.setattr(sys, "stdin", Stdin)  # type: ignore[attr-defined]
    added = memory(run_cli, memory_env, "add", "-c", "project", "-t", "T", "-d", "D", "-b", "-")
    assert added.exit_code == 0
    assert json.loads(memory(run_cli, memory_env, "show", "--json", "t").stdout)["body"] == (
        "Zeile eins\nZeile zwei"
    )


def test_edit_verified_and_review(run_cli: Run, memory_env: MemoryEnv) -> None:
    memory(run_cli, memory_env, "add", "-c", "project", "-t", "Config", "-d", "in `conf/app.toml`")
    review = memory(run_cli, memory_env, "review", "--json")
    assert review.exit_code == 1
    assert json.loads(review.stdout) == [
        {
            "kind": "missing-path",
            "id": "config",
            "message": "names `conf/app.toml`, which is not in the project",
            "other": None,
        }
    ]
    (memory_env.project / "conf").mkdir()
    (memory_env.project / "conf" / "app.toml").write_text("")
    assert memory(run_cli, memory_env, "review").exit_code == 0
    edited = memory(run_cli, memory_env, "edit", "config", "--verified", "-t", "App config")
    assert (edited.exit_code, edited.stdout) == (0, "updated config\n")
    assert json.loads(memory(run_cli, memory_env, "show", "--json", "config").stdout)["title"] == (
        "App config"
    )


def test_export_then_import_round_trips(
    run_cli: Run, memory_env: MemoryEnv, tmp_path: Path
) -> None:
    memory(run_cli, memory_env, "add", "-c", "user", "-t", "Likes tests", "-d", "pytest always")
    memory(run_cli, memory_env, "add", "-c", "reference", "-t", "Dashboards", "-d", "grafana")
    exported = memory(run_cli, memory_env, "export", "--json")
    document = json.loads(exported.stdout)
    assert [e["id"] for e in document["entries"]] == ["dashboards", "likes-tests"] or [
        e["id"] for e in document["entries"]
    ] == ["likes-tests", "dashboards"]
    dump = tmp_path / "dump.json"
    dump.write_text(exported.stdout)
    memory(run_cli, memory_env, "forget", "dashboards")
    imported = memory(run_cli, memory_env, "import", "--json", dump)
    assert sorted(map(tuple, (d.values() for d in json.loads(imported.stdout)))) == [
        ("dashboards", "added"),
        ("likes-tests", "skipped"),
    ]
    again = json.loads(memory(run_cli, memory_env, "export").stdout)
    assert sorted(again["entries"], key=lambda e: e["id"]) == sorted(
        document["entries"], key=lambda e: e["id"]
    )


def test_import_with_one_bad_entry_writes_nothing(
    run_cli: Run, memory_env: MemoryEnv, tmp_path: Path
) -> None:
    good = {"id": "ok", "category": "project", "title": "t", "description": "d", "body": ""}
    bad = {**good, "id": "leak", "body": "key sk-proj-abcdefghijklmnopqrstuvwx"}
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps({"entries": [good, bad]}))
    result = memory(run_cli, memory_env, "import", dump)
    assert result.exit_code == 2
    assert "entry 2: `leak`: the body (line 1) holds what looks like an API key" in result.stderr
    assert memory(run_cli, memory_env, "list", "--json").stdout == "[]\n"
    not_json = tmp_path / "x.json"
    not_json.write_text("{")
    assert memory(run_cli, memory_env, "import", not_json).exit_code == 2


def test_sync_reports_files_that_are_not_entries(run_cli: Run, memory_env: MemoryEnv) -> None:
    memory(run_cli, memory_env, "add", "-c", "project", "-t", "Good", "-d", "d")
    store = memory_env.store()
    (store.layout.project_dir / "stray.md").write_text("no frontmatter")
    result = memory(run_cli, memory_env, "sync", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["indexed"] == 1
    assert [item["name"] for item in data["unreadable"]] == ["stray.md"]


def test_memory_is_listed_in_the_help(run_cli: Run) -> None:
    assert "memory" in run_cli("--help").stdout


def test_quick_search_prints_what_the_click_command_prints(
    run_cli: Run, memory_env: MemoryEnv, monkeypatch: object
) -> None:
    memory(
        run_cli, memory_env, "add", "-c", "project", "-t", "Größe", "-d", "Tabellen \u202e reversed"
    )
    memory(run_cli, memory_env, "add", "-c", "feedback", "-t", "Groesse two", "-d", "second")
    monkeypatch.chdir(memory_env.project)  # type: ignore[attr-defined]
    outputs = []
    for quick in ("", "1"):
        monkeypatch.setenv("RULESYNC_NO_QUICK", quick)  # type: ignore[attr-defined]
        for args in (["groesse"], ["--json", "-n", "1", "größe"], ["-c", "feedback", "groesse"]):
            result = run_cli("memory", "search", *args)
            outputs.append((result.exit_code, result.stdout, result.stderr))
    assert outputs[:3] == outputs[3:]
    assert outputs[0][1].count("\n") == 2
    assert "\u202e" not in outputs[0][1]
    assert outputs[2][1].startswith("groesse-two  [feedback]")
    monkeypatch.setenv("RULESYNC_NO_QUICK", "")  # type: ignore[attr-defined]
    assert run_cli("memory", "search", "--help").stdout.startswith("Usage: rulesync memory search")
