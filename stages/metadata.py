"""Report metadata: title, issuer, place, year, dates and document number.

Each field is read from the report's own front and closing matter first (title line, doc-number line,
signature block), then from the header block the clean-up parsed (`header_meta`) and the page's own
metadata (`page_meta`). The place is completed to its province with stages/regions.py.
"""
from __future__ import annotations

import re

from stages import regions
from stages.outline import cn_number
from stages.records import Metadata

YEAR = r"(?:19[89]\d|20[0-4]\d)"
YEAR_RANGE = re.compile(rf"{YEAR}\s*年?\s*[-—–~～至到]+\s*{YEAR}")
TITLE_YEAR = re.compile(rf"(?:关于|^|[^\d])({YEAR})\s*年(度?)")
OPENING_YEAR = re.compile(rf"^({YEAR})\s*年")
ANY_YEAR = re.compile(rf"({YEAR})\s*年")
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
PAGE_TITLE_SEP = re.compile(r"\s*(?:[_|｜]|--|—|\s-|-\s|(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff]))\s*")


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
    for line in front:
        body = line.lstrip("•·* ")
        if TITLE_WORD.search(body) and ":" not in body and "：" not in body and len(body) >= 6:
            return body
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
    if header_meta.get("issuing_body"):
        return header_meta["issuing_body"].strip()
    if signers:
        return " ".join(signers)
    for k, line in enumerate(front):
        if line == title and k and ORG_LINE.match(front[k - 1]):
            return front[k - 1]
    if title:
        m = re.match(rf"^(.+?{ORG_END})(?:关于|{YEAR}年)", title)
        if m:
            return m.group(1)
    m = re.match(rf"^(?:{YEAR}\s*年度?(?:以来)?[,，]\s*)?({ORG.pattern})(?![\u4e00-\u9fff]{{0,2}}[:：])", opening)
    if m and (regions.mentions(m.group(1)) or regions.township(m.group(1))):
        return m.group(1)
    return page_meta.get("issuer") or None


def find_place(text: str, subject: list[str]) -> tuple[regions.Place | None, str | None]:
    """The place the report is about (from the first subject string that names one) and a township
    below it, if the issuer is a township. A bare township is completed from the county the text names
    most often."""
    context = text[:3000]
    town = next((t for t in (regions.township(s) for s in subject[:1] if s) if t), None)
    for s in subject:
        found = regions.mentions(s or "")
        if found:
            return regions.resolve(found, context), town
    found = regions.mentions(text)
    if town and found:
        counties = [m for m in found if any(p.level == "county" for p in m.places)] or found
        found = _most_named(counties)
    elif found:
        found = _most_named(found)
    return regions.resolve(found, context) if found else None, town


def _most_named(found: list[regions.Mention]) -> list[regions.Mention]:
    counts: dict[str, int] = {}
    for m in found:
        counts[m.name] = counts.get(m.name, 0) + 1
    best = max(counts.values())
    first = next(m for m in found if counts[m.name] == best)
    return [first]


def find_year(title: str | None, text: str, lines: list[str], opening: str, date: str | None) -> int | None:
    """The year reported on: the title's, else the top headings', else the opening's, else from the date."""
    if title:
        found = TITLE_YEAR.findall(YEAR_RANGE.sub("", title))
        if found:
            return int(next((y for y, du in found if du), found[0][0]))
    for line in lines:
        m = re.match(rf"^\s*[一二三四五六七八九十]{{1,3}}、.*?({YEAR})\s*年", YEAR_RANGE.sub("", line))
        if m:
            plan = re.search(r"下一|下步|安排|计划|打算|重点|思路", line) and not re.search(r"问题|不足|成效", line)
            return int(m.group(1)) - (1 if plan else 0)
    opening = YEAR_RANGE.sub("", opening)
    m = OPENING_YEAR.match(opening) or ANY_YEAR.search(opening.split("。")[0])
    if m:
        return int(m.group(1))
    if date:
        year, month = int(date[:4]), int(date[5:7])
        return year - 1 if month <= 6 else year
    return None


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
    subject = [s for s in (issuer, title_subject, title, page_meta.get("issuer"), opening[:60]) if s]
    place, town = find_place(text, subject)
    t = regions.table()
    region = (t.full_name(place) if place else "") + (town or "")
    return Metadata(
        title=title, issuing_body=issuer, region=region or None,
        province=t.province(place).name if place else None,
        admin_level=admin_level(issuer, place, town),
        report_year=find_year(title, text, lines, opening, publish),
        publish_date=publish, doc_number=find_doc_number(front, header_meta))
