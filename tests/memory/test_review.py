"""`review`: unverified entries, missing paths and near-duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rulesync.memory.entry import Entry
from rulesync.memory.review import missing_paths, near_duplicates, review, unverified

TODAY = dt.date(2026, 11, 27)


def entry(
    entry_id: str,
    title: str,
    description: str = "d",
    body: str = "",
    category: str = "project",
    verified: dt.date = TODAY,
) -> Entry:
    return Entry(entry_id, category, title, description, body, TODAY, TODAY, verified, "x")


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
