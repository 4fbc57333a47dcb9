"""Chinese numerals."""

from __future__ import annotations

import pytest

from kg.numerals import chinese_number


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("两千", 2000), ("十二", 12), ("一百零五", 105), ("三万五千", 35000), ("百", 100), ("二十", 20)],
)
def test_chinese_numbers(numeral: str, value: int) -> None:
    assert chinese_number(numeral) == value


@pytest.mark.parametrize("text", ["", "年", "12", "十二件"])
def test_what_is_not_a_numeral_is_none(text: str) -> None:
    assert chinese_number(text) is None


def test_years_and_dates_as_written() -> None:
    assert [chinese_number(x) for x in ("二〇二四", "二○二四", "二", "十", "二十七")] == [2024, 2024, 2, 10, 27]
