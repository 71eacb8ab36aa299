"""Quality checks: the committed suites on golden batches, and severities in a real run."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows.batch import load_suites
from stages import invariants, quality
from tests.conftest import SEEDS, query, run_pipeline
from warehouse.schema import SCHEMAS

GOLDEN = Path(__file__).with_name("golden") / "quality"
SENTENCE = "本县坚持依法行政，健全重大行政决策程序，规范行政执法行为，推进政务公开，法治政府建设取得新进展。"
REPORT_DEFAULTS = {"report_year": 2023, "publish_date": "2024-03-20", "province": "山西省",
                   "admin_level": "county", "text": SENTENCE * 6}


def frames_of(case: dict) -> dict[str, pd.DataFrame]:
    """The batch's frames as the quality stage builds them: every contract column, defaults filled in."""
    reports = []
    for given in case["reports"]:
        row = {**dict.fromkeys(SCHEMAS["reports"].names), **REPORT_DEFAULTS, **given}
        row["publish_date"] = pd.Timestamp(row["publish_date"]).date() if row["publish_date"] else None
        row["n_chars"] = len(row["text"])
        reports.append(row)
    sections = case.get("sections")
    if sections is None:
        sections = [{"report_id": r["report_id"], "section_id": "1", "level": 1, "canonical": "achievements",
                     "char_start": 0, "char_end": 40} for r in reports]
    metrics = [{**dict.fromkeys(SCHEMAS["metrics"].names), "kind": "level", "unit": "件", "char_start": 0,
                "char_end": 3, **m} for m in case.get("metrics", [])]
    for m in metrics:
        m["value"] = float(m["value"])
    return {"reports": pd.DataFrame(reports),
            "sections": pd.DataFrame([{**dict.fromkeys(SCHEMAS["sections"].names), **s} for s in sections]),
            "metrics": pd.DataFrame(metrics)}


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_golden_case(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    outcome = quality.validate(invariants.derived_frames(frames_of(case)), load_suites())
    assert set(outcome.failing) == set(case["quarantined"])
    for report_id, names in case["quarantined"].items():
        detail = outcome.failing[report_id]
        for name in names:
            assert name in detail, detail
    warned = sorted(f"{r.suite}.{r.expectation}" for r in outcome.results if r.severity == "warn" and not r.success)
    assert warned == case["warned"]
    crashed = [r for r in outcome.results if "raised" in r.details]
    assert not crashed
    assert {d["suite_name"] for d in outcome.documents} == {r.suite for r in outcome.results}


def test_every_committed_expectation_is_built_and_named():
    for spec in load_suites():
        suite = quality.build_suite(spec)
        names = [e["meta"]["name"] for e in spec["expectations"]]
        assert len(suite.expectations) == len(names) == len(set(names)), spec["name"]
        assert {e["severity"] for e in spec["expectations"]} <= {"critical", "warning"}


@pytest.mark.parametrize("expectations", [
    [{"type": "expect_column_values_to_be_sensible", "kwargs": {"column": "text"}}],
    [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "text"}, "meta": {"name": "a"}},
     {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "text"}, "meta": {"name": "b"}}],
], ids=["unknown type", "duplicate"])
def test_a_suite_gx_would_silently_shorten_is_refused(expectations):
    with pytest.raises(quality.SuiteError):
        quality.build_suite({"name": "reports", "expectations": expectations})


# a report of a county that does not exist, written for this test: it concluded more
# reconsideration cases than it received
BROKEN_REPORT = """青石县人民政府关于2023年法治政府建设情况的报告

2023年，青石县人民政府坚持依法行政，推进法治政府建设，现将有关情况报告如下。
一、2023年推进法治政府建设的主要举措和成效
(一)完善依法决策机制。全年合法性审核规范性文件12件，组织执法人员培训6期。
(二)规范行政执法行为。全年共受理行政复议案件20件，审结行政复议案件26件，开展法治宣传活动30场。
二、2023年推进法治政府建设存在的不足和原因
一是部分乡镇执法力量不足。二是法治宣传形式较为单一。
三、党政主要负责人履行推进法治建设第一责任人职责情况
县政府主要负责人主持召开常务会议专题研究法治政府建设4次。
四、2024年推进法治政府建设的主要安排
继续完善行政执法协调监督工作体系，加强执法人员培训。

青石县人民政府
2024年3月20日
"""


def test_a_report_that_breaks_a_fail_check_is_quarantined_while_its_batch_lands(prefect_server, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, raw / seed.name)
    (raw / "qingshi-2023.txt").write_text(BROKEN_REPORT, encoding="utf-8")
    warehouse = tmp_path / "w"
    summary = run_pipeline(raw, warehouse)
    assert summary.quarantined == 1
    (stage, reason, detail), = query(warehouse, "select stage, reason, detail from quarantine "
                                                "where source_path = 'qingshi-2023.txt'")
    assert (stage, reason) == ("quality", "failed_expectation")
    assert "report_invariants.reconsideration_concluded_le_received" in detail
    landed = {p for p, in query(warehouse, "select source_path from reports")}
    assert landed == {seed.name for seed in SEEDS.glob("*.txt")}


def test_seeds_run_records_both_severities(seeds_warehouse):
    rows = query(seeds_warehouse, "select suite, expectation, severity, success from quality_results")
    expected = {(s["name"], e["meta"]["name"]) for s in load_suites() for e in s["expectations"]}
    assert {(suite, name) for suite, name, _, _ in rows} == expected
    assert {severity for _, _, severity, _ in rows} == {"fail", "warn"}
    assert all(success for _, _, severity, success in rows if severity == "fail")  # every seed landed
