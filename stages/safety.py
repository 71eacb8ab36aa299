"""Checks that keep hostile or broken files away from the parsers, and `extract`, ingest with them.

Each check raises `Rejected` with a sentence a person can act on. The size checks never trust a
header alone: a .docx is inflated member by member while counting, and reading stops at the limit,
so a zip bomb costs at most one chunk of memory.
"""
from __future__ import annotations

import io
import zipfile

from stages import ingest
from stages.records import Extracted, Rejected

CHUNK = 1 << 20
BLANK = b" \t\r\n\x00\x0b\x0c"
COMPRESSED = {  # magic bytes of archives and compressed streams that are not reports themselves
    b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!\x1a\x07": "rar", b"\x28\xb5\x2f\xfd": "zstd",
}
PDFIUM_PASSWORD_ERROR = 4  # PdfiumError.err_code for a document that needs a password


def check_bytes(data: bytes) -> None:
    """Refuse files that hold nothing, and compressed data that must be unpacked by a person first.

    >>> check_bytes(b"\\x00\\x00 \\n")
    Traceback (most recent call last):
    stages.records.Rejected: empty: the file holds no text (it is empty, blank or only NUL bytes); \
replace it with a complete copy of the report or remove it
    >>> check_bytes("法治".encode())
    """
    if not data.strip(BLANK):
        raise Rejected("empty", "the file holds no text (it is empty, blank or only NUL bytes); "
                       "replace it with a complete copy of the report or remove it")
    for magic, kind in COMPRESSED.items():
        if data.startswith(magic):
            raise Rejected("compressed", f"the file is {kind}-compressed data, whatever its name says; "
                           "unpack it and put the files it holds in the raw folder instead")


def check_docx(data: bytes, max_expanded: int) -> None:
    """Refuse a .docx that is not a zip, has no document part, or inflates past `max_expanded` bytes.

    Declared sizes are checked first (cheap), then every member is inflated in chunks and counted,
    because a crafted header can under-state a member's size.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Rejected("bad_docx", f"the file is named like a Word file but is not one ({exc}); "
                       "open it in Word or WPS and save it again as .docx") from exc
    with archive:
        members = archive.infolist()
        if "word/document.xml" not in {m.filename for m in members}:
            raise Rejected("bad_docx", "the zip file has no Word document inside (word/document.xml is missing); "
                           "save the report from Word or WPS as .docx")
        if any(m.flag_bits & 0x1 for m in members):
            raise Rejected("encrypted_docx", "the Word file is password-protected; "
                           "save an unprotected copy and put that in the raw folder")
        declared = sum(m.file_size for m in members)
        if declared > max_expanded:
            raise _too_large(declared, max_expanded, "declares")
        total = 0
        try:
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        total += len(chunk)
                        if total > max_expanded:
                            raise _too_large(total, max_expanded, "inflates to more than")
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise Rejected("bad_docx", f"the Word file is damaged ({exc}); "
                           "open it in Word or WPS and save it again as .docx") from exc


def _too_large(size: int, limit: int, verb: str) -> Rejected:
    return Rejected("too_large_expanded", f"the Word file {verb} {size / 1e6:.0f} MB when unpacked, over the "
                    f"{limit / 1e6:.0f} MB limit (limits.max_expanded_mb); it may be a zip bomb: "
                    "check where it came from, or raise the limit if it is a genuine report")


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that needs a password to open (one with only an owner password opens and passes)."""
    import pypdfium2 as pdfium

    try:
        pdfium.PdfDocument(data).close()
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == PDFIUM_PASSWORD_ERROR:
            raise Rejected("encrypted_pdf", "the PDF is password-protected; ask the publisher for an open copy "
                           "or save one without the password, then put that in the raw folder") from exc
        raise Rejected("bad_pdf", f"the PDF cannot be opened ({exc}); it may be truncated: "
                       "download it again or export it again from the original") from exc


def check_text(extracted: Extracted) -> None:
    """A backstop after every extractor: refuse a file in which no text at all was found."""
    if not extracted.text.replace("\x00", "").strip():  # str.strip: every Unicode space
        raise Rejected("empty", f"no text was found in this {extracted.source_format} file (a scan, an empty "
                       "page or blank lines only); replace it with a text copy of the report or remove it")


def check_length(extracted: Extracted, max_chars: int) -> None:
    """Refuse text far longer than any report: the text stages are linear, but not free.

    >>> check_length(Extracted("txt", "utf-8", "法" * 11), max_chars=10)
    Traceback (most recent call last):
    stages.records.Rejected: too_long: 11 characters of text, more than any report holds (limit 10, limits.max_text_kchars); if it is a collection, split it into one file per report
    """
    if len(extracted.text) > max_chars:
        raise Rejected("too_long", f"{len(extracted.text)} characters of text, more than any report holds "
                       f"(limit {max_chars}, limits.max_text_kchars); if it is a collection, split it into "
                       "one file per report")


def extract(name: str, data: bytes, max_expanded: int, max_chars: int) -> Extracted:
    """`ingest.extract` behind the checks: what may not reach a parser is refused first."""
    check_bytes(data)
    fmt = ingest.sniff_format(name, data)
    if fmt == "docx":
        check_docx(data, max_expanded)
    elif fmt == "pdf":
        check_pdf(data)
    extracted = ingest.extract(name, data)
    check_text(extracted)
    check_length(extracted, max_chars)
    return extracted
