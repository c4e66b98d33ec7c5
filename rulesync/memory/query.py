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
    text = _TEXT_TABLE if _has_text_table(connection) else _FTS_TABLE
    sql = (
        f"SELECT {_PREFIXED} FROM {text} JOIN files f ON f.rowid = t.rowid WHERE"
        " (t.title LIKE :pattern ESCAPE '\\' OR t.description LIKE :pattern ESCAPE '\\'"
        " OR t.body LIKE :pattern ESCAPE '\\')"
        + (" AND f.category = :category" if category else "")
        + " ORDER BY f.updated DESC, f.id LIMIT :limit"
    )
    # named parameters: numbered ones with a sequence stop working in Python 3.14
    arguments = {"pattern": pattern, "limit": limit, "category": category}
    return connection.execute(sql, arguments).fetchall()


#: The folded text, read where FTS5 keeps it: its content table `fts_content` (columns c0,
#: c1, c2 in the order of `fts`'s columns, `id` its rowid). Scanning it costs half of
#: scanning `fts` itself, which reads the same rows through the virtual table.
_TEXT_TABLE = "(SELECT id AS rowid, c0 AS title, c1 AS description, c2 AS body FROM fts_content) t"
_FTS_TABLE = "fts t"
_HAS_TEXT_TABLE = (
    "SELECT count(*) FROM pragma_table_info('fts_content') WHERE name IN ('id', 'c0', 'c1', 'c2')"
)


def _has_text_table(connection: sqlite3.Connection) -> bool:
    """Whether FTS5 keeps the text where `_TEXT_TABLE` reads it (else `fts` is scanned)."""
    return int(connection.execute(_HAS_TEXT_TABLE).fetchone()[0]) == 4


def as_dict(values: tuple[str, ...]) -> dict[str, str]:
    """A raw row as `Row.as_dict` gives it (the same keys, in the same order)."""
    scope, _name, entry_id, category, title, description, created, updated, verified, agent = values
    return {
        "id": entry_id, "scope": scope, "category": category, "title": title,
        "description": description, "created": created, "updated": updated,
        "last_verified": verified, "agent": agent,
    }  # fmt: skip
