"""Chinese numerals: the value of 两千, 十二, 一百零五, 三万五千 or a year written 二〇二三.

Shared by the metadata stage (dates such as 二〇二四年二月二十七日) and the statistics
extractor (两千余件).  These are the numerals of the language, not a vocabulary.
"""

from __future__ import annotations

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}
#: every character a Chinese numeral may contain
NUMERAL_CHARS = "".join(DIGITS) + "".join(_SMALL) + "".join(_LARGE)


def chinese_number(s: str) -> int | None:
    """Value of a Chinese numeral, or None when ``s`` is not one.

    A run of digits alone is read digit by digit (二〇二三 is 2023), as years are written.

    >>> [chinese_number(x) for x in ("两千", "十二", "一百零五", "三万五千", "百", "二〇二三", "二十七", "年")]
    [2000, 12, 105, 35000, 100, 2023, 27, None]
    """
    if not s or any(ch not in NUMERAL_CHARS for ch in s):
        return None
    if len(s) > 1 and all(ch in DIGITS for ch in s):
        return int("".join(str(DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[ch]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * _LARGE[ch]
            section, digit = 0, None
    return total + section + (digit or 0)
