"""Report metadata: title, issuer, place, year, dates and document number.

Each field is read from the report's own front and closing matter first (title line, doc-number line,
signature block), then from the header block the clean-up parsed (`header_meta`) and the page's own
metadata (`page_meta`). The place is completed to its province with stages/regions.py.
"""
from __future__ import annotations

import re
from collections import Counter

from stages import outline, regions
from stages.outline import cn_number
from stages.records import Metadata

YEAR = r"(?:19[89]\d|20[0-4]\d)"
YEAR_RANGE = re.compile(rf"{YEAR}\s*年?\s*[-—–~～至到]+\s*{YEAR}")
TITLE_YEAR = re.compile(rf"(?:关于|^|[^\d])({YEAR})\s*年(度?)")
OPENING_YEAR = re.compile(rf"^({YEAR})\s*年(?!\s*\d{{1,2}}\s*月)")
ANY_YEAR = re.compile(rf"({YEAR})\s*年(?!\s*\d{{1,2}}\s*月)")
# a sentence that opens the next year's plan: 2024年,我县将重点… / 2024年工作打算 (将 alone is often 把)
PLAN_SENTENCE = re.compile(
    rf"(?:^|(?<=[。!！?？;；:：\n]))\s*({YEAR})\s*年度?(?:[,，]?(?:我|全|本)[^。,，;；]{{0,6}}?(?:将|要)"
    r"(?:重点|着力|继续|进一步|持续|全面|围绕|紧扣|聚焦|坚持|从以下|做好|抓好|在以下)"
    r"|(?:工作|法治政府建设)?(?:打算|计划|安排|思路|要点))", re.M)
CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "O": "0", "0": "0"}
DATE = re.compile(rf"({YEAR})\s*[年./-]\s*(\d{{1,2}})\s*[月./-]\s*(\d{{1,2}})\s*日?")
CN_DATE = re.compile(r"([〇○零一二三四五六七八九O0]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
DOC_NUMBER = re.compile(rf"[\u4e00-\u9fff]{{1,12}}[〔\[(（【]\s*{YEAR}\s*[〕\])）】]\s*\d{{1,4}}\s*号")
ORG_END = r"(?:人民政府|政府|委员会|党委|[省市县区旗]委|党组|局|厅|办公室|办事处|管委会|街道工委|中心|署)"
ORG = re.compile(rf"[\u4e00-\u9fff]{{2,30}}?{ORG_END}")
ORG_LINE = re.compile(rf"^(?:[\u4e00-\u9fff()（）]{{2,30}}{ORG_END}[\s、]*)+$")
# a government or Party committee, not one of its departments (…人民政府办公室, …发展和改革委员会 are departments)
GOVERNMENT = re.compile(r"(?:政府|党委|党工委|办事处|管委会|管理委员会|街道工委|[省市县区旗镇乡]委)$|^中共.*委(?:员会)?$")
TITLE_WORD = re.compile(r"报告|总结")
HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十]{1,3}[)）])")
SELF = re.compile(r"(?:我|全|本)([县区市旗])(?![委长级])")  # how a report names its own unit
# what joins a page <title>'s parts (…年度报告-某某区人民政府, …_某某网); a dash between digits is a range
PAGE_TITLE_SEP = re.compile(r"\s*(?:[_|｜]|\s[-—–－]+\s|(?<=[\u4e00-\u9fff)）》])[-—–－]+(?=[\u4e00-\u9fff])|--)\s*")
SITE_SUFFIX = re.compile(rf"{PAGE_TITLE_SEP.pattern}[\u4e00-\u9fff]{{2,24}}(?:政府|网|网站|门户)$")


def front_lines(lines: list[str]) -> list[str]:
    """The short lines before the first paragraph or heading: title, issuer, doc number, addressee.

    >>> front_lines(["XX县人民政府", "关于2023年法治政府建设情况的报告", "2023年,我县坚持…。", "一、成效"])
    ['XX县人民政府', '关于2023年法治政府建设情况的报告']
    """
    out = []
    for line in lines:
        if HEADING.match(line) or len(line) > 80 or line.rstrip().endswith("。"):
            break
        out.append(line.strip())
    return out


