"""Ingest: HTML, PDF and Word extraction on files made here, bad files, and every eval variant against its seed."""
from __future__ import annotations

import io
import json
import re
from collections import Counter

import pytest

from stages.cleanup import clean
from stages.ingest import extract
from stages.records import Rejected
from tests.conftest import EVAL, SEEDS

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某县2023年法治政府建设情况报告_某县人民政府</title>
<script>var hits = 1;</script><style>.nav{{}}</style></head><body>
<div class="nav">首页 &gt; 政务公开 &gt; 工作报告</div><div class="toolbar">【字体:大 中 小】【打印】【关闭】</div>
<div class="main"><h1>某县2023年法治政府建设情况报告</h1>
<div class="info">信息来源:县司法局 发布时间:2024-02-01 发布机构:某县人民政府</div>
<p>　　2023年,我县坚持依法行政,全年办理行政复议案件42件。</p><p>一、主要举措和成效</p>
<p>(一)健全依法决策机制。一是完善重大行政决策程序;二是落实合法性审查,审查文件{n}件。</p>
<p>某县人民政府<br>2024年1月23日</p></div>
<div class="footer">主办单位:某县人民政府办公室 网站标识码:0000000000<br>扫一扫在手机打开当前页面</div>
</body></html>"""
BODY = ("2023年,我县坚持依法行政,全年办理行政复议案件42件。\n一、主要举措和成效\n"
        "(一)健全依法决策机制。一是完善重大行政决策程序;二是落实合法性审查,审查文件15件。\n某县人民政府\n2024年1月23日")


def test_html_article_without_chrome_and_with_page_meta():
    extracted = extract("a/report.html", PAGE.format(n=15).encode("utf-8"))
    assert extracted.source_format == "html" and extracted.source_encoding == "utf-8"
    assert clean(extracted.text).text == BODY
    assert extracted.page_meta == {"title": "某县2023年法治政府建设情况报告", "publish_date": "2024-02-01",
                                   "source": "县司法局", "issuer": "某县人民政府"}


def test_html_whose_declared_charset_lies():
    extracted = extract("report.htm", PAGE.format(n=15).encode("gbk"))  # says utf-8, is GBK
    assert extracted.source_encoding == "gbk"
    assert clean(extracted.text).text == BODY


def _pdf(pages: list[list[str]]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            pdf.drawString(72, 800 - 20 * i, line)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_pdf_lines_rejoined_and_page_furniture_removed():
    data = _pdf([["某县人民政府文件", "\u3000\u3000一、主要成效", "\u3000\u3000全年办理行政复议案件4", "2件,同比增长", "— 1 —"],
                 ["某县人民政府文件", "12.5%。", "\u3000\u3000二、存在问题", "第2页 共3页"],
                 ["某县人民政府文件", "\u3000\u30001.执法力量不足。", "3/3"]])
    extracted = extract("report.pdf", data)
    assert extracted.source_format == "pdf"
    assert extracted.text == "一、主要成效\n全年办理行政复议案件42件,同比增长12.5%。\n二、存在问题\n1.执法力量不足。"


def test_docx_paragraph_per_line_and_table_rows():
    import docx

    document = docx.Document()
    document.add_paragraph("一、主要成效")
    document.add_paragraph("全年办理行政复议案件42件。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "索引号", "11410-2023-008"
    document.add_paragraph("二、存在问题")
    buf = io.BytesIO()
    document.save(buf)
    extracted = extract("report.docx", buf.getvalue())
    assert extracted.text == "一、主要成效\n全年办理行政复议案件42件。\n索引号 | 11410-2023-008\n二、存在问题"
    cleaned = clean(extracted.text)
    assert cleaned.header_meta == {"index_no": "11410-2023-008"}
    assert cleaned.text == "一、主要成效\n全年办理行政复议案件42件。\n二、存在问题"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 20, "bad_pdf"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 64, "bad_docx"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "legacy_doc"),
    ("page.html", "<html><body><div>Page not found</div></body></html>".encode(), "empty_html"),
    ("image.txt", bytes(range(256)) * 40, "not_text"),
])
def test_bad_files_are_rejected_with_a_reason(name, data, reason):
    with pytest.raises(Rejected) as err:
        extract(name, data)
    assert err.value.reason == reason and len(err.value.detail) > 30


# ---- every eval variant agrees with its seed, sentence by sentence, as eval/score.py measures it
SENTENCE = re.compile(r"(?<=[。！？；\n])")


def _sentences(text: str) -> Counter:
    return Counter(s for s in SENTENCE.split(re.sub(r"[ \t\u3000\r]", "", text)) if s.strip())


def _agreement(a: str, b: str) -> float:
    left, right = _sentences(a), _sentences(b)
    return 2 * sum((left & right).values()) / (sum(left.values()) + sum(right.values()))


MANIFEST = EVAL / "variants" / "manifest.json"
VARIANTS = sorted(json.loads(MANIFEST.read_text(encoding="utf-8")).items()) if MANIFEST.exists() else []


@pytest.mark.parametrize(("name", "info"), VARIANTS, ids=[name for name, _ in VARIANTS])
def test_eval_variant_agrees_with_its_seed(name, info):
    seed = clean(extract(info["source"], (SEEDS / info["source"]).read_bytes()).text).text
    variant = clean(extract(name, (EVAL / "variants" / name).read_bytes()).text).text
    floor = 0.98 if info.get("traditional_from_simplified") or "traditional" in info["what"] else 0.995
    assert _agreement(seed, variant) >= floor
