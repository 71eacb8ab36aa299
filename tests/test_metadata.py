"""Report metadata: golden cases (tests/golden/metadata/*.json), the divisions table, the seeds' gold."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from stages import regions
from stages.metadata import extract_metadata
from tests.conftest import EVAL, SEEDS

GOLDEN = sorted((Path(__file__).parent / "golden" / "metadata").glob("*.json"))


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_metadata(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    meta = extract_metadata(case["text"], case["page_meta"], case["header_meta"])
    got = {field: getattr(meta, field) for field in case["expect"]}
    assert got == case["expect"], case["label"]


def test_divisions_table_is_current_and_loads_fast() -> None:
    regions.table.cache_clear()
    started = time.perf_counter()
    table = regions.table()
    assert time.perf_counter() - started < 2.0
    assert len(table.places) > 3000
    full = {name: [table.full_name(p) for p in table.by_name[name]] for name in ("平城区", "红谷滩区", "和安县")}
    assert full["平城区"] == ["山西省大同市平城区"]  # the 2018 merger
    assert full["红谷滩区"] == ["江西省南昌市红谷滩区"]  # 2019
    assert full["和安县"] == ["新疆维吾尔自治区和田地区和安县"]  # 2024
    assert {p.level for p in table.by_name["北京市"]} == {"province"}
    assert table.full_name(table.by_name["仙桃市"][0]) == "湖北省仙桃市"


def test_generic_district_names_need_their_city() -> None:
    assert regions.mentions("推进主城区建设") == []
    assert [m.name for m in regions.mentions("阳泉市城区人民政府")] == ["阳泉市城区"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="no shared seeds")
def test_seed_metadata_matches_gold() -> None:
    """Every scored field of the five seeds, as score.py compares them."""
    from stages.cleanup import clean

    for gold_path in sorted((EVAL / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        cleaned = clean((SEEDS / gold["file"]).read_text(encoding="utf-8"))
        meta = extract_metadata(cleaned.text, {}, cleaned.header_meta)
        for field, want in gold["meta"].items():
            if field != "title":
                assert getattr(meta, field) == want, (gold["file"], field)
