"""`rulesync status`: each format, --json, --for claude on stdin, drift, and damaged inputs."""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path

import pytest

from rulesync.status import main as status_main

from .conftest import Homes, token_count

SAMPLE = Path(__file__).resolve().parents[2] / "sample-project"


def _now_event(primary: float, secondary: float = 10.0) -> dict[str, object]:
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 30))
    return token_count(primary, secondary, resets=now + 4350, when=stamp)


@pytest.fixture
def project(tmp_path: Path, run_cli) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    assert run_cli("-C", root, "mirror").exit_code == 0
    return root


def test_plain_line_outside_a_project(homes: Homes, tmp_path: Path, run_cli, monkeypatch) -> None:
    homes.session("2027/01/15", "rollout-a.jsonl", [_now_event(7)])
    monkeypatch.chdir(tmp_path)
    result = run_cli("status", "--for", "plain")
    assert result.exit_code == 0
    assert result.stdout == "claude ? · codex 5h 7% ↻1h12m · gemini ?\n"
    assert result.stderr == ""


def test_rules_ok_then_drift(homes: Homes, project: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(project)
    assert run_cli("status", "--for", "plain").stdout.endswith(" · rules ok · lint ?\n")
    assert run_cli("status", "--for", "plain").stdout.endswith(
        " · rules ok · lint ?\n"
    )  # from the memo
    claude_md = project / "CLAUDE.md"
    claude_md.write_text(claude_md.read_text(encoding="utf-8") + "\nhand edit\n", encoding="utf-8")
    assert run_cli("status", "--for", "plain").stdout.endswith(" · rules drift · lint ?\n")
    assert run_cli("-C", project, "status", "--for", "plain").stdout.endswith(
        " · rules drift · lint ?\n"
    )


def test_rules_error_on_a_broken_config(homes: Homes, project: Path, run_cli, monkeypatch) -> None:
    (project / "rulesync.yaml").write_text("targets: [nonsense\n", encoding="utf-8")
    monkeypatch.chdir(project)
    result = run_cli("status", "--for", "plain")
    assert result.exit_code == 0
    assert result.stdout.endswith(" · rules error · lint ?\n")


def test_json(homes: Homes, tmp_path: Path, run_cli, monkeypatch) -> None:
    homes.session("2027/01/15", "rollout-a.jsonl", [_now_event(95, 40)])
    monkeypatch.chdir(tmp_path)
    data = json.loads(run_cli("status", "--json").stdout)
    assert data["rules"] is None
    assert data["providers"]["claude"]["state"] == "missing"
    assert data["providers"]["claude"]["windows"] == []
    codex = data["providers"]["codex"]
    assert codex["state"] == "ok"
    assert [w["used_percent"] for w in codex["windows"]] == [95.0, 40.0]
    assert codex["out_of_quota_until"] is None
    assert codex["used_percent"] == 95.0


def test_tmux_colours(homes: Homes, tmp_path: Path, run_cli, monkeypatch) -> None:
    homes.session("2027/01/15", "rollout-a.jsonl", [_now_event(95)])
    monkeypatch.chdir(tmp_path)
    out = run_cli("status", "--for", "tmux").stdout
    assert "#[fg=red]codex 5h 95% ↻1h12m#[default]" in out
    assert "#[fg=colour244]claude ?#[default]" in out
    assert "\x1b[" not in out


def test_no_colour_when_not_a_tty(homes: Homes, tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = run_cli("status").stdout
    assert "\x1b[" not in out and "#[" not in out


def test_for_claude_reads_stdin_and_keeps_the_limits(
    homes: Homes, tmp_path: Path, run_cli, monkeypatch
) -> None:
    now = time.time()
    payload = {
        "model": {"display_name": "Opus 4.6"},
        "cost": {"total_cost_usd": 1.372},
        "context_window": {"context_window_size": 200000, "current_usage": {"input_tokens": 84000}},
        "rate_limits": {"five_hour": {"used_percentage": 62, "resets_at": now + 4350}},
    }
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(payload)))
    monkeypatch.setenv("NO_COLOR", "1")
    out = run_cli("status", "--for", "claude").stdout
    assert out == "Opus 4.6 · ctx 42% · $1.37 · claude 5h 62% ↻1h12m · codex ? · gemini ?\n"
    saved = (homes.state / "claude-limits.txt").read_text()
    assert saved.startswith("rulesync claude-limits 1\n")
    assert "\x1e5h\x1f62.0\x1f" in saved
    # and outside Claude, from what was kept
    assert run_cli("status", "--for", "plain").stdout.startswith("claude 5h 62% ↻1h12m · ")


