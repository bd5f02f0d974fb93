"""The demo is the end-to-end acceptance test: 武威市 2023 rebuilt from records."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings

from disclosure.models import Applicant, AuditEntry, Body, InformationRequest, YearlyFigure
from disclosure.vocab import PUBLISHED_ITEM_CHANNELS
from reports.findings import check_document, previous_document
from reports.models import Report, ReportVersion

# Copies of ../shared/seeds kept with the tests, so that they run without shared/.
SEEDS = Path(__file__).resolve().parents[1] / "reports" / "seeds"
EXPECTED = json.loads((SEEDS / "wuwei-2023-expected.json").read_text(encoding="utf-8"))
EXPECTED_FINDINGS = json.loads((SEEDS / "wuwei-2023-findings.json").read_text(encoding="utf-8"))[
    "findings"
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded once for the module (it renders eight PDFs) and rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            output = io.StringIO()
            call_command("load_demo", "--no-recent", stdout=output)
            yield output.getvalue()
            transaction.set_rollback(True)


def city_report() -> Report:
    return Report.objects.get(body__code="wuwei", year=2023)


def finding_summary(finding: dict) -> tuple:
    return tuple(
        finding[key] for key in ("rule", "severity", "table", "row", "column", "expected", "actual")
    )


@pytest.mark.django_db
def test_rolled_up_2023_tables_equal_the_published_report(demo):
    output = io.StringIO()
    call_command(
        "report_tables",
        "--body",
        "wuwei",
        "--year",
        "2023",
        "--rollup",
        "--format",
        "json",
        stdout=output,
    )
    document = json.loads(output.getvalue())
    assert (document["body"], document["year"], document["scope"]) == ("wuwei", 2023, "all")
    for table in ("proactive", "requests", "appeals"):
        assert document[table] == EXPECTED[table], table


@pytest.mark.django_db
def test_version_one_has_exactly_the_three_narrative_findings_of_the_seed(demo):
    report = city_report()
    version = report.versions.get(number=1)
    assert version.document["narrative"] == EXPECTED["narrative"]
    assert version.document["cover_letter"] == EXPECTED["cover_letter"]
    findings = [f.to_dict() for f in check_document(version.document, previous_document(report))]
    assert sorted(map(finding_summary, findings)) == sorted(
        finding_summary(f) for f in EXPECTED_FINDINGS
    )
    for expected in EXPECTED_FINDINGS:
        match = next(f for f in findings if f["expected"] == expected["expected"])
        assert expected["quote_contains"] in match["quote"]
    assert len(version.acknowledgements) == 3
    assert all(ack["acknowledgement"] for ack in version.acknowledgements)


@pytest.mark.django_db
def test_version_two_corrects_the_three_figures_and_has_no_finding(demo):
    report = city_report()
    version = report.versions.get(number=2)
    assert check_document(version.document, previous_document(report)) == []
    overview = version.document["narrative"]["overview"]
    assert "占63.8%" in overview and "占30.8%" in overview and "行政规范性文件 26 部" in overview
    assert "63.9%" not in overview
    assert "63.9%" in version.change_note and "26 部" in version.change_note
    assert version.document["requests"] == EXPECTED["requests"]


@pytest.mark.django_db
def test_neighbouring_years_are_published_and_consistent(demo):
    published = set(
        ReportVersion.objects.values_list("report__body__code", "report__year", "number")
    )
    assert {
        ("wuwei", 2022, 1),
        ("wuwei", 2023, 1),
        ("wuwei", 2023, 2),
        ("wuwei", 2024, 1),
    } <= published
    assert {
        ("liangzhou", 2023, 1),
        ("minqin", 2023, 1),
        ("gulang", 2023, 1),
        ("tianzhu", 2023, 1),
    } <= published
    documents = {
        year: ReportVersion.objects.filter(report__body__code="wuwei", report__year=year)
        .order_by("-number")
        .first()
        .document
        for year in (2022, 2023, 2024)
    }
    assert documents[2022]["requests"]["rows"]["carried_forward"]["natural_person"] == 2
    assert documents[2024]["requests"]["rows"]["carried_over"]["total"] == 1
    assert documents[2022]["proactive"]["rules"]["in_force"] == 3
    assert documents[2022]["proactive"]["normative_documents"]["in_force"] == 24
    for year in (2022, 2024):
        report = Report.objects.get(body__code="wuwei", year=year)
        assert check_document(documents[year], previous_document(report)) == []


def items_published(bodies) -> int:
    total = YearlyFigure.objects.filter(
        body__in=bodies, year=2023, item__in=PUBLISHED_ITEM_CHANNELS
    ).aggregate(total=Sum("value"))["total"]
    return int(total)


@pytest.mark.django_db
def test_published_items_give_the_narratives_figures(demo):
    city = Body.objects.get(code="wuwei")
    city_level = Body.objects.filter(pk=city.pk) | Body.objects.filter(
        parent=city, kind="department"
    )
    assert items_published(Body.objects.subtree_of(city)) // 100 == 7057  # 70.57 万余条
    assert items_published(city_level) // 100 == 778  # 市本级 7.78 万余条
    for code, figure in (
        ("liangzhou", 1763),
        ("minqin", 1688),
        ("gulang", 1541),
        ("tianzhu", 1287),
    ):
        county = Body.objects.get(code=code)
        assert items_published(Body.objects.subtree_of(county)) // 100 == figure, code


@pytest.mark.django_db
def test_demo_applicants_are_obviously_invented(demo):
    assert Applicant.objects.exclude(name__contains="示例").count() == 0
    assert Applicant.objects.exclude(id_number__contains="DEMO").count() == 0
    assert InformationRequest.objects.filter(applicant__isnull=True).count() == 0


@pytest.mark.django_db
def test_loading_again_changes_nothing(demo):
    before = (
        InformationRequest.objects.count(),
        AuditEntry.objects.count(),
        ReportVersion.objects.count(),
    )
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert "已经载入" in output.getvalue()
    after = (
        InformationRequest.objects.count(),
        AuditEntry.objects.count(),
        ReportVersion.objects.count(),
    )
    assert after == before


@pytest.mark.django_db
def test_every_demo_record_has_its_audit_row(demo):
    requests = InformationRequest.objects.count()
    audited = (
        AuditEntry.objects.filter(content_type__model="informationrequest")
        .values("object_id")
        .distinct()
        .count()
    )
    assert requests == audited == 751


@pytest.mark.django_db
def test_public_site_shows_the_published_city_report(demo, client):
    response = client.get("/reports/wuwei/2023/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "武威市人民政府" in page and "63.8%" in page
    assert client.get("/reports/wuwei/2023/v1/").status_code == 200
    assert "示例" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_demo_staff_passwords_pass_the_password_rules(demo):
    shown = dict(
        line.removeprefix("演示工作人员 ").removesuffix("（仅显示这一次）").split(" 的密码：")
        for line in demo.splitlines()
        if line.startswith("演示工作人员 ")
    )
    assert sorted(shown) == ["liangzhou-staff", "wuwei-staff"]
    for username, password in shown.items():
        user = get_user_model().objects.get(username=username)
        assert user.check_password(password)
        validate_password(password, user)
