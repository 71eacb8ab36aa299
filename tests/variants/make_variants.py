"""Encoding and format variants of clean reports, for testing that ingest and clean-up generalize.

usage: python tests/variants/make_variants.py REPORT.txt ... --out DIR [--seed N]

Writes DIR/raw/ (each report as it is, plus its 13 variants) and DIR/manifest.json in the format of
the shared scorer (`score.py --variants DIR`). The kinds are those of the shared eval set, made by
doing the damage itself; where the damage goes (which sentences, lines and clauses), the page
chrome, the PDF layout and the page-number style come from a random generator with a fixed seed.

  gbk.txt          GBK bytes, full-width punctuation
  gb18030.txt      GB18030 bytes
  utf16.txt        UTF-16 with a byte-order mark (little- or big-endian)
  utf8bom.txt      UTF-8 with a byte-order mark
  crlf.txt         UTF-8 with CRLF line ends
  big5.txt         traditional characters (OpenCC s2tw) in Big5
  shifted.txt      traditional characters; a few spans whose GBK lead byte was lost (`?` + wrong characters)
  utf8asgbk.txt    clauses whose UTF-8 bytes were decoded as GBK (鍥藉 style)
  utf8aslatin1.txt lines whose UTF-8 bytes were decoded as Latin-1 (Ã¦ style)
  gbk.html         an HTML page in GBK with navigation, toolbar and footer chrome
  utf8.html        an HTML page in UTF-8 with chrome
  docx             a Word document, a paragraph per line
  pdf              a PDF (reportlab, STSong-Light) with hard-wrapped lines and page numbers
"""
from __future__ import annotations

import argparse
import codecs
import html
import io
import json
import random
import re
import shutil
import sys
import unicodedata
import zlib
from pathlib import Path

import opencc

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "samples"))
from make_raw import _fixed_zip_times  # noqa: E402  (tests/samples is not a package)

HAN = re.compile(r"[\u4e00-\u9fff]")
# ASCII punctuation a GBK page spells full-width (after a Han character for , ; : ? !; brackets always).
WIDE_AFTER_HAN = re.compile(r"(?<=[\u4e00-\u9fff])[,;:?!]")
WIDE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
GBK_SUBSTITUTES = {"•": "·", "\u2027": "·"}


def widen(text: str) -> str:
    """Half-width punctuation spelled the way Chinese pages spell it (full-width)."""
    text = WIDE_AFTER_HAN.sub(lambda m: WIDE[m.group()], text)
    return text.replace("(", "（").replace(")", "）")


def _substitute(exc: UnicodeEncodeError) -> tuple[str, int]:
    return "".join(GBK_SUBSTITUTES.get(c, "?") for c in exc.object[exc.start:exc.end]), exc.end


codecs.register_error("variant_substitute", _substitute)


def encode(text: str, codec: str) -> bytes:
    return text.encode(codec, errors="variant_substitute")


def traditional(text: str) -> str:
    """The text in traditional characters (s2tw), unless it is written in them already."""
    converted = opencc.OpenCC("s2tw").convert(text)
    return text if _is_traditional(text) else converted


def _is_traditional(text: str) -> bool:
    han = HAN.findall(text)
    simple = opencc.OpenCC("t2s").convert("".join(han))
    return bool(han) and sum(map(str.__ne__, han, simple)) > 0.02 * len(han)


# ---------------------------------------------------------------- damage
def _gbk_pair(ch: str) -> bytes | None:
    try:
        pair = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    return pair if len(pair) == 2 else None


def shift_span(text: str, start: int, longest: int = 12) -> tuple[int, str] | None:
    """Lose the GBK lead byte of text[start]: the decoder runs out of step until a trail byte in
    0x40-0x7E reads as ASCII. Returns (end of the damaged span, its damaged spelling) or None."""
    data = bytearray()
    for end in range(start, min(len(text), start + longest)):
        pair = _gbk_pair(text[end])
        if pair is None:
            return None
        data += pair
        if end > start and 0x40 <= pair[1] <= 0x7E:
            try:
                misread = bytes(data[1:]).decode("gbk")
            except UnicodeDecodeError:
                return None
            return end + 1, "?" + unicodedata.normalize("NFKC", misread)
    return None


def shifted(text: str, rng: random.Random, spans: int = 2) -> tuple[str, list[str]]:
    """Traditional text with `spans` misaligned runs; most start at a 。, some at any Han character."""
    text = traditional(text)
    stops = [m.start() for m in re.finditer("。", text) if m.end() < len(text) and HAN.match(text, m.end())]
    hans = [m.start() for m in HAN.finditer(text)]
    chosen: list[tuple[int, int, str]] = []
    for _ in range(200):
        if len(chosen) == spans:
            break
        pool = stops if stops and rng.random() < 0.7 else hans
        start = rng.choice(pool)
        span = shift_span(text, start)
        if span is None or any(s - 2 <= start < e + 2 for s, e, _ in chosen):
            continue
        chosen.append((start, *span))
    notes = []
    for start, end, damaged in sorted(chosen, reverse=True):
        notes.append(f"{text[start:end]!r}->{damaged!r}")
        text = text[:start] + damaged + text[end:]
    return text, notes[::-1]


