"""Bytes to text: byte-order marks first, strict UTF-8 next, then the Chinese double-byte codecs.

When several codecs read the bytes without error (Big5 bytes are nearly always valid GBK too),
charset-normalizer chooses among them; for short inputs, where it can misread 20 characters of GBK,
the language model of stages.language_model chooses instead. Names follow the contract: utf-8,
utf-16, gbk, gb18030, big5.
"""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from stages.language_model import per_char
from stages.records import Rejected

BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16"))
DOUBLE_BYTE = ("gbk", "gb18030", "big5")  # gbk before gb18030: a GBK file is named gbk
SHORT = 400  # bytes below which the language model picks the codec
NORMALIZER_NAMES = {"gb18030": "gb18030", "gbk": "gbk", "gb2312": "gbk", "big5": "big5", "cp950": "big5",
                    "utf_16_le": "utf-16", "utf_16_be": "utf-16", "utf_8": "utf-8"}
NOT_TEXT = ("not_text", "the file holds binary data, not text in any supported encoding (UTF-8, GBK, GB18030, "
            "Big5, UTF-16); check that it is a report and not an image or archive with a text suffix")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is mostly NUL (ASCII text in UTF-16), else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for a file's bytes; raise Rejected when they are not text.

    >>> decode("法治政府建设年度报告".encode("gbk"))
    ('法治政府建设年度报告', 'gbk')
    >>> decode("法治政府建設年度報告".encode("big5"))
    ('法治政府建設年度報告', 'big5')
    >>> decode(codecs.BOM_UTF8 + "法治".encode())
    ('法治', 'utf-8')
    """
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), name
    if (text := _strict(data, "utf-8")) is not None:
        return text, "utf-8"
    if (codec := _utf16_without_bom(data)) is not None:
        return data.decode(codec, errors="replace"), "utf-16"
    readings = {codec: text for codec in DOUBLE_BYTE if (text := _strict(data, codec)) is not None}
    if "gbk" in readings:
        readings.pop("gb18030")
    if len(readings) == 1:
        return next((text, codec) for codec, text in readings.items())
    if len(readings) > 1 and len(data) < SHORT:
        codec = max(readings, key=lambda c: per_char(readings[c]))
        return readings[codec], codec
    if not readings and (nearly := _nearly(data)) is not None:
        return nearly
    candidates = [c.replace("-", "_") for c in readings] or ["gb18030", "big5", "utf_8", "utf_16_le", "utf_16_be"]
    best = from_bytes(data, cp_isolation=candidates).best()
    if best is None or best.encoding not in NORMALIZER_NAMES:
        raise Rejected(*NOT_TEXT)
    name = NORMALIZER_NAMES[best.encoding]
    if name in ("gb18030", "gbk") and readings.keys() & {"gbk", "gb18030"}:
        name = "gbk" if "gbk" in readings else "gb18030"
    text = readings.get(name) or data.decode(best.encoding, errors="replace")
    if _control_share(text) > 0.05:
        raise Rejected(*NOT_TEXT)
    return text, name


def _nearly(data: bytes) -> tuple[str, str] | None:
    """A reading with a few damaged bytes in a long text, when one codec has only a few (at most one
    in 200 characters): they become U+FFFD, which the clean-up removes and notes. UTF-8 is tried
    first, because UTF-8 bytes also read as GBK mojibake with few errors.

    >>> _nearly("法治政府建设年度报告。".encode() * 30 + bytes([255]))[1]
    'utf-8'
    >>> _nearly(bytes([255]) + "法治政府建设年度报告。".encode("gbk") * 30)[1]
    'gbk'
    >>> _nearly(bytes(range(256)) * 4) is None
    True
    """
    for codec in ("utf-8", "gbk", "big5"):
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") <= max(8, len(text) // 200) and _control_share(text) <= 0.05:
            return text, codec
    return None


def _control_share(text: str) -> float:
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r\f")
    return controls / len(text) if text else 0.0
