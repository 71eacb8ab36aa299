"""Clean-up: golden cases per repair (tests/golden/cleanup/*.json), clean text as a fixed point, and the seeds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from stages import chrome, fixes, gbk_repair
from stages.cleanup import NORMALIZE, REPAIRS, clean
from stages.header_block import split_header
from tests.conftest import SEEDS

GOLDEN = Path(__file__).parent / "golden" / "cleanup"
FIXES = {
    "nul": fixes.remove_nul,
    "utf8_as_latin1": fixes.fix_utf8_as_latin1,
    "utf8_as_gbk": gbk_repair.fix_utf8_as_gbk,
    "gbk_shift": gbk_repair.fix_gbk_shift,
    "year_zero": fixes.restore_year_zero,
    "replacement_chars": fixes.remove_replacement_chars,
    "boilerplate": chrome.remove_chrome,
    "header_block": lambda text: split_header(text)[0],
}
CASES = [pytest.param(path.stem, case, id=f"{path.stem}: {case['label']}")
         for path in sorted(GOLDEN.glob("*.json")) for case in json.loads(path.read_text(encoding="utf-8"))]
# Clean prose written for these tests: traditional-free, folded punctuation, outline markers at line starts.
CLEAN = ("某县人民政府关于2023年法治政府建设情况的报告\n"
         "2023年,我县坚持依法行政,全年办理行政复议案件42件,同比增长12.5%。\n"
         "一、主要举措和成效\n(一)健全依法决策机制。一是完善重大行政决策程序;二是落实合法性审查。\n"
         "1.开展“法律进乡村”活动——覆盖全部村居,群众满意率达98%。\n"
         "二、存在的问题\n是否依法?如何整改?仍需研究。\n某县人民政府\n2024年1月23日")


def test_every_repair_has_golden_cases():
    assert {stem for stem, _ in (p.values for p in CASES)} == set(FIXES)


@pytest.mark.parametrize(("repair", "case"), CASES)
def test_golden(repair, case):
    assert FIXES[repair](case["original"]) == case["fixed"]
    if "meta" in case:
        assert split_header(case["original"])[1] == case["meta"]
    if case["original"] != case["fixed"]:
        assert repair in clean(case["original"]).repairs


@pytest.mark.parametrize(("name", "fix"), [*REPAIRS, *NORMALIZE, *FIXES.items()])
def test_clean_text_passes_every_fix_unchanged(name, fix):
    assert fix(CLEAN) == CLEAN


def test_clean_text_is_a_fixed_point():
    result = clean(CLEAN)
    assert (result.text, result.repairs, result.script) == (CLEAN, [], "simplified")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="no seeds")
@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_cleaned_seed_is_a_fixed_point_of_every_fix(seed):
    once = clean(seed.read_text(encoding="utf-8")).text
    assert clean(once).text == once
    for name, fix in [*REPAIRS, *NORMALIZE, *FIXES.items()]:
        assert fix(once) == once, name


def test_traditional_text_is_simplified_and_named():
    result = clean("全面推進依法行政,堅持科學決策。")
    assert result.text == "全面推进依法行政,坚持科学决策。"
    assert result.script == "traditional" and "t2s" in result.repairs


def test_kangxi_radicals_and_full_width_forms_fold():
    result = clean("⼀、⼯作成效（⼀）办结２件，完成：３０％。")
    assert result.text == "一、工作成效(一)办结2件,完成:30%。"
    assert {"radicals", "punctuation"} <= set(result.repairs)


def test_crlf_blank_lines_and_indents():
    assert clean("\u3000\u3000一、成效\r\n\r\n  (一)依法决策\r\n").text == "一、成效\n(一)依法决策"