CLAUSE = re.compile(r"(?<=[，。；：\n])[^，。；：\n]{3,24}[，。]")


def utf8_as_gbk(text: str, rng: random.Random, clauses: int = 4) -> tuple[str, list[str]]:
    """Full-width text with a few clauses whose UTF-8 bytes were decoded as GBK."""
    text = widen(text)
    candidates = []
    for m in CLAUSE.finditer(text):
        runs = re.findall(r"[^\x00-\x7f]+", m.group())
        if not runs or any(len(r) % 2 for r in runs):
            continue  # an odd run would leave half a GBK pair at its end
        try:
            damaged = m.group().encode("utf-8").decode("gbk")
        except UnicodeDecodeError:
            continue
        candidates.append((m.start(), m.end(), damaged))
    chosen = sorted(rng.sample(candidates, min(clauses, len(candidates))), reverse=True)
    notes = []
    for start, end, damaged in chosen:
        notes.append(f"{text[start:end][:12]!r}->{damaged[:12]!r}")
        text = text[:start] + damaged + text[end:]
    return text, notes[::-1]


def utf8_as_latin1(text: str, rng: random.Random, lines: int = 2) -> tuple[str, list[str]]:
    """Full-width text with whole lines whose UTF-8 bytes were decoded as Latin-1."""
    rows = widen(text).split("\n")
    candidates = [i for i, row in enumerate(rows) if len(HAN.findall(row)) >= 8]
    chosen = sorted(rng.sample(candidates, min(lines, len(candidates))))
    for i in chosen:
        rows[i] = rows[i].encode("utf-8").decode("latin-1")
    return "\n".join(rows), [f"line {i}" for i in chosen]


# ---------------------------------------------------------------- pages and documents
BREADCRUMBS = ["当前位置：首页 &gt; 政务公开 &gt; 法治政府建设", "您的位置：首页 &gt;&gt; 信息公开 &gt;&gt; 工作报告",
               "首页 &gt; 政府信息公开 &gt; 法定主动公开内容 &gt; 其他"]
TOOLBARS = ["【字体：大 中 小】【打印本页】【关闭窗口】", "字号：默认 超大 | 打印 | 关闭",
            "【打印】【关闭】【收藏】", "字体：【大 中 小】 【我要纠错】"]
INFO = ["信息来源：{src} 发布时间：{date} 浏览次数：{hits}", "发布日期：{date} 来源：{src} 点击量：{hits}",
        "来源：{src}  更新时间：{date}"]
FOOTERS = ["主办单位：{src}办公室 承办单位：{src}大数据中心", "网站标识码：{code} | 浙ICP备{icp}号",
           "苏公网安备 {police}号", "版权所有：{src} 技术支持：某某信息技术有限公司", "网站地图 | 联系我们 | 网站声明",
           "建议使用1920×1080分辨率浏览本站"]
TAILS = ["扫一扫在手机上查看当前页面", "分享到：", "【打印本页】 【关闭窗口】"]


def title_of(text: str, stem: str) -> str:
    first = text.split("\n", 1)[0].strip()
    return first if 8 <= len(first) <= 60 and ("报告" in first or "報告" in first) else stem