def find_title(front: list[str], text: str, page_meta: dict, header_meta: dict) -> str | None:
    """The title line of the front matter, else the title part of the header's or the page's own title.

    >>> find_title([], "", {"title": "某某局2023年法治政府建设年度报告－某某区人民政府"}, {})
    '某某局2023年法治政府建设年度报告'
    >>> find_title(["关于落实《纲要(2021—2025年)》的2023年法治政府建设报告_某某网"], "", {}, {})
    '关于落实《纲要(2021—2025年)》的2023年法治政府建设报告'
    """
    for k, line in enumerate(front):
        body = line.lstrip("•·* ")
        if TITLE_WORD.search(body) and ":" not in body and "：" not in body:
            before = front[k - 1] if k else ""
            if len(body) < 12 and re.search(r"关于|法治", before) and not re.search(r"[:：。]$", before):
                body = before + body  # a title wrapped onto two lines
            if len(body) >= 6:
                return SITE_SUFFIX.sub("", body)
    if not front:  # the whole report on one line: a title runs up to its first 报告
        m = re.match(r"^([^,，。:：\n]{4,60}?报告)", text)
        if m and "法治" in m.group(1):
            return m.group(1)
    for candidate in (header_meta.get("title"), page_meta.get("title")):
        parts = PAGE_TITLE_SEP.split(candidate.strip()) if candidate else []
        found = next((p for p in parts if "法治" in p or TITLE_WORD.search(p)), None)
        if found:
            return found
    return None


def closing(lines: list[str]) -> tuple[list[str], str | None]:
    """The signature block: the issuer lines and the date line that close the report (after it only
    footers). Returns (issuer lines, date line).

    >>> closing(["…。", "中共某某县委 某某县人民政府", "2024年1月23日", "扫一扫在手机上查看当前页面"])
    (['中共某某县委 某某县人民政府'], '2024年1月23日')
    """
    tail = lines[-8:]
    for k in range(len(tail) - 1, -1, -1):
        line = tail[k].strip()
        if len(line) > 60 or line.endswith("。"):
            break
        if parse_date(line) and len(line) <= 20:
            orgs = []
            for prev in reversed(tail[:k]):
                if not ORG_LINE.match(prev.strip()):
                    break
                orgs.insert(0, prev.strip())
            return orgs, line
    for line in reversed(tail):  # no date: an issuer line that ends the text
        line = line.strip()
        if len(line) > 60 or line.endswith("。"):
            break
        if ORG_LINE.match(line):
            return [line], None
    return [], None


