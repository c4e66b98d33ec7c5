"""Each usage reader on present, absent, malformed, stale and huge inputs."""

from __future__ import annotations

import json
import os
import time

import pytest

from rulesync.status import claude, codex, gemini, runlog
from rulesync.status import reading as r
from rulesync.status.timefmt import reset_epoch

from .conftest import NOW, Homes, token_count

PAYLOAD = {
    "model": {"display_name": "Opus"},
    "rate_limits": {
        "five_hour": {"used_percentage": 62.4, "resets_at": NOW + 4320},
        "seven_day": {"used_percentage": 41.2, "resets_at": "2027-01-20T00:00:00Z"},
    },
}


# --- Claude -------------------------------------------------------------------------------


def test_claude_remembers_and_reads_back(homes: Homes) -> None:
    claude.remember(PAYLOAD, homes.environ, NOW)
    saved = homes.state / "claude-limits.txt"
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    got = claude.read(homes.environ, NOW + 60)
    assert got.state == r.OK
    assert [(w.label, w.used_percent) for w in got.windows] == [("5h", 62.4), ("7d", 41.2)]
    assert got.windows[0].resets_at == NOW + 4320
    assert got.windows[1].resets_at == 1_800_403_200.0  # the ISO form
    assert got.observed_at == NOW


def test_claude_absent_rate_limits_keep_the_last_value(homes: Homes) -> None:
    claude.remember(PAYLOAD, homes.environ, NOW)
    assert claude.remember({"model": {"display_name": "Opus"}}, homes.environ, NOW + 10) is None
    assert claude.read(homes.environ, NOW + 20).observed_at == NOW


def test_claude_missing(homes: Homes) -> None:
    got = claude.read(homes.environ, NOW)
    assert got.state == r.MISSING
    assert got.windows == ()


def test_claude_damaged_file_is_unreadable_not_zero(homes: Homes) -> None:
    homes.state.mkdir()
    header = b"rulesync claude-limits 1\n"
    for content in (
        b"{not json",
        header + b"nan",
        header + b"1800000000.0\x1e5h\x1fnan\x1f\x1f",
        header + b"1800000000.0\x1e5h\x1f1\x1f",
        b"\xff\xfe",
        header + b"1" * 100_000,
    ):
        (homes.state / "claude-limits.txt").write_bytes(content)
        got = claude.read(homes.environ, NOW)
        assert got.state == r.UNREADABLE, content[:10]
        assert got.windows == ()


def test_claude_strange_values_are_dropped(homes: Homes) -> None:
    payload = {
        "rate_limits": {
            "five_hour": {"used_percentage": "62"},
            "seven_day": {"used_percentage": True},
        }
    }
    assert claude.remember(payload, homes.environ, NOW) is None
    assert claude.remember({"rate_limits": [1, 2]}, homes.environ, NOW) is None
    assert not (homes.state / "claude-limits.txt").exists()


def test_claude_stale_after_half_an_hour_and_reset_windows_drop(homes: Homes) -> None:
    claude.remember(PAYLOAD, homes.environ, NOW)
    old = claude.read(homes.environ, NOW + r.STALE_AFTER_S + 1)
    assert old.state == r.STALE
    assert [w.label for w in old.current(NOW + 4321)] == ["7d"]


def test_claude_symlinked_file_is_not_followed(homes: Homes, tmp_path) -> None:
    homes.state.mkdir()
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("rulesync claude-limits 1\n1800000000.0\x1e5h\x1f1.0\x1f\x1f300\n")
    (homes.state / "claude-limits.txt").symlink_to(secret)
    assert claude.read(homes.environ, NOW).state == r.UNREADABLE


# --- Codex --------------------------------------------------------------------------------


def test_codex_newest_event_of_newest_file(homes: Homes) -> None:
    homes.session("2027/01/14", "rollout-old.jsonl", [token_count(90, 90)], mtime=NOW - 86400)
    homes.session(
        "2027/01/15",
        "rollout-new.jsonl",
        [
            token_count(5, 20),
            {"type": "event_msg", "payload": {"type": "agent_message"}},
            token_count(7, 21),
        ],
        mtime=NOW - 60,
    )
    got = codex.read(homes.environ, NOW)
    assert got.state == r.OK
    assert [(w.label, w.used_percent, w.window_minutes) for w in got.windows] == [
        ("5h", 7.0, 300),
        ("7d", 21.0, 10080),
    ]
    assert got.observed_at == NOW - 60


def test_codex_skips_events_without_rate_limits_and_malformed_lines(homes: Homes) -> None:
    no_limits = {"type": "event_msg", "payload": {"type": "token_count", "rate_limits": None}}
    homes.session(
        "2027/01/15",
        "rollout-a.jsonl",
        [
            token_count(33, 1),
            '{"payload": {"type": "token_count", "rate_limits": ',
            no_limits,
            "\x00\xff garbage",
        ],
    )
    got = codex.read(homes.environ, NOW)
    assert got.windows[0].used_percent == 33.0


