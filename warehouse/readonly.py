"""A read-only, sandboxed DuckDB session over the warehouse, for analysts' queries (`fazhi sql`).

Three locks, each closing what the others leave open:
- the database file is opened `read_only`, so no statement can change the views;
- file access is limited to the warehouse's snapshots (`allowed_directories`) with
  `enable_external_access=false`, so `read_csv('/etc/passwd')`, ATTACH, COPY TO, INSTALL/LOAD and
  URLs are refused by DuckDB itself; `lock_configuration` keeps a query from switching this back;
- only one SELECT-like statement (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)
  is accepted, which also refuses COPY ... TO a file inside the snapshot and temporary tables.

Memory is capped too (MEMORY_LIMIT, or `--memory-limit`): DuckDB's own default, 80 % of the machine's
memory, lets one heavy query starve a run going on beside it; past the cap DuckDB spills to a
temporary folder of the caller's.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.store import Warehouse

READ_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
MEMORY_LIMIT = "2GB"


class QueryRefused(ValueError):
    """A statement `fazhi sql` will not run; the message says why and what is allowed."""


def check_query(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but exactly one read-only statement."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"the query does not parse: {exc}") from exc
    if len(statements) != 1:
        raise QueryRefused(f"give exactly one statement (got {len(statements)}); run several queries one by one")
    kind = statements[0].type
    if kind not in READ_STATEMENTS:
        raise QueryRefused(f"{kind.name} statements are refused: `fazhi sql` only reads (SELECT, WITH, "
                           "DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); export results with --format csv|json instead")


def connect(warehouse_dir: Path, spill_dir: Path, memory_limit: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """Open DIR/warehouse.duckdb read-only, able to read only the warehouse's snapshot files, within
    `memory_limit` (DuckDB's units: 500MB, 2GB), spilling what does not fit into `spill_dir`."""
    wh = Warehouse(warehouse_dir)
    con = duckdb.connect(str(wh.root / "warehouse.duckdb"), read_only=True,
                         config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        con.execute("SET memory_limit = ?", [memory_limit])
        con.execute("SET temp_directory = ?", [str(spill_dir)])
        # the views name one snapshot's folder, '<root>/snapshots/<id>/<table>/*.parquet'
        # (warehouse/store.py); a session opened just before a swap keeps reading the older one
        con.execute("SET allowed_directories = $dirs", {"dirs": [f"{wh.root / 'snapshots'}/"]})
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def is_refusal(exc: duckdb.Error) -> bool:
    """DuckDB's own refusals: file access outside the warehouse, locked settings, read-only writes."""
    return isinstance(exc, duckdb.PermissionException) or "read-only mode" in str(exc) \
        or "configuration has been locked" in str(exc)
