"""``create_many``: what ``bulk_create`` saves, on PostgreSQL through COPY (CI runs this on
both databases)."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from disclosure.bulk import create_many
from disclosure.models import Applicant, AuditEntry, InformationRequest
from disclosure.services import audit_entry
from disclosure.vocab import ApplicantKind, AuditAction
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db


def test_new_rows_are_saved_as_bulk_create_saves_them_with_their_keys():
    body = BodyFactory(code="city")
    applicants = create_many(
        Applicant,
        [
            Applicant(kind=ApplicantKind.NATURAL_PERSON, name="张三", contact="武威市"),
            Applicant(kind=ApplicantKind.COMMERCIAL_ENTERPRISE, name="某公司"),
        ],
    )
    requests = create_many(
        InformationRequest,
        [
            InformationRequest(
                body=body,
                applicant=applicants[0],
                reference="2024-0001",
                received_on=datetime.date(2024, 3, 1),
                due_date=datetime.date(2024, 3, 29),
                content="预算公开",
                fee_amount=decimal.Decimal("12.50"),
            )
        ],
    )
    assert all(applicant.pk for applicant in applicants) and requests[0].pk
    assert not requests[0]._state.adding
    stored = InformationRequest.objects.select_related("applicant").get(pk=requests[0].pk)
    assert (stored.applicant.name, stored.applicant.kind) == ("张三", "natural_person")
    assert (stored.received_on, stored.fee_amount) == (datetime.date(2024, 3, 1), 12.5)
    assert stored.created_at is not None and stored.created_at.tzinfo is not None


def test_audit_rows_keep_their_json_lazy_text_and_choice_and_are_numbered_by_the_database():
    body = BodyFactory(code="city")
    entry = audit_entry(
        actor=None,
        obj=body,
        action=AuditAction.CREATE,
        changes={"name": [None, "武威市"], "count": [1, 2]},
        note=gettext_lazy("导入"),
    )
    create_many(AuditEntry, [entry], keys=False)
    stored = AuditEntry.objects.get()
    assert (stored.action, stored.note) == ("create", "导入")
    assert stored.changes == {"name": [None, "武威市"], "count": [1, 2]}
    assert stored.object_id == str(body.pk) and stored.at is not None


def test_a_row_the_database_refuses_is_djangos_integrity_error_and_nothing_is_saved():
    BodyFactory(code="city")
    before = Applicant.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        create_many(
            Applicant,
            [
                Applicant(kind=ApplicantKind.NATURAL_PERSON, name="甲"),
                Applicant(kind=ApplicantKind.NATURAL_PERSON, name="乙", id_type="passport-x"),
            ],
        )
    assert Applicant.objects.count() == before
