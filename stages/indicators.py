"""Which known indicator a stated quantity is: the alias table in stages/data/indicators.yaml.

A quantity gets a key only when an alias of that indicator stands right next to it: before it (after
the previous quantity of the sentence, at most `REACH` characters back) or after it in the same clause,
its unit fits the indicator, and it is a level. Short aliases (已办结, 满意率) also need the topic of
the sentence at that point to be their own group's (the last anchor word before them). When two
indicators fit equally well, or a total (合计, 共计) sums the counts of two, the quantity stays untagged:
a wrong tag misleads more than a missing one.

In a list that one verb governs (清理规章162件、规范性文件1040件) the object right before each number
decides: a verb-object alias may join the verb at the list's head to the object of a later item, and an
alias never reaches a number over another group's object (规章 is no 规范性文件).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TABLE = Path(__file__).with_name("data") / "indicators.yaml"
REACH = 36  # how far before a quantity an alias may start
CLAUSE_BREAK = re.compile(r"[,，;；:：。!！?？]")
LIST_BREAK = re.compile(r"[,，;；:：。!！?？、]")
WHOLE_LIST = re.compile(r"、[^,，;；:：。]*(?:等|共计|合计|总计)$")
TOTAL = re.compile(r"(?:共计|合计|总计)$")
UPTO_CLAUSE_BREAK = re.compile(r"(?s:.*)[,，;；:：。!！?？]")  # matches up to the last break
UPTO_LIST_BREAK = re.compile(r"(?s:.*)[,，;；:：。!！?？、]")
HAN = re.compile(r"[\u4e00-\u9fff]")
GAP = r"[^,，;；:：。!！?？\d]{0,12}?"


def alias_pattern(alias: str) -> str:
    """The regex of an alias: `…` is a gap of up to 12 characters, `[..]` one of the listed characters.

    >>> bool(re.fullmatch(alias_pattern("受理…复议"), "受理市县行政复议"))
    True
    >>> bool(re.fullmatch(alias_pattern("依法治[市县区]委员会"), "依法治县委员会"))
    True
    """
    out = []
    for part in re.split(r"(…|\[[^\]]+\])", alias):
        if part == "…":
            out.append(GAP)
        elif part.startswith("[") and part.endswith("]"):
            out.append(part)
        elif part:
            out.append(re.escape(part))
    return "".join(out)


def fixed_parts(alias: str) -> tuple[str, ...]:
    """The parts of an alias every match spells out: a text that lacks one of them holds no match.

    >>> fixed_parts("依法治[市县区]委员会…会议")
    ('依法治', '委员会', '会议')
    """
    return tuple(p for p in re.split(r"…|\[[^\]]+\]", alias) if p)


def norm_unit(unit: str) -> str:
    return unit.replace("（", "(").replace("）", ")")


@dataclass(frozen=True, slots=True)
class Alias:
    key: str
    group: str
    pattern: re.Pattern
    then: re.Pattern | None  # for "A+B": B, which must follow the number in its clause
    next_clause: bool  # for "A+,B": B must open the next clause instead (执法人员23名,均持证上岗)
    weight: int  # characters it spells out: the more, the more specific
    short: bool
    vetoes: tuple[re.Pattern, ...]
    parts: tuple[str, ...]  # fixed_parts of the pattern's alias


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    name_zh: str
    group: str
    units: frozenset[str]


class AliasTable:
    """The project's indicators, their aliases and the anchor words of their groups."""

    def __init__(self, data: dict):
        self.anchors: dict[str, str] = {}
        for group, words in data["groups"].items():
            for word in words:
                self.anchors[str(word)] = group
        self.anchor_re = re.compile("|".join(map(re.escape, sorted(self.anchors, key=len, reverse=True))))
        self.indicators: dict[str, Indicator] = {}
        aliases: list[Alias] = []
        for item in data["indicators"]:
            key, group = item["key"], item["group"]
            if group not in data["groups"]:
                raise ValueError(f"indicator {key}: unknown group {group}")
            self.indicators[key] = Indicator(key, item["name_zh"], group, frozenset(map(norm_unit, item["units"])))
            vetoes = tuple(re.compile(alias_pattern(v)) for v in item.get("not", []))
            for short, names in ((False, item.get("aliases", [])), (True, item.get("short", []))):
                for name in map(str, names):
                    first, _, then = name.partition("+")
                    weight = len(re.sub(r"…|\[[^\]]+\]|\+", "", name)) + name.count("[")
                    next_clause = then.startswith(",")
                    then_re = re.compile("[,，]" + GAP + alias_pattern(then[1:]) if next_clause else alias_pattern(then))
                    aliases.append(Alias(key, group, re.compile(alias_pattern(first)), then_re if then else None,
                                         next_clause, weight, short, vetoes, fixed_parts(first)))
        self.aliases = tuple(aliases)
        self.other_objects: dict[str, re.Pattern] = {
            group: re.compile("|".join(map(re.escape, words))) for group, words in data.get("other_objects", {}).items()}
        self.by_unit: dict[str, frozenset[int]] = {  # positions in self.aliases
            unit: frozenset(i for i, a in enumerate(aliases) if unit in self.indicators[a.key].units)
            for unit in {u for ind in self.indicators.values() for u in ind.units}}
        self.topic_aliases = frozenset(i for i, a in enumerate(aliases) if not a.short and not a.then)
        # each alias (its position and its pattern's search) under the rarest pair of adjacent characters it
        # spells out (across the aliases): a text without that pair cannot hold the alias; under "" the few
        # that spell out no pair, searched in every text
        spread = Counter(pair for a in aliases for pair in _pairs(a.parts))
        self.by_pair: dict[str, list[tuple[int, Callable]]] = {"": []}
        for i, a in enumerate(aliases):
            key = min(_pairs(a.parts), key=lambda pair: (spread[pair], pair)) if _pairs(a.parts) else ""
            self.by_pair.setdefault(key, []).append((i, a.pattern.search))
        self.pairs = frozenset(self.by_pair)
        firsts, seconds = ("".join(sorted({pair[k] for pair in self.by_pair if pair})) for k in (0, 1))
        self.pair_re = re.compile(f"(?=([{re.escape(firsts)}][{re.escape(seconds)}]))")  # overlapping pairs

    @property
    def keys(self) -> set[str]:
        return set(self.indicators)

    def _topic(self, sentence: str, before: int) -> str | None:
        """The group of the last topic word (an anchor or a full alias) that starts before `before`."""
        markers = self._markers(sentence)
        k = bisect_left(markers, (before,))  # the markers that start before `before`
        return markers[k - 1][2] if k else None

    @lru_cache(maxsize=8)  # noqa: B019 (one table for the process; a sentence's quantities come one after another)
    def _markers(self, sentence: str) -> list[tuple[int, int, str]]:
        """Topic words in order of start, the longer last (so it wins) where two start together."""
        found = [(m.start(), len(m.group()), self.anchors[m.group()]) for m in self.anchor_re.finditer(sentence)]
        for i in self.topic_aliases & self._matching(sentence):
            alias = self.aliases[i]
            found += [(m.start(), len(m.group()), alias.group) for m in alias.pattern.finditer(sentence)]
        return sorted(found)

    @lru_cache(maxsize=8)  # noqa: B019 (as _markers)
    def _matching(self, text: str) -> frozenset[int]:
        """Positions of the aliases that match somewhere in `text`: no other alias matches in any part of it
        (a pattern looks at nothing outside its match)."""
        pairs = self.pairs.intersection(self.pair_re.findall(text) + [""])
        return frozenset([i for pair in pairs for i, search in self.by_pair[pair] if search(text)])

    def tag(self, sentence: str, start: int, end: int, unit: str, kind: str,
            others: list[tuple[int, int]]) -> str | None:
        """The indicator of the quantity at sentence[start:end], or None.

        `others` are the spans of the sentence's other quantities: an alias never reaches past one.

        >>> table = load_table()
        >>> s = "共受理行政复议案件23件,已办结19件"
        >>> table.tag(s, 9, 12, "件", "level", [(16, 19)]), table.tag(s, 16, 19, "件", "level", [(9, 12)])
        ('admin_reconsideration_received', 'admin_reconsideration_concluded')
        >>> table.tag("受理行政复议案件23件,同比增长5%", 17, 19, "%", "change", [(8, 11)]) is None
        True
        """
        fitting = self.by_unit.get(unit) or self.by_unit.get(norm_unit(unit)) if kind == "level" else None
        if not fitting:
            return None
        in_sentence = fitting & self._matching(sentence)
        prev_end, next_start = _neighbours(others, start, end)
        listed = prev_end is not None and sentence.startswith("、", prev_end)  # may continue a list (_list_head)
        if not in_sentence and not listed:
            return None
        lo, hi = _scope(sentence, start, end, prev_end, next_start)
        best: dict[str, tuple[int, int]] = {}

        def consider(alias: Alias, distance: int) -> None:
            score = (-distance, alias.weight)
            if alias.key not in best or score > best[alias.key]:
                best[alias.key] = score

        for i in in_sentence:
            alias = self.aliases[i]
            for m in alias.pattern.finditer(sentence, lo, hi):
                s, e = m.span()
                if e <= start:
                    if e < start and WHOLE_LIST.search(sentence, s, start):
                        continue  # names one member of a list counted as a whole: 督察意见书、专项通知等8份
                    if alias.group in self.other_objects and self.other_objects[alias.group].search(sentence, e, start):
                        continue  # 清理省政府规章162件: the count is of another thing
                    if alias.then and not (alias.then.match(sentence, hi) if alias.next_clause
                                           else alias.then.search(sentence, end, hi)):
                        continue
                    distance = start - e
                elif s >= end and not alias.then:
                    distance = s - end + 4  # after the number: a little weaker than before it
                else:
                    continue
                if alias.vetoes and _vetoed(alias.vetoes, sentence, s, e):
                    continue
                if alias.short and self._topic(sentence, max(e, start)) != alias.group:
                    continue
                consider(alias, distance)
        head = _list_head(sentence, lo, start, others) if listed else ""
        spliced = head + sentence[lo:start]
        for i in fitting & self.topic_aliases & self._matching(spliced) if head else ():
            alias, other = self.aliases[i], self.other_objects.get(self.aliases[i].group)
            for m in alias.pattern.finditer(spliced):  # the list's verb + this item's object
                if m.start() < len(head) < m.end() and not _vetoed(alias.vetoes, spliced, *m.span()) \
                        and not (other and other.search(spliced, m.end())):
                    consider(alias, len(spliced) - m.end())
        if len(best) < 2:
            return next(iter(best), None)
        if TOTAL.search(sentence, lo, start):
            return None
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        if ranked[0][1] == ranked[1][1]:
            return None
        return ranked[0][0]