@pytest.mark.parametrize(
    "stdin", ["", "{", "[1,2]", "null", "\udcff", '{"model": 3, "cost": {"total_cost_usd": "x"}}']
)
def test_for_claude_with_bad_stdin_still_prints(
    homes: Homes, tmp_path: Path, run_cli, monkeypatch, stdin: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    monkeypatch.setenv("NO_COLOR", "1")
    result = run_cli("status", "--for", "claude")
    assert result.exit_code == 0
    assert "claude ? · codex ? · gemini ?" in result.stdout


def test_damaged_everything_never_crashes(
    homes: Homes, tmp_path: Path, run_cli, monkeypatch
) -> None:
    homes.state.mkdir()
    (homes.state / "claude-limits.txt").write_bytes(b"\x00" * 10)
    (homes.state / "runs.sqlite3").write_bytes(b"garbage")
    (homes.state / "status-memo.txt").write_bytes(
        b"codex\x1f\x1f\x1e\x1e\x1f\xff\ndrift\x1f/\x1fok"
    )
    (homes.codex / "sessions" / "2027" / "01").mkdir(parents=True)
    (homes.codex / "sessions" / "2027" / "01" / "15").write_text("a file where a folder goes")
    homes.session(
        "2027/01/14",
        "rollout-a.jsonl",
        ["{" * 50_000, '{"payload": {"type": "token_count", "rate_limits": {"primary": []}}}'],
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("status", "--for", "plain")
    assert result.exit_code == 0
    assert result.stdout == "claude ? · codex ? · gemini ?\n"


def test_stale_is_shown_with_its_age(homes: Homes, tmp_path: Path, run_cli, monkeypatch) -> None:
    now = time.time()
    event = token_count(
        40,
        10,
        resets=now + 7200,
        when=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 3 * 3600)),
    )
    homes.session("2027/01/15", "rollout-a.jsonl", [event])
    monkeypatch.chdir(tmp_path)
    out = run_cli("status", "--for", "plain").stdout
    assert "codex 5h 40% ↻2h (3h old)" in out or "codex 5h 40% ↻1h59m (3h old)" in out


def test_quota_from_the_run_log(homes: Homes, tmp_path: Path, run_cli, monkeypatch) -> None:
    from rulesync.dispatch import runlog

    started = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 60))
    row = runlog.Row(
        "r",
        1,
        None,
        "gemini",
        None,
        "quota",
        75,
        1,
        1.0,
        started,
        1,
        "0" * 64,
        None,
        "in 2h",
        "m",
        "/",
    )
    runlog.append(homes.state / "runs.sqlite3", row)
    monkeypatch.chdir(tmp_path)
    out = run_cli("status", "--for", "plain").stdout
    reset = time.strftime("%H:%M", time.localtime(time.time() - 60 + 7200))
    assert f"gemini quota ↻{reset}" in out


def test_bad_option_is_exit_2(homes: Homes, run_cli) -> None:
    result = run_cli("status", "--for", "emacs")
    assert result.exit_code == 2
    assert "--for: use one of claude, tmux, plain" in result.stderr
    assert run_cli("status", "--bogus").exit_code == 2
    assert run_cli("status", "--help").stdout.startswith("Usage: rulesync status")


def test_never_writes_in_the_project(homes: Homes, project: Path, monkeypatch) -> None:
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    monkeypatch.chdir(project)
    assert status_main.main(["--json"]) == 0
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_vendor_words_in_json_are_escaped(
    homes: Homes, tmp_path: Path, run_cli, monkeypatch
) -> None:
    from rulesync.dispatch import runlog

    started = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 60))
    words = "in 2h \u202e\x9b"
    row = runlog.Row(
        "r",
        1,
        None,
        "gemini",
        None,
        "quota",
        75,
        1,
        1.0,
        started,
        1,
        "0" * 64,
        None,
        words,
        "m",
        "/",
    )
    runlog.append(homes.state / "runs.sqlite3", row)
    monkeypatch.chdir(tmp_path)
    out = run_cli("status", "--json").stdout
    assert "\u202e" not in out and "\x9b" not in out
    assert "\\u202e" in out
    assert "gemini quota ↻" in run_cli("status", "--for", "plain").stdout
