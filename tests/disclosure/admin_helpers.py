"""A small world for the admin tests: a city with two sibling counties, a clerk of one."""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass

import factory

from disclosure.models import Applicant, Body, Consultation, InformationRequest
from disclosure.vocab import BodyKind, Role
from tests.factories import (
    ApplicantFactory,
    BodyFactory,
    MembershipFactory,
    RequestFactory,
    UserFactory,
)


@dataclass
class World:
    city: Body
    county_a: Body
    county_b: Body
    department_a: Body
    clerk: object
    request_a: InformationRequest
    request_b: InformationRequest
    applicant_a: Applicant
    applicant_b: Applicant


def county_world(*, role: str = Role.EDIT) -> World:
    """city → county A (→ department A), county B; the clerk holds ``role`` at county A."""
    city = BodyFactory(code="city", name="示例市人民政府", kind=BodyKind.GOVERNMENT)
    county_a = BodyFactory(
        code="county-a", name="甲县人民政府", kind=BodyKind.GOVERNMENT, parent=city
    )
    county_b = BodyFactory(
        code="county-b", name="乙县人民政府", kind=BodyKind.GOVERNMENT, parent=city
    )
    department_a = BodyFactory(code="dept-a", name="甲县教育局", parent=county_a)
    clerk = UserFactory(username="clerk-a")
    MembershipFactory(user=clerk, body=county_a, role=role)
    applicant_a = ApplicantFactory(name="张三丰", id_number="620101199001011237")
    applicant_b = ApplicantFactory(name="李四光", id_number="620201199202025673")
    request_a = RequestFactory(
        body=department_a,
        reference="2025-0001",
        applicant=applicant_a,
        received_on=datetime.date(2025, 3, 3),
        due_date=datetime.date(2025, 3, 31),
        content="甲县的申请内容",
    )
    request_b = RequestFactory(
        body=county_b,
        reference="2025-0901",
        applicant=applicant_b,
        received_on=datetime.date(2025, 3, 4),
        due_date=datetime.date(2025, 4, 1),
        content="乙县的申请内容",
    )
    return World(
        city,
        county_a,
        county_b,
        department_a,
        clerk,
        request_a,
        request_b,
        applicant_a,
        applicant_b,
    )


def body_choice_ids(response, field: str = "body") -> set[int]:
    """The primary keys a rendered admin form offers for a foreign key."""
    form = response.context["adminform"].form
    return set(form.fields[field].queryset.values_list("pk", flat=True))


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    party = "第三方"
    sent_on = datetime.date(2025, 5, 30)
    answered_on = None


def change_rows(page: str) -> list[tuple[str, str, str]]:
    """(label, before, after) of every line of the audit change tables on ``page``; a
    creation's line has an empty ``before``."""
    rows = []
    for label, cells in re.findall(
        r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', page, flags=re.DOTALL
    ):
        values = [html.unescape(value) for value in re.findall(r"<td[^>]*>(.*?)</td>", cells)]
        if len(values) == 1:
            rows.append((label, "", values[0]))
        elif len(values) == 3:
            rows.append((label, values[0], values[2]))
    return rows
