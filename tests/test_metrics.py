"""Metric extraction: golden cases (tests/golden/metrics), the seeds against their gold labels, terms."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from stages import cleanup, ingest, outline
from stages.metrics import extract_metrics
from stages.terms import STOP_WORDS_FILE, top_terms
from tests.conftest import EVAL, SEEDS

GOLDEN = Path(__file__).with_name("golden") / "metrics"
CASES = [(f"{p.stem}: {c['label']}", c) for p in sorted(GOLDEN.glob("*.json"))
         for c in json.loads(p.read_text(encoding="utf-8"))]
FIELDS = ("surface", "value", "unit", "approx", "kind")


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_golden(case):
    got = extract_metrics(case["text"], [])
    assert [tuple(getattr(m, f) for f in FIELDS) for m in got] == \
        [tuple(e[f] for f in FIELDS) for e in case["expect"]]
    for m, e in zip(got, case["expect"], strict=True):
        if "indicator" in e:
            assert m.indicator == e["indicator"], m.surface
        assert m.sentence and case["text"][m.char_start:m.char_end] == m.surface


def _scorer():
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (EVAL / "gold").is_dir(), reason="no gold labels")
def test_seeds_against_gold():
    """The stages alone (no flow) over the five seeds, matched to the gold labels as eval/score.py does."""
    score = _scorer()
    tp = fp = fn = matched = approx_ok = tagged = tagged_ok = gold_tags = gold_tags_ok = 0
    for gold_file in sorted((EVAL / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        raw = (SEEDS / gold["file"]).read_bytes()
        text = cleanup.clean(ingest.extract(gold["file"], raw).text).text
        got = [{"value": m.value, "unit": m.unit, "kind": m.kind, "sentence": m.sentence,
                "char_start": m.char_start, "approx": m.approx, "indicator": m.indicator}
               for m in extract_metrics(text, outline.parse_outline(text))]
        a, b, c, pairs = score.match_metrics(gold["metrics"], got)
        tp, fp, fn = tp + a, fp + b, fn + c
        matched += len(pairs)
        for g, m in pairs:
            approx_ok += m["approx"] == g.get("approx")
            tagged += m["indicator"] is not None
            tagged_ok += m["indicator"] is not None and m["indicator"] == g.get("indicator")
            gold_tags += g.get("indicator") is not None
            gold_tags_ok += g.get("indicator") is not None and m["indicator"] == g["indicator"]
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.98
    assert approx_ok / matched >= 0.95
    assert tagged_ok / tagged >= 0.95
    assert gold_tags_ok / gold_tags >= 0.85


def test_terms_match_jieba_extract_tags():
    """top_terms (rjieba's cut) ranks words as jieba.analyse.extract_tags (jieba's cut) does."""
    import jieba.analyse

    text = ("全年共受理行政复议案件64件,行政复议纠错率明显下降。推进行政复议体制改革,"
            "规范行政复议办案程序。开展普法宣传活动,普法宣传覆盖各乡镇。") * 3
    jieba.analyse.set_stop_words(str(STOP_WORDS_FILE))
    want = [(w, round(v, 9)) for w, v in jieba.analyse.extract_tags(text, topK=None, withWeight=True)]
    got = [(w, round(v, 9)) for w, v in top_terms(text, 8)]
    assert got == [(w, v) for w, v in want if not w.isascii()][:8]
    assert got[0][0] == "行政复议"
