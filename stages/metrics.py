"""Metric extraction: every stated quantity, normalized, placed in its section and sentence, tagged.

A quantity is a number (Arabic or Chinese, with 万/亿) followed by a measure word, `%`, 元 or 百分点.
What only looks like one is left out: ordinals (第三次, 二届八次), years and dates, numbers in titles
《…》 and in short quoted names (“155”工作法), names and idioms that swallow the numeral (三台县, 千家万户,
see `terms.boundaries`), set phrases (stages/data/set_phrases.txt), ranges and codes (3·15, G20).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from stages.indicators import load_table
from stages.numerals import CHINESE_NUMERAL_CHARS, to_number
from stages.records import Metric, Section
from stages.terms import boundaries, cut

SET_PHRASES_FILE = Path(__file__).with_name("data") / "set_phrases.txt"

# measure words, longest first so that 人次 wins over 人; 年/日/级/小时/分 have extra conditions below
UNITS = sorted("""
个百分点 百分点 个工作日 工作日 平方公里 平方米 立方米 公里 千米 公顷 亩 吨 米 元 % ％
人次 件次 户次 家次 场次 条次 批次 车次 架次 班次 期次 轮次 课时 学时 小时 分钟 个月
场(次) 人(次) 件(次) 户(次) 家(次) 场（次） 人（次） 件（次） 户（次） 家（次）
件 人 名 位 次 场 项 个 家 份 条 期 起 户 篇 所 支 宗 处 张 本 卷 册 台 笔 轮 批 类 部 套 座 辆 间 块 幅
封 例 组 队 堂 种 株 棵 只 倍 天 分 级 年 日
""".split(), key=len, reverse=True)
UNIT_NAMES = {unit: {"个百分点": "百分点", "％": "%"}.get(unit, unit).replace("(次)", "次").replace("（次）", "次")
              for unit in UNITS}  # each measure word as a metric's unit: 个百分点 -> 百分点, 场(次) -> 场次
# a number (1,234.5, 1234.5 or 一千二百) not after a digit, point, numeral or "digit,": its first character,
# then the checks on the one or two before it, then the rest. Starting with one character class lets
# re skip to the next digit or numeral rather than try the whole pattern at every position.
NUMBER = (rf"[\d{CHINESE_NUMERAL_CHARS}](?<![\d.{CHINESE_NUMERAL_CHARS}].)(?<!\d,.)"
          rf"(?:(?<=\d)(?:\d{{0,2}}(?:,\d{{3}})+(?:\.\d+)?(?!\d)|\d*(?:\.\d+)?)|(?<=[{CHINESE_NUMERAL_CHARS}])[{CHINESE_NUMERAL_CHARS}]*)")
QUANTITY = re.compile(
    rf"(?P<num>{NUMBER})(?P<more>余|多)?(?P<mult>(?<=\d)千|万|亿)?(?P<more2>余|多)?"
    rf"(?P<unit>{'|'.join(map(re.escape, UNITS))})")
SENTENCE_END = re.compile(r"[。!?;！？；\n]")

# approximations written before the number (the longest wins: 不少于 over 少于); None where the contract has no value
APPROX_BEFORE = {"不超过": None, "不高于": None, "不少于": "at_least", "不低于": "at_least",
                 "至少": "at_least", "超过": "more_than", "逾": "more_than", "超": "more_than",
                 "将近": "about", "接近": "about", "大约": "about", "近": "about", "约": "about",
                 "不到": "less_than", "不足": "less_than", "少于": "less_than", "低于": "less_than"}
APPROX_BEFORE_WORD = re.compile(rf"(?:{'|'.join(APPROX_BEFORE)})\Z")  # searched up to the number: leftmost = longest
APPROX_AFTER = [("以上", "at_least"), ("左右", "about")]

# growth and decline: a number after these words (and at most a short object) is a change
CHANGE_WORDS = re.compile(
    r"(?P<up>增长|(?<!新)增加|上升|提高|提升|增幅|涨幅|多出)"
    r"|(?P<down>下降|减少|降低|缩减|缩小|缩短|压缩|精简|比降|下滑|回落|降幅|减幅|压减)"
    r"|(?:比|较)(?:上年|去年|上一年|同期|\d{4}年)(?:同期)?(?:(?P<up2>多|增)|(?P<down2>少|减))")
CHANGE_START = re.compile("[增上提涨多下减降缩压精比较回]")  # what a change word (CHANGE_WORDS) starts with
CHANGE_GAP = re.compile(r"(?:了|分别|同比|约|近|超过|超|逾|达)*[^\d,，;；:：。、到至为达是在]{0,6}?(?:了|分别|约|近|达)?")
LEVEL_AFTER = re.compile(r"(?:到|至|为)")
FROM_BEFORE = re.compile(r"(?:由|从)(?:上年|去年|上一年|\d{4}年)?(?:同期)?的?$")
FROM_TO = re.compile(r"(?:提升|提高|增加|增长|上升|下降|降低|减少|压缩|缩短|压减|降|增)?(?:至|到)")
ADMIN_TIERS = re.compile(r"[省市县区乡镇村街、]{2,}$")
DAY_CUES = re.compile(r"(?:不少于|不超过|不得少于|不得超过|不低于|期限|时限|缩短|压缩|延长|公示|提前)[^,，;；。]{0,4}$")
LEFT_OUT_BEFORE = re.compile(r"(?:第|届|[A-Za-z·•×*#/\\]|\d[-~～—–至到])\s*$")
# 省十三届人大三次会议, 市政协十二届五次全会: after 届 in a body's name, N次 before 会议 is an ordinal
SESSION_OF_TERM = re.compile(r"届[^,，;；:：。、\d]{0,8}$")
SESSION_AFTER = ("会议", "全会", "全体会议", "大会")
QUOTES = {"“": "”", "「": "」", "‘": "’"}
SHORT_QUOTE = 12
ENCLOSING = [re.compile(r"《[^》\n]{0,80}》")] + [  # titles, and short names in quotes
    re.compile(rf"{re.escape(open_)}[^{re.escape(close)}\n]{{1,{SHORT_QUOTE}}}{re.escape(close)}")
    for open_, close in QUOTES.items()]
STRAIGHT_QUOTE = re.compile('"')
LINE = re.compile(r"[^\n]+")
CONDITIONAL_UNITS = frozenset(("年", "日", "级", "分", "小时"))  # counted only in some places: see _unit_allowed
WITHIN = ("内", "以内", "之内")
LIST_JOINERS = ("、", "和", "与", "及")


class Quantity(NamedTuple):
    start: int
    end: int
    value: float
    unit: str
    approx: str | None
    kind: str


@lru_cache(maxsize=1)
def set_phrases() -> tuple[str, ...]:
    lines = SET_PHRASES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _enclosed(text: str) -> list[tuple[int, int]]:
    """Spans inside 《…》 and inside short quotes (titles and names, whose numbers are no quantities),
    merged where they overlap, in order."""
    spans = [m.span() for pattern in ENCLOSING for m in pattern.finditer(text)]
    if '"' in text:  # straight quotes: pair them in order, line by line
        for line in LINE.finditer(text):
            marks = [m.start() for m in STRAIGHT_QUOTE.finditer(line.group())]
            spans += [(line.start() + a, line.start() + b + 1) for a, b in zip(marks[::2], marks[1::2], strict=False)
                      if b - a <= SHORT_QUOTE + 1]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_left(spans, (pos, pos)) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def _unit_allowed(text: str, m: re.Match) -> bool:
    """Whether the measure word counts here: 年, 日, 级, 分 and 24小时 only in some places."""
    unit = m.group("unit")
    if unit not in CONDITIONAL_UNITS:
        return True
    start, end = m.span()
    before = text[max(0, start - 10):start]
    if unit == "年":
        return before.endswith("连续")
    if unit == "日":
        return not before.endswith("月") and (bool(DAY_CUES.search(before)) or text.startswith(WITHIN, end))
    if unit == "级":
        return bool(ADMIN_TIERS.search(before))
    if unit == "分":  # a score, not minutes of a clock time (8时30分)
        return m.group("num")[0].isdigit() and not before.endswith(("时", "点"))
    return m.group("num") != "24" or text.startswith(WITHIN, end)  # 小时


def _approx(text: str, m: re.Match) -> str | None:
    if m.group("more") or m.group("more2"):
        return "more_than"
    start, end = m.span()
    before = APPROX_BEFORE_WORD.search(text, max(0, start - 3), start)
    if before:
        return APPROX_BEFORE[before.group()]
    for word, approx in APPROX_AFTER:
        if text.startswith(word, end):
            return approx
    return None


def _change_sign(text: str, start: int, ends: list[int]) -> int:
    """+1 or -1 when the number at `start` states a growth or decline (within its clause), else 0.

    >>> _change_sign("同比下降3.5%", 4, []), _change_sign("较上年减少12件", 5, []), _change_sign("新增加5件", 3, [])
    (-1, -1, 0)
    """
    if not CHANGE_START.search(text, max(0, start - 14), start):
        return 0  # no change word before it: most numbers, found without the clause or CHANGE_WORDS
    window = text[max(_last_end(ends, max(0, start - 40), start, 0), start - 14):start]
    changes = list(CHANGE_WORDS.finditer(window))
    if changes:  # only the last change word before the number counts
        last = changes[-1]
        gap = window[last.end():]
        if CHANGE_GAP.fullmatch(gap) and not LEVEL_AFTER.match(gap):
            return -1 if (last.group("down") or last.group("down2")) else 1
    return 0


def _well_formed(text: str, m: re.Match, words: set[int]) -> bool:
    num, start, end = m.group("num"), m.start(), m.end()
    chinese = not num[0].isdigit()
    if chinese:
        if num in ("一", "二"):  # 一 is idiom (一站式, 一次性), 二 an ordinal (二期): counts say 两
            return False
        if num in ("十", "百", "千", "万", "亿") and not _approx(text, m):
            return False
        if start not in words:
            return False
    if end not in words and (chinese or not _word_starts(text, end)):
        return False  # the unit begins a longer word (12处理, 3名单): unless what follows is a word itself
    if LEFT_OUT_BEFORE.search(text, max(0, start - 3), start):
        return False
    if m.group("unit") == "次" and text.startswith(SESSION_AFTER, end) and SESSION_OF_TERM.search(text, max(0, start - 9), start):
        return False
    return not text.startswith(set_phrases(), start)


def _word_starts(text: str, pos: int) -> bool:
    """Whether a word of two or more characters starts at `pos` (名实有 cut after 名: 实有 is a word)."""
    head = cut(text[pos:pos + 8])
    return bool(head) and len(head[0]) >= 2 and bool(HAN.match(head[0]))


def find_quantities(text: str) -> list[Quantity]:
    """Every stated quantity in `text`, in order.

    >>> [(q.value, q.unit, q.approx, q.kind) for q in find_quantities("受理6.2万余件,同比下降3.5%、2.1%")]
    [(62000.0, '件', 'more_than', 'level'), (-3.5, '%', None, 'change'), (-2.1, '%', None, 'change')]
    >>> [(q.value, q.unit) for q in find_quantities("第三次会议召开两次,罚款185.5万元,“155”工作法")]
    [(2.0, '次'), (1855000.0, '元')]
    >>> [(q.value, q.unit) for q in find_quantities("在市七届人大二次会议上答复4场(次)")]
    [(4.0, '场次')]
    """
    return _quantities(text, sentence_ends(text))


def _quantities(text: str, ends: list[int]) -> list[Quantity]:
    """`find_quantities`, given the text's `sentence_ends`."""
    words = boundaries(text)
    enclosed = _enclosed(text)
    out: list[Quantity] = []
    for m in QUANTITY.finditer(text):
        if not _well_formed(text, m, words) or not _unit_allowed(text, m) or (enclosed and _inside(enclosed, m.start())):
            continue
        num, _, mult, _, unit = m.groups()
        value = to_number(num, mult)
        if value is None:
            continue
        start, end = m.span()
        unit = UNIT_NAMES[unit]
        sign = _change_sign(text, start, ends)
        if not sign and out and out[-1].unit == unit and text[out[-1].end:start] in LIST_JOINERS:
            sign = (1 if out[-1].value >= 0 else -1) if out[-1].kind == "change" else 0  # 增长58.61%、57.94%
        out.append(Quantity(start, end, value * (sign or 1), unit, _approx(text, m), "change" if sign else "level"))
    return out


