"""Build raw/ from the sample report texts in tests/samples/src/ (UTF-8, simplified, one paragraph a line).

Run from the repository root:  .venv/bin/python tests/samples/make_raw.py
The output is byte-for-byte reproducible (fixed PDF and Word timestamps), so re-running it on unchanged
sources leaves raw/ unchanged and the pipeline's incremental runs skip every file.
"""
from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
RAW = HERE.parent.parent / "raw"

DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号$")
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^。]*$")
ADDRESSEE = re.compile(r"^[^。，]{2,40}：$")
WORD = re.compile(r"[0-9A-Za-z.%]+|.")  # a Latin word or number never breaks across lines


@dataclass(frozen=True)
class Sample:
    src: str  # stem of the source text in src/
    out: str  # path below raw/
    fmt: str  # txt, html, pdf or docx
    encoding: str = "utf-8"
    newline: str = "\n"
    indent: str = ""  # put before every body paragraph of a .txt
    blank_lines: bool = False  # an empty line between paragraphs of a .txt
    traditional: bool = False  # convert to traditional characters (OpenCC s2t) first
    page: str = ""  # key of the HTML page template


SAMPLES = [
    Sample("changsha-sifaju-2019", "2019/changsha-sifaju-2019.docx", "docx"),
    Sample("changting-2020", "2020/changting-2020-utf8.txt", "txt"),
    Sample("zhejiang-2021", "2021/zhejiang-2021-utf8.html", "html", page="zhejiang"),
    Sample("suzhou-2022", "2022/suzhou-2022.pdf", "pdf"),
    Sample("luanchuan-2022", "2022/luanchuan-2022-big5.txt", "txt", encoding="big5", newline="\r\n",
           traditional=True),
    Sample("pidu-2023", "2023/pidu-2023-gbk.txt", "txt", encoding="gbk", newline="\r\n", indent="\u3000\u3000"),
    Sample("shushan-scjgj-2023", "2023/shushan-scjgj-2023-gb2312.html", "html", encoding="gbk", page="shushan"),
    Sample("guicheng-2024", "2024/guicheng-2024-utf8-bom.txt", "txt", encoding="utf-8-sig", newline="\r\n",
           blank_lines=True),
]


def signature_start(lines: list[str]) -> int:
    """Index of the first line of the closing block (issuer lines, date, disclosure marker).

    >>> signature_start(["一、情况", "正文。", "某县人民政府", "2023年3月1日"])
    2
    """
    i = len(lines)
    while i > 0 and len(lines[i - 1]) < 30 and not lines[i - 1].endswith(("。", "：")):
        i -= 1
    return i


def to_traditional(text: str, encoding: str) -> str:
    """OpenCC s2t; characters the target encoding lacks (爲, 衆, 羣 in Big5) take their Taiwan form."""
    import opencc

    s2t, t2tw = opencc.OpenCC("s2t"), opencc.OpenCC("t2tw")
    out = []
    for char in s2t.convert(text):
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            char = t2tw.convert(char)
        out.append(char)
    return "".join(out)


# --- plain text -------------------------------------------------------------------------------------

def make_txt(lines: list[str], sample: Sample) -> bytes:
    sig = signature_start(lines)
    out = []
    for i, line in enumerate(lines):
        body = 0 < i < sig and not TOP_HEADING.match(line) and not ADDRESSEE.match(line)
        out.append((sample.indent if body else "") + line)
    sep = sample.newline * (2 if sample.blank_lines else 1)
    return (sep.join(out) + sample.newline).encode(sample.encoding)


# --- HTML pages with a government site's chrome ----------------------------------------------------------

