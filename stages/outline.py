"""Section parsing: the report's outline tree, each top-level part mapped to the five mandated parts.

Headings are found by their markers, ranked 第一部分 / 第一章 / 第一篇 > 一、 > (一) > 1. / 1、 > (1) > ① >
inline 一是…二是…; a heading nests under the nearest open heading of a higher rank, and `level` is its
depth in that tree (so 1 for 一、, 2 for (一), 3 for 1. in the usual outline; a report written in parts
has them at level 1 and 一、 at level 2). A marker counts when it starts a line
("strong"), when it follows a sentence end or a space inside a line that lost its breaks ("weak": then
it must continue an open numbering or start one that goes on), or when it is glued to the end of a
heading that has no full stop. A heading's title runs to its first 。 or :, or to the next marker
glued onto it. Inline 一是…二是… items are found inside each section's own text, as children of it,
titled by their first clause.

`canonical` is set on every level-1 section from its title (DOMAIN.md §4.3), with two positional
rules: thematic level-1 blocks before the problems part are achievements, and a title whose year is
after the report year is the next-year plan. Below level 1 `canonical` is NULL except where a part
of the report sits inside another one, so a compliance check finds it with
`where canonical = 'leader_duty'` at any level:
- a leader-duty part nested in part one (its heading names the 第一责任人 duty, or, when no heading
  does, the innermost section whose text reports it);
- the halves of a merged top-level part ("问题及下一步打算": the level-1 section is `problems`, its
  children that name the plan are `next_plan`; when no child heading names it, the span from the
  sentence that opens the plan (下一步… / 2024年,我县将…) is a child with an empty marker and
  canonical `next_plan`, the plan's 一是… items beneath it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from stages import fixes
from stages.records import Section

CN_NUM = "一二三四五六七八九十"
# (the lookahead names every first character: without it the regex tries all six branches at each position)
MARKER = re.compile(
    rf"(?=[第{CN_NUM}(（\d①-⑳])(?:第(?P<part>[{CN_NUM}]{{1,3}})(?:部分|章|篇)"
    rf"|(?P<cn>[{CN_NUM}]{{1,3}})[、.]"
    rf"|[(（](?P<pcn>[{CN_NUM}]{{1,3}})[)）]"
    r"|(?<![\d.])(?P<ar>\d{1,2})[.、](?![\d.])"
    r"|[(（](?P<par>\d{1,2})[)）]"
    r"|(?P<circ>[①-⑳]))"
)
CN_DIGITS = {c: i + 1 for i, c in enumerate(CN_NUM[:9])}
RANK = {"part": 0, "cn": 1, "pcn": 2, "ar": 3, "par": 4, "circ": 5, "inline": 6, "lead": 6}
# an inline item counts after a sentence end or a space (INLINE_AFTER) or at the start of its section's own text;
# that is checked on each match, so the regex starts with a numeral (a class, not {1,2}) and skips to them
INLINE = re.compile(rf"([{CN_NUM}][{CN_NUM}]?)是")
INLINE_AFTER = re.compile(r"[\n。;；:：,，!！?？\s]")
SENTENCE_END = re.compile(r"[。;；:：\n]")
CLAUSE_END = re.compile(r"[,，]")
INLINE_SETTING = re.compile(r"(?:年|月|以来|期间|方面|中)$")  # a first clause that only says when or where
WEAK_BEFORE = set("。!?！？:：")
TITLE_STOP = re.compile(r"[。:：\n]|[,，;；](?=一是)")
# where a run-on top-level title ends when its line lost its break (…存在的问题当前,我县…)
PART_WORD = r"(?:成效|情况|问题|不足|原因|打算|安排|计划|重点|建议|意见|思路|措施|举措)"
L1_TITLE_END = re.compile(
    rf".{{2,40}}?{PART_WORD}"
    rf"(?:(?:和|及|与|、)(?:下一步|下步|下一阶段|今后|明年|来年|(?:19|20)\d{{2}}年度?)?(?:工作)?{PART_WORD})*")
# where a run-on "A,B" sub-heading ends when its line lost its break (…,执法质效不断提高全年办理案件…)
SUB_TITLE_END = re.compile(r"[^,，。]{2,20}[,，][^,，。]{4,20}?(?=全年|全市|全区|全县|全省|全镇|全局|全面|年内|今年|我市|我区|我县|我局|我镇)")
MERGED_LINE = 120  # a line this long holds more than one paragraph

PROBLEMS = re.compile(r"问题|不足|短板|差距|弱项|困难")
LEADER = re.compile(r"第一责任人|述法|(?:主要负责人|主要负责同志|主要领导)[^。]{0,15}(?:履行|履职|职责)")
NEXT_STRONG = re.compile(r"下一|下步|今后|明年|来年|打算|展望")
NEXT_WEAK = re.compile(r"安排|计划|重点|思路|要点")
AFTER_PROBLEMS = re.compile(r"措施|举措|改进|整改|方向")  # "改进措施" after the problems part is the plan
# the sentence that opens the plan half of a merged "问题及下一步打算" part (a year must be after the report's)
PLAN_LEAD = re.compile(r"(?<=[。!！?？;；\n])\s*(?:下一步|下步|下一阶段|下阶段|今后|明年|来年|针对(?:上述|以上|这些)问题"
                       r"|(?P<year>(?:19|20)\d{2})年度?)[^。!！?？;；:：\n]*")
SUGGEST = re.compile(r"其他|其它|意见|建议")
ACHIEVE = re.compile(r"举措|措施|成效|情况|工作|成绩|做法|进展|成果")
YEAR = re.compile(r"((?:19|20)\d{2})年")
LEADER_TITLE = re.compile(r"第一责任人|主要负责(?:人|同志)[^。]{0,15}(?:履行|履职)")
LEADER_SENTENCE = re.compile(r"主要负责(?:人|同志)[^。;；]{0,20}履行[^。;；]{0,20}第一责任人职责")


def cn_number(s: str) -> int:
    """
    >>> cn_number("三"), cn_number("十"), cn_number("十二"), cn_number("二十一"), cn_number("一二")
    (3, 10, 12, 21, 0)
    """
    tens, ten, ones = s.partition("十")
    if not ten:
        return CN_DIGITS.get(s, 0)
    if (tens and tens not in CN_DIGITS) or (ones and ones not in CN_DIGITS):
        return 0
    return CN_DIGITS.get(tens, 1) * 10 + CN_DIGITS.get(ones, 0)


@dataclass(slots=True)
class Candidate:
    pos: int
    end: int
    kind: str
    n: int
    strength: str  # strong, weak, glued

    @property
    def rank(self) -> int:
        return RANK[self.kind]


@dataclass(slots=True)
class Node:
    cand: Candidate
    title: str
    title_end: int
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    end: int = 0
    canonical: str | None = None
    level: int = field(init=False)  # depth in the tree, 1 at the top (a node's parent never changes)

    def __post_init__(self) -> None:
        self.level = 1 if self.parent is None else self.parent.level + 1


def candidates(text: str) -> list[Candidate]:
    """Every outline marker in the text, with how it stands (strong at a line start, else weak or glued)."""
    found = []
    for m in MARKER.finditer(text):
        kind = m.lastgroup
        n = cn_number(m.group(kind)) if kind in ("part", "cn", "pcn") else (
            ord(m.group(kind)) - ord("①") + 1 if kind == "circ" else int(m.group(kind)))
        line_start = text.rfind("\n", 0, m.start()) + 1
        k = m.start() - 1  # the last character before the marker that is not a space, if on its line
        while k >= line_start and text[k].isspace():
            k -= 1
        if k < line_start:
            strength = "strong"
        elif k < m.start() - 1 or text[k] in WEAK_BEFORE:
            strength = "weak"
        else:
            strength = "glued"
        if n > 0:
            found.append(Candidate(m.start(), m.end(), kind, n, strength))
    return found


def heading_title(text: str, start: int, rank: int) -> tuple[str, int]:
    """A heading's text after its marker, to its first 。 or : or the end of its line.

    >>> heading_title("(一)强化组织领导。镇党委…", 3, 2)
    ('强化组织领导', 9)
    >>> heading_title("一、存在的问题当前,我县还有不足。" + "…" * 120, 2, 1)
    ('存在的问题', 7)
    >>> heading_title("二、存在的不足和原因一是队伍弱。二是经费少。", 2, 1)
    ('存在的不足和原因', 10)
    >>> heading_title("(二)深化改革,服务质效不断提高全年办结审批事项3万件。" + "…" * 120, 3, 2)
    ('深化改革,服务质效不断提高', 16)
    >>> heading_title("三、困难和问题及下一步打算。目前,我镇还有短板。" + "…" * 120, 2, 1)
    ('困难和问题及下一步打算', 13)
    """
    while start < len(text) and text[start] in " \t\u3000":
        start += 1
    if text.startswith("\n", start):  # a marker alone on its line: the title is the next line
        start += 1
    stop = TITLE_STOP.search(text, start)
    end = stop.start() if stop else len(text)
    glued = text.find("一是", start, end)  # a run of 一是…二是… glued onto a heading that lost its break
    if glued > start and text.find("二是", glued, glued + 3000) > 0:
        end = glued
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - text.rfind("\n", 0, start) > MERGED_LINE:
        space = re.search(r"\s", text[start:end])
        if space:
            end = start + space.start()
        short = (L1_TITLE_END if rank <= 1 else SUB_TITLE_END).match(text, start, end)
        if short and (rank <= 1 or end - short.end() >= 10):
            end = short.end()
    return text[start:end].strip(), end


def _open_same(stack: list[Node], kind: str) -> Node | None:
    for node in reversed(stack):
        if node.cand.kind == kind:
            return node
    return None


def _goes_on(cands: list[Candidate], i: int) -> bool:
    """A weak first item counts only if a second one of its kind follows before a higher heading."""
    c = cands[i]
    for d in cands[i + 1:i + 400]:
        if d.strength == "strong" and d.rank < c.rank:
            return False
        if d.kind == c.kind and d.n == 2 and d.strength != "glued":
            return True
    return False


def _accepts(stack: list[Node], cands: list[Candidate], i: int) -> bool:
    c = cands[i]
    same = _open_same(stack, c.kind)
    if same and c.n == same.cand.n + 1:
        return True
    if c.kind in ("part", "cn") and same:
        return False  # the top level does not restart or go back (a list inside part one, an appendix)
    if c.strength == "strong":
        return c.n == 1 or same is None or c.n > same.cand.n
    if c.strength == "weak" and same is None and c.n == 1:
        return (not stack or stack[-1].cand.rank < c.rank) and _goes_on(cands, i)
    return False


def _glued_cut(stack: list[Node], cands: list[Candidate], i: int, limit: int) -> int | None:
    """The index of a marker glued into the line of heading i, before `limit` (its first 。 or :), that
    starts the heading's first child or the next item of an open list."""
    c = cands[i]
    for j in range(i + 1, len(cands)):
        d = cands[j]
        if d.pos >= limit:
            return None
        first_child = d.n == 1 and d.rank > c.rank
        next_of_open = any(n.cand.kind == d.kind and d.n == n.cand.n + 1 for n in stack)
        if first_child or next_of_open:
            return j
    return None


