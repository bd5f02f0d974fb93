"""Two sibling counties with a clerk each, and the requests a clerk's worklist names:
an overdue request, one due within a few working days and a lapsed 补正 in each county.
"Today" is Monday 30 November 2026 (``TODAY``; tests travel there)."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from disclosure.models import Body, InformationRequest
from disclosure.vocab import BodyKind, Result, Role
from tests.factories import (
    ApplicantFactory,
    BodyFactory,
    MembershipFactory,
    RequestFactory,
    UserFactory,
    resident_id,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 30)
NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)


@dataclass
class County:
    body: Body
    department: Body
    clerk: object
    overdue: InformationRequest
    due_soon: InformationRequest
    lapsed: InformationRequest
    on_time: InformationRequest


@dataclass
class Casework:
    city: Body
    a: County
    b: County


def _county(city: Body, code: str, name: str, number: int) -> County:
    body = BodyFactory(code=code, name=name, kind=BodyKind.GOVERNMENT, parent=city)
    department = BodyFactory(code=f"{code}-edu", name=f"{name[:2]}教育局", parent=body)
    clerk = UserFactory(username=f"clerk-{code}", email=f"clerk-{code}@example.cn")
    MembershipFactory(user=clerk, body=body, role=Role.EDIT)
    applicant = ApplicantFactory(
        name=f"王示例{number}",
        id_number=resident_id(f"62010219850315{number:03d}"),
        contact=f"1390931{number:04d}",
    )
    overdue = RequestFactory(
        body=department,
        reference=f"2026-{number}01",
        applicant=applicant,
        received_on=datetime.date(2026, 10, 9),
        due_date=datetime.date(2026, 11, 6),
    )
    due_soon = RequestFactory(
        body=body,
        reference=f"2026-{number}02",
        received_on=datetime.date(2026, 11, 3),
        due_date=datetime.date(2026, 12, 2),
    )
    lapsed = RequestFactory(
        body=body,
        reference=f"2026-{number}03",
        applicant=applicant,
        received_on=datetime.date(2026, 11, 2),
        correction_notice_on=datetime.date(2026, 11, 4),
        correction_deadline=datetime.date(2026, 11, 20),
        due_date=None,
    )
    on_time = RequestFactory(
        body=body,
        reference=f"2026-{number}04",
        received_on=datetime.date(2026, 11, 27),
        due_date=datetime.date(2026, 12, 25),
    )
    # Concluded with its reply on time, and voided: in no category.
    RequestFactory(
        body=body,
        reference=f"2025-{number}05",
        received_on=datetime.date(2025, 6, 2),
        concluded_on=datetime.date(2025, 6, 20),
        result=Result.GRANTED,
        due_date=datetime.date(2025, 7, 1),
        withdrawn_on=None,
        voided_at=datetime.datetime(2025, 7, 1, tzinfo=SHANGHAI),
    )
    return County(body, department, clerk, overdue, due_soon, lapsed, on_time)


def casework_world() -> Casework:
    city = BodyFactory(code="city", name="示例市人民政府", kind=BodyKind.GOVERNMENT)
    return Casework(
        city=city,
        a=_county(city, "county-a", "甲县人民政府", 1),
        b=_county(city, "county-b", "乙县人民政府", 2),
    )
