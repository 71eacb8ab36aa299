"""Bytes to text: byte-order marks first, strict UTF-8 next, then a charset detector over Chinese codecs."""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from stages.records import Rejected

BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16"))
CANDIDATES = ["gb18030", "big5", "utf_16_le", "utf_16_be"]


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for a file's bytes.

    >>> decode("法治".encode("gbk"))
    ('法治', 'gbk')
    >>> decode(codecs.BOM_UTF8 + "法治".encode())
    ('法治', 'utf-8')
    """
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in ("gbk", "gb18030", "big5"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        raise Rejected("undecodable", "the bytes are not text in any supported encoding "
                       "(UTF-8, GBK, GB18030, Big5, UTF-16); check that the file is a report and not binary data")
    return str(best), best.encoding.replace("_", "-")
