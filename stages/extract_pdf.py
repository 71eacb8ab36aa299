"""PDF text layers (pypdfium2): page furniture removed and hard-wrapped lines re-joined into paragraphs.

Page numbers (— 3 —, -3-, 第3页, 第 3 页 共 12 页, 3/12, a bare 3) and running headers or footers
(the same line, digits aside, at the top or bottom of most pages) are dropped. A new paragraph
starts at an indented line when the document indents its paragraphs; otherwise after a line that
ends a sentence and falls short of the full line width, and at any outline marker (一、 (一) 1.)
that follows such a line. Outline markers therefore keep their own lines.
"""
from __future__ import annotations

import re
from collections import Counter

from stages.records import Rejected

PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_~·\s]*\d{1,4}[-—–－_~·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$", re.I)
INDENT = re.compile(r"^(?:[\u3000]|\s{2,})")
SENTENCE_END = re.compile(r"[。！？!?：:；;”」』)）]$")
OUTLINE = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d)|"
                     r"[(（]\d{1,2}[)）]|[①-⑳]|第[一二三四五六七八九十]+[章节条部分])")
ASCII_WORD_END = re.compile(r"[A-Za-z]$")
ASCII_WORD_START = re.compile(r"^[A-Za-z]")


def extract_pdf(data: bytes) -> str:
    """The text layer of a PDF, a paragraph per line; raise Rejected when there is none to read."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise Rejected("bad_pdf", f"the PDF cannot be opened ({exc}); re-download or re-export it") from exc
    try:
        pages = [_page_lines(page) for page in pdf]
    finally:
        pdf.close()
    text = reflow(strip_furniture(pages))
    if not re.search(r"[\u3400-\u9fff]", text):
        raise Rejected("no_text_layer", "the PDF has no text layer (a scan?); run OCR on it or find the "
                       "report as HTML or Word")
    return text


def _page_lines(page) -> list[str]:
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
    finally:
        textpage.close()
        page.close()
    return [line.rstrip() for line in re.split(r"\r\n|\r|\n", raw) if line.strip()]


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())


def strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers, and lines repeated at the top or bottom of at least half of the pages.

    >>> strip_furniture([["某县政府文件", "正文一", "— 1 —"], ["某县政府文件", "正文二", "第2页 共2页"]])
    [['正文一'], ['正文二']]
    """
    edges: Counter = Counter()
    for lines in pages:
        edges.update({_furniture_key(ln) for ln in lines[:2] + lines[-2:]})
    repeated = {key for key, n in edges.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    out = []
    for lines in pages:
        kept = [ln for i, ln in enumerate(lines) if not PAGE_NUMBER.match(ln.strip())
                and not ((i < 2 or i >= len(lines) - 2) and _furniture_key(ln) in repeated)]
        out.append(kept)
    return out


def reflow(pages: list[list[str]]) -> str:
    """Join wrapped lines (across pages too) into paragraphs, a paragraph per line.

    >>> print(reflow([["\\u3000\\u3000一、主要成效", "\\u3000\\u3000全年办理案件2", "3件,比上年增长。"]]))
    一、主要成效
    全年办理案件23件,比上年增长。
    """
    lines = [ln for page in pages for ln in page]
    if not lines:
        return ""
    indented = sum(1 for ln in lines if INDENT.match(ln))
    by_indent = indented >= max(2, len(lines) // 20)
    width = max(len(ln.strip()) for ln in lines)
    paragraphs: list[str] = []
    previous = ""
    for raw in lines:
        line = raw.strip()
        if not paragraphs or _starts_paragraph(raw, line, previous, by_indent, width):
            paragraphs.append(line)
        else:
            glue = " " if ASCII_WORD_END.search(paragraphs[-1]) and ASCII_WORD_START.match(line) else ""
            paragraphs[-1] += glue + line
        previous = line
    return "\n".join(paragraphs)


def _starts_paragraph(raw: str, line: str, previous: str, by_indent: bool, width: int) -> bool:
    short = len(previous) < 0.85 * width
    if by_indent:
        return bool(INDENT.match(raw)) or (short and bool(OUTLINE.match(line)))
    return short and (bool(SENTENCE_END.search(previous)) or bool(OUTLINE.match(line)) or len(previous) < 0.5 * width)
