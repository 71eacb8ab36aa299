"""Property tests of the text stages: for any input they return, and what they return is consistent.

Inputs mix the pieces reports are made of (outline markers, numbers, units, dates, place words,
line breaks of every kind, full-width and traditional forms, NUL, BOM) with arbitrary characters.
Examples are bounded so the whole file runs in well under a minute, and derandomized so CI sees the
same examples on every run; for a deeper, random search set FAZHI_PROPERTY_EXAMPLES (e.g. 5000).
"""
from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stages import cleanup, genre, metadata, metrics, outline, safety
from stages.records import Rejected

PIECES = [
    "一、", "二、", "十一、", "(一)", "（二）", "(十)", "1.", "2、", "(3)", "一是", "二是", "第一", "\n", "\r\n", "\r",
    "\u2028", "\x00", "\ufeff", "\u3000", " ", "\t", "。", ",", ";", ":", "：", "、", "“", "”", "《", "》",
    "2023年", "2024年3月5日", "〔2023〕12号", "12", "6.2", "0.5", "100", "1,234", "两", "三十", "万", "亿", "余",
    "多", "近", "约", "不到", "以上", "件", "人次", "个", "%", "％", "亿元", "万元", "百分点", "同比增长", "下降",
    "法治政府建设", "依法行政", "年度报告", "人民政府", "省", "市", "县", "区", "乡", "镇", "山西省大同市",
    "北京市", "行政复议", "案件", "問題", "報告", "個", "ＡＢＣ１２３", "\ud7ff", "𠀀", "\U0001f600", "?", "�",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=60).map("".join)
EXAMPLES = int(os.environ.get("FAZHI_PROPERTY_EXAMPLES", "150"))
SEARCHING = "FAZHI_PROPERTY_EXAMPLES" in os.environ
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not SEARCHING,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@PROPERTY
@given(texts)
def test_clean_returns_and_its_text_is_a_fixed_point(text):
    if "?" in text:  # the GBK-damage repair keys on "?"; its known misfires are the xfail cases below
        text = text.replace("?", "")
    first = cleanup.clean(text)
    assert isinstance(first.text, str) and all(isinstance(r, str) for r in first.repairs)
    assert first.script in ("simplified", "traditional")
    again = cleanup.clean(first.text)
    assert again.text == first.text


@pytest.mark.xfail(strict=True, reason="clean-up (issue 3): a later step uncovers damage an earlier fix "
                   "would have repaired: the gbk_shift repair fires on '?' + text once t2s or width folding "
                   "has run; a BOM removed from inside mojibake leaves UTF-8-as-Latin-1 for the next pass")
@pytest.mark.parametrize("text", ["?問題@", "?(一)ＡＢＣ１２３", "Â\ufeff\x80"])
def test_clean_is_a_fixed_point_after_a_leading_question_mark(text):
    first = cleanup.clean(text).text
    assert cleanup.clean(first).text == first


@PROPERTY
@given(texts)
def test_outline_spans_stay_inside_the_text_and_nest(text):
    for t in (text, cleanup.clean(text).text):
        sections = outline.parse_outline(t)
        ids = {s.section_id for s in sections}
        assert len(ids) == len(sections)
        for s in sections:
            assert 0 <= s.char_start <= s.char_end <= len(t), s
            assert s.level >= 1
            assert s.parent_id is None or s.parent_id in ids
            assert (s.canonical is not None) == (s.level == 1) or s.canonical is None


@PROPERTY
@given(texts, st.dictionaries(st.sampled_from(["page_title", "title", "date"]), texts, max_size=2))
def test_metadata_returns_well_typed_fields(text, page_meta):
    clean = cleanup.clean(text)
    meta = metadata.extract_metadata(clean.text, page_meta, clean.header_meta)
    assert meta.report_year is None or isinstance(meta.report_year, int)
    if meta.publish_date is not None:
        dt.date.fromisoformat(meta.publish_date)
    for value in (meta.title, meta.issuing_body, meta.region, meta.province, meta.doc_number):
        assert value is None or isinstance(value, str)


@PROPERTY
@given(texts)
def test_metric_spans_point_at_their_surface(text):
    t = cleanup.clean(text).text
    sections = outline.parse_outline(t)
    ids = {s.section_id for s in sections}
    for m in metrics.extract_metrics(t, sections):
        assert 0 <= m.char_start < m.char_end <= len(t), m
        assert t[m.char_start:m.char_end] == m.surface, m
        assert m.section_id is None or m.section_id in ids
        assert m.value == m.value  # not NaN
        assert m.kind in ("level", "change")


@PROPERTY
@given(texts)
def test_the_genre_check_only_ever_rejects(text):
    t = cleanup.clean(text).text
    try:
        genre.check_report(t, outline.parse_outline(t))
    except Rejected as exc:
        assert exc.reason in ("too_short", "not_a_report")


MAGIC = st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"<html><body>", b"\xef\xbb\xbf",
                         b"\xff\xfe", b"\x1f\x8b"])


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not SEARCHING)
@given(MAGIC, st.binary(max_size=2000), st.sampled_from(["a.txt", "a.html", "a.pdf", "a.docx", "a.doc", "a"]))
def test_ingest_of_any_bytes_returns_text_or_rejects(magic, body, name):
    try:
        extracted = safety.extract(name, magic + body, max_expanded=10**6, max_chars=10**5)
    except Rejected as exc:
        assert exc.reason and len(exc.detail) >= 30
    else:
        assert extracted.text.strip()


SLOW_SHAPES = {  # texts shaped to find super-linear paths: no sentence breaks, dense numbers, deep markers
    "numbers_without_breaks": "12件" * 13_000,
    "percentages_without_breaks": "增长12.5%" * 6_000,
    "one_long_line": "法治" * 20_000,
    "marker_lines": "一、(一)1.(1)一是\n" * 4_000,
    "question_marks": "?法" * 20_000,
}


@pytest.mark.parametrize("shape", sorted(SLOW_SHAPES))
def test_text_stages_stay_fast_on_pathological_shapes(shape):
    # about 40,000 characters each: linear stages take well under a second; the quadratic sentence
    # span that metrics once had took minutes here. The bound is generous for a loaded machine.
    started = time.perf_counter()
    text = cleanup.clean(SLOW_SHAPES[shape]).text
    sections = outline.parse_outline(text)
    metadata.extract_metadata(text, {}, {})
    metrics.extract_metrics(text, sections)
    assert time.perf_counter() - started < 30
