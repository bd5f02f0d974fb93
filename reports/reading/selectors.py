"""What a reading asks the database: the product's bodies by name, and last year's
published or imported document of the same body and scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from disclosure.models import Body
from reports.findings import Finding, check_document
from reports.models import ReportReading
from reports.reading.normalise import squash
from reports.selectors import published_comparison


@dataclass(frozen=True)
class KnownBody:
    code: str
    name: str
    kind: str
    established_on: datetime.date | None
    abolished_on: datetime.date | None

    def existed_in(self, year: int) -> bool:
        return (self.established_on is None or self.established_on.year <= year) and (
            self.abolished_on is None or self.abolished_on.year >= year
        )


class BodyIndex:
    """The product's bodies by code and by name (NFKC, without whitespace): one query, kept
    for a whole batch of files."""

    def __init__(self, bodies: list[KnownBody]):
        self.by_code = {body.code: body for body in bodies}
        self.by_name: dict[str, list[KnownBody]] = {}
        for body in bodies:
            self.by_name.setdefault(squash(body.name), []).append(body)

    @classmethod
    def load(cls) -> BodyIndex:
        return cls(
            [
                KnownBody(*row)
                for row in Body.objects.values_list(
                    "code", "name", "kind", "established_on", "abolished_on"
                )
            ]
        )

    def named(self, names: list[str], year: int) -> list[KnownBody]:
        """The bodies bearing the first of ``names`` that any body bears exactly (after NFKC),
        narrowed to those existing in ``year`` when that leaves any: one body is a match,
        several are ambiguous, none is no match."""
        for name in names:
            found = self.by_name.get(squash(name), [])
            if found:
                existing = [body for body in found if body.existed_in(year)]
                return existing or found
        return []


def previous_document(body_code: str, year: int, scope: str) -> dict | None:
    """Last year's document of the body in the same scope, where the product has one: the
    imported original, or the latest published version (never tables computed from
    records: a report read from a file is checked against what was published)."""
    comparison = published_comparison(year - 1, scope, body__code=body_code)
    return comparison.document if comparison is not None else None


def reading_findings(reading: ReportReading) -> list[Finding]:
    """The engine's findings on a stored reading's document as it stands (after hand
    corrections), with last year's document of the body in the same scope."""
    previous = previous_document(reading.body.code, reading.year, reading.document["scope"])
    return check_document(reading.document, previous)
