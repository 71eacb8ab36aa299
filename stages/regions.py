"""China's administrative divisions: find the places a text names and complete them to their province.

The table is stages/data/regions.tsv (province, prefecture and county level, 6-digit codes; source and
date in stages/data/README.md). It is read once per process and cached.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "regions.tsv"
# one-character stems + 区 (城区, 郊区, 矿区, 东区 …) are also common words: only match them after their city
GENERIC = re.compile(r"^[城郊矿东西南北中]区$")
# the part a name may drop in running text (山西省 → 山西, 大同市 → 大同); longest first
SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
BODY_WORDS = re.compile(r"中共|人民政府|政府|办事处|党工委|工委|党委|工作委员会|委员会")  # what a body's name adds around its place
FANOUT = 4  # branches per lookbehind group in longest_first
TOWNSHIP = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:镇|乡|街道|苏木)(?=人民政府|政府|党委|办事处|$|[\s、,，])")


@dataclass(frozen=True, slots=True)
class Place:
    code: str  # 6 digits: PPCCXX
    name: str

    @property
    def level(self) -> str:
        """province, prefecture or county, read from the code (直辖市 districts are counties)."""
        if self.code[2:] == "0000":
            return "province"
        if self.code[4:] == "00":
            return "prefecture"
        return "county"


@dataclass(frozen=True, slots=True)
class Table:
    places: dict[str, Place]
    by_name: dict[str, tuple[Place, ...]]
    pattern: re.Pattern

    def province(self, place: Place) -> Place:
        return self.places[place.code[:2] + "0000"]

    def chain(self, place: Place) -> list[Place]:
        """The place and its ancestors that are in the table, top first (省直辖县 skip the prefecture)."""
        codes = [place.code[:2] + "0000", place.code[:4] + "00", place.code]
        out: list[Place] = []
        for code in dict.fromkeys(codes):
            if code in self.places and (not out or self.places[code].name != out[-1].name):
                out.append(self.places[code])
        return out

    def full_name(self, place: Place) -> str:
        """
        >>> t = table()
        >>> t.full_name(t.by_name["平城区"][0]), t.full_name(t.by_name["朝阳区"][0])
        ('山西省大同市平城区', '北京市朝阳区')
        """
        return "".join(p.name for p in self.chain(place))


@lru_cache(maxsize=1)
def table() -> Table:
    places: dict[str, Place] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")
            places[code] = Place(code, name)
    by_name: dict[str, list[Place]] = {}

    def add(key: str, place: Place) -> None:
        if place not in by_name.setdefault(key, []):
            by_name[key].append(place)

    for place in places.values():
        if place.level != "province" and place.name == places[place.code[:2] + "0000"].name:
            continue  # 北京市's 市辖区 row: the name is the province's
        if GENERIC.match(place.name):
            parent = places.get(place.code[:4] + "00")
            if parent:
                add(parent.name + place.name, place)
                add(short_name(parent.name) + place.name, place)
        else:
            add(place.name, place)
    return Table(places, {k: tuple(v) for k, v in by_name.items()}, re.compile(longest_first(by_name)))


def longest_first(names) -> str:
    """A regex matching the longest of `names` that starts at a position, as a trie (a flat alternation of
    3,000 names tries each one at every position: the trie is ~2.5x faster). The trie's first level is a
    character class of the ~900 first characters, then a tree of lookbehinds picks the branch for the
    character read (sre tries a branch's alternatives one by one: ~900 tries per position became ~12,
    and the class skips the other characters at once: ~7x faster again).

    >>> longest_first(["平城区", "平城", "平安县"])
    '[平](?:(?<=平)(?:城(?:区|)|安县))'
    """
    trie: dict = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here

    def branch(node: dict) -> str:
        alternatives = [re.escape(char) + branch(child) for char, child in node.items() if char]
        if "" in node:
            alternatives.append("")  # last: a longer name wins
        return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"

    def pick(firsts: list[tuple[str, str]]) -> str:
        """The branches after (sorted, distinct) first characters, each group behind a lookbehind for its range."""
        if len(firsts) <= FANOUT:
            return f"(?:{'|'.join(f'(?<={re.escape(char)}){rest}' for char, rest in firsts)})"
        size = -(-len(firsts) // FANOUT)
        groups = [firsts[i:i + size] for i in range(0, len(firsts), size)]
        return f"(?:{'|'.join(f'(?<=[{re.escape(g[0][0])}-{re.escape(g[-1][0])}])' + pick(g) for g in groups)})"

    firsts = sorted((char, branch(child)) for char, child in trie.items())
    return f"[{''.join(re.escape(char) for char, _ in firsts)}]" + pick(firsts)


def short_name(name: str) -> str:
    """
    >>> short_name("广西壮族自治区"), short_name("大同市"), short_name("平城区")
    ('广西', '大同', '平城区')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    name: str
    places: tuple[Place, ...]


def mentions(text: str) -> list[Mention]:
    """Every full place name in `text`, longest match first, in order.

    >>> [m.name for m in mentions("大同市平城区人民政府")]
    ['大同市', '平城区']
    """
    t = table()
    return [Mention(m.start(), m.group(), t.by_name[m.group()]) for m in t.pattern.finditer(text)]


def resolve(found: list[Mention], context: str = "") -> Place | None:
    """The deepest place named in `found`, its ambiguity settled by the other names there and in `context`.

    >>> resolve(mentions("威海市文登区人民政府")).code
    '371003'
    >>> resolve(mentions("朝阳区人民政府"), context="长春市").code
    '220104'
    """
    if not found:
        return None
    t = table()
    depth = {"county": 3, "prefecture": 2, "province": 1}
    candidates = [p for m in found for p in m.places]
    deepest = max(depth[p.level] for p in candidates)
    candidates = list(dict.fromkeys(p for p in candidates if depth[p.level] == deepest))
    if len(candidates) == 1:
        return candidates[0]
    here = {p.code for m in found for p in m.places}
    around = Counter(p.code for m in mentions(context) for p in m.places)

    def support(place: Place) -> tuple[int, int, int]:
        ancestors = t.chain(place)[:-1]
        return (sum(a.code in here for a in ancestors),
                sum(around[a.code] + context.count(short_name(a.name)) for a in ancestors),
                -int(place.code))

    return max(candidates, key=support)


def township(text: str) -> str | None:
    """A township-level name (镇, 乡, 街道, 苏木) that ends a body's name, without the places before it.

    >>> township("大河镇人民政府"), township("钟山区大河镇人民政府"), township("平城区人民政府")
    ('大河镇', '大河镇', None)
    >>> township("佛山市南海区人民政府桂城街道办事处"), township("南海区政府桂城街道办事处"), township("中共南海区桂城街道工作委员会")
    ('桂城街道', '桂城街道', '桂城街道')
    """
    rest = BODY_WORDS.sub(" ", text)
    for m in mentions(text):
        rest = rest.replace(m.name, " ")
    found = TOWNSHIP.search(rest.split()[-1] if rest.split() else "")
    return found.group() if found else None
