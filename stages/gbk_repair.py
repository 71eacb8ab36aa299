"""Repairs of double-byte decoding damage, each judged by the language model of stages.language_model.

Both repairs rebuild the bytes a damaged run was decoded from, decode them the right way, and keep
the result only when it reads clearly better than the damage; clean text has nothing to rebuild or
reads worse rebuilt, so it passes through unchanged.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate, islice

from stages.fixes import script_of
from stages.language_model import logp

CONTEXT = 10  # characters of context either side of a candidate when it is scored
MARGIN = 8.0  # log-probability a repair must gain over the damaged text to be kept
MAX_RUN = 48  # longest damaged run (in characters) a repair will consider
SHIFT_WINDOW = 16  # characters after a lost lead byte searched for the point where decoding fell back in step
MAX_SPELLINGS = 64  # byte spellings tried for one misaligned run


@lru_cache(maxsize=1)
def _utf8_lead_class() -> re.Pattern:
    """GBK characters whose two bytes open a three-byte UTF-8 sequence: where 鍥藉-style damage starts."""
    chars = []
    for lead in range(0xE0, 0xF0):
        for trail in range(0x80, 0xC0):
            try:
                chars.append(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                continue
    return re.compile("[" + re.escape("".join(chars)) + "]")


UTF8_PREFIX = re.compile(rb"(?:[\xe0-\xef][\x80-\xbf]{2}|[\xc2-\xdf][\x80-\xbf]|[\xf0-\xf4][\x80-\xbf]{3}|[\x20-\x7e])+")


def _gbk_offsets(run: str) -> tuple[bytes, list[int]]:
    """The GBK bytes of `run` (up to its first character GBK cannot spell) and each character's end offset
    (GBK spells ASCII in one byte, every other character in two).

    >>> _gbk_offsets("a鍥€b")
    (b'a\\xe5\\x9b', [1, 3])
    """
    try:
        data = run.encode("gbk")
    except UnicodeEncodeError as exc:
        run = run[:exc.start]
        data = run.encode("gbk")
    return data, list(accumulate(1 if ch < "\x80" else 2 for ch in run))


def _better(candidate: str, original: str) -> bool:
    return logp(candidate) - logp(original) >= MARGIN


def fix_utf8_as_gbk(text: str) -> str:
    """Re-decode runs of UTF-8 bytes that were decoded as GBK (鍥藉 style), line by line.

    >>> fix_utf8_as_gbk("依法行政," + "培养和树立先进典型，".encode().decode("gbk") + "促进发展。")
    '依法行政,培养和树立先进典型，促进发展。'
    >>> fix_utf8_as_gbk("锦江区鍋炉房")  # clean text that happens to hold a candidate character
    '锦江区鍋炉房'
    """
    lead = _utf8_lead_class()
    pieces, done = [], 0  # text[:done] is in pieces, its lines that hold a candidate repaired
    while (m := lead.search(text, done)) is not None:
        start, end = _line_span(text, m.start())
        pieces += [text[done:start], _fix_utf8_as_gbk_line(text[start:end], lead)]
        done = end
    return "".join(pieces) + text[done:] if pieces else text


def _line_span(text: str, pos: int) -> tuple[int, int]:
    """Where the line of `text` holding position `pos` starts and ends (before its line break)."""
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, end if end >= 0 else len(text)


def _fix_utf8_as_gbk_line(line: str, lead: re.Pattern) -> str:
    pos = 0
    while (m := lead.search(line, pos)) is not None:
        start = m.start()
        best = _best_utf8_run(line, start)
        if best is None:
            pos = start + 1
            continue
        end, decoded = best
        line = line[:start] + decoded + line[end:]
        pos = start + len(decoded)
    return line


def _best_utf8_run(line: str, start: int) -> tuple[int, str] | None:
    """The end of the damaged run starting at `start` and its repair, when one reads better."""
    data, ends = _gbk_offsets(line[start:start + MAX_RUN])
    valid = UTF8_PREFIX.match(data)
    if valid is None:
        return None
    options = []
    for n_chars, offset in enumerate(ends, start=1):
        if offset > valid.end():
            break
        try:
            decoded = data[:offset].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if sum(1 for c in decoded if ord(c) > 0x7F) >= 2:
            options.append((start + n_chars, decoded))
    if not options:
        return None
    left = line[max(0, start - CONTEXT):start]
    far_end = options[-1][0]
    right = line[far_end:far_end + CONTEXT]
    scored = [(logp(left + decoded + line[end:far_end] + right), end, decoded) for end, decoded in options]
    score, end, decoded = max(scored)
    original = left + line[start:far_end] + right
    if score - logp(original) < MARGIN:
        return None
    return end, decoded


@lru_cache(maxsize=1)
def _folded_spellings() -> dict[str, list[bytes]]:
    """Each NFKC-folded form (',', 'M', '15.') and the GBK byte pairs of the characters that fold to it."""
    table: dict[str, list[bytes]] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            pair = bytes((lead, trail))
            try:
                ch = pair.decode("gbk")
            except UnicodeDecodeError:
                continue
            folded = unicodedata.normalize("NFKC", ch)
            if folded != ch and folded.isascii():
                table.setdefault(folded, []).append(pair)
    return table


def _pair_spellings(run: str) -> list[bytes]:
    """Every way to spell `run` as a sequence of GBK double-byte characters (folded forms unfolded)."""
    folded = _folded_spellings()
    longest = max(map(len, folded))

    def spell(i: int):
        if i == len(run):
            yield b""
            return
        options = []
        if not run[i].isascii():
            try:
                pair = run[i].encode("gbk")
            except UnicodeEncodeError:
                return
            if len(pair) == 2:
                options.append((1, pair))
        else:
            for size in range(1, min(longest, len(run) - i) + 1):
                options += [(size, pair) for pair in folded.get(run[i:i + size], ())]
        for size, pair in options:
            for rest in spell(i + size):
                yield pair + rest

    return list(islice(spell(0), MAX_SPELLINGS))


HAN = re.compile(r"[\u3400-\u9fff]")
LOST_LEAD = re.compile(r"[?？](?=\S)")
# A trail byte read as ASCII on its own (not inside a word): the lost lead byte's own trail byte realigned
# the decoder at once. Such pairs (GBK/3, GBK/4) are traditional or rare characters, so this repair is
# tried only on lines written in traditional characters.
LONE_TRAIL = re.compile(r"(?<![0-9A-Za-z])[?？][\x40-\x7e](?![0-9A-Za-z])")


def fix_gbk_shift(text: str) -> str:
    """Re-decode runs where a GBK lead byte was lost (shown as `?`) and decoding ran one byte out of step.

    Each character after the `?` up to the point where the decoder fell back in step is rebuilt as
    bytes (characters that were folded to ASCII are unfolded), each possible lead byte is put back,
    and the language model picks the reading.

    >>> fix_gbk_shift("取得新成效?,F將有關情況報告如下。")
    '取得新成效。現將有關情況報告如下。'
    >>> fix_gbk_shift("是否依法?如何整改?都要说明。")
    '是否依法?如何整改?都要说明。'
    """
    if "?" not in text and "？" not in text:  # two substring tests: ~10x cheaper than the regex scan
        return text
    pos = 0
    while (m := LOST_LEAD.search(text, pos)) is not None:
        repaired = _shift_repair(text, m.start())
        if repaired is None:
            pos = m.start() + 1
            continue
        end, decoded = repaired
        text = text[:m.start()] + decoded + text[end:]
        pos = m.start() + len(decoded)
    return text


def _pair_char(lead: int, trail: int) -> str | None:
    try:
        return bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None


def _traditional_line(text: str, pos: int) -> bool:
    start, end = _line_span(text, pos)
    return script_of(text[start:end]) == "traditional"


def _shift_repair(text: str, mark: int) -> tuple[int, str] | None:
    window = text[mark + 1:mark + 1 + SHIFT_WINDOW].split("\n", 1)[0]
    options: list[tuple[int, str]] = []  # (end of the damaged run in text, its repair)
    if LONE_TRAIL.match(text, mark) and _traditional_line(text, mark):
        options += [(mark + 2, char) for lead in range(0x81, 0xFF)
                    if HAN.fullmatch(char := _pair_char(lead, ord(window[0])) or "")]
    for j, ch in enumerate(window):
        if not 0x40 <= ord(ch) <= 0x7E or j == 0:
            continue
        for spelled in _pair_spellings(window[:j]):
            tail_bytes = spelled[1:] + ch.encode()
            try:
                tail = tail_bytes.decode("gbk")
            except UnicodeDecodeError:
                continue
            options += [(mark + 1 + j + 1, first + tail) for lead in range(0x81, 0xFF)
                        if (first := _pair_char(lead, spelled[0])) is not None]
    if not options:
        return None
    far_end = max(end for end, _ in options)
    left = text[max(0, mark - CONTEXT):mark]
    right = text[far_end:far_end + CONTEXT]
    scored = [(logp(left + decoded + text[end:far_end] + right), end, decoded) for end, decoded in options]
    score, end, decoded = max(scored)
    if score - logp(left + text[mark:far_end] + right) < MARGIN:
        return None
    return end, decoded
