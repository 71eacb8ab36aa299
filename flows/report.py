"""`fazhi report`: one static, self-contained HTML page of charts over the warehouse's marts.

The page has no scripts and loads nothing: charts are inline SVG (flows/charts.py), so it opens from
disk, from a Prefect artifact link, or attached to an e-mail. `build_report` is what a flow calls
after a run; it reads the warehouse read-only.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import charts
from stages.indicators import load_table

REPORT_NAME = "report.html"
PARTS = {  # the five parts the 2019 规定 requires, as sections.canonical names them
    "achievements": "主要举措和成效",
    "problems": "存在的不足和原因",
    "leader_duty": "第一责任人履职",
    "next_plan": "下一年度主要安排",
    "suggestions": "其他需要报告的情况",
}
TOP_INDICATORS = 15
MAX_PLACES = 30
MEMORY_LIMIT = "1GB"  # DuckDB's for the page's queries (its default is 80 % of the machine's memory)
UNKNOWN = "(未知)"


class NoWarehouse(FileNotFoundError):
    """The folder holds no warehouse.duckdb (no run has landed there yet)."""


@dataclass
class Figures:
    """Everything the page shows, read from the warehouse in one go."""

    reports: int = 0
    quarantined: int = 0
    last_run: tuple | None = None  # (run_id, finished_at, status)
    per_province_year: list[tuple[str, str, int]] = field(default_factory=list)
    part_shares: list[tuple[str, tuple[float, float]]] = field(default_factory=list)  # standalone, nested
    indicators: list[tuple[str, int]] = field(default_factory=list)
    distribution_of: tuple[str, str] | None = None  # (indicator, unit)
    distribution: list[tuple[str, float]] = field(default_factory=list)
    quarantine_reasons: list[tuple[str, int]] = field(default_factory=list)
    disagreements: list[tuple] = field(default_factory=list)


def build_report(warehouse_dir: Path, out: Path | None = None, indicator: str | None = None) -> Path:
    """Write the page for the warehouse in `warehouse_dir` (default: DIR/report.html); return its path.

    indicator: the indicator whose spread across places is drawn (default: the one the most places
    state).
    """
    warehouse_dir = Path(warehouse_dir)
    out = Path(out) if out else warehouse_dir / REPORT_NAME
    page = render(read_figures(warehouse_dir, indicator), warehouse_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return out


@task(name="report-page", cache_policy=NO_CACHE)  # the warehouse changes under the same path
def report_task(warehouse_dir: Path) -> Path | None:
    """Rebuild the page after a run's commit; a failure here does not fail the run."""
    try:
        return build_report(warehouse_dir)
    except Exception as exc:
        get_run_logger().warning("report page not rebuilt: %s: %s", type(exc).__name__, exc)
        return None


def read_figures(warehouse_dir: Path, indicator: str | None = None) -> Figures:
    db = Path(warehouse_dir) / "warehouse.duckdb"
    if not db.exists():
        raise NoWarehouse(f"no warehouse at {db}; run `fazhi run RAW_DIR --warehouse {warehouse_dir}` first")
    with tempfile.TemporaryDirectory(prefix="fazhi-report-") as spill:
        con = duckdb.connect(str(db), read_only=True)
        try:
            con.execute("SET enable_progress_bar = false")  # a page build is not interactive
            # the marts' joins over every report's text take ~7 GB at 100,000 reports unbounded:
            # DuckDB keeps within this and spills the rest to a temporary folder (~1.5x slower)
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            con.execute("SET temp_directory = ?", [spill])
            return _figures(con, indicator)
        finally:
            con.close()


def _figures(con: duckdb.DuckDBPyConnection, indicator: str | None) -> Figures:
    def rows(sql: str, *params) -> list[tuple]:
        return con.execute(sql, list(params)).fetchall()

    f = Figures()
    # each mart is read twice below: computed once into this connection's temporary tables
    con.execute("CREATE TEMP TABLE coverage_now AS SELECT * FROM coverage")
    con.execute("CREATE TEMP TABLE panel_now AS SELECT * FROM indicator_panel")
    [(f.reports,)] = rows("select count(*) from reports")
    [(f.quarantined,)] = rows("select count(*) from quarantine")
    f.last_run = next(iter(rows("select run_id, finished_at, status from runs order by started_at desc limit 1")), None)
    f.per_province_year = rows(f"""
        select coalesce(province, '{UNKNOWN}'), coalesce(cast(report_year as varchar), '{UNKNOWN}'), sum(reports)
        from coverage_now group by all order by 1, 2""")
    if f.reports:
        # per part: the share with it as a top-level heading, and the share with it only nested
        parts = [*PARTS, "all_five"]
        sums = rows("select " + ", ".join(f"sum(standalone_{p}) / sum(reports), "
                                          f"sum(with_{p} - standalone_{p}) / sum(reports)" for p in parts)
                    + " from coverage_now")[0]
        labels = [*PARTS.values(), "五部分齐全"]
        f.part_shares = [(label, sums[2 * i: 2 * i + 2]) for i, label in enumerate(labels)]
    names = {key: ind.name_zh for key, ind in load_table().indicators.items()}
    f.indicators = [(f"{names.get(key, key)} ({key})", n) for key, n in rows(f"""
        select indicator, count(distinct report_id) as n from panel_now
        group by indicator order by n desc, indicator limit {TOP_INDICATORS}""")]
    picked = rows("""
        select indicator, unit from panel_now where ? is null or indicator = ?
        group by indicator, unit order by count(distinct region) desc, indicator, unit limit 1""",
                  indicator, indicator)
    if picked:
        f.distribution_of = picked[0]
        # each place's latest value of the indicator, in its most common unit
        f.distribution = rows(f"""
            select region, arg_max(value, report_year) as value from panel_now
            where indicator = ? and unit = ? group by region order by value desc, region
            limit {MAX_PLACES}""", *picked[0])
    f.quarantine_reasons = rows("select reason, count(*) as n from quarantine group by reason order by n desc, reason")
    f.disagreements = rows("""
        select region, report_year, indicator, prev_value, value, change_pct, stated_change_surface
        from yoy where disagrees order by region, report_year, indicator limit 20""")
    return f


