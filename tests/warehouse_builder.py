"""A tiny warehouse built from rows a test writes, laid out as a run lands it (current -> snapshot)."""
from __future__ import annotations

import datetime as dt
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
    """A made-up warehouse where every chart of the report and every cookbook question has rows.

    Four provinces × three counties (甲县, 乙县, 丙县: invented places) over 2021–2023; figures follow
    fixed rules, no randomness. The cases the tests look for are spelled out below the loops.
    """
    provinces = ["山西省", "福建省", "江西省", "贵州省"]
    indicators = [("legal_aid_cases", "件"), ("admin_reconsideration_received", "件"),
                  ("principal_court_appearance_rate", "%"), ("admin_litigation_cases", "件"),
                  ("legal_publicity_events", "场")]
    tables: dict[str, list[dict]] = {"reports": [], "sections": [], "metrics": [], "quarantine": []}
    for p, province in enumerate(provinces):
        for c, county_name in enumerate("甲乙丙"):
            region = f"{province}{county_name}县"
            for year in range(2021, 2024 - (p + c) % 2):
                rid = f"{p}{c}{year}"
                # published between February and May of the next year: some after the 1 April deadline
                tables["reports"].append(report(
                    rid, region=region, province=province, admin_level="county", report_year=year,
                    publish_date=dt.date(year + 1, 2 + (p + c + year) % 4, 15), n_chars=4000 + 100 * p))
                parts = [part for part, left_out in (
                    ("achievements", False), ("problems", (p + c + year) % 4 == 0),
                    ("leader_duty", (p + c) % 3 == 0), ("next_plan", False), ("suggestions", year % 2 == 1))
                    if not left_out]
                tables["sections"] += [section(rid, str(i), part) for i, part in enumerate(parts, 1)]
                if "problems" not in parts and year == 2022:  # the problems told inside part one
                    tables["sections"].append(section(rid, "1.1", "problems", level=2, parent_id="1"))
                for k, (key, unit) in enumerate(indicators[: 5 - (p * c) % 4]):
                    tables["metrics"].append(metric(rid, key, _demo_value(p, c, year, k), unit, 10 * (k + 1),
                                                    sentence=f"{key}…"))
    # two stated 同比 changes of legal aid in 2022: 山西省甲县 (187 → 194 件) says +50 % (does not fit),
    # 山西省乙县 (198 → 85 件) says -57.1 % (fits)
    tables["metrics"] += [metric(rid, None, change, "%", 12, kind="change", sentence="legal_aid_cases…")
                          for rid, change in (("002022", 50), ("012022", -57.1))]
    # 行政复议 concluded: more than received in 福建省甲县 2021 (an error), fewer in 福建省乙县 2021
    tables["metrics"] += [
        metric("102021", "admin_reconsideration_concluded", _demo_value(1, 0, 2021, 1) + 5, "件", 25),
        metric("112021", "admin_reconsideration_concluded", _demo_value(1, 1, 2021, 1) - 3, "件", 25)]
    for n, reason in enumerate(["not_a_report", "not_a_report", "not_a_report", "undecodable", "too_short"]):
        tables["quarantine"].append({"source_path": f"demo/{n}.txt", "sha256": f"{n:064d}", "stage": "ingest",
                                     "reason": reason, "detail": "made-up row", "run_id": "demo", "at": None})
    return tables


def _demo_value(p: int, c: int, year: int, k: int) -> float:
    if k == 2:  # the court-appearance rate: mostly 100 %
        return 100.0 if (p + year) % 3 else 90.0 + (3 * p + c) % 10
    return float(80 + (p * 37 + c * 11 + year * 7 + k * 13) % 120)
