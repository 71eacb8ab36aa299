"""Clean-up: text as decoded to clean simplified text, naming every fix applied."""
from __future__ import annotations

import re
from functools import lru_cache

import opencc

from stages.records import Cleaned

FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold_punctuation(text: str) -> str:
    """Full-width ASCII forms to their ASCII letters (the seeds' convention); 。 and 、 stay.

    >>> fold_punctuation("一、成效（一）办结２件，完成。")
    '一、成效(一)办结2件,完成。'
    """
    return text.translate(FULLWIDTH)


def normalize_lines(text: str) -> str:
    """One line ending, no trailing spaces, no blank lines.

    >>> normalize_lines("a  \\r\\n\\r\\nb\\r")
    'a\\nb'
    """
    lines = (line.strip() for line in re.split(r"\r\n|\r|\n", text))
    return "\n".join(line for line in lines if line)


def to_simplified(text: str) -> str:
    """Traditional to simplified characters with OpenCC t2s (length-preserving).

    >>> to_simplified("法治政府建設年度報告")
    '法治政府建设年度报告'
    """
    return _t2s().convert(text)


def clean(text: str) -> Cleaned:
    """Apply every fix in order; return the clean text and the names of the fixes that changed it."""
    repairs: list[str] = []
    if "\x00" in text:
        text = text.replace("\x00", "")
        repairs.append("nul")
    simplified = to_simplified(text)
    script = "traditional" if _changed_share(text, simplified) > 0.02 else "simplified"
    if simplified != text:
        repairs.append("t2s")
    text = simplified
    for name, fix in (("punctuation", fold_punctuation), ("lines", normalize_lines)):
        fixed = fix(text)
        if fixed != text:
            repairs.append(name)
            text = fixed
    return Cleaned(text=text, repairs=repairs, script=script)


def _changed_share(before: str, after: str) -> float:
    han = sum(1 for c in before if "\u4e00" <= c <= "\u9fff") or 1
    return sum(1 for a, b in zip(before, after, strict=True) if a != b) / han
