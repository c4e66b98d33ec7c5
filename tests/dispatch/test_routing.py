"""Quota-aware routing: skip until reset, the avoid_above threshold, --ignore-limits,
every target exhausted (exit 75 with the earliest reset), and --explain."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from rulesync.dispatch import runlog
from rulesync.dispatch.settings import parse_settings
from rulesync.errors import ConfigError
from rulesync.status.timefmt import as_epoch


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch))


def quota_row(fakes, target: str, ago: float, reset: str | None) -> None:
    """A real quota failure of `target`, `ago` seconds ago, in the run log."""
    row = runlog.Row(
        "old",
        1,
        None,
        target,
        None,
        "quota",
        75,
        1,
        1.0,
        _iso(time.time() - ago),
        2,
        "0" * 64,
        None,
        reset,
        f"{target} hit a rate limit",
        "/p",
    )
    runlog.append(fakes.log, row)


def codex_usage(fakes, used: float) -> None:
    now = time.time()
    folder = fakes.state_dir.parent / "codex-home" / "sessions" / time.strftime("%Y/%m/%d")
    folder.mkdir(parents=True, exist_ok=True)
    limits = {
        "primary": {"used_percent": used, "window_minutes": 300, "resets_at": now + 3600},
        "secondary": {"used_percent": 10.0, "window_minutes": 10080, "resets_at": now + 86400},
    }
    event = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 10)),
        "type": "event_msg",
        "payload": {"type": "token_count", "rate_limits": limits},
    }
    (folder / "rollout-x.jsonl").write_text(json.dumps(event) + "\n")


def attempts(stdout: str) -> list[tuple[str, str, bool]]:
    return [(a["target"], a["class"], a["skipped"]) for a in json.loads(stdout)["attempts"]]


def test_a_quota_failure_skips_the_target_until_its_reset(
    fakes, fake_api, project: Path, run_cli
) -> None:
    fakes.mode("gemini", "quota")
    first = run_cli(
        "-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "--json", "hi"
    )
    assert attempts(first.stdout) == [("gemini", "quota", False), ("claude", "ok", False)]
    (fakes.record_dir / "gemini.json").unlink()

    second = run_cli(
        "-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "--json", "hi"
    )
    assert second.exit_code == 0
    assert not fakes.called("gemini")
    assert attempts(second.stdout) == [("gemini", "quota", True), ("claude", "ok", False)]
    skipped = json.loads(second.stdout)["attempts"][0]
    assert skipped["message"].startswith("skipped gemini: out of quota until ")
    assert "quota error" in skipped["message"] and "resets after 2h30m" in skipped["message"]
    assert skipped["returncode"] is None
    assert "rulesync: skipped gemini: out of quota until " in second.stderr
    with sqlite3.connect(fakes.log) as db:
        rows = db.execute(
            "SELECT target, class, returncode, message FROM attempts ORDER BY id"
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows[-2:]] == [
        ("gemini", "quota", None),
        ("claude", "ok", 0),
    ]
    assert rows[-2][3].startswith("skipped gemini: out of quota until ")


def test_after_the_reset_the_target_is_tried_again(fakes, fake_api, project: Path, run_cli) -> None:
    quota_row(fakes, "gemini", ago=3 * 3600, reset="after 2h30m")
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "hi")
    assert result.exit_code == 0
    assert fakes.called("gemini") and not fakes.called("claude")


def test_an_unknown_reset_holds_for_the_default_only(
    fakes, fake_api, project: Path, run_cli
) -> None:
    quota_row(fakes, "gemini", ago=60, reset=None)
    run_cli("-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "hi")
    assert not fakes.called("gemini")
    fakes.log.unlink()
    quota_row(fakes, "gemini", ago=3600, reset=None)
    run_cli("-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "hi")
    assert fakes.called("gemini")


def test_a_skip_is_not_read_as_a_new_quota_error(fakes, fake_api, project: Path, run_cli) -> None:
    quota_row(fakes, "gemini", ago=3 * 3600, reset="after 2h30m")  # long reset
    with sqlite3.connect(fakes.log) as db:  # a skip logged later, with no return code
        db.execute(
            "INSERT INTO attempts (run_id, attempt, target, class, exit_code, returncode, duration_s,"
            " started_at, prompt_bytes, prompt_sha256, reset_time, message, cwd) VALUES"
            " ('s', 1, 'gemini', 'quota', 75, NULL, 0, ?, 1, '', NULL, 'skipped gemini', '/')",
            (_iso(time.time() - 60),),
        )
    run_cli("-C", project, "dispatch", "--to", "gemini", "hi")
    assert fakes.called("gemini")


def test_avoid_above_tries_a_busy_target_last(fakes, fake_api, build_tree, run_cli) -> None:
    project = build_tree(
        {"rulesync.yaml": "targets: [claude, codex]\ndispatch:\n  avoid_above: 90%\n"}
    )
    codex_usage(fakes, 95.0)
    result = run_cli(
        "-C", project, "dispatch", "--to", "codex", "--fallback", "claude", "--json", "hi"
    )
    assert result.exit_code == 0
    assert attempts(result.stdout) == [("claude", "ok", False)]
    assert not fakes.called("codex")


def test_avoid_above_below_the_threshold_keeps_the_order(
    fakes, fake_api, build_tree, run_cli
) -> None:
    project = build_tree(
        {"rulesync.yaml": "targets: [claude, codex]\ndispatch:\n  avoid_above: 90\n"}
    )
    codex_usage(fakes, 89.0)
    result = run_cli(
        "-C", project, "dispatch", "--to", "codex", "--fallback", "claude", "--json", "hi"
    )
    assert attempts(result.stdout) == [("codex", "ok", False)]


def test_a_deferred_target_still_runs_when_it_is_the_only_one(
    fakes, fake_api, build_tree, run_cli
) -> None:
    project = build_tree({"rulesync.yaml": "targets: [codex]\ndispatch:\n  avoid_above: 50%\n"})
    codex_usage(fakes, 95.0)
    assert run_cli("-C", project, "dispatch", "--to", "codex", "hi").exit_code == 0
    assert fakes.called("codex")


def test_a_window_at_100_percent_skips_until_it_resets(
    fakes, fake_api, project: Path, run_cli
) -> None:
    codex_usage(fakes, 100.0)
    result = run_cli(
        "-C", project, "dispatch", "--to", "codex", "--fallback", "claude", "--json", "hi"
    )
    assert attempts(result.stdout) == [("codex", "quota", True), ("claude", "ok", False)]
    assert (
        "100% used per Codex CLI session log" in json.loads(result.stdout)["attempts"][0]["message"]
    )


def test_ignore_limits_runs_the_chain_as_given(fakes, fake_api, project: Path, run_cli) -> None:
    quota_row(fakes, "gemini", ago=60, reset="after 2h30m")
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "--ignore-limits", "hi")
    assert result.exit_code == 0
    assert fakes.called("gemini")


def test_every_target_exhausted_is_exit_75_with_the_earliest_reset(
    fakes, fake_api, project: Path, run_cli
) -> None:
    quota_row(fakes, "gemini", ago=60, reset="after 2h")
    quota_row(fakes, "claude", ago=60, reset="after 1h")
    result = run_cli(
        "-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "--json", "hi"
    )
    assert result.exit_code == 75
    assert not fakes.called("gemini") and not fakes.called("claude")
    data = json.loads(result.stdout)
    assert data["class"] == "quota" and data["exit_code"] == 75 and not data["ok"]
    back = time.strftime("%H:%M", time.localtime(time.time() - 60 + 3600))
    assert data["message"] == (
        f"every target is out of quota (gemini, claude); the earliest back is claude at {back}"
    )
    with sqlite3.connect(fakes.log) as db:
        (started,) = db.execute(
            "SELECT started_at FROM attempts WHERE target = 'claude'"
        ).fetchone()
    assert data["reset_time"] == _iso(as_epoch(started) + 3600)  # the earliest, claude's
    assert [a["skipped"] for a in data["attempts"]] == [True, True]
    assert "rulesync: quota: every target is out of quota (gemini, claude)" in result.stderr
    assert "(exit 75, run " in result.stderr


def test_explain_runs_nothing(fakes, fake_api, project: Path, run_cli) -> None:
    quota_row(fakes, "gemini", ago=60, reset="after 2h")
    result = run_cli(
        "-C", project, "dispatch", "--to", "gemini", "--fallback", "claude", "--explain"
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. gemini  skip   out of quota until ")
    assert lines[1].startswith("2. claude  run    ")
    assert lines[2] == "order: claude"
    assert not fakes.called("gemini") and not fakes.called("claude")
    assert fake_api.calls == []
    assert not any(
        row
        for row in sqlite3.connect(fakes.log).execute(
            "SELECT 1 FROM attempts WHERE run_id != 'old'"
        )
    )


def test_explain_json_and_exhausted(fakes, fake_api, project: Path, run_cli) -> None:
    quota_row(fakes, "gemini", ago=60, reset="after 2h")
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "--explain", "--json")
    assert result.exit_code == 75
    data = json.loads(result.stdout)
    assert data["order"] == []
    assert data["decisions"][0]["action"] == "skip"
    assert data["message"].startswith(
        "every target is out of quota (gemini); the earliest back is gemini at "
    )


def test_a_prompt_is_still_needed_without_explain(fakes, fake_api, project: Path, run_cli) -> None:
    result = run_cli("-C", project, "dispatch", "--to", "claude")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def line_of(*key_path: object) -> int:
    return 7


@pytest.mark.parametrize(
    ("value", "expected"), [("90%", 90.0), (90, 90.0), (12.5, 12.5), ("100 %", 100.0)]
)
def test_avoid_above_values(value: object, expected: float) -> None:
    assert parse_settings({"avoid_above": value}, line_of).avoid_above == expected


@pytest.mark.parametrize("value", [0, 101, "ninety", True, "90%%", [90], -5])
def test_avoid_above_bad_values(value: object) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings({"avoid_above": value}, line_of)
    assert str(caught.value) == (
        "rulesync.yaml:7: `dispatch.avoid_above`: must be a percentage above 0 and at most 100 "
        "(e.g. `avoid_above: 90%`)"
    )
