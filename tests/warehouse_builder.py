"""A tiny warehouse built from rows a test writes, laid out as a run lands it (current -> snapshot)."""
from __future__ import annotations

from pathlib import Path

from warehouse.schema import SCHEMAS
from warehouse.store import Warehouse, to_table, write_parquet


def report(report_id: str, **columns) -> dict:
    """A `reports` row: every column NULL unless given."""
    row = dict.fromkeys(SCHEMAS["reports"].names)
    row.update(report_id=report_id, source_path=f"{report_id}.txt", **columns)
    return row


def section(report_id: str, section_id: str, canonical: str | None = None, level: int = 1, **columns) -> dict:
    row = dict.fromkeys(SCHEMAS["sections"].names)
    row.update(report_id=report_id, section_id=section_id, level=level, canonical=canonical, **columns)
    return row


def metric(report_id: str, indicator: str | None, value: float, unit: str, char_start: int,
           kind: str = "level", surface: str | None = None, **columns) -> dict:
    row = dict.fromkeys(SCHEMAS["metrics"].names)
    row.update(report_id=report_id, indicator=indicator, value=value, unit=unit, kind=kind,
               surface=surface or f"{value:g}{unit}", char_start=char_start, char_end=char_start + 4,
               **columns)
    return row


def build_warehouse(root: Path, **tables: list[dict]) -> Path:
    """Land the given rows (table name -> rows) as one snapshot and build warehouse.duckdb's views."""
    snapshot = root / "snapshots" / "built"
    for name in SCHEMAS:
        write_parquet(to_table(name, tables.get(name, [])), snapshot / name / "part.parquet")
    (root / "current").symlink_to(Path("snapshots") / "built")
    Warehouse(root).ensure_views()
    return root
