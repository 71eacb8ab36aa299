"""Metadata blocks of government pages (发文机关 / 文号 / 成文日期 / 索引号 …): parsed, then cut from the text.

Layouts differ (DOMAIN.md §5): bullet lists ("• 文件成文日期:2021-12-31"), several pairs on one line,
pipe tables ("索 引 号 | … | 发文字号 | …"), spaced keys ("标 题"), or a key on its own line with the
value on the next. Keys are matched with spaces removed and an optional 文件 prefix. The values the
metadata stage needs are returned under these normalized names, raw as written:
issuing_body, doc_number, signed_date, publish_date, title, index_no.
"""
from __future__ import annotations

import re

FIELDS = {
    "issuing_body": ("发文机关", "发文机构", "发布机构", "发文单位", "制发机关", "发布单位"),
    "doc_number": ("发文字号", "发文文号", "文号", "文件编号"),
    "signed_date": ("成文日期", "成文时间", "签发日期"),
    "publish_date": ("公开发布日期", "发布日期", "发布时间", "公开日期", "发文日期"),
    "title": ("文件名称", "标题", "名称"),
    "index_no": ("索引号",),
}
# Keys that belong to such blocks but carry nothing the pipeline keeps.
OTHER_KEYS = ("所属单位", "公文种类", "主题分类", "文件类型", "开始实施的时间", "实施日期", "生效日期", "状态",
              "废止时间", "失效时间", "信息分类", "分类", "公文时效", "时效", "有效性", "主题词", "体裁分类",
              "组配分类", "信息类别", "公开方式", "公开范围", "公开形式", "类别", "效力状态")
# Keys that on their own mark a line as part of a metadata block.
STRONG_KEYS = {"索引号", "发文字号", "成文日期", "发文机关", "发文机构", "公开发布日期", "主题分类", "公文种类"}

FIELD_OF = {key: name for name, keys in FIELDS.items() for key in keys}
ALL_KEYS = sorted([*FIELD_OF, *OTHER_KEYS], key=len, reverse=True)
BULLETS = "•·●▪◆■◇□○*-|"


def _spaced(key: str) -> str:
    return r"\s*".join(map(re.escape, key))


KEY = re.compile(r"(?:文\s*件\s*)?(?P<key>" + "|".join(_spaced(k) for k in ALL_KEYS) + r")\s*(?P<sep>[:|]|$)")
LEAD = re.compile(rf"^[\s{re.escape(BULLETS)}]*")


def _pairs(line: str) -> list[tuple[str, str, bool]] | None:
    """(key, value, has_separator) for a line made only of key/value pairs, else None.

    >>> _pairs("• 文件成文日期:2021-12-31")
    [('成文日期', '2021-12-31', True)]
    >>> _pairs("索 引 号 | 001-2022-0042 | 发文字号 | 平政发〔2022〕3号")
    [('索引号', '001-2022-0042', True), ('发文字号', '平政发〔2022〕3号', True)]
    >>> _pairs("发文机关要依法履职。") is None
    True
    """
    head = line[:40]
    if len(line) > 16 and ":" not in head and "|" not in head:
        return None  # keys sit at the start, with a separator soon after (or alone on a short line)
    m = KEY.match(line, LEAD.match(line).end())
    if m is None:
        return None
    matches = []
    while m is not None:
        matches.append(m)
        m = KEY.search(line, m.end())  # a key is never empty: the search moves on
    pairs = []
    for m, nxt in zip(matches, [*matches[1:], None], strict=True):
        value = line[m.end():nxt.start() if nxt else len(line)].strip(" \t" + BULLETS)
        pairs.append((re.sub(r"\s+", "", m.group("key")), value, bool(m.group("sep"))))
    return pairs


def _is_block_line(pairs: list[tuple[str, str, bool]]) -> bool:
    return len(pairs) >= 2 or pairs[0][0] in STRONG_KEYS


def split_header(text: str) -> tuple[str, dict[str, str]]:
    """Parse and remove metadata-block lines; return the remaining text and the fields found.

    A line with only a weak key (标题, 名称, 状态 …) counts only in a run of three or more such lines
    or next to a line with a strong key (索引号, 发文字号, 成文日期 …).

    >>> body, meta = split_header("• 发文机关:某县人民政府\\n• 成文日期:2023-01-05\\n一、主要成效")
    >>> body, meta
    ('一、主要成效', {'issuing_body': '某县人民政府', 'signed_date': '2023-01-05'})
    >>> split_header("名称:某某工程\\n一、主要成效")[1]
    {}
    """
    lines = text.split("\n")
    parsed = [_pairs(line) for line in lines]
    in_block = [False] * len(lines)
    i = 0
    while i < len(lines):  # a run of key/value lines is a block when it is long or holds a strong line
        j = i
        while j < len(lines) and parsed[j] is not None:
            j += 1
        run = parsed[i:j]
        if run and (len(run) >= 3 or any(_is_block_line(p) for p in run)):
            in_block[i:j] = [True] * len(run)
        i = j + 1
    meta: dict[str, str] = {}
    kept = []
    skip_next = False
    for i, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        if not in_block[i]:
            kept.append(line)
            continue
        pairs = parsed[i]
        key, value, has_sep = pairs[-1]
        if not value and not has_sep and i + 1 < len(lines) and parsed[i + 1] is None \
                and 0 < len(lines[i + 1].strip()) <= 60:
            pairs = [*pairs[:-1], (key, lines[i + 1].strip(), True)]
            skip_next = True
        for key, value, _ in pairs:
            field = FIELD_OF.get(key)
            if field and value and field not in meta:
                meta[field] = value
    return "\n".join(kept), meta
