"""The alias table (stages/data/indicators.yaml): its keys, its shape, and that every alias names its key."""
from __future__ import annotations

import re

import pytest
import yaml

from stages.indicators import TABLE, load_table
from stages.metrics import extract_metrics
from tests.conftest import SHARED

DATA = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
ALIASES = [(item, str(name), short) for item in DATA["indicators"]
           for short, names in ((False, item.get("aliases", [])), (True, item.get("short", [])))
           for name in names]


@pytest.mark.skipif(not (SHARED / "indicators.yaml").is_file(), reason="no shared indicators.yaml")
def test_keys_are_the_shared_ones():
    shared = yaml.safe_load((SHARED / "indicators.yaml").read_text(encoding="utf-8"))
    assert load_table().keys == {item["key"] for item in shared}
    assert len(DATA["indicators"]) == len(load_table().keys) == 50


@pytest.mark.parametrize("item", DATA["indicators"], ids=lambda item: item["key"])
def test_shape(item):
    assert item["group"] in DATA["groups"] and item["name_zh"] and item.get("aliases")
    units = set(item["units"])
    if item["key"].endswith("_rate"):
        assert units == {"%"}
    elif item["key"].endswith("_amount"):
        assert units == {"元"}
    else:
        assert units and not units & {"%", "元"}


def _sentence(item: dict, alias: str, short: bool) -> str:
    """The alias spelled out (one character per […], no gaps) around a number in the indicator's unit."""
    words = re.sub(r"\[(.)[^\]]*\]", r"\1", alias).replace("…", "")
    unit = item["units"][0]
    number = "达95%" if unit == "%" else f"3{unit}"
    before, _, after = words.partition("+")
    text = f"{before}{number}{after}。"
    return f"{DATA['groups'][item['group']][0]}方面,{text}" if short else text


@pytest.mark.parametrize("item,alias,short", ALIASES, ids=[f"{i['key']}:{a}" for i, a, _ in ALIASES])
def test_every_alias_names_its_indicator(item, alias, short):
    metrics = extract_metrics(_sentence(item, alias, short), [])
    assert [m.indicator for m in metrics] == [item["key"]]


def test_a_short_alias_needs_its_anchor():
    for item, alias, short in ALIASES:
        if short and "+" not in alias:
            text = _sentence(item, alias, False)
            assert extract_metrics(text, [])[0].indicator != item["key"] or DATA["groups"][item["group"]][0] in text


def test_changes_and_unfitting_units_stay_untagged():
    assert [m.indicator for m in extract_metrics("办理法律援助案件同比增长12%,法律援助案件120人。", [])] == [None, None]


@pytest.mark.parametrize("item", DATA["indicators"], ids=lambda item: item["key"])
def test_unit_families_are_whole(item):
    """DOMAIN.md §3.1 unit drift: a case count (件 and 起) is also stated in 宗, an event count in 场次 in 场 and 期."""
    units = set(item["units"])
    for members, family in (({"件", "起"}, {"件", "起", "宗"}), ({"场次"}, {"场", "场次", "期"})):
        assert not members <= units or family <= units, item["key"]
    assert not any("(" in u or "（" in u for u in units)  # 人(次) lands as 人次
