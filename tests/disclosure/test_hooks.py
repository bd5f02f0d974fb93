"""disclosure.hooks: what other apps tell the records, with an empty answer when none does."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from rest_framework.test import APIClient

from disclosure import hooks
from disclosure.hooks import Hook, PublishedReport
from reports.models import Report, ReportStatus, ReportVersion
from tests.disclosure.admin_helpers import county_world

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
REQUESTS = "/admin/disclosure/informationrequest/"


def test_a_hook_without_providers_answers_nothing():
    assert Hook("nobody").ask("anything", [2025]) == []


def test_a_hook_joins_its_providers_answers_in_order_of_registration():
    hook: Hook[str] = Hook("letters")

    def first(word: str) -> list[str]:
        return [word.upper()]

    def second(word: str) -> list[str]:
        return [word, word]

    hook.register(first)
    hook.register(second)
    hook.register(first)  # again: changes nothing
    assert hook.providers == [first, second]
    assert hook.ask("a") == ["A", "a", "a"]


def test_a_published_report_reads_as_its_title():
    report = PublishedReport(body_code="city", year=2025, version=2, title="某市 2025 第2版")
    assert str(report) == "某市 2025 第2版"


@pytest.fixture
def counted_request(db):
    """County A's request of 2025, counted by county A's published 2025 report."""
    world = county_world()
    report = Report.objects.create(
        body=world.county_a, year=2025, scope="all", status=ReportStatus.PUBLISHED
    )
    ReportVersion.objects.create(
        report=report,
        number=1,
        document={"scope": "all"},
        sha256="0" * 64,
        published_at=datetime.datetime(2026, 1, 20, tzinfo=SHANGHAI),
    )
    return world


def warnings_on_the_change_page(client, world) -> list[str]:
    client.force_login(world.clerk)
    response = client.get(f"{REQUESTS}{world.request_a.pk}/change/")
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_the_admin_warns_through_the_hook(client, counted_request):
    assert warnings_on_the_change_page(client, counted_request) == [
        "此记录已被已发布的报告统计：甲县人民政府 2025 年政府信息公开工作年度报告 第1版。"
        "修改后这些报告将提示其统计的记录在发布后有变更。"
    ]


def test_the_records_alone_warn_of_nothing(client, counted_request, monkeypatch):
    monkeypatch.setattr(hooks.published_reports_counting, "providers", [])
    assert warnings_on_the_change_page(client, counted_request) == []


def counted_in_published(world) -> list[dict]:
    client = APIClient()
    client.force_authenticate(user=world.clerk)
    response = client.get(f"/api/v1/requests/{world.request_a.pk}/")
    assert response.status_code == 200
    return response.json()["counted_in_published"]


def test_the_api_names_the_counting_reports_through_the_hook(counted_request):
    assert counted_in_published(counted_request) == [
        {
            "body": "county-a",
            "year": 2025,
            "version": 1,
            "title": "甲县人民政府 2025 年政府信息公开工作年度报告 第1版",
        }
    ]


def test_the_records_alone_name_no_report_in_the_api(counted_request, monkeypatch):
    monkeypatch.setattr(hooks.published_reports_counting, "providers", [])
    assert counted_in_published(counted_request) == []
