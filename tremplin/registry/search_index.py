"""The index behind the search by name: a part of a name finds the people at 100,000 files
without reading every file.

The search box finds a person by any part of their names (``search_text`` contains each
word typed, « ont » finds « Dupont »). A plain ``LIKE '%ont%'`` reads every row of the
territory: about 100 ms at 100,000 people. Both databases have an index of the text's
three-letter pieces (trigrams) that answers it:

- **PostgreSQL**: a GIN index with ``pg_trgm``'s operators on ``search_text``
  (migration ``registry.0009``); the same ``LIKE`` uses it, nothing changes in the query.
- **SQLite**: an FTS5 table with the ``trigram`` tokenizer (SQLite ≥ 3.34), whose content
  is ``registry_beneficiary.search_text`` and which triggers keep in step with every insert,
  update and delete (the ORM's, the import's bulk writes, the anonymisation's). It is
  (re)built after every ``migrate`` (``install``): a migration that rebuilds the people's
  table drops its triggers, and ``install`` puts them back and reads the table again.

A word of one or two letters has no trigram: it is searched by ``LIKE`` as before. The same
rows are found either way (tests/registry/test_search_index.py).
"""

from __future__ import annotations

import functools
import sqlite3

from django.db.models.expressions import RawSQL

TABLE = "registry_beneficiary_search"
TRIGGERS = {
    f"{TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON registry_beneficiary BEGIN
            INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    f"{TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON registry_beneficiary BEGIN
            INSERT INTO {TABLE}({TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
        END""",
    f"{TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_update
        AFTER UPDATE OF search_text ON registry_beneficiary BEGIN
            INSERT INTO {TABLE}({TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
            INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}
SHORTEST = 3  # a trigram's length: shorter words are searched by LIKE


@functools.cache
def sqlite_has_trigrams() -> bool:
    """Whether this process's SQLite has FTS5 and its trigram tokenizer (asked of a memory
    database once, so that no page spends a query on it)."""
    try:
        with sqlite3.connect(":memory:") as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    return True


def install(connection) -> bool:
    """Create the SQLite index and its triggers where missing, reading the people's table
    again when a trigger was missing (run after ``migrate``). True when the index is there."""
    if connection.vendor != "sqlite" or not sqlite_has_trigrams():
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        if TABLE not in present:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_text, "
                "content='registry_beneficiary', content_rowid='id', tokenize='trigram')"
            )
        missing = [name for name in TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(TRIGGERS[name])
        if TABLE not in present or missing:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")
    return True


def uses_index(connection, word: str) -> bool:
    return connection.vendor == "sqlite" and len(word) >= SHORTEST and sqlite_has_trigrams()


def ids_containing(word: str) -> RawSQL:
    """The people whose ``search_text`` contains ``word``, from the SQLite index: a phrase of
    the word's trigrams (double quotes doubled, as FTS5 asks)."""
    phrase = '"' + word.replace('"', '""') + '"'
    return RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [phrase])  # noqa: S611