def test_codex_older_resets_in_seconds(homes: Homes) -> None:
    event = token_count(50, 10)
    for window in event["payload"]["rate_limits"].values():
        del window["resets_at"]
        window["resets_in_seconds"] = 600
    homes.session("2027/01/15", "rollout-a.jsonl", [event])
    got = codex.read(homes.environ, NOW)
    assert got.windows[0].resets_at == NOW - 60 + 600


def test_codex_missing_and_empty(homes: Homes) -> None:
    assert codex.read(homes.environ, NOW).state == r.MISSING
    homes.session("2027/01/15", "rollout-a.jsonl", [{"type": "session_meta"}])
    got = codex.read(homes.environ, NOW)
    assert got.state == r.MISSING
    assert "newest 1 session files" in got.detail


def test_codex_unknown_shape_is_unreadable(homes: Homes) -> None:
    event = token_count(1, 1)
    event["payload"]["rate_limits"] = {"primary": {"used_percent": "lots"}}
    homes.session("2027/01/15", "rollout-a.jsonl", [event])
    assert codex.read(homes.environ, NOW).state == r.UNREADABLE


def test_codex_stale(homes: Homes) -> None:
    homes.session(
        "2027/01/15", "rollout-a.jsonl", [token_count(40, 1, when="2027-01-15T06:00:00Z")]
    )
    got = codex.read(homes.environ, NOW)
    assert got.state == r.STALE
    assert got.age(NOW) == 7200


def test_codex_huge_file_and_giant_line_read_from_the_tail(homes: Homes) -> None:
    giant = json.dumps({"type": "response_item", "payload": {"text": "x" * 3_000_000}})
    filler = [json.dumps({"type": "response_item", "n": i}) for i in range(20_000)]
    homes.session(
        "2027/01/15",
        "rollout-a.jsonl",
        [token_count(11, 2), *filler, giant, token_count(12, 3), giant],
    )
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 12.0


def test_codex_never_lists_more_than_the_newest_day(homes: Homes, monkeypatch) -> None:
    for day in range(1, 29):
        homes.session(f"2026/12/{day:02d}", "rollout-x.jsonl", [token_count(day, 1)])
    homes.session("2027/01/15", "rollout-y.jsonl", [token_count(3, 1)])
    listed: list[str] = []
    real = codex._entries

    def spy(folder: str) -> list[os.DirEntry[str]]:
        listed.append(folder)
        return real(folder)

    monkeypatch.setattr(codex, "_entries", spy)
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 3.0
    assert not any("/2026/12/" in f for f in listed)


def test_codex_symlinked_day_folders_and_files_are_ignored(homes: Homes, tmp_path) -> None:
    real = homes.session("2027/01/14", "rollout-a.jsonl", [token_count(9, 1)])
    (homes.codex / "sessions" / "2027" / "01" / "15").symlink_to(real.parent)
    other = homes.codex / "sessions" / "2027" / "01" / "14" / "rollout-b.jsonl"
    outside = tmp_path / "outside.jsonl"
    outside.write_text(json.dumps(token_count(99, 99)) + "\n")
    other.symlink_to(outside)
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 9.0


# --- Gemini -------------------------------------------------------------------------------


def test_gemini_says_it_has_no_local_figures(homes: Homes) -> None:
    got = gemini.read(homes.environ, NOW)
    assert got.state == r.MISSING
    assert "run log" in got.detail


# --- dispatch's run log ------------------------------------------------------------------


def _log(homes: Homes, rows: list[tuple[str, str, str, str | None, int | None]]) -> None:
    from pathlib import Path

    from rulesync.dispatch import runlog as log

    for number, (target, failure_class, started_at, reset, returncode) in enumerate(rows):
        log.append(
            Path(homes.state) / "runs.sqlite3",
            log.Row(
                "run",
                number + 1,
                None,
                target,
                None,
                failure_class,
                75,
                returncode,
                1.0,
                started_at,
                2,
                "0" * 64,
                None,
                reset,
                "m",
                "/p",
            ),
        )


