"""``create_many``: what ``bulk_create`` saves, on PostgreSQL through COPY (CI runs this on
both databases)."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from disclosure.bulk import build, create_many, insert_many
from disclosure.models import Applicant, AuditEntry, InformationRequest
from disclosure.services import actor_columns, audit_entry, audit_row
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


def test_the_auto_now_fields_are_set_on_every_object_as_saved():
    body = BodyFactory(code="city")
    requests = create_many(
        InformationRequest,
        [
            InformationRequest(
                body=body,
                reference=f"2024-000{number}",
                received_on=datetime.date(2024, 3, 1),
                due_date=datetime.date(2024, 3, 29),
                content="预算公开",
            )
            for number in (1, 2, 3)
        ],
    )
    stored = InformationRequest.objects.order_by("reference")
    assert [(r.created_at, r.updated_at) for r in stored] == [
        (r.created_at, r.updated_at) for r in requests
    ]
    assert all(request.created_at is not None for request in requests)


def test_rows_given_as_values_are_saved_as_their_instances_would_be():
    body = BodyFactory(code="city")
    row = audit_row(
        who=actor_columns(None),
        obj=body,
        action=AuditAction.UPDATE,
        changes={"name": ["武威", "武威市"]},
    )
    insert_many(AuditEntry, [row])
    # Fields left out take their default.
    insert_many(
        AuditEntry,
        [
            {
                "content_type_id": row["content_type_id"],
                "object_id": "7",
                "object_repr": "某机构",
                "action": AuditAction.CREATE,
            }
        ],
    )
    first, second = AuditEntry.objects.order_by("pk")
    assert (first.action, first.object_id, first.object_repr) == ("update", str(body.pk), str(body))
    assert first.changes == {"name": ["武威", "武威市"]} and first.at is not None
    assert (second.action, second.changes, second.note, second.actor_username) == (
        "create",
        {},
        "",
        "",
    )
    assert second.at >= first.at


def test_a_value_for_no_field_is_refused_before_anything_is_written():
    with pytest.raises(TypeError, match="AuditEntry has no field colour"):
        insert_many(AuditEntry, [{"object_id": "1", "colour": "red"}])
    with pytest.raises(TypeError, match="rows of AuditEntry name different fields"):
        insert_many(AuditEntry, [{"object_id": "1"}, {"object_id": "2", "note": "甲"}])
    assert not AuditEntry.objects.exists()


def test_build_makes_the_instance_the_model_would_with_fresh_callable_defaults():
    body = BodyFactory(code="city")
    built = build(InformationRequest, body=body, reference="2024-0001", content="预算")
    made = InformationRequest(body=body, reference="2024-0001", content="预算")
    assert [getattr(built, f.attname) for f in InformationRequest._meta.concrete_fields] == [
        getattr(made, f.attname) for f in InformationRequest._meta.concrete_fields
    ]
    assert built.body is body and built._state.adding
    first, second = build(AuditEntry), build(AuditEntry)
    assert first.changes == {} and first.changes is not second.changes