PAGES = {
    "zhejiang": Template("""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="SiteName" content="浙江省人民政府">
<meta name="ColumnName" content="年度报告">
<meta name="ArticleTitle" content="$title">
<meta name="PubDate" content="2022-03-31 10:12">
<meta name="ContentSource" content="浙江省人民政府办公厅">
<title>${title}_年度报告_浙江省人民政府</title>
<link rel="stylesheet" href="/css/article.css">
<script>var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); })();</script>
<style>.crumb{font-size:14px} #zoom p{text-indent:2em;line-height:2}</style>
</head>
<body>
<div class="topbar"><span>无障碍浏览</span> | <span>长者模式</span> | <a href="#">简体</a> <a href="#">繁體</a> | <a href="#">登录</a> <a href="#">注册</a></div>
<div class="header"><img src="/images/logo.png" alt="浙江省人民政府"><form><input name="q" placeholder="请输入关键词"><button>搜索</button></form></div>
<ul class="nav">
<li><a href="/">首页</a></li><li><a href="#">今日浙江</a></li><li><a href="#">政务公开</a></li>
<li><a href="#">政务服务</a></li><li><a href="#">互动交流</a></li><li><a href="#">数据开放</a></li>
</ul>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">法治政府建设</a> &gt; <span>年度报告</span></div>
<table class="xxgk-meta">
<tr><td>索 引 号：</td><td>002482070/2022-00419</td><td>主题分类：</td><td>政务公开</td></tr>
<tr><td>发布机构：</td><td>浙江省人民政府</td><td>成文日期：</td><td>2022-03-28</td></tr>
<tr><td>名　　称：</td><td colspan="3">$title</td></tr>
</table>
<div class="article">
<h1 class="title">$title</h1>
<div class="info">发布时间：2022-03-31 10:12　来源：浙江省人民政府办公厅　浏览次数：<span id="hits"></span>　字号：【<a>大</a> <a>中</a> <a>小</a>】</div>
<div id="zoom">
$body
</div>
<div class="tools"><a href="javascript:window.print()">【打印】</a><a href="javascript:window.close()">【关闭】</a>　分享到：微信 微博</div>
<div class="qrcode"><img src="/images/qr.png" alt=""><p>扫一扫在手机打开当前页</p></div>
</div>
<div class="related"><h3>相关文章</h3><ul>
<li><a href="#">浙江省人民政府关于2020年法治政府建设情况的报告</a><span>2021-03-30</span></li>
<li><a href="#">浙江省法治政府建设实施方案（2021—2025年）</a><span>2021-12-20</span></li>
</ul></div>
<div class="footer">
<p><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">网站声明</a> | <a href="#">隐私政策</a></p>
<p>主办：浙江省人民政府办公厅　承办：浙江省大数据发展管理局</p>
<p>网站标识码：3300000064　浙ICP备05017820号-1　<img src="/images/ga.png" alt="">浙公网安备 33010602010239号</p>
<p>地址：杭州市省府路8号　邮编：310025</p>
</div>
<script src="/js/common.js"></script>
</body>
</html>
"""),
    "shushan": Template("""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>${title}-蜀山区人民政府</title>
<link href="/images/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="date">今天是：2021年10月8日 星期五</td><td align="right"><a href="#">设为首页</a> | <a href="#">加入收藏</a> | <a href="#">繁体版</a> | <a href="#">无障碍</a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="nav">
<tr><td><a href="/">首页</a></td><td><a href="#">走进蜀山</a></td><td><a href="#">信息公开</a></td><td><a href="#">政务服务</a></td><td><a href="#">互动交流</a></td><td><a href="#">专题专栏</a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="position">当前位置：<a href="/">首页</a> &gt;&gt; <a href="#">信息公开</a> &gt;&gt; <a href="#">部门信息公开</a> &gt;&gt; <a href="#">区市场监管局</a> &gt;&gt; 法治政府建设</td></tr>
</table>
<table width="960" border="1" align="center" cellpadding="4" cellspacing="0" class="xxgk">
<tr><td>索 引 号</td><td>003222915/202403-00008</td><td>信息分类</td><td>法治政府建设</td></tr>
<tr><td>发布机构</td><td>蜀山区市场监督管理局</td><td>生成日期</td><td>2024-03-05</td></tr>
<tr><td>文&nbsp;&nbsp;&nbsp;&nbsp;号</td><td></td><td>时&nbsp;&nbsp;&nbsp;&nbsp;效</td><td>有效</td></tr>
<tr><td>标&nbsp;&nbsp;&nbsp;&nbsp;题</td><td colspan="3">$title</td></tr>
</table>
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td align="center" class="biaoti"><strong>$title</strong></td></tr>
<tr><td align="center" class="laiyuan">信息来源：区市场监管局　发布时间：2024-03-05 16:40　浏览次数：<script>document.write(hits);</script>　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
<tr><td class="zhengwen" id="zoom">
$body
</td></tr>
<tr><td align="right"><a href="javascript:window.print();">【打印】</a> <a href="javascript:window.close();">【关闭】</a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom">
<tr><td align="center">
<a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">使用帮助</a><br />
主办：合肥市蜀山区人民政府办公室　承办：蜀山区数据资源局　联系电话：0551-65131200<br />
网站标识码：3401040004　<a href="https://beian.miit.gov.cn/">皖ICP备05001964号</a>　皖公网安备 34010402700881号
</td></tr>
</table>
</body>
</html>
"""),
}


def make_html(lines: list[str], sample: Sample) -> bytes:
    sig = signature_start(lines)
    paragraphs = []
    for i, line in enumerate(lines[1:], start=1):
        style = ' style="text-align:right"' if i >= sig else ""
        tag = "strong" if TOP_HEADING.match(line) else ""
        text = html.escape(line)
        paragraphs.append(f"<p{style}>{f'<{tag}>{text}</{tag}>' if tag else text}</p>")
    page = PAGES[sample.page].substitute(title=html.escape(lines[0]), body="\n".join(paragraphs))
    return page.encode(sample.encoding)