def test_runlog_last_quota_per_target(homes: Homes) -> None:
    _log(
        homes,
        [
            ("gemini", "ok", "2027-01-15T07:00:00.000Z", None, 0),
            ("gemini", "quota", "2027-01-15T07:50:00.000Z", "in 1h", 1),
            ("codex", "quota", "2027-01-15T07:00:00.000Z", None, 1),
            ("codex", "ok", "2027-01-15T07:30:00.000Z", None, 0),
            ("claude", "quota", "2027-01-15T07:55:00.000Z", "whenever it likes", 1),
            ("claude", "quota", "2027-01-15T07:58:00.000Z", "in 2h", None),  # a skip, not a fact
        ],
    )
    marks = runlog.quota_marks(homes.environ)
    assert set(marks) == {"gemini", "claude"}
    assert marks["gemini"].until == NOW - 600 + 3600
    assert marks["gemini"].reset_known
    assert marks["claude"].until == NOW - 300 + runlog.DEFAULT_HOLD_S
    assert not marks["claude"].reset_known


def test_runlog_absent_or_damaged_is_no_facts(homes: Homes) -> None:
    assert runlog.quota_marks(homes.environ) == {}
    homes.state.mkdir()
    (homes.state / "runs.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x07" * 500)
    assert runlog.quota_marks(homes.environ) == {}


def test_runlog_is_never_created_by_reading(homes: Homes) -> None:
    runlog.quota_marks(homes.environ)
    assert not homes.state.exists()


# --- reset wording ------------------------------------------------------------------------


def test_reset_wording() -> None:
    assert reset_epoch("in 2h30m", NOW) == NOW + 9000
    assert reset_epoch("after 20s", NOW) == NOW + 20
    assert reset_epoch("in 12.5s", NOW) == NOW + 12.5
    assert reset_epoch("in 1500ms", NOW) == NOW + 1.5
    assert reset_epoch("1 hour 5 minutes", NOW) == NOW + 3900
    assert reset_epoch("2027-01-15T09:00:00Z", NOW) == NOW + 3600
    assert reset_epoch("9am (UTC)", NOW) == NOW + 3600
    assert reset_epoch("7:00 AM (UTC)", NOW) == NOW + 23 * 3600  # the next 7:00
    assert reset_epoch("3pm (Not/A_Zone)", NOW) is not None  # local time instead
    for nonsense in ("soon", "", None, "25:00", "13pm", "x" * 200):
        assert reset_epoch(nonsense, NOW) is None


# --- the memo -----------------------------------------------------------------------------


def test_codex_answer_is_memoised_until_the_file_changes(homes: Homes, monkeypatch) -> None:
    from rulesync.status.memo import Memo

    path = homes.session("2027/01/15", "rollout-a.jsonl", [token_count(20, 1)])
    memo = Memo(homes.environ)
    assert codex.read(homes.environ, NOW, memo).windows[0].used_percent == 20.0
    memo.save()

    def no_scan(path: str) -> None:
        raise AssertionError("the tail was read again")

    monkeypatch.setattr(codex, "last_rate_limits", no_scan)
    assert codex.read(homes.environ, NOW, Memo(homes.environ)).windows[0].used_percent == 20.0
    monkeypatch.undo()
    with path.open("a") as handle:
        handle.write(json.dumps(token_count(21, 1)) + "\n")
    assert codex.read(homes.environ, NOW, Memo(homes.environ)).windows[0].used_percent == 21.0


def test_runlog_marks_are_memoised_until_the_log_changes(homes: Homes, monkeypatch) -> None:
    from rulesync.status.memo import Memo

    _log(homes, [("gemini", "quota", "2027-01-15T07:50:00.000Z", "in 1h", 1)])
    memo = Memo(homes.environ)
    first = runlog.quota_marks(homes.environ, memo)
    memo.save()
    monkeypatch.setattr(runlog, "_recent", lambda path: [])  # would say: no marks
    assert runlog.quota_marks(homes.environ, Memo(homes.environ)) == first
    _log(homes, [("gemini", "ok", "2027-01-15T07:55:00.000Z", None, 0)])
    assert runlog.quota_marks(homes.environ, Memo(homes.environ)) == {}


# --- Codex: a session resumed today, stored under the day it began ----------------------


def uuid7(seconds: float) -> str:
    ms = f"{int(seconds * 1000):012x}"
    return f"{ms[:8]}-{ms[8:]}-7abc-8def-0123456789ab"


STARTED = NOW - 45 * 86400  # 2026-12-01


def resumed_setup(homes: Homes, history: str | None) -> str:
    session_id = uuid7(STARTED)
    day = time.strftime("%Y/%m/%d", time.gmtime(STARTED))
    name = f"rollout-2026-12-01T08-00-00-{session_id}.jsonl"
    homes.session(day, name, [token_count(55, 5)], mtime=NOW - 60)
    homes.session("2027/01/15", "rollout-today.jsonl", [token_count(3, 1)], mtime=NOW - 3600)
    for older in range(2, 20):
        homes.session(f"2026/12/{older:02d}", "rollout-x.jsonl", [token_count(older, 1)])
    if history is not None:
        (homes.codex / "history.jsonl").write_text(history.replace("ID", session_id))
    return session_id