def _neighbours(others: list[tuple[int, int]], start: int, end: int) -> tuple[int | None, int | None]:
    """Where the nearest of the `others` before `start` ends, and where the nearest after `end` starts.

    >>> _neighbours([(0, 3), (20, 24), (5, 8)], 10, 14), _neighbours([(0, 3)], 1, 2)
    ((8, 20), (None, None))
    """
    before = after = None
    for s, e in others:
        if e <= start:
            if before is None or e > before:
                before = e
        elif s >= end and (after is None or s < after):
            after = s
    return before, after


def _scope(sentence: str, start: int, end: int, prev_end: int | None, next_start: int | None) -> tuple[int, int]:
    """Where the aliases of the quantity at sentence[start:end] may stand, between the quantities around it
    (`_neighbours`).

    Before it: back to the clause break (or, after another quantity, to the 、 that follows it), and one
    clause further when the nearer one holds no words (",共计"); after it: up to the clause break.
    """
    lo = max(0, start - REACH) if prev_end is None else prev_end
    upto = UPTO_LIST_BREAK if prev_end is not None else UPTO_CLAUSE_BREAK
    if last := upto.match(sentence, lo, start):
        earlier = upto.match(sentence, lo, last.end() - 1)
        lo = earlier.end() if earlier and len(HAN.findall(sentence, last.end(), start)) < 2 else last.end()
    hi = min(len(sentence), end + 24) if next_start is None else min(len(sentence), end + 24, next_start)
    brk = LIST_BREAK.search(sentence, end, hi)
    return lo, (brk.start() if brk else hi)


