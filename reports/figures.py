"""What the narrative, the checks, the document and the public pages share about figures:
sums that keep a blank blank, the share of a total as the format's reports print it, and
the key lists of a document's narrative and provenance. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

# The narrative of a document (``report.schema.json`` ``narrative``): the opening paragraph,
# then sections 一, 五 and 六 of the format. They are also the ``Report`` fields holding them.
NARRATIVE_KEYS: tuple[str, ...] = ("opening", "overview", "problems", "other_matters")

# What a published version adds to a draft's document; left out when comparing versions.
PROVENANCE_KEYS: tuple[str, ...] = ("version", "published_at", "change_note", "sha256")


def sum_or_none(values: Iterable[int | None]) -> int | None:
    """The sum of ``values``, or None when any of them is blank (a cell left blank in an
    imported original makes every figure built on it unknown, not smaller)."""
    values = list(values)
    if any(value is None for value in values):
        return None
    return sum(values)


def share(part: int, whole: int, digits: int = 1) -> Decimal:
    """``part`` of ``whole`` as a percentage rounded half up to ``digits`` decimals; the share
    of an empty whole is 0."""
    quantum = Decimal(1).scaleb(-digits)
    if not whole:
        return Decimal(0).quantize(quantum)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, rounding=ROUND_HALF_UP)
