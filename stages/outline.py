"""Section parsing: the report's outline tree, each top-level part mapped to the five mandated parts."""
from __future__ import annotations

import re

from stages.records import Section

CN_DIGITS = "一二三四五六七八九十"
MARKERS = [  # (level, pattern at the start of a line)
    (1, re.compile(rf"[{CN_DIGITS}]+、")),
    (2, re.compile(rf"\([{CN_DIGITS}]+\)")),
    (3, re.compile(r"\d{1,2}[.、](?!\d)")),
]
CANONICAL = [  # checked in order on the title only (DOMAIN.md §4.3)
    ("problems", re.compile(r"问题|不足|短板|差距")),
    ("leader_duty", re.compile(r"第一责任人|主要负责人.*履行|履行.*职责")),
    ("next_plan", re.compile(r"下一|下步|打算|安排|计划|重点|思路")),
    ("suggestions", re.compile(r"其他|意见|建议")),
    ("achievements", re.compile(r"举措|措施|成效|情况|工作")),
]


def classify(title: str) -> str:
    """The mandated part a top-level title names.

    >>> classify("存在的不足和原因")
    'problems'
    >>> classify("2024年工作安排")
    'next_plan'
    """
    for name, pattern in CANONICAL:
        if pattern.search(title):
            return name
    return "other"


def heading_title(rest: str) -> str:
    """A heading runs to the end of its line or to its first 。/:, whichever comes first.

    >>> heading_title("强化组织领导。镇党委坚持…")
    '强化组织领导'
    """
    return re.split(r"[。:：]", rest, maxsplit=1)[0].strip()


def parse_outline(text: str) -> list[Section]:
    """Headings found at line starts, nested by level, with spans that run to the next heading."""
    found: list[tuple[int, int, str, str]] = []  # (start, level, marker, title)
    pos = 0
    for line in text.split("\n"):
        for level, pattern in MARKERS:
            m = pattern.match(line)
            if m:
                found.append((pos, level, m.group(), heading_title(line[m.end():])))
                break
        pos += len(line) + 1
    sections: list[Section] = []
    stack: list[Section] = []
    counters: dict[str | None, int] = {}
    for i, (start, level, marker, title) in enumerate(found):
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        parent_id = parent.section_id if parent else None
        counters[parent_id] = counters.get(parent_id, 0) + 1
        section_id = f"{parent_id}.{counters[parent_id]}" if parent_id else str(counters[parent_id])
        end = next((s for s, lv, _, _ in found[i + 1:] if lv <= level), len(text))
        section = Section(section_id, parent_id, level, marker, title,
                          classify(title) if level == 1 else None, start, end)
        sections.append(section)
        stack.append(section)
    return sections
