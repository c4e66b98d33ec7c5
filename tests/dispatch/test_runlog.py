"""The run log: one row per attempt, parent links, prompt privacy, and `rulesync runs`."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from rulesync.dispatch.state import log_path, state_dir

SECRET = "sk-proj-Zq8v2LmN4pR6tY1uW3xK5sD7fG9hJ0aB"


def rows(log: Path) -> list[dict[str, object]]:
    with sqlite3.connect(log) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute("SELECT * FROM attempts ORDER BY id")]


def run_id_of(stderr: str) -> str:
    return stderr.rsplit("(run ", 1)[1].split(")")[0]


def test_one_row_per_attempt(fakes, fake_api, project: Path, run_cli) -> None:
    fakes.mode("gemini", "quota")
    result = run_cli(
        "-C",
        project,
        "dispatch",
        "--to",
        "gemini",
        "-m",
        "gemini-2.5-pro",
        "--fallback",
        "claude",
        "Hallo Welt",
    )
    assert result.exit_code == 0
    logged = rows(fakes.log)
    run_id = run_id_of(result.stderr)
    digest = hashlib.sha256(b"Hallo Welt").hexdigest()
    common = {
        "run_id": run_id,
        "parent_run_id": None,
        "prompt_bytes": 10,
        "prompt_sha256": digest,
        "prompt": None,
        "cwd": str(project),
    }
    assert [{k: row[k] for k in common} for row in logged] == [common, common]
    assert [
        (r["attempt"], r["target"], r["model"], r["class"], r["exit_code"], r["returncode"])
        for r in logged
    ] == [
        (1, "gemini", "gemini-2.5-pro", "quota", 75, 1),
        (2, "claude", None, "ok", 0, 0),
    ]
    assert logged[0]["reset_time"] == "after 2h30m"
    assert logged[0]["message"] == "gemini hit a rate limit or usage quota (resets after 2h30m)"
    assert logged[1]["reset_time"] is None
    for row in logged:
        assert str(row["started_at"]).endswith("Z") and str(row["started_at"])[10] == "T"
        assert isinstance(row["duration_s"], float) and row["duration_s"] >= 0


def test_the_log_is_sqlite_in_wal_mode_and_private(fakes, fake_api, project: Path, run_cli) -> None:
    run_cli("-C", project, "dispatch", "--to", "claude", "hi")
    with sqlite3.connect(fakes.log) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    assert fakes.log.stat().st_mode & 0o777 == 0o600


def test_parent_run_id_links_a_nested_dispatch(
    fakes, fake_api, project: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("RULESYNC_PARENT_RUN_ID", "0123456789abcdef")
    result = run_cli("-C", project, "dispatch", "--to", "codex", "hi")
    (row,) = rows(fakes.log)
    assert row["parent_run_id"] == "0123456789abcdef"
    # The child sees this run's id as its parent, for dispatches it makes itself.
    assert (
        fakes.call("codex")["env"]["RULESYNC_PARENT_RUN_ID"]
        == run_id_of(result.stderr)
        == row["run_id"]
    )


def test_the_prompt_is_logged_only_when_asked_and_redacted(
    fakes, fake_api, project: Path, run_cli
) -> None:
    prompt = f"Use the key {SECRET} to call the API"
    run_cli("-C", project, "dispatch", "--to", "claude", prompt)
    run_cli("-C", project, "dispatch", "--to", "claude", "--log-prompt", prompt)
    first, second = rows(fakes.log)
    assert first["prompt"] is None
    assert second["prompt"] == "Use the key [redacted] to call the API"
    assert SECRET not in fakes.log.read_bytes().decode("latin-1")


def test_secrets_never_reach_messages_json_or_log(
    fakes, fake_api, project: Path, run_cli, monkeypatch
) -> None:
    key = "Zq8v2LmN4pR6tY1uW3xK5sD7"  # no recognisable shape: found by its variable name
    monkeypatch.setenv("OPENAI_API_KEY", key)
    fakes.mode("codex", "leak")
    result = run_cli("-C", project, "dispatch", "--to", "codex", "--json", "hi")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (
        data["message"]
        == "codex exited with code 2: Error: request failed with key [redacted] (Authorization: Bearer [redacted])"
    )
    summary = result.stderr.splitlines()[-1]
    assert key not in summary and "[redacted]" in summary
    assert key not in json.dumps(rows(fakes.log))
    assert key not in result.stdout


def test_a_run_log_that_cannot_be_written_is_a_warning(
    fakes, fake_api, project: Path, run_cli, monkeypatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("RULESYNC_STATE_DIR", str(blocker))
    result = run_cli("-C", project, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 0
    assert (
        f"rulesync: warning: could not write the run log {blocker}/runs.sqlite3: " in result.stderr
    )


def test_state_dir_resolution() -> None:
    assert state_dir({"RULESYNC_STATE_DIR": "/t/s", "XDG_STATE_HOME": "/x"}) == Path("/t/s")
    assert state_dir({"XDG_STATE_HOME": "/x", "HOME": "/h"}) == Path("/x/rulesync")
    assert state_dir({"HOME": "/h"}) == Path("/h/.local/state/rulesync")
    assert log_path({"HOME": "/h"}) == Path("/h/.local/state/rulesync/runs.sqlite3")


def test_runs_lists_attempts_newest_first(
    fakes, fake_api, project: Path, run_cli, monkeypatch
) -> None:
    fakes.mode("gemini", "quota")
    first = run_id_of(
        run_cli("-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "a").stderr
    )
    monkeypatch.setenv("RULESYNC_PARENT_RUN_ID", first)
    second = run_id_of(run_cli("-C", project, "dispatch", "--to", "codex", "-m", "o3", "b").stderr)
    result = run_cli("runs")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "STARTED",
        "(UTC)",
        "RUN",
        "TARGET",
        "MODEL",
        "CLASS",
        "EXIT",
        "SECONDS",
        "NOTE",
    ]
    assert [line.split()[2:7] for line in lines[1:]] == [
        [f"{second}/1", "codex", "o3", "ok", "0"],
        [f"{first}/2", "claude", "-", "ok", "0"],
        [f"{first}/1", "gemini", "-", "quota", "75"],
    ]
    assert lines[1].endswith(f"parent {first}")
    assert lines[3].endswith("resets after 2h30m")


def test_runs_limit_and_json(fakes, fake_api, project: Path, run_cli) -> None:
    for word in ("one", "two", "three"):
        run_cli("-C", project, "dispatch", "--to", "claude", word)
    result = run_cli("runs", "--json", "--limit", "2")
    data = json.loads(result.stdout)
    assert len(data) == 2
    assert data[0]["started_at"] >= data[1]["started_at"]
    assert data[0]["prompt_sha256"] == hashlib.sha256(b"three").hexdigest()
    assert set(data[0]) == {
        "run_id",
        "attempt",
        "parent_run_id",
        "target",
        "model",
        "class",
        "exit_code",
        "returncode",
        "duration_s",
        "started_at",
        "prompt_bytes",
        "prompt_sha256",
        "prompt",
        "reset_time",
        "message",
        "cwd",
    }


def test_runs_with_an_empty_log(fakes, run_cli) -> None:
    result = run_cli("runs")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"no runs logged yet (the log is {fakes.log})\n"
    assert run_cli("runs", "--json").stdout == "[]\n"


def test_runs_with_a_damaged_log(fakes, run_cli) -> None:
    fakes.state_dir.mkdir(parents=True)
    fakes.log.write_bytes(b"this is not a database" * 100)
    result = run_cli("runs")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {fakes.log}: cannot read the run log: file is not a database "
        "(move the file away; a new log is started on the next dispatch)\n"
    )


WARNING = (
    "rulesync: warning: ignoring RULESYNC_PARENT_RUN_ID={shown}: a run id is 16 lowercase hex "
    "digits; this run is logged without a parent\n"
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("abc\n\x1b[31mFAKE\r", "'abc\\n\\x1b[31mFAKE\\r'"),
        ("0123456789ABCDEF", "'0123456789ABCDEF'"),
        ("0123456789abcdef0", "'0123456789abcdef0'"),
        ("0123456789abcde\u202e", "'0123456789abcde\\u202e'"),
        ("f" * 500, "'" + "f" * 40 + "…' (500 characters)"),
    ],
)
def test_an_invalid_parent_run_id_is_ignored_with_a_warning(
    value: str, shown: str, fakes, fake_api, project: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("RULESYNC_PARENT_RUN_ID", value)
    result = run_cli("-C", project, "dispatch", "--to", "codex", "hi")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(WARNING.format(shown=shown))
    (row,) = rows(fakes.log)
    assert row["parent_run_id"] is None
    assert fakes.call("codex")["env"]["RULESYNC_PARENT_RUN_ID"] == row["run_id"]


def test_an_empty_parent_run_id_is_no_parent_and_no_warning(
    fakes, fake_api, project: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("RULESYNC_PARENT_RUN_ID", "")
    result = run_cli("-C", project, "dispatch", "--to", "codex", "hi")
    assert result.exit_code == 0
    assert "warning" not in result.stderr
    assert rows(fakes.log)[0]["parent_run_id"] is None


RAW_UNSAFE = ("\x1b", "\r", "\x9b", "\u202e", "\u2066", "\x00", "\x7f")


def plant_hostile_row(log: Path) -> None:
    """A row as a crafted (or older) log may hold it: escapes in every text field."""
    from rulesync.dispatch import runlog

    runlog.append(
        log,
        runlog.Row(
            run_id="r\x1b[2J",
            attempt=1,
            parent_run_id="p\nFAKE ROW",
            target="claude\u202e",
            model="m\x9b",
            failure_class="ok\r",
            exit_code=0,
            returncode=0,
            duration_s="soon",  # type: ignore[arg-type]  # SQLite keeps any type
            started_at="2026-11-22T07:17:53.120Z",
            prompt_bytes=1,
            prompt_sha256="0" * 64,
            prompt="\u2066x\x00\x7f",
            reset_time="\x1b]0;title\x07",
            message="fine",
            cwd="/tmp",
        ),
    )


def test_runs_escapes_what_the_log_holds(fakes, run_cli) -> None:
    plant_hostile_row(fakes.log)
    result = run_cli("runs")
    assert result.exit_code == 0, result.stderr
    assert [char for char in RAW_UNSAFE if char in result.stdout] == []
    _header, line = result.stdout.splitlines()
    assert line.split("  ")[:3] == ["2026-11-22 07:17:53", "r\\x1b[2J/1", "claude\\u202e"]
    assert "m\\x9b" in line and "ok\\r" in line and " soon " in line
    assert line.endswith("resets \\x1b]0;title\\x07; parent p\\nFAKE ROW")


def test_runs_json_escapes_but_keeps_the_values(fakes, run_cli) -> None:
    plant_hostile_row(fakes.log)
    result = run_cli("runs", "--json")
    assert result.exit_code == 0
    assert [char for char in RAW_UNSAFE if char in result.stdout] == []
    (data,) = json.loads(result.stdout)
    assert (data["target"], data["model"], data["prompt"]) == (
        "claude\u202e",
        "m\x9b",
        "\u2066x\x00\x7f",
    )


def test_a_vendors_error_line_is_escaped_in_the_summary_and_json(
    fakes, fake_api, project: Path, run_cli
) -> None:
    fakes.mode("claude", "hostile")
    result = run_cli("-C", project, "dispatch", "--to", "claude", "--json", "hi")
    assert result.exit_code == 1
    shown = (
        "claude exited with code 3: Error: bad \\u202eevil\\x9b "
        "\\x1b]8;;http://x.example\\x1b\\link\\x1b]8;;\\x1b\\ \\u2066isolated\\u2069\\x00\\x7f"
    )
    summary = result.stderr.split("\n")[-2]
    assert summary.startswith(f"rulesync: failed: {shown} (exit 1, run ")
    assert [char for char in RAW_UNSAFE if char in result.stdout] == []
    assert json.loads(result.stdout)["message"].endswith("\u2066isolated\u2069\x00\x7f")
