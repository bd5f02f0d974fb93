from __future__ import annotations

from decimal import Decimal

from reports.figures import share, sum_or_none


def test_share_is_rounded_half_up_to_the_digits_asked():
    assert share(166, 260) == Decimal("63.8")
    assert share(1, 8, 2) == Decimal("12.50")
    assert share(1, 40, 1) == Decimal("2.5")
    assert share(1, 3, 0) == Decimal("33")
    assert share(1, 16, 2) == Decimal("6.25")
    assert share(1, 16, 1) == Decimal("6.3")


def test_share_of_nothing_is_zero_at_the_digits_asked():
    assert str(share(0, 0)) == "0.0"
    assert str(share(0, 0, 2)) == "0.00"


def test_sum_or_none_keeps_a_blank_blank():
    assert sum_or_none([1, 2, 3]) == 6
    assert sum_or_none(value for value in (4, 5)) == 9
    assert sum_or_none([]) == 0
    assert sum_or_none([1, None, 3]) is None
