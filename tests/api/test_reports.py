"""Reports through the API: staff drafts with findings, and published versions for everyone."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from disclosure import hooks
from disclosure.vocab import BodyKind, FigureItem
from reports.models import Report, Scope
from tests.api.conftest import client_for, publish
from tests.factories import BodyFactory, FigureFactory, RequestFactory


def test_staff_report_counts_the_subtree_in_scope_all(api, tree):
    RequestFactory(body=tree.county_a, received_on=datetime.date(2025, 3, 3))
    RequestFactory(body=tree.department_a, received_on=datetime.date(2025, 4, 1))
    RequestFactory(body=tree.county_b, received_on=datetime.date(2025, 4, 1))
    response = api.get("/api/v1/reports/county-a/2025/?scope=all")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert set(data) == {"report", "findings", "comparison"}
    assert (data["report"]["body"], data["report"]["scope"]) == ("county-a", "all")
    assert data["report"]["requests"]["rows"]["new_received"]["natural_person"] == 2
    assert data["report"]["requests"]["rows"]["carried_forward"]["total"] == 2
    # Computed from records, with no earlier year to compare against: the tables pass and
    # only the draft's unwritten sections 一, 五 and 六 stand.
    assert data["comparison"] is None
    assert [(f["rule"], f["severity"], f["row"]) for f in data["findings"]] == [
        ("section_empty", "error", "overview"),
        ("section_empty", "error", "problems"),
        ("section_empty", "error", "other_matters"),
    ]


def test_staff_report_gives_the_fee_amount_as_a_json_number(api, tree):
    FigureFactory(body=tree.county_a, year=2025, item=FigureItem.FEES, value=Decimal("1.2345"))
    response = api.get("/api/v1/reports/county-a/2025/")
    assert b'"amount_10k_yuan":1.2345' in response.content


def test_staff_report_scope_own_leaves_out_the_departments(api, tree):
    RequestFactory(body=tree.county_a, received_on=datetime.date(2025, 3, 3))
    RequestFactory(body=tree.department_a, received_on=datetime.date(2025, 4, 1))
    data = api.get("/api/v1/reports/county-a/2025/?scope=own").json()
    assert data["report"]["requests"]["rows"]["new_received"]["total"] == 1


def test_looking_at_a_draft_saves_nothing(viewer, tree):
    response = client_for(viewer).get("/api/v1/reports/county-a/2025/")
    assert response.status_code == 200
    # A government's report is drafted 全域 unless it says otherwise.
    assert response.json()["report"]["scope"] == "all"
    assert Report.objects.count() == 0


def test_another_scope_does_not_change_the_stored_report(api, tree):
    report = Report.objects.create(body=tree.county_a, year=2025, scope=Scope.OWN, overview="概述")
    data = api.get("/api/v1/reports/county-a/2025/?scope=level").json()
    assert data["report"]["scope"] == "level"
    assert data["report"]["narrative"]["overview"] == "概述"
    report.refresh_from_db()
    assert report.scope == Scope.OWN


def test_staff_report_of_a_sibling_county_is_not_found(api, tree):
    RequestFactory(body=tree.county_b, received_on=datetime.date(2025, 3, 3))
    response = api.get("/api/v1/reports/county-b/2025/?scope=all")
    assert response.status_code == 404
    assert "乙县" not in response.content.decode()


def test_staff_report_bad_scope_and_year_are_400(api, tree):
    bad_scope = api.get("/api/v1/reports/county-a/2025/?scope=everything")
    assert bad_scope.status_code == 400
    assert bad_scope.json() == {"scope": ["统计范围须为 own、level 或 all。"]}
    for year in (2020, 2100):
        out_of_range = api.get(f"/api/v1/reports/county-a/{year}/")
        assert out_of_range.status_code == 400
        assert out_of_range.json() == {"year": ["年度须在 2021 至 2099 之间。"]}


def test_staff_report_queries_do_not_grow_with_records(api, tree, django_assert_num_queries):
    for day in range(1, 11):
        RequestFactory(body=tree.department_a, received_on=datetime.date(2025, 3, day))
    # memberships and the body; then the engine: the report year's tree, one aggregate per
    # table, imports, and last year's document for the cross-year checks
    with django_assert_num_queries(19):
        assert api.get("/api/v1/reports/county-a/2025/?scope=all").status_code == 200


def test_staff_report_needs_authentication(tree):
    assert APIClient().get("/api/v1/reports/county-a/2025/").status_code == 401


# --- public: published versions ------------------------------------------------------------


@pytest.fixture
def anonymous(db) -> APIClient:
    return APIClient()


def test_public_list_gives_the_stored_document_and_downloads(anonymous, tree):
    version = publish(tree.county_a, 2023)
    response = anonymous.get("/api/v1/public/reports/")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item == {
        "report": version.document,
        "downloads": {
            fmt: f"http://testserver/reports/county-a/2023/v1.{fmt}"
            for fmt in ("pdf", "docx", "xlsx", "csv", "json")
        },
    }
    assert item["report"]["proactive"]["fees"]["amount_10k_yuan"] == 22910


def test_drafts_are_invisible_publicly(anonymous, tree):
    Report.objects.create(body=tree.county_b, year=2023, scope=Scope.OWN)
    RequestFactory(body=tree.county_b, received_on=datetime.date(2023, 3, 3))
    assert anonymous.get("/api/v1/public/reports/").json()["count"] == 0
    assert anonymous.get("/api/v1/public/reports/county-b/2023/").status_code == 404
    assert anonymous.get("/api/v1/public/reports/county-b/2023/v1/").status_code == 404
    # …and a staff endpoint stays closed to the public.
    assert anonymous.get("/api/v1/reports/county-b/2023/").status_code == 401


def test_public_version_detail_and_latest(anonymous, tree):
    publish(tree.county_a, 2023, number=1)
    second = publish(tree.county_a, 2023, number=2, note="更正表三数字")
    latest = anonymous.get("/api/v1/public/reports/county-a/2023/").json()
    assert latest["report"] == second.document
    first = anonymous.get("/api/v1/public/reports/county-a/2023/v1/").json()
    assert first["report"]["version"] == 1
    assert first["downloads"]["pdf"] == "http://testserver/reports/county-a/2023/v1.pdf"
    assert anonymous.get("/api/v1/public/reports/county-a/2023/v3/").status_code == 404


def test_public_list_filters(anonymous, tree):
    publish(tree.county_a, 2023, number=1)
    publish(tree.county_a, 2023, number=2)
    publish(tree.county_b, 2024)

    def versions(query: str) -> list[tuple[str, int, int]]:
        results = anonymous.get(f"/api/v1/public/reports/?{query}").json()["results"]
        return [(r["report"]["body"], r["report"]["year"], r["report"]["version"]) for r in results]

    assert versions("") == [("county-b", 2024, 1), ("county-a", 2023, 2), ("county-a", 2023, 1)]
    assert versions("latest=true") == [("county-b", 2024, 1), ("county-a", 2023, 2)]
    assert versions("body=county-a") == [("county-a", 2023, 2), ("county-a", 2023, 1)]
    assert versions("body=city&year=2024") == [("county-b", 2024, 1)]


def test_public_list_queries_are_bounded(anonymous, tree, django_assert_num_queries):
    for year in (2021, 2022, 2023):
        publish(tree.county_a, year)
    # Count and page (2), and the throttle's counter in the shared database cache: read it,
    # then write it (count for culling, savepoint, look-up, insert, release: 6).
    with django_assert_num_queries(8):
        assert anonymous.get("/api/v1/public/reports/").status_code == 200


def test_public_list_is_throttled(anonymous, tree, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public": "1/min"},
    }
    assert anonymous.get("/api/v1/public/reports/").status_code == 200
    assert anonymous.get("/api/v1/public/reports/").status_code == 429


def test_public_endpoints_are_read_only(anonymous, tree):
    publish(tree.county_a, 2023)
    assert anonymous.post("/api/v1/public/reports/", {}).status_code == 405
    assert anonymous.delete("/api/v1/public/reports/county-a/2023/v1/").status_code == 405


# --- records counted by a published report ---------------------------------------------------


def test_a_record_names_the_published_reports_that_count_it(api, tree):
    publish(tree.city, 2023)  # scope "all": counts the whole city
    request = RequestFactory(body=tree.department_a, received_on=datetime.date(2023, 5, 4))
    detail = api.get(f"/api/v1/requests/{request.pk}/").json()
    assert detail["counted_in_published"] == [
        {
            "body": "city",
            "year": 2023,
            "version": 1,
            "title": "某市人民政府 2023 年政府信息公开工作年度报告 第1版",
        }
    ]
    [row] = api.get("/api/v1/requests/").json()["results"]
    assert row["counted_in_published"] is None


def test_without_a_provider_of_the_hook_a_record_names_no_report(api, tree, monkeypatch):
    # The records alone (no reports app answering disclosure.hooks): nothing counts them.
    publish(tree.city, 2023)
    monkeypatch.setattr(hooks.published_reports_counting, "providers", [])
    request = RequestFactory(body=tree.department_a, received_on=datetime.date(2023, 5, 4))
    assert api.get(f"/api/v1/requests/{request.pk}/").json()["counted_in_published"] == []


def test_an_update_answer_names_the_published_reports(api, tree):
    publish(tree.county_a, 2023)
    figure = FigureFactory(body=tree.county_a, year=2023, item=FigureItem.PENALTY, value=3)
    response = api.patch(f"/api/v1/figures/{figure.pk}/", {"value": 4}, format="json")
    assert [(r["body"], r["version"]) for r in response.json()["counted_in_published"]] == [
        ("county-a", 1)
    ]
    other_year = FigureFactory(body=tree.county_a, year=2024, item=FigureItem.PENALTY, value=3)
    assert api.get(f"/api/v1/figures/{other_year.pk}/").json()["counted_in_published"] == []


# the staff report endpoint's findings are the checks' findings, exactly (the
# existing test only looked at the keys of whatever findings came back, possibly none), and
# ``scope=level`` leaves out subordinate governments (issue 8: "any scope").


def test_staff_report_findings_check_against_last_years_published_version(api, tree):
    publish(tree.county_a, 2024)  # carried forward 1; 4 规章 and 26 规范性文件 in force
    response = api.get("/api/v1/reports/county-a/2025/?scope=all")
    assert response.status_code == 200
    findings = [
        (f["rule"], f["severity"], f["table"], f["row"], f["column"], f["expected"], f["actual"])
        for f in response.json()["findings"]
    ]
    assert findings == [
        ("section_empty", "error", "narrative", "overview", None, None, None),
        ("section_empty", "error", "narrative", "problems", None, None, None),
        ("section_empty", "error", "narrative", "other_matters", None, None, None),
        ("carry_over", "warning", "requests", "carried_over", "natural_person", 1, 0),
        ("carry_over", "warning", "requests", "carried_over", "total", 1, 0),
        ("in_force_continuity", "warning", "proactive", "rules", "in_force", 4, 0),
        ("in_force_continuity", "warning", "proactive", "normative_documents", "in_force", 26, 0),
    ]
    assert response.json()["findings"][3]["message"] == (
        "自然人列：上年结转0，而上一年度报告的结转下年度继续办理为1。"
    )
    assert response.json()["comparison"] == {
        "year": 2024,
        "scope": "all",
        "source": "published",
        "version": 1,
        "description": "与2024年度已发布报告（全域，第1版）比较",
    }
    assert Report.objects.filter(year=2025).count() == 0


def test_staff_report_without_last_year_has_no_cross_year_finding(api, tree):
    RequestFactory(body=tree.county_a, received_on=datetime.date(2025, 3, 3))
    response = api.get("/api/v1/reports/county-a/2025/?scope=all")
    assert [f["rule"] for f in response.json()["findings"]] == ["section_empty"] * 3
    assert response.json()["comparison"] is None


def test_staff_report_scope_level_leaves_out_subordinate_governments(superuser, tree):
    city_department = BodyFactory(
        code="city-edu", name="某市教育局", kind=BodyKind.DEPARTMENT, parent=tree.city
    )
    RequestFactory(body=tree.city, received_on=datetime.date(2025, 3, 3))
    RequestFactory(body=city_department, received_on=datetime.date(2025, 3, 4))
    RequestFactory(body=tree.county_a, received_on=datetime.date(2025, 3, 5))
    RequestFactory(body=tree.department_a, received_on=datetime.date(2025, 3, 6))
    client = client_for(superuser)
    rows = {
        scope: client.get(f"/api/v1/reports/city/2025/?scope={scope}").json()["report"]["requests"][
            "rows"
        ]["new_received"]["total"]
        for scope in ("own", "level", "all")
    }
    assert rows == {"own": 1, "level": 2, "all": 4}
