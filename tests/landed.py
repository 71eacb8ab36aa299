"""Helpers for tests that compare whole warehouses: the landed tables as sorted rows."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import query

# what two runs over the same files must agree on; run ids and times differ by nature
TABLES = ("reports", "sections", "metrics", "quarantine")
PER_RUN = ("run_id", "at")


def tables(warehouse: Path, keep_run_ids: bool = False, drop: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of the landed tables, sorted; run ids and times left out unless asked for."""
    out = {}
    for table in TABLES:
        columns = [name for (name,) in query(warehouse, f"select column_name from (describe {table})")]
        columns = [c for c in columns if c not in drop and (keep_run_ids or c not in PER_RUN)]
        cols = ", ".join(f'"{c}"' for c in columns)
        out[table] = sorted(query(warehouse, f"select {cols} from {table}"), key=repr)
    return out


def consistent(warehouse: Path) -> None:
    """No report twice, no section or metric without its report."""
    assert query(warehouse, "select count(*) - count(distinct report_id) from reports "
                            "where duplicate_of is null") == [(0,)]
    assert query(warehouse, "select count(distinct source_path) = count(*) from reports") == [(True,)]
    for table in ("sections", "metrics"):
        assert query(warehouse, f"select count(*) from {table} where report_id not in "
                                "(select report_id from reports)") == [(0,)], table


def copy_seeds(seeds: Path, dest: Path, names: list[str]) -> Path:
    """Writable copies of some seed files."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(seeds / name, dest / name)
    return dest