SUBJECT_BREAK = re.compile(r"[,，;；:：。、()（）《》“”\"\d]")
HAN = re.compile(r"[\u4e00-\u9fff]")
SUBJECT_SKIP = set("共 累计 全年 今年 已 先后 共计 其中 合计 总计 达 达到 为 了 均 各 计 有 约 近 超 超过 逾 分别 等 "
                   "的 对 和 与 及 并 仅 还 又 再 全 年 将 把 被 在 从 向 以 就 已经 目前 同比 较 比".split())


def _phrase(words: list[str]) -> str:
    while words and words[0] in SUBJECT_SKIP:
        words = words[1:]
    while words and words[-1] in SUBJECT_SKIP:
        words = words[:-1]
    return "".join(words)


def subject_of(before: str, after: str) -> str | None:
    """A short phrase naming what is counted: the words just before the number in its clause, or the
    ones just after it when those before are only a verb (组织召开两次委员会会议).

    >>> subject_of("2022年,共排查各类矛盾纠纷", ",调处成功"), subject_of("先后组织召开", "依法治县委员会会议,")
    ('排查各类矛盾纠纷', '依法治县委员会会议')
    """
    clause = SUBJECT_BREAK.split(before)[-1]
    behind = _phrase([w for w in cut(clause) if w.strip()][-5:])
    han_behind = len(HAN.findall(behind))
    if han_behind > 4:
        return behind
    ahead = _phrase(cut(SUBJECT_BREAK.split(after)[0][:14]))  # cut only when the words before may not do
    if len(HAN.findall(ahead)) < 2:
        return behind if han_behind >= 2 else None
    return ahead


