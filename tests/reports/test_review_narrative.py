"""Review: a share placeholder's precision is read as ASCII digits; anything else is an
unknown placeholder (a ValueError of int() would be a 500 on the report's admin page)."""

from __future__ import annotations

import pytest

from disclosure.vocab import ApplicantKind
from reports.narrative import NarrativeError, render_narrative
from tests.reports.engine_data import document

NATURAL = ApplicantKind.NATURAL_PERSON


@pytest.fixture
def doc():
    return document(
        "b",
        2023,
        requests={
            ("new_received", NATURAL): 259,
            ("carried_over", NATURAL): 2,
            ("granted", NATURAL): 164,
            ("unable_not_held", NATURAL): 96,
            ("carried_forward", NATURAL): 1,
        },
    )


def test_share_with_two_places_is_rounded_half_up(doc):
    assert render_narrative("{share:granted:2}", doc) == "63.08"


@pytest.mark.parametrize("digits", ["²", "٣", "5", "x"])
def test_a_precision_that_is_not_0_to_4_in_ascii_is_an_unknown_placeholder(doc, digits):
    with pytest.raises(NarrativeError) as raised:
        render_narrative(f"占{{share:granted:{digits}}}%", doc)
    assert raised.value.problems == [f"未知的占位符：{{share:granted:{digits}}}"]
