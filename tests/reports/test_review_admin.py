"""Review: a report for year 9999 could be added in the admin, after which its list and
change pages failed (its deadline falls in year 10000). A report's year is now the model's
rule (``disclosure.validators.REPORT_YEAR``): 2021 to 2099, in the admin as everywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import Report, Scope
from tests.reports.publishing import make_world


@pytest.fixture
def world(db):
    return make_world()


def test_a_report_year_past_2099_is_a_field_error_and_creates_nothing(client, world):
    client.force_login(world.publisher)
    response = client.post(
        reverse("admin:reports_report_add"),
        {"body": world.education.pk, "year": 9999, "scope": Scope.OWN},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"year": ["年度须在 2021 至 2099 之间。"]}
    assert Report.objects.count() == 0
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200


def test_a_report_for_2099_is_added_and_its_pages_render(client, world):
    client.force_login(world.publisher)
    response = client.post(
        reverse("admin:reports_report_add"),
        {"body": world.education.pk, "year": 2099, "scope": Scope.OWN, "early_draft": "on"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.year == 2099
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    change = reverse("admin:reports_report_change", args=[report.pk])
    assert client.get(change).status_code == 200