def render(f: Figures, warehouse_dir: Path) -> str:
    """The page as one HTML string."""
    made = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    run = (f"最近一次运行 <code>{escape(str(f.last_run[0]))}</code>({escape(str(f.last_run[2]))})"
           if f.last_run else "尚无运行记录")
    years = sorted({y for _, y, _ in f.per_province_year})
    provinces = sorted({p for p, _, _ in f.per_province_year})
    cells = {(p, y): n for p, y, n in f.per_province_year}
    sections = [
        _section("各省每年入库报告数", "Reports landed per province and report year (view <code>coverage</code>).",
                 charts.heat_table(provinces, years, cells, "reports per province and year") if cells else None),
        _section("五个法定部分的齐备率", "Share of reports with each of the five parts the 2019 规定 requires: "
                 "as a top-level heading, or only inside another part (<code>coverage</code>, from "
                 "<code>compliance</code>); the dashed line is 100 %.",
                 charts.stacked_bar_chart(f.part_shares, "share of reports with each part", charts.percent, limit=1,
                                          segments=("独立成章 standalone", "嵌于他部分 nested"),
                                          colors=(charts.PALETTE[0], "#9ecae1"))
                 if f.part_shares else None),
        _section("最常报告的指标", f"Indicators by the number of reports that state them (top {TOP_INDICATORS}, "
                 "<code>indicator_panel</code>).",
                 charts.bar_chart(f.indicators, "reports per indicator", charts.number, color=charts.PALETTE[2])
                 if f.indicators else None),
        _distribution(f),
        _section("隔离原因", "Files that did not land, by reason (<code>quarantine</code>).",
                 charts.bar_chart(f.quarantine_reasons, "quarantined files per reason", color=charts.PALETTE[3])
                 if f.quarantine_reasons else None, empty="没有被隔离的文件 (no file was quarantined)."),
        _disagreements(f.disagreements),
    ]
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fazhi 法治政府建设年度报告 · 数据概览</title>
<style>{STYLE}</style></head>
<body>
<h1>法治政府建设年度报告 · 数据概览</h1>
<p class="lead"><b>{f.reports}</b> 份报告入库 (reports landed) · <b>{f.quarantined}</b> 个文件被隔离
(quarantined) · {run} · 生成于 {made} · 仓库 <code>{escape(str(Path(warehouse_dir).resolve()))}</code></p>
{"".join(sections)}
</body></html>
"""


def _section(title: str, caption: str, chart: str | None, empty: str = "暂无数据 (nothing to show yet).") -> str:
    body = chart if chart else f'<p class="empty">{escape(empty)}</p>'
    return f'<section><h2>{escape(title)}</h2><p class="caption">{caption}</p>{body}</section>'


def _distribution(f: Figures) -> str:
    if not f.distribution_of:
        return _section("指标在各地的分布", "One indicator's latest value per place (<code>indicator_panel</code>).", None)
    name, unit = f.distribution_of
    values = [v for _, v in f.distribution]
    middle = sorted(values)[len(values) // 2]
    return _section(
        f"指标在各地的分布:{name}",
        f"Latest value of <code>{escape(name)}</code> ({escape(unit)}) per place, highest first "
        f"({len(values)} places shown, median {escape(charts.number(middle))}; "
        "<code>fazhi report --indicator KEY</code> picks another).",
        charts.bar_chart([(f"{region}", v) for region, v in f.distribution], f"{name} per place",
                         color=charts.PALETTE[1]))


def _disagreements(rows: list[tuple]) -> str:
    if not rows:
        return _section("与上年数据不符的同比变化", "Stated 同比 changes that the previous report's level does "
                        "not support beyond rounding (<code>yoy.disagrees</code>).", None,
                        empty="没有发现不符 (none found).")
    head = "<tr><th>地区</th><th>年度</th><th>指标</th><th>上年</th><th>本年</th><th>计算变化</th><th>报告所述</th></tr>"
    body = "".join(
        f"<tr><td>{escape(r)}</td><td>{y}</td><td>{escape(i)}</td><td>{charts.number(p)}</td>"
        f"<td>{charts.number(v)}</td><td>{'' if pct is None else f'{pct:+.1f}%'}</td><td>{escape(s or '')}</td></tr>"
        for r, y, i, p, v, pct, s in rows)
    return _section("与上年数据不符的同比变化", "Stated 同比 changes that the previous report's level does not "
                    "support beyond rounding (<code>yoy.disagrees</code>).", f"<table>{head}{body}</table>")


STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
       "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
.lead { color: #444; } .caption { color: #666; font-size: .9em; } .empty { color: #999; font-style: italic; }
svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: .9em; } td, th { border: 1px solid #ddd; padding: 3px 8px; }
code { font-size: .9em; color: #555; }
"""
