"""Schema versions of the forum file and the steps that carry old files forward.

A forum written by an older version of the app opens in a newer one: every step
``N -> N+1`` is a pure function over the raw tables (``{table: {"id": doc}}``), registered in
``MIGRATIONS`` under ``N``. The writer keeps a copy of the old file as a backup, then rewrites
the file at ``CURRENT_SCHEMA``; a read-only open migrates in memory only. A file newer than
``CURRENT_SCHEMA`` is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable

from store.storage_state import Tables

CURRENT_SCHEMA = 2

Migration = Callable[[Tables], Tables]


def _table_lines(tables: Tables) -> Tables:
    """Schema 2 writes a snapshot's records as table lines (``store.storage_archive``): the
    records themselves are as they were, so the step is the file's rewrite alone."""
    return tables


#: ``MIGRATIONS[N]`` turns schema N tables into schema N+1 tables. Schema 1 is the first.
MIGRATIONS: dict[int, Migration] = {1: _table_lines}


class MigrationMissing(LookupError):
    """No registered path from the file's schema to the current one."""


def migrate(tables: Tables, schema: int, target: int = CURRENT_SCHEMA) -> Tables:
    """Apply every step from ``schema`` up to ``target``, in order."""
    for version in range(schema, target):
        step = MIGRATIONS.get(version)
        if step is None:
            raise MigrationMissing(f"tidak ada langkah migrasi dari skema {version}")
        tables = step(tables)
    return tables