def _earlier_values(text: str, quantities: list[Quantity]) -> set[int]:
    """Indexes of the X in 由X提升至Y: last year's figure, which names no indicator of this report's."""
    out = set()
    for i in range(len(quantities) - 1):
        q, nxt = quantities[i], quantities[i + 1]
        if FROM_BEFORE.search(text, max(0, q.start - 8), q.start) and FROM_TO.fullmatch(text, q.end, nxt.start):
            out.add(i)
    return out


def extract_metrics(text: str, sections: list[Section]) -> list[Metric]:
    """Every quantity in the text, with its sentence, innermost section, subject and indicator."""
    starts = [s.char_start for s in sections]
    table = load_table()
    ends = sentence_ends(text)
    quantities = _quantities(text, ends)
    q_starts = [q.start for q in quantities]
    earlier = _earlier_values(text, quantities)
    sentences: dict[tuple[int, int], tuple[str, str, int, list[tuple[int, int]]]] = {}
    out = []
    for i, q in enumerate(quantities):
        left, right = span = _sentence_span(ends, len(text), q.start, q.end)
        if span not in sentences:  # its text (as is and stripped), its first quantity's index, its quantities' spans
            first, last = bisect.bisect_left(q_starts, left), bisect.bisect_left(q_starts, right)
            sentence = text[left:right]
            sentences[span] = (sentence, sentence.strip(), first,
                               [(o.start - left, o.end - left) for o in quantities[first:last]])
        sentence, stripped, first, spans = sentences[span]
        j = i - first  # the other quantities leave out this one and an X of 由X提升至Y just before it
        others = spans[:j - 1] + spans[j + 1:] if j and i - 1 in earlier else spans[:j] + spans[j + 1:]
        prev_end = quantities[i - 1].end if i and quantities[i - 1].end > left else left
        next_start = quantities[i + 1].start if i + 1 < len(quantities) and quantities[i + 1].start < right else right
        indicator = None if i in earlier else table.tag(sentence, q.start - left, q.end - left, q.unit, q.kind, others)
        out.append(Metric(
            section_id=_innermost(sections, starts, q.start),
            sentence=stripped,
            surface=text[q.start:q.end], value=q.value, unit=q.unit, approx=q.approx, kind=q.kind,
            subject=subject_of(text[prev_end:q.start], text[q.end:next_start]),
            indicator=indicator, char_start=q.start, char_end=q.end))
    return out


def sentence_ends(text: str) -> list[int]:
    """The offsets just after each sentence end (。!?; and line breaks), in order.

    >>> sentence_ends("受理5件。办结3件\\n")
    [5, 10]
    """
    return [m.end() for m in SENTENCE_END.finditer(text)]


def _last_end(ends: list[int], lo: int, hi: int, default: int) -> int:
    """The last sentence end after a break inside text[lo:hi], else `default`."""
    i = bisect.bisect_right(ends, hi) - 1
    return ends[i] if i >= 0 and ends[i] > lo else default


def _sentence_span(ends: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    left = _last_end(ends, max(0, start - 300), start, max(0, start - 300))
    i = bisect.bisect_right(ends, end)  # the first break at or after `end`, bounded like the left side:
    right = ends[i] if i < len(ends) and ends[i] <= end + 300 else min(length, end + 300)  # never quadratic
    return left, right


def _innermost(sections: list[Section], starts: list[int], pos: int) -> str | None:
    i = bisect.bisect_right(starts, pos) - 1
    while i >= 0:
        s = sections[i]
        if s.char_start <= pos < s.char_end:
            return s.section_id
        i -= 1
    return None
