"""The search queries, shared by the index (`Index.search`) and the quick path of
`memory search` (`quick.py`), which runs them without importing the store.

Each returns raw rows in `COLUMNS` order: scope, name, id, category, title, description,
created, updated, last_verified, agent.
"""

from __future__ import annotations

from rulesync.memory.fold import fold, words

TYPE_CHECKING = False  # not from typing: `memory search` start-up counts
if TYPE_CHECKING:
    import sqlite3

COLUMNS = "scope, name, id, category, title, description, created, updated, last_verified, agent"
_PREFIXED = ", ".join("f." + column.strip() for column in COLUMNS.split(","))


def search(
    connection: sqlite3.Connection, query: str, category: str | None, limit: int
) -> list[tuple[str, ...]]:
    """Ranked full-text matches (BM25: title over description over body), else substrings."""
    terms = words(query)
    rows: list[tuple[str, ...]] = []
    if terms:
        match = " ".join(f'"{term}"*' for term in terms)
        sql = (
            f"SELECT {_PREFIXED} FROM fts JOIN files f ON f.rowid = fts.rowid"
            " WHERE fts MATCH ?"
            + (" AND f.category = ?" if category else "")
            + " ORDER BY bm25(fts, 10.0, 5.0, 1.0) LIMIT ?"
        )
        arguments: tuple[object, ...] = (match, category, limit) if category else (match, limit)
        rows = connection.execute(sql, arguments).fetchall()
    return rows or substring(connection, query, category, limit)


def substring(
    connection: sqlite3.Connection, query: str, category: str | None, limit: int
) -> list[tuple[str, ...]]:
    needle = fold(query).strip()
    if not needle:
        return []
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = (
        f"SELECT {_PREFIXED} FROM fts JOIN files f ON f.rowid = fts.rowid WHERE"
        " (fts.title LIKE :pattern ESCAPE '\\' OR fts.description LIKE :pattern ESCAPE '\\'"
        " OR fts.body LIKE :pattern ESCAPE '\\')"
        + (" AND f.category = :category" if category else "")
        + " ORDER BY f.updated DESC, f.id LIMIT :limit"
    )
    # named parameters: numbered ones with a sequence stop working in Python 3.14
    arguments = {"pattern": pattern, "limit": limit, "category": category}
    return connection.execute(sql, arguments).fetchall()


def as_dict(values: tuple[str, ...]) -> dict[str, str]:
    """A raw row as `Row.as_dict` gives it (the same keys, in the same order)."""
    scope, _name, entry_id, category, title, description, created, updated, verified, agent = values
    return {
        "id": entry_id, "scope": scope, "category": category, "title": title,
        "description": description, "created": created, "updated": updated,
        "last_verified": verified, "agent": agent,
    }  # fmt: skip
