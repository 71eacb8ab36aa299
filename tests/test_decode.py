"""Decoding: byte-order marks, strict UTF-8, the Chinese double-byte codecs, UTF-16 without BOM, non-text."""
from __future__ import annotations

import codecs

import pytest

from stages.decode import decode
from stages.records import Rejected
from tests.conftest import EVAL

SIMPLIFIED = "2023年,我县坚持依法行政,全年办理行政复议案件42件,行政机关负责人出庭应诉率达到100%。" * 3
TRADITIONAL = "2023年,我縣堅持依法行政,全年辦理行政復議案件42件,行政機關負責人出庭應訴率達到100%。" * 3


@pytest.mark.parametrize(("data", "name", "text"), [
    (SIMPLIFIED.encode("utf-8"), "utf-8", SIMPLIFIED),
    (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8", SIMPLIFIED),
    (SIMPLIFIED.encode("utf-16"), "utf-16", SIMPLIFIED),
    (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16", SIMPLIFIED),
    (SIMPLIFIED.encode("gbk"), "gbk", SIMPLIFIED),
    ((SIMPLIFIED + "䶮").encode("gb18030"), "gb18030", SIMPLIFIED + "䶮"),
    (TRADITIONAL.encode("big5"), "big5", TRADITIONAL),
    (TRADITIONAL.encode("gbk"), "gbk", TRADITIONAL),
], ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-be-bom", "gbk", "gb18030", "big5", "traditional-in-gbk"])
def test_codecs(data, name, text):
    assert decode(data) == (text, name)


@pytest.mark.parametrize("text", ["法治政府建设年度报告", "依法行政工作总结", "關於法治政府建設的報告"])
def test_short_inputs_are_not_misread(text):
    for codec in ("gbk", "big5"):
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue
        assert decode(data)[0] == text


def test_utf16_without_bom():
    assert decode("Report 2023: 法治".encode("utf-16-le")) == ("Report 2023: 法治", "utf-16")


def test_binary_data_is_rejected_with_a_reason():
    with pytest.raises(Rejected) as err:
        decode(bytes(range(256)) * 40)
    assert err.value.reason == "not_text" and "binary" in err.value.detail


@pytest.mark.skipif(not (EVAL / "variants").is_dir(), reason="no eval variants")
@pytest.mark.parametrize("suffix,name", [(".gbk.txt", "gbk"), (".gb18030.txt", ("gbk", "gb18030")),
                                         (".big5.txt", "big5"), (".utf16.txt", "utf-16"),
                                         (".utf8bom.txt", "utf-8"), (".crlf.txt", "utf-8")])
def test_eval_variants_decode_under_their_codec(suffix, name):
    for path in sorted((EVAL / "variants").glob("*" + suffix)):
        assert decode(path.read_bytes())[1] in ((name,) if isinstance(name, str) else name), path.name


@pytest.mark.parametrize("codec", ["utf-8", "gbk"])
def test_a_few_damaged_bytes_do_not_lose_the_report(codec):
    from stages.cleanup import clean

    text = "本镇全年受理行政复议案件12件，办结10件。" * 40
    data = bytearray(text.encode(codec))
    for at in (100, 700, 1500):  # three bytes lost to a bad copy
        data[at] = 0xFF
    decoded, name = decode(bytes(data))
    assert name == codec
    cleaned = clean(decoded)
    assert "\ufffd" not in cleaned.text and "replacement_chars" in cleaned.repairs
    assert cleaned.text.count("受理行政复议案件12件") >= 36
