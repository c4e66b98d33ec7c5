"""`review`: unverified entries, missing paths and near-duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rulesync.memory.entry import Entry
from rulesync.memory.review import (
    contradictions,
    missing_paths,
    near_duplicates,
    review,
    unverified,
)

TODAY = dt.date(2026, 11, 27)


def entry(
    entry_id: str,
    title: str,
    description: str = "d",
    body: str = "",
    category: str = "project",
    verified: dt.date = TODAY,
    updated: dt.date = TODAY,
) -> Entry:
    return Entry(entry_id, category, title, description, body, TODAY, updated, verified, "x")


def test_unverified_counts_days_since_last_verified() -> None:
    old = entry("old", "Old", verified=TODAY - dt.timedelta(days=91))
    edge = entry("edge", "Edge", verified=TODAY - dt.timedelta(days=90))
    findings = unverified([old, edge], TODAY, 90)
    assert [(f.kind, f.id, f.message) for f in findings] == [
        ("unverified", "old", "last verified 2026-08-28, over 90 days ago")
    ]


def test_missing_paths_only_for_backticked_paths_in_the_project(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("")
    entries = [
        entry("a", "A", body="See `src/app.py`, `src/gone.py`, `README.md` and `1.2.3`."),
        entry("b", "B", description="`docs/` and `/etc/hosts` and `uv sync`"),
        entry("u", "U", body="`nowhere/x.py`", category="user"),
    ]
    findings = missing_paths(entries, tmp_path)
    assert [(f.id, f.message) for f in findings] == [
        ("a", "names `src/gone.py`, which is not in the project"),
        ("a", "names `README.md`, which is not in the project"),
        ("b", "names `docs/`, which is not in the project"),
    ]


def test_near_duplicates_share_most_words_within_a_category() -> None:
    entries = [
        entry("deploy-1", "Deploys happen on Friday", "release train every Friday"),
        entry("deploy-2", "Deploys happen Friday", "the release train, every Friday"),
        entry("other", "Deploys are frozen in December", "no release then"),
        entry("fb", "Deploys happen on Friday", "release train every Friday", category="feedback"),
    ]
    findings = near_duplicates(entries)
    assert [(f.id, f.other) for f in findings] == [("deploy-1", "deploy-2")]
    assert findings[0].message.endswith("of its words are in `deploy-2`")


def test_near_duplicates_ignore_words_in_many_entries() -> None:
    entries = [entry(f"e{n}", f"Common shared words {n}", f"x{n}") for n in range(60)]
    assert near_duplicates(entries) == []


def test_review_combines_all_three(tmp_path: Path) -> None:
    entries = [
        entry("a", "Same thing here", "twice", verified=TODAY - dt.timedelta(days=400)),
        entry("b", "Same thing here", "twice", body="`missing.txt`"),
    ]
    kinds = sorted(f.kind for f in review(entries, tmp_path, TODAY, 30))
    assert kinds == ["missing-path", "near-duplicate", "unverified"]


LAST_MONTH = TODAY - dt.timedelta(days=30)


def test_contradicts_a_newer_entry_that_says_no() -> None:
    old = entry("old", "Deploy on Fridays", "we deploy every Friday", updated=LAST_MONTH)
    new = entry("new", "Deploys on Fridays", "never deploy on a Friday any more")
    findings = contradictions([new, old])
    assert [(f.kind, f.id, f.other) for f in findings] == [("contradicts", "old", "new")]
    assert findings[0].message == (
        "contradicts `new` (updated 2026-11-27): one of them says no where the other does not"
    )


def test_contradicts_a_newer_entry_with_other_values() -> None:
    old = entry("py", "Python version", "CI runs `3.10`", updated=LAST_MONTH)
    new = entry("py2", "Python version of CI", "CI runs `3.12` now")
    findings = contradictions([old, new])
    assert [(f.id, f.other) for f in findings] == [("py", "py2")]
    assert "it names 3.10, the newer one 3.12" in findings[0].message


def test_no_contradiction_without_disagreement_subject_or_age() -> None:
    same_claim = [
        entry("a", "Release branch", "release from `main`", updated=LAST_MONTH),
        entry("b", "Release branch naming", "we release from `main`"),
    ]
    other_subject = [
        entry("c", "Cache folder", "never commit it", updated=LAST_MONTH),
        entry("d", "Release notes", "written by hand"),
    ]
    other_category = [
        entry("e", "Umlauts", "keep them", updated=LAST_MONTH),
        entry("f", "Umlauts", "never keep them", category="feedback"),
    ]
    same_day = [entry("g", "Port", "port `8080`"), entry("h", "Port", "port `9090`")]
    for pair in (same_claim, other_subject, other_category, same_day):
        assert contradictions(pair) == [], pair


def test_review_reports_contradictions(tmp_path: Path) -> None:
    entries = [
        entry("a", "Build tool", "we use `pip`", updated=LAST_MONTH),
        entry("b", "Build tool", "we use `uv`, not pip"),
    ]
    assert "contradicts" in {f.kind for f in review(entries, tmp_path, TODAY, 90)}
