"""Metric extraction: every stated quantity, normalized, placed in its section and sentence."""
from __future__ import annotations

import bisect
import re

from stages.records import Metric, Section

UNITS = "个百分点|百分点|万人次|人次|件次|户次|家次|场次|万元|亿元|元|%|件|人|名|次|场|项|个|家|份|条|期|起|户|篇|所|支"
QUANTITY = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)(万|亿)?(余|多)?({UNITS})")
SENTENCE_END = re.compile(r"[。!?;！？；\n]")
MULTIPLIER = {"万": 1e4, "亿": 1e8, None: 1}


def extract_metrics(text: str, sections: list[Section]) -> list[Metric]:
    """Every number-with-unit in the text, with its sentence and innermost section."""
    starts = [s.char_start for s in sections]
    out = []
    for m in QUANTITY.finditer(text):
        number, mult, approx, unit = m.groups()
        value = float(number) * MULTIPLIER[mult]
        if unit in ("万元", "亿元"):
            value *= MULTIPLIER[unit[0]]
            unit = "元"
        unit = "百分点" if unit == "个百分点" else unit
        out.append(Metric(
            section_id=_innermost(sections, starts, m.start()),
            sentence=_sentence(text, m.start(), m.end()),
            surface=m.group(), value=value, unit=unit, approx="more_than" if approx else None,
            kind="level", subject=None, indicator=None, char_start=m.start(), char_end=m.end()))
    return out


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in SENTENCE_END.finditer(text, max(0, start - 300), start)), default=max(0, start - 300))
    right = SENTENCE_END.search(text, end)
    return text[left:right.end() if right else len(text)].strip()


def _innermost(sections: list[Section], starts: list[int], pos: int) -> str | None:
    i = bisect.bisect_right(starts, pos) - 1
    while i >= 0:
        s = sections[i]
        if s.char_start <= pos < s.char_end:
            return s.section_id
        i -= 1
    return None
