"""Every disclosure admin page renders, for a superuser and for a county clerk."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin

from disclosure import services
from disclosure.models import AuditEntry, CalendarDay, ReminderSent
from tests.disclosure.admin_helpers import ConsultationFactory, county_world
from tests.factories import AppealFactory, DocumentFactory, FigureFactory

pytestmark = pytest.mark.django_db

MODELS = sorted(
    model._meta.model_name
    for model in admin.site._registry
    if model._meta.app_label == "disclosure"
)


@pytest.fixture
def world(admin_user):
    world = county_world()
    ConsultationFactory(request=world.request_a)
    AppealFactory(body=world.county_a, request=None)
    DocumentFactory(body=world.county_a)
    FigureFactory(body=world.county_a)
    CalendarDay.objects.create(date=datetime.date(2027, 1, 1), kind="holiday", name="元旦")
    world.request_a.content = "更正"
    services.request_save(actor=admin_user, request=world.request_a)
    services.applicant_access_record(
        user=world.clerk, applicant=world.applicant_a, page="admin_request", request=world.request_a
    )
    ReminderSent.objects.create(user=world.clerk, date=datetime.date(2026, 11, 30), email="a@b.cn")
    return world


def test_the_registered_models_are_the_records():
    assert MODELS == [
        "appealcase",
        "applicant",
        "applicantaccess",
        "auditentry",
        "body",
        "calendarday",
        "document",
        "informationrequest",
        "membership",
        "remindersent",
        "yearlyfigure",
    ]


# The logs a clerk (录入) does not read: the access log is for publishers, the reminders
# sent for superusers.
NOT_FOR_THE_CLERK = {"applicantaccess", "remindersent"}


@pytest.mark.parametrize("model_name", MODELS)
@pytest.mark.parametrize("who", ["superuser", "clerk"])
def test_list_add_change_and_history_render(client, admin_user, world, model_name, who):
    client.force_login(admin_user if who == "superuser" else world.clerk)
    base = f"/admin/disclosure/{model_name}/"
    if who == "clerk" and model_name in NOT_FOR_THE_CLERK:
        assert client.get(base).status_code == 403
        return
    response = client.get(base)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows, model_name
    assert client.get(f"{base}add/").status_code in (200, 403)
    obj = rows[0]
    assert client.get(f"{base}{obj.pk}/change/").status_code == 200
    assert client.get(f"{base}{obj.pk}/history/").status_code == 200


def test_admin_index_renders_for_the_clerk(client, world):
    client.force_login(world.clerk)
    page = client.get("/admin/").content.decode()
    assert "政府信息公开申请" in page
    assert AuditEntry.objects.exists()
