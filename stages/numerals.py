"""Numbers as reports write them: Arabic digits, Chinese numerals, 万/亿 multipliers."""
from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {"千": 1000, **BIG_UNITS}  # written after Arabic digits: 6.2万, 3千
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)


def _section(s: str) -> int | None:
    """A numeral below 万: digit-unit pairs with falling units, 零 for gaps, an optional last digit."""
    total, digit, last_unit, zero_seen = 0, None, 10_000, False
    for ch in s:
        if ch in DIGITS:
            if digit is not None:  # two digits in a row (三零, 十四五): not a numeral
                return None
            if DIGITS[ch] == 0:
                zero_seen = True
                continue
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_unit:
                return None
            if digit is None and (total or zero_seen):
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit, zero_seen = None, unit, False
        else:
            return None
    if digit is not None:
        if zero_seen or last_unit == 10_000 or last_unit == 10:
            total += digit
        else:  # 两千五 means 2500: a trailing digit counts in the next unit down
            total += digit * last_unit // 10
    return total


def chinese_to_number(s: str) -> int | None:
    """The value of a Chinese numeral, or None when `s` is not a well-formed one.

    >>> [chinese_to_number(s) for s in ("两", "十二", "三十", "一百零五", "两千五", "千", "三万", "十四五", "三零")]
    [2, 12, 30, 105, 2500, 1000, 30000, None, None]
    """
    if not s:
        return None
    total, rest = 0, s
    for big, factor in sorted(BIG_UNITS.items(), key=lambda kv: -kv[1]):
        if big in rest:
            head, _, rest = rest.partition(big)
            if big in rest:
                return None
            value = _section(head) if head else 1
            if value is None:
                return None
            total += value * factor
    if rest:
        value = _section(rest)
        if value is None:
            return None
        total += value
    return total


def to_number(number: str, multiplier: str | None = None) -> float | None:
    """Arabic or Chinese number text, times an optional 千/万/亿, as a float (None if malformed).

    >>> to_number("6.2", "万"), to_number("1,234"), to_number("两千"), to_number("17.61", "亿"), to_number("3", "千")
    (62000.0, 1234.0, 2000.0, 1761000000.0, 3000.0)
    """
    if number[0].isdigit():
        value = float(number.replace(",", ""))
    else:
        chinese = chinese_to_number(number)
        if chinese is None:
            return None
        value = float(chinese)
    if multiplier:
        value = round(value * MULTIPLIERS[multiplier], 6)
    return value