def structure(text: str) -> list[Node]:
    """The marker headings (ranks 1–5) as a tree; returns every node in document order."""
    cands = candidates(text)
    nodes: list[Node] = []
    stack: list[Node] = []
    forced: int | None = None
    skip_until = 0
    for i, c in enumerate(cands):
        if c.pos < skip_until or not (i == forced or (c.strength != "glued" and _accepts(stack, cands, i))):
            continue
        while stack and stack[-1].cand.rank >= c.rank:
            stack.pop()
        title, title_end = heading_title(text, c.end, c.rank)
        node = Node(c, title, title_end, stack[-1] if stack else None)
        stack.append(node)
        stop = TITLE_STOP.search(text, c.end)
        forced = _glued_cut(stack, cands, i, stop.start() if stop else len(text))
        if forced is not None and cands[forced].pos < title_end:
            node.title_end = cands[forced].pos
            node.title = text[c.end:node.title_end].strip()
        skip_until = node.title_end
        if node.parent:
            node.parent.children.append(node)
        nodes.append(node)
    _set_ends(nodes, len(text.rstrip()))
    return nodes


def _set_ends(nodes: list[Node], text_end: int) -> None:
    """Each node ends where the next node at its level or above starts, else at the end of the text."""
    open_nodes: list[tuple[int, Node]] = []  # (level, node) not ended yet, levels rising
    for node in nodes:
        level = node.level
        while open_nodes and open_nodes[-1][0] >= level:
            open_nodes.pop()[1].end = node.cand.pos
        open_nodes.append((level, node))
    for _, node in open_nodes:
        node.end = text_end