def page(text: str, stem: str, charset: str, rng: random.Random) -> str:
    """An article page with site chrome around it and a few chrome lines inside the article."""
    title = title_of(text, stem)
    fill = {"src": rng.choice(["区司法局", "县人民政府", "市政府办公室"]), "code": rng.randrange(10**9, 10**10),
            "date": f"20{rng.randrange(18, 26)}-0{rng.randrange(1, 10)}-{rng.randrange(10, 29)}",
            "hits": rng.randrange(50, 5000), "icp": rng.randrange(10**7, 10**8), "police": rng.randrange(10**13, 10**14)}
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    style = rng.choice(["p", "p-indent", "br"])
    if style == "br":
        body = "<div class=\"TRS_Editor\">" + "<br>\n".join("&nbsp;&nbsp;" + html.escape(ln) for ln in lines) + "</div>"
    else:
        attr = ' style="text-indent:2em"' if style == "p-indent" else ""
        body = "\n".join(f"<p{attr}>{html.escape(ln)}</p>" for ln in lines)
    footer = "<br>\n".join(f.format(**fill) for f in rng.sample(FOOTERS, 4))
    crumb_class, tool_class, foot_class = rng.choice([("crumb", "tools", "bottom"), ("position", "fenxiang", "footer"),
                                                      ("dqwz", "article-tool", "foot")])
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_{fill["src"]}门户网站</title>
<script type="text/javascript">window.siteId = "{fill["code"]}";</script>
</head><body>
<div class="{crumb_class}">{rng.choice(BREADCRUMBS)}</div>
<ul class="menu"><li>首页</li><li>政务公开</li><li>政务服务</li><li>互动交流</li></ul>
<div class="content-wrap"><h2 class="title">{html.escape(title)}</h2>
<div class="source-info">{rng.choice(INFO).format(**fill)}</div>
<div class="{tool_class}">{rng.choice(TOOLBARS)}</div>
<div class="content">
{body}
<p>{rng.choice(TAILS)}</p>
</div></div>
<div class="{foot_class}">{footer}</div>
</body></html>"""


def word(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            document.add_paragraph(line.strip())
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip_times(buf.getvalue())  # the same bytes whatever the clock says


def pdf(text: str, rng: random.Random) -> bytes:
    """Paragraphs indented two ideographic spaces, wrapped at the measured width, a page number at the foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    size = rng.choice([12, 14, 15])
    margin = rng.choice([64, 72, 90])
    width, height = A4
    usable = width - 2 * margin
    numbering = rng.choice(["— {n} —", "- {n} -", "第{n}页", "第 {n} 页 共 {total} 页"])
    wrapped: list[str] = []
    for para in text.split("\n"):
        para = "\u3000\u3000" + para.strip()
        if not para.strip():
            continue
        line = ""
        for ch in para:
            if pdfmetrics.stringWidth(line + ch, "STSong-Light", size) > usable:
                wrapped.append(line)
                line = ""
            line += ch
        wrapped.append(line)
    per_page = int((height - 2 * margin) // (size * 1.6))
    pages = [wrapped[i:i + per_page] for i in range(0, len(wrapped), per_page)]
    buf = io.BytesIO()
    doc = canvas.Canvas(buf, pagesize=A4, invariant=1)  # no timestamp: a seed gives the same bytes
    for n, lines in enumerate(pages, start=1):
        doc.setFont("STSong-Light", size)
        for i, line in enumerate(lines):
            doc.drawString(margin, height - margin - i * size * 1.6, line)
        doc.drawCentredString(width / 2, margin / 2, numbering.format(n=n, total=len(pages)))
        doc.showPage()
    doc.save()
    return buf.getvalue()


# ---------------------------------------------------------------- all kinds
def variants(name: str, text: str, seed: int) -> dict[str, tuple[bytes, dict]]:
    """{file name: (bytes, manifest entry)} for the 13 variants of one report."""
    stem = name.rsplit(".", 1)[0]
    rng = random.Random(seed * 1_000_003 + zlib.crc32(name.encode()))
    wide = widen(text)
    was_simplified = not _is_traditional(text)
    out: dict[str, tuple[bytes, dict]] = {}

    def add(kind: str, data: bytes, what: str, **extra) -> None:
        out[f"{stem}.{kind}"] = (data, {"source": name, "what": what, **extra})

    add("gbk.txt", encode(wide, "gbk"), "GBK bytes, full-width punctuation")
    add("gb18030.txt", encode(wide, "gb18030"), "GB18030 bytes")
    endian = rng.choice(["utf-16-le", "utf-16-be"])
    bom = codecs.BOM_UTF16_LE if endian == "utf-16-le" else codecs.BOM_UTF16_BE
    add("utf16.txt", bom + wide.encode(endian), "UTF-16 with BOM")
    add("utf8bom.txt", codecs.BOM_UTF8 + wide.encode(), "UTF-8 with BOM")
    add("crlf.txt", wide.replace("\n", "\r\n").encode(), "UTF-8, CRLF line ends")
    add("big5.txt", encode(widen(traditional(text)), "big5"), "traditional characters in Big5",
        traditional_from_simplified=was_simplified)
    damaged, spans = shifted(text, rng)
    add("shifted.txt", damaged.encode(), "traditional characters with misaligned GBK spans (lost lead byte)",
        spans=spans)
    damaged, notes = utf8_as_gbk(text, rng)
    add("utf8asgbk.txt", damaged.encode(), "lines whose UTF-8 bytes were decoded as GBK", lines=notes)
    damaged, notes = utf8_as_latin1(text, rng)
    add("utf8aslatin1.txt", damaged.encode(), "lines whose UTF-8 bytes were decoded as Latin-1", lines=notes)
    add("gbk.html", encode(page(wide, stem, rng.choice(["gbk", "gb2312"]), rng), "gbk"),
        "HTML page in GBK with navigation, toolbar and footer boilerplate")
    add("utf8.html", page(wide, stem, "utf-8", rng).encode(), "HTML page in UTF-8 with boilerplate")
    add("docx", word(wide), "Word document, a paragraph per line")
    add("pdf", pdf(wide, rng), "PDF with hard-wrapped lines and page numbers")
    return out


def make(reports: list[Path], out: Path, seed: int = 0) -> Path:
    """Write out/raw (reports + variants) and out/manifest.json; return out/raw."""
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for path in sorted(reports):
        shutil.copyfile(path, raw / path.name)
        for name, (data, entry) in variants(path.name, path.read_text(encoding="utf-8"), seed).items():
            (raw / name).write_bytes(data)
            manifest[name] = entry
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return raw


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("reports", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    raw = make(args.reports, args.out, args.seed)
    print(f"{len(list(raw.iterdir()))} files in {raw}; manifest {args.out / 'manifest.json'}")


if __name__ == "__main__":
    main()
