"""A body with its letter settings, a clerk (录入) and a publisher (审核发布), and requests to
write letters about; text of the files as Word and as the PDF's text layer."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from docx import Document
from pypdf import PdfReader

from disclosure.letters.models import LetterSettings, RequestLetterFacts
from disclosure.letters.services import national_templates_ensure
from disclosure.models import Applicant, Body, Consultation, InformationRequest
from disclosure.vocab import ApplicantKind, Role
from tests.factories import BodyFactory, MembershipFactory, RequestFactory, UserFactory

REVIEW_AUTHORITY = "武威市凉州区人民政府"
COURT = "武威市凉州区人民法院"
PREFIX = "凉教信告"


@dataclass
class World:
    body: Body
    other: Body
    clerk: object
    publisher: object
    outsider: object
    settings: LetterSettings


def make_world(*, settings: bool = True) -> World:
    # The national defaults, as the data migration stores them (a test database flushed by an
    # earlier transactional test on the same worker no longer holds them).
    national_templates_ensure()
    county = BodyFactory(code="liangzhou", name="武威市凉州区人民政府", kind="government")
    body = BodyFactory(
        code="lz-edu",
        name="武威市凉州区教育局",
        parent=county,
        address="武威市凉州区东大街1号",
        phone="0935-2212345",
    )
    other = BodyFactory(code="other", name="其他县教育局")
    clerk = MembershipFactory(user=UserFactory(username="clerk"), body=body, role=Role.EDIT).user
    publisher = MembershipFactory(
        user=UserFactory(username="publisher"), body=body, role=Role.PUBLISH
    ).user
    outsider = MembershipFactory(
        user=UserFactory(username="outsider"), body=other, role=Role.PUBLISH
    ).user
    stored = LetterSettings.objects.create(
        body=body,
        review_authority=REVIEW_AUTHORITY if settings else "",
        court=COURT if settings else "",
        letter_prefix=PREFIX if settings else "",
    )
    return World(body, other, clerk, publisher, outsider, stored)


def make_request(body: Body, **fields) -> InformationRequest:
    applicant = Applicant.objects.create(
        kind=ApplicantKind.NATURAL_PERSON,
        name="张三丰",
        id_number="620102199001011234",
        contact="武威市凉州区西大街2号",
    )
    values = {
        "body": body,
        "applicant": applicant,
        "received_on": datetime.date(2026, 3, 2),
        "due_date": datetime.date(2026, 3, 30),
        "content": "2025年本区义务教育学校招生计划",
    }
    values.update(fields)
    return RequestFactory(**values)


def concluded(body: Body, result: str, **fields) -> InformationRequest:
    return make_request(body, concluded_on=datetime.date(2026, 3, 20), result=result, **fields)


def add_facts(request: InformationRequest, **fields) -> RequestLetterFacts:
    return RequestLetterFacts.objects.create(request=request, **fields)


def consult(request: InformationRequest, party: str = "某某科技有限公司") -> Consultation:
    return Consultation.objects.create(
        request=request, party=party, sent_on=datetime.date(2026, 3, 5)
    )


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [paragraph.text for paragraph in section.header.paragraphs]
        parts += [paragraph.text for paragraph in section.footer.paragraphs]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    """The PDF's text layer with line breaks removed (a citation may wrap)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return text.replace("\n", "").replace(" ", "")


def flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "")
