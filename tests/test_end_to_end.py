"""The real flow over fixture reports into a temporary warehouse, queried with DuckDB."""
from __future__ import annotations

import duckdb
import pytest

from tests.conftest import query
from warehouse.schema import SCHEMAS

CONTRACT = {
    "reports": {"report_id": "VARCHAR", "source_path": "VARCHAR", "source_format": "VARCHAR",
                "source_encoding": "VARCHAR", "repairs": "VARCHAR[]", "script": "VARCHAR", "title": "VARCHAR",
                "issuing_body": "VARCHAR", "region": "VARCHAR", "province": "VARCHAR", "admin_level": "VARCHAR",
                "report_year": "INTEGER", "publish_date": "DATE", "doc_number": "VARCHAR", "text": "VARCHAR",
                "n_chars": "INTEGER"},
    "sections": {"report_id": "VARCHAR", "section_id": "VARCHAR", "parent_id": "VARCHAR", "level": "INTEGER",
                 "marker": "VARCHAR", "title": "VARCHAR", "canonical": "VARCHAR", "char_start": "INTEGER",
                 "char_end": "INTEGER"},
    "metrics": {"report_id": "VARCHAR", "section_id": "VARCHAR", "sentence": "VARCHAR", "surface": "VARCHAR",
                "value": "DOUBLE", "unit": "VARCHAR", "approx": "VARCHAR", "kind": "VARCHAR", "subject": "VARCHAR",
                "indicator": "VARCHAR", "char_start": "INTEGER", "char_end": "INTEGER"},
    "quarantine": {"source_path": "VARCHAR", "sha256": "VARCHAR", "stage": "VARCHAR", "reason": "VARCHAR",
                   "detail": "VARCHAR", "run_id": "VARCHAR", "at": "TIMESTAMP WITH TIME ZONE"},
    "runs": {"run_id": "VARCHAR", "flow_run_id": "VARCHAR", "started_at": "TIMESTAMP WITH TIME ZONE",
             "finished_at": "TIMESTAMP WITH TIME ZONE", "files_seen": "INTEGER", "files_new": "INTEGER",
             "reports_landed": "INTEGER", "quarantined": "INTEGER", "status": "VARCHAR"},
    "quality_results": {"run_id": "VARCHAR", "suite": "VARCHAR", "expectation": "VARCHAR", "column": "VARCHAR",
                        "success": "BOOLEAN", "unexpected_count": "INTEGER", "severity": "VARCHAR",
                        "details": "VARCHAR"},
}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_and_types(seeds_warehouse, table):
    con = duckdb.connect(str(seeds_warehouse / "warehouse.duckdb"), read_only=True)
    described = {name: kind for name, kind, *_ in con.execute(f"DESCRIBE {table}").fetchall()}
    con.close()
    for column, kind in CONTRACT[table].items():
        assert described.get(column) == kind, (table, column, described.get(column))


def test_seeds_land_with_sections_and_metrics(seeds_warehouse):
    [(n_reports, n_files)] = query(seeds_warehouse, "select count(*), count(distinct source_path) from reports")
    assert n_reports == n_files == 5
    per_report = query(seeds_warehouse, """
        select r.source_path,
               (select count(*) from sections s where s.report_id = r.report_id and s.level = 1),
               (select count(*) from metrics m where m.report_id = r.report_id)
        from reports r""")
    for path, top_level, quantities in per_report:
        assert top_level >= 3, path
        assert quantities >= 10, path
    # every span points into the report's text at what the row says is there
    bad = query(seeds_warehouse, """
        select count(*) from metrics m join reports r using (report_id)
        where substr(r.text, m.char_start + 1, m.char_end - m.char_start) <> m.surface""")
    assert bad == [(0,)]
    [(runs, status)] = query(seeds_warehouse, "select count(*), any_value(status) from runs")
    assert (runs, status) == (1, "completed")
    assert query(seeds_warehouse, "select count(*) > 0 from quality_results") == [(True,)]


def test_every_raw_file_lands_or_is_quarantined(raw_warehouse):
    from tests.conftest import RAW

    files = {p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file()}
    landed = {p for (p,) in query(raw_warehouse, "select source_path from reports")}
    held = {p for (p,) in query(raw_warehouse, "select source_path from quarantine")}
    assert landed | held == files
    assert not landed & held
    formats = {f for (f,) in query(raw_warehouse, "select distinct source_format from reports")}
    assert {"txt", "html", "pdf"} <= formats


def test_schema_module_covers_contract():
    for table, columns in CONTRACT.items():
        assert set(columns) <= set(SCHEMAS[table].names), table