# --- PDF: hard-wrapped lines, running header, page numbers ----------------------------------------------

FONT = "STSong-Light"
NO_LINE_START = "，。、；：？！”’）》〉】…%"
NO_LINE_END = "“‘（《〈【"


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Break text into lines no wider than width points, keeping the line-breaking rules of Chinese type:
    closing punctuation never starts a line, opening punctuation never ends one."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line, room = [], "", width - first_indent
    for word in WORD.findall(text):
        if line and stringWidth(line + word, FONT, size) > room and word[0] not in NO_LINE_START:
            carry = line[-1] if line[-1] in NO_LINE_END else ""
            lines.append(line[:-1] if carry else line)
            line, room = carry, width
        line += word
    return lines + [line] if line else lines


def make_pdf(lines: list[str], sample: Sample) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    page_w, page_h = A4
    left, right, top, bottom = 79.0, 74.0, 96.0, 88.0
    width, size, leading = page_w - left - right, 15.5, 27.0
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(lines[0])
    pdf.setAuthor("苏州市人民政府")
    page = 1
    y = page_h - top

    def finish_page() -> None:
        nonlocal page, y
        pdf.setFont(FONT, 14)
        pdf.drawCentredString(page_w / 2, 48, f"— {page} —")
        pdf.showPage()
        page += 1
        y = page_h - top
        pdf.setFont(FONT, 10.5)
        pdf.drawCentredString(page_w / 2, page_h - 56, lines[0])
        pdf.line(left, page_h - 62, page_w - right, page_h - 62)

    def draw(text: str, x: float, font_size: float, align: str = "left") -> None:
        nonlocal y
        if y < bottom:
            finish_page()
        pdf.setFont(FONT, font_size)
        if align == "center":
            pdf.drawCentredString(page_w / 2, y, text)
        elif align == "right":
            pdf.drawRightString(page_w - right - 2 * size, y, text)
        else:
            pdf.drawString(x, y, text)
        y -= leading

    for part in wrap(lines[0], width - 40, 21):  # the title, in a larger size
        draw(part, left, 21, "center")
        y -= 8
    sig = signature_start(lines)
    for i, line in enumerate(lines[1:], start=1):
        if DOC_NUMBER.search(line):
            draw(line, left, size, "center")
            y -= 10
        elif i >= sig:
            if i == sig:
                y -= leading
            draw(line, left, size, "right")
        elif ADDRESSEE.match(line):
            draw(line, left, size)
        else:
            indent = 2 * size
            for j, part in enumerate(wrap(line, width, size, indent)):
                draw(part, left + (indent if j == 0 else 0), size)
    pdf.setFont(FONT, 14)
    pdf.drawCentredString(page_w / 2, 48, f"— {page} —")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


# --- Word -------------------------------------------------------------------------------------------------

FIXED_TIME = (2020, 1, 16, 9, 30, 0)


def make_docx(lines: list[str], sample: Sample) -> bytes:
    from datetime import datetime

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.author, props.title = "长沙市司法局", lines[0]
    props.created = props.modified = datetime(*FIXED_TIME)

    def paragraph(text: str, font: str, size: float, align=None, indent: bool = False) -> None:
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(2 * size)
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.name = font
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    paragraph(lines[0], "方正小标宋简体", 22, WD_ALIGN_PARAGRAPH.CENTER)
    sig = signature_start(lines)
    for i, line in enumerate(lines[1:], start=1):
        if i >= sig:
            paragraph(line, "仿宋_GB2312", 16, WD_ALIGN_PARAGRAPH.RIGHT)
        elif TOP_HEADING.match(line):
            paragraph(line, "黑体", 16, indent=True)
        elif ADDRESSEE.match(line):
            paragraph(line, "仿宋_GB2312", 16)
        else:
            paragraph(line, "仿宋_GB2312", 16, indent=True)
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every member stamped FIXED_TIME, so the file's bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


MAKERS = {"txt": make_txt, "html": make_html, "pdf": make_pdf, "docx": make_docx}


def build(raw: Path = RAW) -> list[Path]:
    """Write every sample below raw; return the paths written."""
    written = []
    for sample in SAMPLES:
        text = (SRC / f"{sample.src}.txt").read_text(encoding="utf-8")
        if sample.traditional:
            text = to_traditional(text, sample.encoding)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        path = raw / sample.out
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(MAKERS[sample.fmt](lines, sample))
        written.append(path)
    return written


if __name__ == "__main__":
    for written in build():
        print(written.relative_to(RAW.parent), written.stat().st_size)
