"""The memory's records (`Frozen` subclasses) behave as the frozen dataclasses they replace."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import pytest

from rulesync.memory.entry import Entry
from rulesync.memory.index import Row, Unreadable

DAY = dt.date(2026, 11, 27)


def _entry(**changes: object) -> Entry:
    values: dict[str, object] = {
        "id": "a", "category": "project", "title": "T", "description": "D", "body": "B",
        "created": DAY, "updated": DAY, "last_verified": DAY, "agent": "cli",
    }  # fmt: skip
    values.update(changes)
    return Entry(**values)  # type: ignore[arg-type]


def test_equality_hash_and_repr_follow_the_fields_in_order() -> None:
    assert _entry() == _entry()
    assert _entry() != _entry(title="other")
    assert len({_entry(), _entry(), _entry(body="x")}) == 2
    assert repr(Unreadable("project", "x.md", "no front matter")) == (
        "Unreadable(scope='project', name='x.md', problem='no front matter')"
    )
    assert repr(_entry()).startswith("Entry(id='a', category='project', title='T', ")
    assert _entry() != Row("project", "a.md", "a", "project", "T", "D", DAY, DAY, DAY, "cli")


def test_a_record_is_immutable() -> None:
    entry = _entry()
    with pytest.raises(AttributeError, match="frozen"):
        entry.title = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="frozen"):
        del entry.title  # type: ignore[misc]
    with pytest.raises(AttributeError):
        entry.extra = 1  # type: ignore[attr-defined]
    assert entry.title == "T"


def test_replace_copies_with_changes_and_refuses_unknown_fields() -> None:
    entry = _entry()
    later = entry.edited(dt.date(2026, 12, 1), title="New")
    assert (later.title, later.updated, later.created) == ("New", dt.date(2026, 12, 1), DAY)
    assert entry.title == "T"  # unchanged
    with pytest.raises(TypeError, match="no field 'nope'"):
        entry.replace(nope=1)


def test_copy_and_pickle_give_an_equal_record() -> None:
    entry = _entry()
    assert copy.copy(entry) == entry
    assert copy.deepcopy(entry) == entry
    assert pickle.loads(pickle.dumps(entry)) == entry
    assert Unreadable("user", "x.md", "p").as_dict() == {
        "scope": "user",
        "name": "x.md",
        "problem": "p",
    }
