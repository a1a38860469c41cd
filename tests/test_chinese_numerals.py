"""Chinese numerals in headings, task numbers and dates, checked against cn2an."""

from __future__ import annotations

from datetime import date

import cn2an
from hypothesis import given
from hypothesis import strategies as st

from duban.doc.meta import read_date
from duban.doc.outline import cn_to_int, match_marker


@given(st.integers(min_value=1, max_value=999))
def test_numbers_agree_with_cn2an(n):
    written = cn2an.an2cn(n)
    assert cn_to_int(written) == n
    if len(written) <= 4:
        marker = match_marker(f"（{written}）扩大有效投资")
        assert marker is not None and marker.number == n


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from("〇零○"))
def test_dates_in_chinese_numerals(day, zero):
    year = cn2an.an2cn(day.year, "direct").replace("零", zero)
    written = f"{year}年{cn2an.an2cn(day.month)}月{cn2an.an2cn(day.day)}日"
    assert read_date(written) == day
