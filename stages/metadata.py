"""Report metadata: title, issuer, place, year, dates and document number."""
from __future__ import annotations

import re

from stages.records import Metadata

PROVINCES = ("北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 "
             "山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 "
             "内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区").split()
YEAR = re.compile(r"(20[0-4]\d|19[89]\d)年")
DATE = re.compile(r"(20[0-4]\d)年(\d{1,2})月(\d{1,2})日")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[(（]\d{4}[〕\])）]\d+号")


def extract_metadata(text: str, page_meta: dict[str, str], header_meta: dict[str, str]) -> Metadata:
    """Metadata from the text, the page's own metadata and the header block the clean-up parsed."""
    lines = text.split("\n")
    title = next((ln for ln in lines[:5] if "报告" in ln and len(ln) < 60), None) or page_meta.get("page_title")
    year_m = YEAR.search(title or "") or YEAR.search(text[:500])
    province = next((p for p in PROVINCES if p in text[:2000] or p[:-1] in (title or "")), None)
    dates = DATE.findall(text[-300:])
    publish = "%s-%02d-%02d" % (dates[-1][0], int(dates[-1][1]), int(dates[-1][2])) if dates else None
    doc = DOC_NUMBER.search(text[:1000])
    return Metadata(title=title, province=province, region=province,
                    report_year=int(year_m.group(1)) if year_m else None,
                    publish_date=publish, doc_number=doc.group() if doc else None)
