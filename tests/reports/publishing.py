"""Shared set-up for the publishing tests (services and admin): a county with a department
that has a year of records, users of each role, and an unbalanced imported report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from disclosure.models import Body
from disclosure.vocab import ApplicantKind, BodyKind, FigureItem, Result, Role
from reports import format as fmt
from reports.document import tables_as_json
from reports.models import Report, ReportStatus, Scope
from tests.factories import (
    BodyFactory,
    FigureFactory,
    MembershipFactory,
    RequestFactory,
    UserFactory,
)

# Consistent with the records below: 3 received, 1 granted, 1 unable, 1 carried forward.
CONSISTENT_OVERVIEW = "2023年，本局共收到政府信息公开申请3件，予以公开1件，占50.0%。"
# Two warnings in two sentences: 9 received (tables: 3) and 40.0% (1 of 2 is 50.0%).
WRONG_OVERVIEW = "2023年，本局共收到政府信息公开申请9件。其中予以公开1件，占40.0%。"
# Sections 五 and 六, which a draft must fill before it is published (``section_empty``).
PROBLEMS = "政策解读的针对性仍有提升空间，下一步将加强培训。"
OTHER_MATTERS = "本年度未收取信息处理费。"


@dataclass
class World:
    county: Body
    education: Body
    town: Body
    publisher: object
    editor: object
    viewer: object
    outsider: object


def make_world() -> World:
    county = BodyFactory(
        code="county",
        name="测试县人民政府",
        kind=BodyKind.GOVERNMENT,
        address="测试县人民路1号",
        postcode="733000",
        phone="0935-1234567",
    )
    education = BodyFactory(
        code="edu", name="测试县教育局", kind=BodyKind.DEPARTMENT, parent=county
    )
    town = BodyFactory(code="town", name="测试镇人民政府", kind=BodyKind.TOWNSHIP, parent=county)
    elsewhere = BodyFactory(code="elsewhere", name="外县人民政府", kind=BodyKind.GOVERNMENT)
    publisher = UserFactory(username="publisher")
    editor = UserFactory(username="editor")
    viewer = UserFactory(username="viewer")
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=publisher, body=county, role=Role.PUBLISH)
    MembershipFactory(user=editor, body=county, role=Role.EDIT)
    MembershipFactory(user=viewer, body=county, role=Role.VIEW)
    MembershipFactory(user=outsider, body=elsewhere, role=Role.PUBLISH)

    RequestFactory(
        body=education,
        received_on=datetime.date(2023, 3, 1),
        concluded_on=datetime.date(2023, 3, 15),
        result=Result.GRANTED,
    )
    RequestFactory(
        body=education,
        applicant_kind=ApplicantKind.COMMERCIAL_ENTERPRISE,
        received_on=datetime.date(2023, 5, 1),
        concluded_on=datetime.date(2023, 5, 10),
        result=Result.UNABLE_NOT_HELD,
    )
    RequestFactory(body=education, received_on=datetime.date(2023, 12, 20))
    FigureFactory(body=education, year=2023, item=FigureItem.LICENSING, value=12)
    return World(county, education, town, publisher, editor, viewer, outsider)


def import_unbalanced(body: Body, year: int = 2023) -> Report:
    """An imported ``own`` report whose table 三 does not balance: 5 received by natural
    persons, none answered, none carried forward."""
    document = {
        "body": body.code,
        "body_name": body.name,
        "year": year,
        "scope": Scope.OWN,
        **tables_as_json(fmt.empty_tables()),
    }
    document["requests"]["rows"]["new_received"]["natural_person"] = 5
    document["requests"]["rows"]["new_received"]["total"] = 5
    return Report.objects.create(
        body=body,
        year=year,
        scope=Scope.OWN,
        status=ReportStatus.IMPORTED,
        imported_document=document,
    )
