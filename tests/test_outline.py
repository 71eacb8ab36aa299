"""Outline parsing: golden cases (tests/golden/outline/*.json) and the seeds' top-level parts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stages.outline import keep_script, parse_outline
from tests.conftest import EVAL, SEEDS

GOLDEN = sorted((Path(__file__).parent / "golden" / "outline").glob("*.json"))


def check_spans(text: str, sections) -> None:
    by_id = {s.section_id: s for s in sections}
    assert len(by_id) == len(sections)
    for k, s in enumerate(sections):
        assert text.startswith(s.marker, s.char_start)
        assert s.level == s.section_id.count(".") + 1
        assert s.char_start < s.char_end <= len(text)
        if s.parent_id:
            parent = by_id[s.parent_id]
            assert parent.char_start < s.char_start and s.char_end <= parent.char_end
        later = [t for t in sections[k + 1:] if t.parent_id == s.parent_id]
        if later:
            assert s.char_end <= later[0].char_start


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_outline(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    sections = parse_outline(case["text"], case["report_year"])
    got = [[s.section_id, s.level, s.marker, s.title, s.canonical] for s in sections]
    assert got == case["sections"], case["label"]
    check_spans(case["text"], sections)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="no shared seeds")
def test_seed_top_level_parts() -> None:
    """Every seed's top-level headings are the gold ones, with their parts (titles in the raw script)."""
    from stages.cleanup import clean
    from stages.metadata import extract_metadata

    for gold_path in sorted((EVAL / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = (SEEDS / gold["file"]).read_text(encoding="utf-8")
        cleaned = clean(raw)
        meta = extract_metadata(cleaned.text, {}, cleaned.header_meta)
        sections = parse_outline(cleaned.text, meta.report_year)
        check_spans(cleaned.text, sections)
        if cleaned.script == "traditional":
            keep_script(sections, raw)
        top = [(s.marker + s.title, s.canonical) for s in sections if s.level == 1]
        want = [(g["title"], g["canonical"]) for g in gold["sections"]]
        assert top == want, gold["file"]


ALPHABET = list("一二三十、.()（）12①②是。:;,\n 问题打算成效第一责任人年") + ["2024年", "一是", "二是", "(一)", "1.", "二、"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=80).map("".join))
def test_any_text_gives_a_well_formed_tree(text: str) -> None:
    check_spans(text, parse_outline(text, 2023))
