"""Ingest: a file's bytes to decoded text, by format (txt, html, docx, pdf)."""
from __future__ import annotations

from stages.decode import decode
from stages.extract_docx import extract_docx
from stages.extract_html import extract_html
from stages.extract_pdf import extract_pdf
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
    """Decode one file into text by its format; raise Rejected when it cannot be read as a report."""
    fmt = sniff_format(name, data)
    if fmt == "doc":
        raise Rejected("legacy_doc", "legacy Word .doc is not read; convert it to .docx or PDF and drop it in again")
    if fmt == "pdf":
        return Extracted("pdf", "pdf-text-layer", extract_pdf(data))
    if fmt == "docx":
        return Extracted("docx", "utf-8", extract_docx(data))
    text, encoding = decode(data)
    if fmt == "html":
        body, meta = extract_html(text)
        return Extracted("html", encoding, body, meta)
    return Extracted("txt", encoding, text)
