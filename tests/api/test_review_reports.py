"""Review: the staff report endpoint's findings are the checks' findings, exactly (the
existing test only looked at the keys of whatever findings came back, possibly none), and
``scope=level`` leaves out subordinate governments (issue 8: "any scope")."""

from __future__ import annotations

import datetime

from disclosure.vocab import BodyKind
from reports.models import Report
from tests.api.conftest import client_for, publish
from tests.factories import BodyFactory, RequestFactory


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
