"""The compliance view: its rules on hand-written reports, and a row per landed seed report."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import query
from tests.warehouse_builder import build_warehouse, metric, report, section

# written for this test: a heading line, then problems named three ways
HEAD = "二、存在的问题\n"
ITEMS = "一是县市场监管局执法人员仅5名。二是普法形式单一。三是基层保障不足。"
CLAUSES = "执法力量不足;普法针对性不强;服务大局力度有待提高。"
SUB = "(一)执法不够规范。(二)区司法局审查力量薄弱。"


def text_with(problems: str) -> str:
    return "一、主要成效\n主要负责人认真履行推进法治建设第一责任人职责。\n" + HEAD + problems + "\n三、下一步安排\n继续推进。\n"


def spans(text: str, problems: str) -> dict[str, tuple[int, int]]:
    p = text.index(HEAD)
    return {"achievements": (0, p), "problems": (p, p + len(HEAD) + len(problems) + 1),
            "next_plan": (text.index("三、"), len(text))}


def sections_of(report_id: str, text: str, problems: str, **extra) -> list[dict]:
    s = spans(text, problems)
    return [section(report_id, str(n), part, char_start=a, char_end=b, **extra.get(part, {}))
            for n, (part, (a, b)) in enumerate(s.items(), 1)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    t_items, t_clauses, t_sub = text_with(ITEMS), text_with(CLAUSES), text_with(SUB)
    p_sub = t_sub.index(SUB)
    reports = [
        report("items", text=t_items, n_chars=len(t_items), report_year=2023, publish_date=dt.date(2024, 4, 1)),
        report("clauses", text=t_clauses, n_chars=len(t_clauses), report_year=2023,
               publish_date=dt.date(2024, 4, 2)),
        report("sub", text=t_sub, n_chars=len(t_sub), report_year=None, publish_date=dt.date(2024, 1, 1)),
        report("bare", text="一份没有提纲的文字。" * 30, n_chars=300, report_year=2022),
    ]
    sections = (
        sections_of("items", t_items, ITEMS)
        + sections_of("clauses", t_clauses, CLAUSES)
        + sections_of("sub", t_sub, SUB)
        + [section("sub", "2.1", None, level=2, parent_id="2", char_start=p_sub, char_end=p_sub + 9),
           section("sub", "2.2", None, level=2, parent_id="2", char_start=p_sub + 9, char_end=p_sub + len(SUB)),
           section("sub", "1.1", "leader_duty", level=2, parent_id="1", char_start=5, char_end=20),
           section("items", "4", "suggestions", char_start=len(t_items) - 1, char_end=len(t_items))]
    )
    five = t_items.index("5名")
    metrics = [metric("items", None, 5, "名", five), metric("items", None, 1, "次", 3)]
    return build_warehouse(tmp_path_factory.mktemp("compliance") / "w", reports=reports, sections=sections,
                           metrics=metrics)


def row(built, report_id: str) -> dict:
    con_rows = query(built, f"select * from compliance where report_id = '{report_id}'")
    names = [c for c, in query(built, "select column_name from (describe compliance)")]
    (values,) = con_rows
    return dict(zip(names, values, strict=True))


def test_a_row_per_report(built):
    assert query(built, "select count(*), count(distinct report_id) from compliance") == [(4, 4)]


def test_parts_standalone_nested_or_absent(built):
    items, sub, bare = row(built, "items"), row(built, "sub"), row(built, "bare")
    assert (items["achievements"], items["problems"], items["next_plan"], items["other_matters"]) == \
        ("standalone",) * 4
    assert items["leader_duty"] == "nested"  # named in a paragraph of part one
    assert sub["leader_duty"] == "nested"  # a lower heading
    assert (items["parts_present"], items["parts_standalone"]) == (5, 4)
    assert (bare["parts_present"], bare["achievements"]) == (0, "absent")


def test_on_time_by_the_first_of_april(built):
    assert (row(built, "items")["on_time"], row(built, "clauses")["on_time"]) == (True, False)
    assert row(built, "sub")["on_time"] is None  # year unknown
    assert row(built, "bare")["on_time"] is None  # date unknown


def test_problems_named_and_how_specific(built):
    items, clauses, sub = row(built, "items"), row(built, "clauses"), row(built, "sub")
    assert (items["problems_named"], items["problems_with_figure"], items["problems_with_unit"],
            items["problems_specific"]) == (3, 1, 1, 1)
    assert (clauses["problems_named"], clauses["problems_specific"]) == (3, 0)
    assert (sub["problems_named"], sub["problems_with_unit"]) == (2, 1)
    assert row(built, "bare")["problems_named"] == 0


def test_length_and_quantity_density(built):
    items = row(built, "items")
    assert items["n_quantities"] == 2
    assert items["quantities_per_1k_chars"] == pytest.approx(2000 / items["n_chars"], abs=0.01)
    assert 0 < items["n_han"] < items["n_chars"]


def test_a_row_per_landed_seed_report(seeds_warehouse):
    assert query(seeds_warehouse, "select count(*) from compliance") == \
        query(seeds_warehouse, "select count(*) from reports")
    (missing,), = query(seeds_warehouse, "select count(*) from compliance where achievements <> 'standalone'")
    assert missing == 0