def parse_date(s: str | None) -> str | None:
    """An ISO date from the first date written in `s` (Arabic or Chinese numerals).

    >>> parse_date("2024年1月23日"), parse_date("二〇二四年一月二十三日"), parse_date("2021/03/29 11:30")
    ('2024-01-23', '2024-01-23', '2021-03-29')
    """
    if not s:
        return None
    m = DATE.search(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = CN_DATE.search(s)
        if not m:
            return None
        y = int("".join(CN_DIGIT.get(c, "0") for c in m.group(1)))
        mo, d = cn_number(m.group(2)), cn_number(m.group(3))
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def find_issuer(front: list[str], title: str | None, opening: str, signers: list[str],
                page_meta: dict, header_meta: dict) -> str | None:
    if signers:
        return " ".join(signers)
    if header_meta.get("issuing_body"):
        return header_meta["issuing_body"].strip()
    for line, following in zip(front, front[1:], strict=False):
        if title and title.startswith(following) and ORG_LINE.match(line):
            return line  # the issuer's line above the title
    if title:
        m = re.match(rf"^(.+?{ORG_END})(?:关于|{YEAR}年)", title)
        if m:
            return m.group(1)
    m = re.match(rf"^(?:{YEAR}\s*年度?(?:以来)?[,，]\s*)?({ORG.pattern})(?![\u4e00-\u9fff]{{0,2}}[:：])", opening)
    if m and _starts_with_place(m.group(1)):
        return m.group(1)
    return page_meta.get("issuer") or None


def _starts_with_place(body: str) -> bool:
    """A body's name starts with its place (某某县人民政府, 中共某某县委, 某某镇…), not a preposition.

    >>> _starts_with_place("大河镇人民政府"), _starts_with_place("在赣州市委")
    (True, False)
    """
    body = body.removeprefix("中共")
    found = regions.mentions(body)
    town = regions.township(body)
    return bool(found and found[0].start == 0) or bool(town and body.startswith(town))


def find_place(text: str, bodies: list[str], opening: str) -> tuple[regions.Place | None, str | None]:
    """The place the report is about and, if the issuer is a township, the township below it.

    The first of `bodies` (issuer, title) that names a place decides. Otherwise the opening sentence or,
    failing that, the place the text names most often, brought down to the unit the text calls itself
    (我县/全区…: a county report that opens with its city). A bare township is completed from the
    county the text names most often.
    """
    context = text[:3000]
    town = regions.township(bodies[0]) if bodies else None
    for s in bodies:
        found = regions.mentions(s)
        if found:
            return regions.resolve(found, context), town
    found = regions.mentions(opening)
    if not found:
        everywhere = regions.mentions(text)
        if town:
            everywhere = [m for m in everywhere if any(p.level == "county" for p in m.places)] or everywhere
        found = _most_named(everywhere)
    place = regions.resolve(found, context)
    return (_self_named(place, text) if place and not town else place), town


def _self_named(place: regions.Place, text: str) -> regions.Place:
    """The unit below `place` that the text most often names with the suffix it calls itself by."""
    words = Counter(SELF.findall(text))
    if not words:
        return place
    suffix = words.most_common(1)[0][0]
    if place.name.endswith(suffix) or place.level == "county":
        return place
    prefix = place.code[:2] if place.level == "province" else place.code[:4]
    below = Counter(p for m in regions.mentions(text) for p in m.places
                    if p.code.startswith(prefix) and p != place and p.name.endswith(suffix))
    return below.most_common(1)[0][0] if below else place


def _most_named(found: list[regions.Mention]) -> list[regions.Mention]:
    """The first mention of the most often named place (an empty list for none)."""
    counts = Counter(m.name for m in found)
    return [next(m for m in found if counts[m.name] == max(counts.values()))] if found else []


def year_of_title(title: str | None, text: str, opening: str, date: str | None) -> int | None:
    """The title's year (关于2023年度… wins over another year there; ranges like 2021—2025年 do not count).

    >>> year_of_title("某县关于2023年度法治政府建设情况的报告", "", "", None)
    2023
    """
    found = TITLE_YEAR.findall(YEAR_RANGE.sub("", title)) if title else []
    return int(next((y for y, du in found if du), found[0][0])) if found else None


def year_of_opening(title: str | None, text: str, opening: str, date: str | None) -> int | None:
    """The year the opening sentence starts with or names (not a date like 2024年3月).

    >>> year_of_opening(None, "", "近年来,我区在2022年全面推行…。2023年起…", None)
    2022
    >>> year_of_opening(None, "", "2024年3月,区政府召开常务会议。", None) is None
    True
    """
    first = YEAR_RANGE.sub("", opening).split("。")[0]
    m = OPENING_YEAR.match(first) or ANY_YEAR.search(first)
    return int(m.group(1)) if m else None


def year_of_headings(title: str | None, text: str, opening: str, date: str | None) -> int | None:
    """The first top-level heading that names a year: that year, or the year before for a plan heading.

    >>> year_of_headings(None, "一、主要成效\\n……。\\n二、2025年工作安排\\n……。", "", None)
    2024
    """
    for top in (n for n in outline.structure(text) if n.parent is None):
        m = ANY_YEAR.search(YEAR_RANGE.sub("", top.title))
        if m:
            return int(m.group(1)) - (outline.classify(top.title) == "next_plan")
    return None


def year_of_plan(title: str | None, text: str, opening: str, date: str | None) -> int | None:
    """The year before the one a plan sentence opens with (2024年,我镇将重点…), outside any document name.

    >>> year_of_plan(None, "存在不足。2024年,我镇将重点抓好三项工作。", "", None)
    2023
    >>> year_of_plan(None, "全年印发《2024年工作要点》。2023年,全区将执法纳入考核。", "", None) is None
    True
    """
    for m in PLAN_SENTENCE.finditer(text):
        if text.rfind("《", 0, m.start(1)) <= text.rfind("》", 0, m.start(1)):
            return int(m.group(1)) - 1
    return None


def year_of_signature(title: str | None, text: str, opening: str, date: str | None) -> int | None:
    """The year before the signature's (reports are signed in the first half of the next year), else its own.

    >>> year_of_signature(None, "", "", "2024-03-10"), year_of_signature(None, "", "", "2023-12-28")
    (2023, 2023)
    """
    if not date:
        return None
    year, month = int(date[:4]), int(date[5:7])
    return year - 1 if month <= 6 else year


# the evidence for the year reported on, strongest first; the first that finds a year decides
YEAR_EVIDENCE = (year_of_title, year_of_opening, year_of_headings, year_of_plan, year_of_signature)


def find_year(title: str | None, text: str, opening: str, date: str | None) -> int | None:
    """The year reported on, from the first piece of YEAR_EVIDENCE that names one (never a count of mentions)."""
    return next((y for rule in YEAR_EVIDENCE if (y := rule(title, text, opening, date))), None)


def find_doc_number(front: list[str], header_meta: dict) -> str | None:
    if header_meta.get("doc_number"):
        return header_meta["doc_number"].strip()
    for line in front:
        m = DOC_NUMBER.search(line)
        if m:
            return re.sub(r"\s+", "", m.group())
    return None


def admin_level(issuer: str | None, place: regions.Place | None, town: str | None) -> str | None:
    """
    >>> [admin_level(body, None, None) for body in ("某某区司法局", "中共某某县委 某某县人民政府", "某某县人民政府办公室")]
    ['department', None, 'department']
    """
    if issuer and not any(GOVERNMENT.search(body) for body in re.split(r"[\s、,，]+", issuer) if body):
        return "department"
    if town:
        return "township"
    return place.level if place else None


def extract_metadata(text: str, page_meta: dict[str, str], header_meta: dict[str, str]) -> Metadata:
    """Metadata from the text, the page's own metadata and the header block the clean-up parsed."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    front = front_lines(lines)
    opening = next((ln.strip() for ln in lines[len(front):] if not HEADING.match(ln)), "")
    title = find_title(front, text, page_meta, header_meta)
    signers, date_line = closing(lines)
    issuer = find_issuer(front, title, opening, signers, page_meta, header_meta)
    publish = (parse_date(date_line) or parse_date(header_meta.get("signed_date"))
               or parse_date(header_meta.get("publish_date")) or parse_date(page_meta.get("publish_date")))
    title_subject = re.split(rf"关于|{YEAR}年", title)[0] if title else None
    bodies = [s for s in (issuer, title_subject, title, page_meta.get("issuer")) if s]
    place, town = find_place(text, bodies, opening[:60])
    t = regions.table()
    region = (t.full_name(place) if place else "") + (town or "")
    return Metadata(
        title=title, issuing_body=issuer, region=region or None,
        province=t.province(place).name if place else None,
        admin_level=admin_level(issuer, place, town),
        report_year=find_year(title, text, opening, publish),
        publish_date=publish, doc_number=find_doc_number(front, header_meta))