def inline_items(text: str, node: Node) -> list[Node]:
    """一是…二是… runs in a section's own text (before its first child), as child nodes."""
    start = node.title_end
    stop = node.children[0].cand.pos if node.children else node.end
    found = [(m.start(), m.end(), cn_number(m.group(1))) for m in INLINE.finditer(text, start, stop)
             if m.start() == start or INLINE_AFTER.match(text, m.start() - 1)]  # not in a word (统一是…)
    if len(found) < 2:
        return []  # most sections: no run of two
    chains: list[list[tuple[int, int, int]]] = []  # runs of (start, end, number)
    chain: list[tuple[int, int, int]] = []
    for item in found:
        if item[2] == 1:
            chains.append(chain)
            chain = [item]
        elif chain and item[2] == chain[-1][2] + 1:
            chain.append(item)
    chains.append(chain)
    items = []
    for run in (ch for ch in chains if len(ch) >= 2):
        for k, (pos, marker_end, n) in enumerate(run):
            line_end = text.find("\n", marker_end)
            end = run[k + 1][0] if k + 1 < len(run) else min(stop, len(text) if line_end < 0 else line_end)
            title_end = inline_title_end(text, marker_end, end)
            title = text[marker_end:title_end].strip().rstrip(",，;；、")
            items.append(Node(Candidate(pos, marker_end, "inline", n, "weak"), title, title_end, node, end=end))
    items.sort(key=lambda item: item.cand.pos)
    for item, following in zip(items, items[1:], strict=False):  # a run's last item ends where the next run starts
        item.end = min(item.end, following.cand.pos)
    return items


