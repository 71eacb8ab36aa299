"""`fazhi report`: the page's charts say what the warehouse holds, and the page loads nothing."""
from __future__ import annotations

import doctest
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flows import charts
from flows.cli import main
from flows.report import REPORT_NAME, build_report
from stages.indicators import load_table
from tests.conftest import ROOT, query
from tests.warehouse_builder import build_warehouse, demo_tables

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("report") / "w", **demo_tables())


@pytest.fixture(scope="module")
def page(demo) -> str:
    return build_report(demo).read_text(encoding="utf-8")


def chart(page: str, heading: str) -> ET.Element | None:
    """The SVG drawn under the section whose heading starts with `heading`."""
    match = re.search(rf"<h2>{re.escape(heading)}.*?</h2>.*?(<svg.*?</svg>|</section>)", page, re.S)
    assert match, f"no section {heading!r}"
    return ET.fromstring(match.group(1)) if match.group(1).startswith("<svg") else None


def bars(svg: ET.Element) -> dict[str, str]:
    """label -> value as written, from each bar's or cell's tooltip ("label: value")."""
    tips = (rect.findtext(f"{SVG_NS}title") for rect in svg.iter(f"{SVG_NS}rect"))
    return dict(tip.rsplit(": ", 1) for tip in tips if tip)


def test_chart_helpers_doctests():
    assert doctest.testmod(charts).failed == 0


def test_page_is_written_beside_the_warehouse_and_loads_nothing(demo, page):
    assert (demo / REPORT_NAME).is_file()
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import", page, re.I)
    # the only URL is the SVG namespace name, which is never fetched
    assert set(re.findall(r"https?://[^\"' )]+", page)) == {"http://www.w3.org/2000/svg"}


def test_reports_per_province_and_year(demo, page):
    cells = bars(chart(page, "各省每年入库报告数"))
    expected = query(demo, "select province || ' ' || report_year, count(*) from reports group by all")
    assert cells == {key: str(n) for key, n in expected}


def test_compliance_with_the_five_parts(demo, page):
    shares = bars(chart(page, "五个法定部分的齐备率"))
    (n,), = query(demo, "select count(*) from reports")
    (standalone, nested), = query(demo, """select count(*) filter (top = 1), count(*) filter (top > 1) from (
        select report_id, min(level) as top from sections where canonical = 'problems' group by report_id)""")
    (all_five,), = query(demo, """select count(*) from (select report_id from sections where level = 1 and canonical in
        ('achievements', 'problems', 'leader_duty', 'next_plan', 'suggestions')
        group by report_id having count(distinct canonical) = 5)""")
    assert nested > 0
    assert shares["存在的不足和原因 · 独立成章 standalone"] == charts.percent(standalone / n)
    assert shares["存在的不足和原因 · 嵌于他部分 nested"] == charts.percent(nested / n)
    assert shares["五部分齐全 · 独立成章 standalone"] == charts.percent(all_five / n) != "100%"
    assert len(shares) == 2 * 6


def test_most_reported_indicators(demo, page):
    drawn = bars(chart(page, "最常报告的指标"))
    expected = query(demo, "select indicator, count(distinct report_id) from metrics "
                           "where kind = 'level' and indicator is not null group by all")
    names = {key: ind.name_zh for key, ind in load_table().indicators.items()}
    assert drawn == {f"{names[key]} ({key})": str(n) for key, n in expected}


def test_distribution_across_places(demo, page, tmp_path):
    drawn = bars(chart(page, "指标在各地的分布"))
    (key, places), = query(demo, """select indicator, count(distinct region) from indicator_panel
        group by indicator order by 2 desc, 1 limit 1""")
    assert key in page and len(drawn) == places
    latest = dict(query(demo, f"""select region, arg_max(value, report_year) from indicator_panel
        where indicator = '{key}' group by region"""))
    assert drawn == {region: charts.number(v) for region, v in latest.items()}
    other = build_report(demo, tmp_path / "rate.html", indicator="principal_court_appearance_rate")
    assert "指标在各地的分布:principal_court_appearance_rate" in other.read_text(encoding="utf-8")


def test_quarantine_reasons_and_disagreements(demo, page):
    assert bars(chart(page, "隔离原因")) == {"not_a_report": "3", "undecodable": "1", "too_short": "1"}
    table = page[page.index("与上年数据不符的同比变化"):]
    assert "山西省甲县" in table and "50%" in table and "山西省乙县" not in table


def test_an_empty_warehouse_gives_a_page_without_charts(tmp_path):
    empty = build_warehouse(tmp_path / "w")
    text = build_report(empty).read_text(encoding="utf-8")
    assert "<svg" not in text and text.count('class="empty"') == 6


def test_cli_writes_the_page_where_asked(demo, tmp_path, capsys):
    out = tmp_path / "sub" / "page.html"
    assert main(["report", "--warehouse", str(demo), "--out", str(out)]) == 0
    assert out.is_file() and str(out.resolve()) in capsys.readouterr().out
    assert main(["report", "--warehouse", str(tmp_path / "nothing")]) == 2


def test_report_on_the_sample_warehouse(sample_warehouse, tmp_path):
    text = build_report(sample_warehouse, tmp_path / "sample.html").read_text(encoding="utf-8")
    (n,), = query(sample_warehouse, "select count(*) from reports")
    assert f"<b>{n}</b> 份报告入库" in text
    assert chart(text, "各省每年入库报告数") is not None and chart(text, "五个法定部分的齐备率") is not None


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_page_renders_in_headless_chromium(page, demo, tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from report_screenshot import screenshot

    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    shot = screenshot(demo / REPORT_NAME, tmp_path / "report.png")
    empty = screenshot(blank, tmp_path / "blank.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10 * empty.stat().st_size  # charts and text, not a blank page
