"""Adding to counter rows with `INSERT … ON CONFLICT … DO UPDATE`, on both databases.

`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n` is the same SQL on
SQLite and PostgreSQL and adds atomically (no read-modify-write, no lost
count). Django's bulk_create(update_conflicts=True) can only overwrite a
column with the new value, not add to it, hence the few lines of SQL here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import connection, models

from cchc.stats.models import VisitorDay

# Rows per INSERT statement (well under SQLite's limit on bound parameters).
UPSERT_CHUNK = 500


def _columns(model: type[models.Model], names: Iterable[str]) -> list[str]:
    qn = connection.ops.quote_name
    return [qn(model._meta.get_field(name).column) for name in names]


def _adapt(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def visitor_days_add(seen: dict[tuple, list]) -> dict[tuple, int]:
    """Upsert de-duplication rows; return each key's hits today including this batch."""
    table = connection.ops.quote_name(VisitorDay._meta.db_table)
    cols = _columns(VisitorDay, ("day", "visitor", "level", "ref", "hits", "last_seen"))
    day_c, visitor_c, level_c, ref_c, hits_c, seen_c = cols
    result: dict[tuple, int] = {}
    # Sorted, so that concurrent batches lock rows in the same order (no deadlock).
    items = sorted(seen.items())
    for chunk in range(0, len(items), UPSERT_CHUNK):
        part = items[chunk : chunk + UPSERT_CHUNK]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(part))
        params: list = []
        for (day, visitor, level, ref), (n, last_seen) in part:
            params += [_adapt(day), visitor, level, ref, n, _adapt(last_seen)]
        sql = (
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES {values} "  # noqa: S608 - names only
            f"ON CONFLICT ({day_c}, {visitor_c}, {level_c}, {ref_c}) DO UPDATE SET "
            f"{hits_c} = {table}.{hits_c} + excluded.{hits_c}, "
            f"{seen_c} = CASE WHEN excluded.{seen_c} > {table}.{seen_c} "
            f"THEN excluded.{seen_c} ELSE {table}.{seen_c} END "
            f"RETURNING {day_c}, {visitor_c}, {level_c}, {ref_c}, {hits_c}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        convert = _day_converter()
        for day, visitor, level, ref, hits in rows:
            result[(convert(day), visitor, level, ref)] = hits
    return result


def _day_converter():
    """The database returns dates from raw SQL as date (PostgreSQL) or text (SQLite)."""

    def convert(value):
        if isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))

    return convert


def upsert_add(
    model: type[models.Model],
    *,
    keys: Sequence[str],
    adds: Sequence[str],
    rows: Sequence[Sequence],
    replace: bool = False,
) -> None:
    """Insert rows, or add their `adds` columns to the existing rows' values.

    With replace=True the existing values are overwritten instead (idempotent
    loads such as the demo history).
    """
    if not rows:
        return
    if len(rows) > UPSERT_CHUNK:
        for chunk in range(0, len(rows), UPSERT_CHUNK):
            upsert_add(
                model,
                keys=keys,
                adds=adds,
                rows=rows[chunk : chunk + UPSERT_CHUNK],
                replace=replace,
            )
        return
    table = connection.ops.quote_name(model._meta.db_table)
    key_cols, add_cols = _columns(model, keys), _columns(model, adds)
    row_sql = "(" + ", ".join(["%s"] * (len(keys) + len(adds))) + ")"
    if replace:
        updates = ", ".join(f"{c} = excluded.{c}" for c in add_cols)
    else:
        updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in add_cols)
    sql = (
        f"INSERT INTO {table} ({', '.join(key_cols + add_cols)}) "  # noqa: S608 - names only
        f"VALUES {', '.join([row_sql] * len(rows))} "
        f"ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET {updates}"
    )
    params = [_adapt(value) for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
