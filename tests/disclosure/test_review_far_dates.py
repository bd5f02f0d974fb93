"""Review: a mistyped year (9999) in the admin's request form or in an imported workbook is
refused by name; it used to overflow the working-day calendar (a 500, or a traceback from
the import). Every entry point now refuses it by the model's rule: a request's dates run from
2008-05-01 to today (``disclosure.validators.RECORD_DATE``)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from disclosure.importing import Problem, WorkbookRejected, records_import
from disclosure.models import AuditEntry, Body, Consultation, InformationRequest
from disclosure.vocab import ApplicantKind, Channel
from tests.disclosure.admin_helpers import county_world
from tests.disclosure.import_helpers import xlsx
from tests.disclosure.test_import import BODY_HEADER, REQUEST_HEADER

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(
        datetime.datetime(2025, 11, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
        tick=False,
    ),
]
AFTER_TODAY = "日期不能晚于今天（2025-11-10）。"

ADD = "/admin/disclosure/informationrequest/add/"


def form(world, *, consultations: int = 0, **overrides) -> dict:
    data = {
        "body": str(world.department_a.pk),
        "applicant": str(world.applicant_a.pk),
        "applicant_kind": ApplicantKind.NATURAL_PERSON,
        "channel": Channel.INTERNET,
        "received_on": "2025-09-30",
        "content": "申请公开2024年财政预算",
    }
    for prefix, total in (("consultations", consultations), ("attachments", 0)):
        data |= {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


@pytest.fixture
def clerk_client(client):
    world = county_world()
    client.force_login(world.clerk)
    client.world = world
    return client


def test_a_receipt_date_in_year_9999_is_a_field_error(clerk_client):
    before = (InformationRequest.objects.count(), AuditEntry.objects.count())
    response = clerk_client.post(ADD, form(clerk_client.world, received_on="9999-12-31"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"received_on": [AFTER_TODAY]}
    assert (InformationRequest.objects.count(), AuditEntry.objects.count()) == before


def test_a_consultation_sent_in_year_9999_is_a_field_error(clerk_client):
    before = (InformationRequest.objects.count(), AuditEntry.objects.count())
    data = form(
        clerk_client.world,
        consultations=1,
        **{"consultations-0-party": "第三方企业", "consultations-0-sent_on": "9999-12-30"},
    )
    response = clerk_client.post(ADD, data)
    assert response.status_code == 200
    [consultations] = [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is Consultation
    ]
    assert consultations.formset.errors == [{"sent_on": [AFTER_TODAY]}]
    assert (InformationRequest.objects.count(), AuditEntry.objects.count()) == before
    assert Consultation.objects.count() == 0


def test_the_last_days_of_the_ranges_still_save(clerk_client):
    data = form(
        clerk_client.world,
        received_on="2025-11-10",
        correction_notice_on="2025-11-10",
        correction_deadline="2099-12-31",
    )
    response = clerk_client.post(ADD, data)
    assert response.status_code == 302
    saved = InformationRequest.objects.get(content="申请公开2024年财政预算")
    assert (saved.received_on, saved.correction_deadline) == (
        datetime.date(2025, 11, 10),
        datetime.date(2099, 12, 31),
    )


def test_an_imported_receipt_date_in_year_9999_names_its_cell_and_imports_nothing():
    content = xlsx(
        {
            "机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]],
            "申请": [
                REQUEST_HEADER,
                ["city", "A-1", "2023-03-01", "自然人", None, None, "互联网", "内容一", None, None],
                ["city", "A-2", "9999-12-31", "自然人", None, None, "互联网", "内容二", None, None],
            ],
        }
    )
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)
    assert refused.value.problems == [Problem("申请", 3, "收到申请日期", AFTER_TODAY)]
    assert Body.objects.count() == 0
    assert InformationRequest.objects.count() == 0
    assert AuditEntry.objects.count() == 0