def _pairs(parts: tuple[str, ...]) -> set[str]:
    """The pairs of adjacent characters in `parts`.

    >>> sorted(_pairs(("审", "合同", "协议")))
    ['协议', '合同']
    """
    return {part[k:k + 2] for part in parts for k in range(len(part) - 1)}


def _list_head(sentence: str, lo: int, start: int, others: list[tuple[int, int]]) -> str:
    """The first item of a list the quantity at `start` continues (up to that item's number), or "".

    >>> _list_head("共清理规章16件、规范性文件104件", 9, 14, [(5, 8)])
    '共清理规章'
    """
    before = [(s, e) for s, e in others if e <= start]
    if not before or sentence[max(e for _, e in before):lo] != "、":
        return ""
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(sentence, max(0, start - 3 * REACH), start)]
    clause = breaks[-1] if breaks else max(0, start - 3 * REACH)
    first = min((s for s, _ in before if s >= clause), default=None)
    return sentence[max(clause, first - REACH):first] if first is not None else ""


def _vetoed(vetoes: tuple[re.Pattern, ...], text: str, start: int, end: int) -> bool:
    """Whether a match of one of `vetoes` overlaps text[start:end]."""
    for veto in vetoes:
        for v in veto.finditer(text, max(0, start - 10), end + 10):
            if v.start() < end and start < v.end():
                return True
    return False


@lru_cache(maxsize=1)
def load_table(path: Path = TABLE) -> AliasTable:
    return AliasTable(yaml.safe_load(path.read_text(encoding="utf-8")))
