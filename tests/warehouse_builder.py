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


def demo_tables() -> dict[str, list[dict]]:
    """A made-up warehouse with every chart of the report filled: 4 provinces × 3 counties × 3 years.

    Places and figures are invented (counties 甲县…); values follow a fixed rule, no randomness.
    """
    provinces = ["山西省", "福建省", "江西省", "贵州省"]
    parts = ["achievements", "problems", "leader_duty", "next_plan", "suggestions"]
    indicators = [("legal_aid_cases", "件"), ("admin_reconsideration_received", "件"),
                  ("principal_court_appearance_rate", "%"), ("admin_litigation_cases", "件"),
                  ("legal_publicity_events", "场")]
    tables: dict[str, list[dict]] = {"reports": [], "sections": [], "metrics": [], "quarantine": []}
    for p, province in enumerate(provinces):
        for c, county_name in enumerate("甲乙丙"):
            region = f"{province}{county_name}县"
            for year in range(2021, 2024 - (p + c) % 2):
                rid = f"{p}{c}{year}"
                tables["reports"].append(report(rid, region=region, province=province, admin_level="county",
                                                report_year=year))
                for i, part in enumerate(parts[: 5 - (p + c + year) % 3], 1):
                    tables["sections"].append(section(rid, str(i), part))
                for k, (key, unit) in enumerate(indicators[: 5 - (p * c) % 4]):
                    value = 100.0 if unit == "%" and (p + year) % 3 else 80 + (p * 37 + c * 11 + year * 7 + k * 13) % 120
                    tables["metrics"].append(metric(rid, key, value, unit, 10 * (k + 1)))
    # two stated 同比 changes of legal aid in 2022: 山西省甲县 (187 → 194 件) says +50 % (does not fit),
    # 山西省乙县 (198 → 85 件) says -57.1 % (fits)
    tables["metrics"] += [metric("002022", "legal_aid_cases", 50, "%", 5, kind="change"),
                          metric("012022", "legal_aid_cases", -57.1, "%", 5, kind="change")]
    for n, reason in enumerate(["not_a_report", "not_a_report", "not_a_report", "undecodable", "too_short"]):
        tables["quarantine"].append({"source_path": f"demo/{n}.txt", "sha256": f"{n:064d}", "stage": "ingest",
                                     "reason": reason, "detail": "made-up row", "run_id": "demo", "at": None})
    return tables