def inline_title_end(text: str, start: int, end: int) -> int:
    """Where an inline item's title ends: its first clause, the gist (一是带头学法,讲授…), unless that clause
    is too short or only says when or where (一是2023年,… / 一是在执法方面,…); then its sentence.

    >>> t = "一是带头学法,讲授专题课1次。二是2023年,全区开展评查。"
    >>> t[2:inline_title_end(t, 2, 15)], t[17:inline_title_end(t, 17, len(t))]
    ('带头学法', '2023年,全区开展评查')
    """
    sentence = SENTENCE_END.search(text, start, end)
    sentence_end = sentence.start() if sentence else end
    clause = CLAUSE_END.search(text, start, sentence_end)
    if clause and clause.start() - start >= 4 and not INLINE_SETTING.search(text, start, clause.start()):
        return clause.start()
    return sentence_end


def plan_half(text: str, top: Node, report_year: int | None) -> Node | None:
    """The next-year plan inside a merged problems-and-plan part that has no plan heading of its own: a
    child spanning from the sentence that opens the plan (下一步… / 今后… / 2024年,我县将…) to the end of
    the part's own text, its title that sentence up to its first 。 or :, its marker empty (none is written).

    >>> text = "二、问题及打算。执法不规范。下一步,我局将做好以下工作:一是培训;二是考核。"
    >>> half = plan_half(text, structure(text)[0], 2023)
    >>> half.title, text[half.cand.pos:half.end]
    ('下一步,我局将做好以下工作', '下一步,我局将做好以下工作:一是培训;二是考核。')
    """
    stop = top.children[0].cand.pos if top.children else top.end
    for m in PLAN_LEAD.finditer(text, top.title_end, stop):
        year = m.group("year")
        if year and not (int(year) > report_year if report_year else "将" in m.group()):
            continue
        title = m.group().strip()
        cand = Candidate(m.start() + len(m.group()) - len(m.group().lstrip()), m.start(), "lead", 1, "weak")
        cand.end = cand.pos
        return Node(cand, title, m.end(), top, end=stop, canonical="next_plan")
    return None


def classify(title: str, report_year: int | None = None) -> str:
    """The mandated part a top-level title names (DOMAIN.md §4.3, in that order).

    >>> classify("存在的不足和原因"), classify("2024年法治政府建设工作重点", 2023)
    ('problems', 'next_plan')
    >>> classify("2023年法治政府建设重点工作完成情况", 2023), classify("其他需要报告的情况")
    ('achievements', 'suggestions')
    """
    years = [int(y) for y in YEAR.findall(title)]
    later = bool(report_year and years and max(years) > report_year)
    same = bool(report_year and years and max(years) <= report_year)
    if PROBLEMS.search(title):
        return "problems"
    if LEADER.search(title):
        return "leader_duty"
    if later or NEXT_STRONG.search(title) or (not same and NEXT_WEAK.search(title)):
        return "next_plan"
    if SUGGEST.search(title):
        return "suggestions"
    if ACHIEVE.search(title):
        return "achievements"
    return "other"