def test_codex_session_resumed_today_is_found_through_the_history(
    homes: Homes, monkeypatch
) -> None:
    resumed_setup(
        homes, '{"session_id":"old","ts":1,"text":"a"}\n{"session_id":"ID","ts":2,"text":"b"}\n'
    )
    listed: list[str] = []
    real = codex._entries

    def spy(folder: str) -> list[os.DirEntry[str]]:
        listed.append(folder)
        return real(folder)

    monkeypatch.setattr(codex, "_entries", spy)
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 55.0
    days = {f.split("sessions/")[1] for f in listed if f.count("/") - f.index("sessions") > 0}
    assert not any(d.startswith("2026/12/") and d != "2026/12/01" for d in days), days


def test_codex_without_a_history_reads_the_newest_day(homes: Homes) -> None:
    resumed_setup(homes, None)
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 3.0


def test_codex_a_newer_file_today_wins_over_the_resumed_one(homes: Homes) -> None:
    resumed_setup(homes, '{"session_id":"ID","ts":2,"text":"b"}\n')
    homes.session("2027/01/15", "rollout-later.jsonl", [token_count(7, 1)], mtime=NOW - 10)
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 7.0


@pytest.mark.parametrize(
    "history",
    [
        "not json\n",
        '{"session_id":"ID"\n',
        '{"session_id": 5, "ts": 1}\n',
        '{"session_id":"0191e2b4-1c2d-4abc-8def-0123456789ab","ts":1,"text":"v4"}\n',
        '{"session_id":"../../../etc/passwd-aaaa-7aaa-aaaa-aaaaaaaaaaaa"}\n',
        "[" * 100_000 + "\n",
        "",
    ],
)
def test_codex_a_damaged_history_falls_back_to_the_newest_day(homes: Homes, history: str) -> None:
    resumed_setup(homes, history)
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 3.0


def test_codex_a_history_that_is_a_fifo_or_a_link_is_not_read(homes: Homes, tmp_path) -> None:
    resumed_setup(homes, None)
    outside = tmp_path / "elsewhere.jsonl"
    outside.write_text(json.dumps({"session_id": uuid7(STARTED), "ts": 2, "text": "b"}) + "\n")
    (homes.codex / "history.jsonl").symlink_to(outside)
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 3.0
    (homes.codex / "history.jsonl").unlink()
    os.mkfifo(homes.codex / "history.jsonl")
    assert codex.read(homes.environ, NOW).windows[0].used_percent == 3.0


def test_codex_history_lookup_is_memoised_until_the_history_changes(
    homes: Homes, monkeypatch
) -> None:
    """A refresh after no new message reads no history (and so imports no json)."""
    from rulesync.status.memo import Memo

    resumed_setup(homes, '{"session_id":"ID","ts":2,"text":"b"}\n')
    memo = Memo(homes.environ)
    assert codex.read(homes.environ, NOW, memo).windows[0].used_percent == 55.0
    memo.save()

    def no_read(path: str) -> None:
        raise AssertionError("the history was read again")

    monkeypatch.setattr(codex, "_last_history_session", no_read)
    assert codex.read(homes.environ, NOW, Memo(homes.environ)).windows[0].used_percent == 55.0
    monkeypatch.undo()
    with (homes.codex / "history.jsonl").open("a") as handle:  # a message in another session
        handle.write('{"session_id":"not-a-uuid","ts":3,"text":"c"}\n')
    memo = Memo(homes.environ)
    assert codex.read(homes.environ, NOW, memo).windows[0].used_percent == 3.0  # the newest day
    assert codex._history_session(str(homes.codex / "history.jsonl"), memo) is None


def test_a_refresh_where_nothing_changed_imports_no_json(homes: Homes, tmp_path) -> None:
    """The status line's second refresh, with a Codex history, a resumed session and the
    memo from the first: no json (nor re, sqlite3, pathlib, dataclasses, typing)."""
    import subprocess
    import sys

    resumed_setup(homes, '{"session_id":"ID","ts":2,"text":"b"}\n')
    environ = {**os.environ, **homes.environ, "NO_COLOR": "1"}
    environ.pop("PYTHONDONTWRITEBYTECODE", None)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    runs = [
        subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "rulesync", "status"],
            cwd=outside,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
        )
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0], runs[1].stderr
    assert "codex" in runs[1].stdout
    first = {line.rsplit("|", 1)[-1].strip() for line in runs[0].stderr.splitlines()}
    second = {line.rsplit("|", 1)[-1].strip() for line in runs[1].stderr.splitlines()}
    assert "json" in first  # the history and the session file were read
    heavy = {"json", "re", "sqlite3", "pathlib", "dataclasses", "typing"}
    assert second & heavy == set()
