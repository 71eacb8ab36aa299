"""The analyst marts of warehouse/marts.sql: their rules on hand-written rows, their invariants on
those rows and on the sample warehouse."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import query, records
from tests.warehouse_builder import build_warehouse, metric, report, section

PARTS = ("achievements", "problems", "leader_duty", "next_plan", "suggestions")


def county(report_id: str, year: int, region: str = "甲省乙县", **columns) -> dict:
    return report(report_id, region=region, province=region[:2], admin_level="county", report_year=year,
                  **columns)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    reports = [
        # 乙县: a report per year; 2022 landed twice (the later publication wins)
        county("a21", 2021),
        county("a22-early", 2022, publish_date=dt.date(2023, 2, 1)),
        county("a22", 2022, publish_date=dt.date(2023, 3, 20)),
        county("a23", 2023),
        county("a25", 2025),
        # 丙县: values written with 万 (rounded to 100s or 1000s)
        county("b22", 2022, region="甲省丙县"),
        county("b23", 2023, region="甲省丙县"),
        # no region: left out of the panel, counted in coverage
        report("nowhere", report_year=2022, province="丁省"),
    ]
    aid, court = "办理法律援助案件…件,同比增长…%。", "出庭应诉率…%,较上年提高…个百分点。"
    metrics = [
        metric("a21", "legal_aid_cases", 100, "件", 10, sentence=aid),
        metric("a21", "principal_court_appearance_rate", 90, "%", 20, sentence=court),
        metric("a22-early", "legal_aid_cases", 111, "件", 10, sentence=aid),
        # 2022: a change in a sentence of its own (pairs with nothing), the level and its change, then
        # a breakdown of the level
        metric("a22", None, 30, "%", 5, kind="change", sentence="结案率提高30%。"),
        metric("a22", "legal_aid_cases", 112, "件", 10, sentence=aid),
        metric("a22", "legal_aid_cases", 12, "%", 15, kind="change", sentence=aid),
        metric("a22", "legal_aid_cases", 40, "件", 30, sentence="其中…40件。"),
        metric("a22", "principal_court_appearance_rate", 95, "%", 40, sentence=court),
        metric("a22", None, 5, "百分点", 45, kind="change", sentence=court),
        metric("a22", None, 7, "次", 50, sentence="学法7次。"),
        metric("a23", "legal_aid_cases", 100, "件", 10, sentence=aid),
        metric("a23", None, -20, "%", 15, kind="change", sentence=aid),  # computed: -10.7 %
        metric("a23", "principal_court_appearance_rate", 100, "%", 40, approx="more_than", sentence=court),
        metric("a23", None, 3, "百分点", 45, kind="change", sentence=court),
        metric("a25", "legal_aid_cases", 150, "件", 10, sentence=aid),
        metric("a25", None, 50, "%", 15, kind="change", sentence=aid),  # 2024 is missing
        metric("b22", "hotline_12345_requests", 62000, "件", 10, surface="6.2万件"),
        # exact levels give 4.84 %; 6.0 % is within what rounding 6.2万 and 6.5万 can move
        metric("b23", "hotline_12345_requests", 65000, "件", 10, surface="6.5万件", sentence="热线受理…"),
        metric("b23", None, 6.0, "%", 15, kind="change", surface="6.0%", sentence="热线受理…"),
        # 2690 and 2467 with two changes (分别增长…): one to one; a rate then its points: the last level
        metric("b23", "admin_reconsideration_received", 2690, "件", 100, sentence="受理…审结…分别增长…"),
        metric("b23", "admin_reconsideration_concluded", 2467, "件", 110, sentence="受理…审结…分别增长…"),
        metric("b23", None, 58.61, "%", 120, kind="change", sentence="受理…审结…分别增长…"),
        metric("b23", None, 57.94, "%", 130, kind="change", sentence="受理…审结…分别增长…"),
        metric("b23", "admin_litigation_cases", 147, "件", 200, sentence="诉讼…败诉率…下降…"),
        metric("b23", "admin_litigation_loss_rate", 3.7, "%", 210, sentence="诉讼…败诉率…下降…"),
        metric("b23", None, -2.3, "百分点", 220, kind="change", sentence="诉讼…败诉率…下降…"),
        # three levels and two changes: which goes with which is not clear, so none pairs
        *(metric("b23", key, 10 + k, "件", 300 + 10 * k, sentence="三个数两个变化")
          for k, key in enumerate(["legal_aid_cases", "legal_consultations", "mediation_disputes_accepted"])),
        *(metric("b23", None, 5 + k, "%", 340 + 10 * k, kind="change", sentence="三个数两个变化") for k in range(2)),
        metric("nowhere", "legal_aid_cases", 9, "件", 10),
    ]
    sections = [
        *(section("a21", str(i), part) for i, part in enumerate(PARTS, 1)),
        section("a22", "1", "achievements"), section("a22", "2", "problems"),
        section("a22", "2.1", None, level=2), section("a22", "3", "other"),
        # a part nested at level 2 does not count in coverage
        section("a22-early", "1", "achievements"), section("a22-early", "1.1", "problems", level=2),
    ]
    return build_warehouse(tmp_path_factory.mktemp("marts") / "w", reports=reports, metrics=metrics,
                           sections=sections)


# --- indicator_panel -----------------------------------------------------------------------------

def test_panel_takes_the_first_level_statement_of_the_latest_publication(built):
    (row,) = records(built, "select * from indicator_panel where region = '甲省乙县' and report_year = 2022 "
                         "and indicator = 'legal_aid_cases'")
    assert (row["value"], row["unit"], row["report_id"]) == (112, "件", "a22")
    assert (row["n_statements"], row["n_reports"]) == (2, 2)
    assert (row["province"], row["admin_level"]) == ("甲省", "county")


def test_panel_leaves_out_changes_unknown_indicators_and_unplaced_reports(built):
    panel = records(built, "select * from indicator_panel")
    assert {r["report_id"] for r in panel} == {"a21", "a22", "a23", "a25", "b22", "b23"}
    assert all(r["indicator"] is not None for r in panel)
    rate_2022 = [r for r in panel if r["report_id"] == "a22" and r["indicator"].endswith("rate")]
    assert [r["value"] for r in rate_2022] == [95]


# --- yoy -----------------------------------------------------------------------------------------

def yoy_row(warehouse, region: str, year: int, indicator: str) -> dict:
    (row,) = records(warehouse, f"select * from yoy where region = '{region}' and report_year = {year} "
                             f"and indicator = '{indicator}'")
    return row


def test_yoy_computes_the_change_from_the_previous_report(built):
    row = yoy_row(built, "甲省乙县", 2022, "legal_aid_cases")
    assert (row["prev_year"], row["prev_value"], row["prev_report_id"]) == (2021, 100, "a21")
    assert row["change_abs"] == 12 and row["change_pct"] == pytest.approx(12.0)
    assert (row["stated_change"], row["stated_change_unit"], row["disagrees"]) == (12, "%", False)
    first = yoy_row(built, "甲省乙县", 2021, "legal_aid_cases")
    assert first["prev_year"] is None and first["change_abs"] is None and first["disagrees"] is None


def test_yoy_flags_a_stated_change_that_does_not_fit(built):
    row = yoy_row(built, "甲省乙县", 2023, "legal_aid_cases")
    assert row["change_pct"] == pytest.approx(-100 * 12 / 112)
    assert row["stated_change"] == -20 and row["disagrees"] is True


def test_yoy_compares_rate_points(built):
    row = yoy_row(built, "甲省乙县", 2022, "principal_court_appearance_rate")
    assert (row["change_abs"], row["stated_change_unit"], row["disagrees"]) == (5, "百分点", False)


def test_yoy_allows_for_the_rounding_of_the_levels(built):
    row = yoy_row(built, "甲省丙县", 2023, "hotline_12345_requests")
    assert row["change_pct"] == pytest.approx(100 * 3000 / 62000)
    assert row["disagrees"] is False


def test_yoy_pairs_stated_changes_with_levels_by_position(built):
    stated = dict(query(built, "select indicator, stated_change from yoy where report_id = 'b23'"))
    assert stated == {"hotline_12345_requests": 6.0, "admin_reconsideration_received": 58.61,
                      "admin_reconsideration_concluded": 57.94, "admin_litigation_cases": None,
                      "admin_litigation_loss_rate": -2.3, "legal_aid_cases": None, "legal_consultations": None,
                      "mediation_disputes_accepted": None}


@pytest.mark.parametrize(("year", "indicator", "why"), [
    (2025, "legal_aid_cases", "the previous report is two years back"),
    (2023, "principal_court_appearance_rate", "the level is approximate"),
])
def test_yoy_does_not_judge_what_cannot_be_compared(built, year, indicator, why):
    row = yoy_row(built, "甲省乙县", year, indicator)
    assert row["stated_change"] is not None and row["disagrees"] is None, why


# --- coverage ------------------------------------------------------------------------------------

def test_coverage_counts_parts_standalone_and_nested(built):
    cover = {(r["province"], r["report_year"]): r for r in records(built, "select * from coverage")}
    y2022 = cover[("甲省", 2022)]
    assert (y2022["reports"], y2022["with_achievements"], y2022["with_problems"]) == (3, 2, 2)
    assert (y2022["standalone_problems"], y2022["share_problems"]) == (1, pytest.approx(2 / 3))
    y2021 = cover[("甲省", 2021)]
    assert (y2021["with_all_five"], y2021["share_all_five"]) == (1, 1.0)
    assert (cover[("丁省", 2022)]["reports"], cover[("丁省", 2022)]["with_all_five"]) == (1, 0)


# --- invariants, on the hand-written rows and on the sample warehouse --------------------------

@pytest.fixture(params=["built", "sample_warehouse"])
def warehouse(request):
    return request.getfixturevalue(request.param)


def test_panel_grain_and_lineage(warehouse):
    assert query(warehouse, """
        select region, admin_level, report_year, indicator, count(*) from indicator_panel
        group by all having count(*) > 1""") == []
    assert query(warehouse, """
        select * from indicator_panel
        where region is null or report_year is null or indicator is null or value is null""") == []
    # each row is its report's first level statement of the indicator, and the report is that place's
    assert query(warehouse, """
        select p.* from indicator_panel p
        left join reports r using (report_id)
        where r.region is distinct from p.region or r.report_year is distinct from p.report_year
           or not exists (select 1 from metrics m where m.report_id = p.report_id and m.kind = 'level'
                          and m.indicator = p.indicator and m.char_start = p.char_start
                          and m.value = p.value)
           or exists (select 1 from metrics m where m.report_id = p.report_id and m.kind = 'level'
                      and m.indicator = p.indicator and m.char_start < p.char_start)
    """) == []


def test_yoy_grain_and_arithmetic(warehouse):
    (n_panel,), = query(warehouse, "select count(*) from indicator_panel")
    (n_yoy, n_keys), = query(warehouse, "select count(*), count(distinct (region, admin_level, "
                                        "report_year, indicator)) from yoy")
    assert n_yoy == n_keys == n_panel
    assert query(warehouse, """
        select * from yoy
        where (prev_value is null) <> (change_abs is null)
           or abs(change_abs - (value - prev_value)) > 1e-9
           or prev_year >= report_year
           or (stated_change is null and disagrees is not null)""") == []


def test_coverage_adds_up(warehouse):
    (landed,), = query(warehouse, "select count(*) from reports")
    (covered,), = query(warehouse, "select coalesce(sum(reports), 0) from coverage")
    assert covered == landed
    parts = ", ".join(f"with_{p}" for p in PARTS)
    assert query(warehouse, f"""
        select * from coverage
        where least({parts}) < 0 or greatest({parts}) > reports or with_all_five > least({parts})
           or {" or ".join(f"standalone_{p} > with_{p}" for p in PARTS)}
           or standalone_all_five > with_all_five or on_time + late > reports
           or abs(share_problems - with_problems / reports) > 1e-9
           or abs(share_all_five - with_all_five / reports) > 1e-9""") == []