def _canonical(tops: list[Node], report_year: int | None) -> None:
    for node in tops:
        node.canonical = classify(node.title, report_year)
    parts = [n.canonical for n in tops]
    if "problems" in parts:
        boundary = parts.index("problems")
    else:
        boundary = next((k for k, p in enumerate(parts) if p in ("next_plan", "suggestions")), len(parts))
    for node in tops[:boundary]:
        if node.canonical != "leader_duty" and not NEXT_STRONG.search(node.title):
            node.canonical = "achievements"
    for node in tops[boundary + 1:]:
        if node.canonical == "achievements" and AFTER_PROBLEMS.search(node.title):
            node.canonical = "next_plan"


def _named(top: Node) -> set[str]:
    """The parts a top-level title names (two for a merged "问题及下一步打算")."""
    return {classify(top.title)} | {p for p, rx in (("next_plan", NEXT_STRONG), ("problems", PROBLEMS))
                                    if rx.search(top.title)}


def _merged(top: Node) -> bool:
    """A merged problems-and-plan part whose plan has no heading of its own."""
    return top.canonical == "problems" and "next_plan" in _named(top) and not any(
        classify(child.title) == "next_plan" for child in top.children)


def _nested_parts(text: str, tops: list[Node], nodes: list[Node]) -> None:
    """Mark a leader-duty part inside part one, and the halves of a merged top-level part."""
    for top in tops:
        named = _named(top)
        if len(named) > 1:
            for child in top.children:
                part = classify(child.title)
                if part in named and part != top.canonical:
                    child.canonical = part
    if any(top.canonical == "leader_duty" for top in tops):
        return
    part_one = [n for n in nodes if _top(n).canonical in ("achievements", "other") and n.parent]
    for node in part_one:
        if LEADER_TITLE.search(node.title):
            node.canonical = "leader_duty"
    if any(n.canonical == "leader_duty" for n in part_one):
        return
    for m in LEADER_SENTENCE.finditer(text):
        if text.rfind("《", 0, m.start()) > text.rfind("》", 0, m.start()):
            continue  # a document's name, not the report's account
        holders = [n for n in part_one if n.cand.pos <= m.start() < n.end]
        if holders:
            max(holders, key=lambda n: n.level).canonical = "leader_duty"
            return


def _top(node: Node) -> Node:
    while node.parent:
        node = node.parent
    return node


def parse_outline(text: str, report_year: int | None = None) -> list[Section]:
    """The report's outline as sections in document order, ids like 2.1.3 by position in the tree."""
    nodes = structure(text)
    tops = [n for n in nodes if n.parent is None]
    _canonical(tops, report_year)
    for top in tops:
        half = plan_half(text, top, report_year) if _merged(top) else None
        if half:
            top.children.insert(0, half)
            nodes.insert(nodes.index(top) + 1, half)
    with_inline: list[Node] = []
    for node in nodes:
        with_inline.append(node)
        items = inline_items(text, node)
        node.children[:0] = items
        with_inline.extend(items)
    _nested_parts(text, tops, with_inline)
    ids: dict[int, str] = {}
    counters: dict[str | None, int] = {}
    sections = []
    for node in with_inline:
        parent_id = ids[id(node.parent)] if node.parent else None
        counters[parent_id] = counters.get(parent_id, 0) + 1
        ids[id(node)] = f"{parent_id}.{counters[parent_id]}" if parent_id else str(counters[parent_id])
        sections.append(Section(ids[id(node)], parent_id, node.level, text[node.cand.pos:node.cand.end],
                                node.title, node.canonical, node.cand.pos, node.end))
    return sections


def keep_script(sections: list[Section], raw: str) -> None:
    """Titles as the raw text writes them, so a traditional report's headings stay traditional.

    >>> secs = parse_outline("一、存在的主要问题")
    >>> keep_script(secs, "一、存在的主要問題"); secs[0].title
    '存在的主要問題'
    """
    # converted in one piece: t2s and the folding change characters, never where a line breaks
    folded_lines = fixes.fold_punctuation(fixes.to_simplified(raw)).splitlines()
    lines = [(folded, line) for folded, line in zip(folded_lines, raw.splitlines(), strict=True)
             if len(folded) == len(line)]
    for section in sections:
        for folded, line in lines:
            k = folded.find(section.title) if section.title else -1
            if k >= 0:
                section.title = fixes.fold_punctuation(line)[k:k + len(section.title)]
                break
