"""Ingest: a file's bytes to decoded text, by format (txt, html, docx, pdf)."""
from __future__ import annotations

import io
import zipfile

from lxml import html as lxml_html

from stages.decode import decode
from stages.records import Extracted, Rejected

FORMATS = {".txt": "txt", ".text": "txt", ".htm": "html", ".html": "html", ".shtml": "html",
           ".docx": "docx", ".pdf": "pdf", ".doc": "doc"}


def sniff_format(name: str, data: bytes) -> str:
    """The format of a file, from its magic bytes first and its suffix second.

    >>> sniff_format("a.txt", b"%PDF-1.4 ...")
    'pdf'
    >>> sniff_format("report.HTM", b"<html>")
    'html'
    """
    head = data[:512].lstrip().lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return "html"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return FORMATS.get(suffix, "txt")


def extract(name: str, data: bytes) -> Extracted:
    """Decode one file into text; raise Rejected when it cannot be read as a report."""
    fmt = sniff_format(name, data)
    if fmt == "doc":
        raise Rejected("legacy_doc", "legacy Word .doc is not read; convert it to .docx or PDF and drop it in again")
    if fmt == "pdf":
        return Extracted("pdf", "pdf-text-layer", _pdf_text(data))
    if fmt == "docx":
        return Extracted("docx", "utf-8", _docx_text(data))
    text, encoding = decode(data)
    if fmt == "html":
        body, meta = _html_text(text)
        return Extracted("html", encoding, body, meta)
    return Extracted("txt", encoding, text)


def _html_text(markup: str) -> tuple[str, dict[str, str]]:
    tree = lxml_html.fromstring(markup)
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    meta = {}
    title = tree.findtext(".//title")
    if title:
        meta["page_title"] = title.strip()
    lines = [line.strip() for line in tree.text_content().splitlines()]
    return "\n".join(line for line in lines if line), meta


def _docx_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Rejected("bad_docx", f"the Word file cannot be opened ({exc}); re-save it as .docx") from exc
    return "\n".join(p.text for p in document.paragraphs)


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise Rejected("bad_pdf", f"the PDF cannot be opened ({exc}); re-download or re-export it") from exc
    try:
        pages = [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()
    return "\n".join(pages)
