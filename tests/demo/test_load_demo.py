"""The demo is the end-to-end acceptance test: 武威市 2023 rebuilt from records."""

from __future__ import annotations

import datetime
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
from django.utils import timezone

from disclosure.models import Applicant, AuditEntry, Body, InformationRequest, YearlyFigure
from disclosure.vocab import PUBLISHED_ITEM_CHANNELS, BodyKind
from reports.document import canonical_sha256
from reports.findings import check_document
from reports.models import Report, ReportVersion
from reports.selectors import comparison_for, findings_for_report

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


def comparison_document(report: Report) -> dict | None:
    comparison = comparison_for(report)
    return comparison.document if comparison is not None else None


@pytest.mark.django_db
def test_version_one_has_exactly_the_three_narrative_findings_of_the_seed(demo):
    report = city_report()
    version = report.versions.get(number=1)
    assert version.document["narrative"] == EXPECTED["narrative"]
    assert version.document["cover_letter"] == EXPECTED["cover_letter"]
    findings = [f.to_dict() for f in check_document(version.document, comparison_document(report))]
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
    assert check_document(version.document, comparison_document(report)) == []
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
        assert check_document(documents[year], comparison_document(report)) == []


PUBLISHED = {
    ("wuwei", 2022, 1): "2023-03-28",
    ("liangzhou", 2023, 1): "2024-03-14",
    ("minqin", 2023, 1): "2024-03-19",
    ("gulang", 2023, 1): "2024-03-21",
    ("wuwei", 2023, 1): "2024-03-22",
    ("tianzhu", 2023, 1): "2024-03-26",
    ("wuwei", 2023, 2): "2024-03-29",
    ("wuwei", 2024, 1): "2025-03-27",
    ("wuwei-jyj", 2025, 1): "2026-01-22",
    ("wuwei-zrzyj", 2025, 1): "2026-01-27",
    ("minqin", 2025, 1): "2026-03-17",
    ("gulang", 2025, 1): "2026-03-20",
    ("tianzhu", 2025, 1): "2026-03-24",
    ("wuwei", 2025, 1): "2026-03-27",
}


def versions():
    return ReportVersion.objects.select_related("report__body").order_by("published_at", "pk")


@pytest.mark.django_db
def test_every_version_is_dated_when_an_office_would_have_published_it(demo):
    dated = {
        (v.report.body.code, v.report.year, v.number): timezone.localtime(v.published_at)
        for v in versions()
    }

    assert {key: moment.date().isoformat() for key, moment in dated.items()} == PUBLISHED
    assert {moment.time() for moment in dated.values()} == {datetime.time(10)}
    for version in versions():
        day = timezone.localtime(version.published_at).date()
        # Departments by the end of January, governments by 31 March, of the next year.
        last = (1, 31) if version.report.body.kind == BodyKind.DEPARTMENT else (3, 31)
        assert datetime.date(version.report.year + 1, 1, 1) <= day, version
        assert day <= datetime.date(version.report.year + 1, *last), version
        assert (
            version.document["published_at"] == timezone.localtime(version.published_at).isoformat()
        )
        assert canonical_sha256(version.document) == version.sha256 == version.document["sha256"]


@pytest.mark.django_db
def test_every_published_version_has_its_sections_one_five_and_six(demo):
    empty = [
        (v.report.body.code, v.report.year, key)
        for v in versions()
        for key in ("overview", "problems", "other_matters")
        if not v.document["narrative"][key].strip()
    ]

    assert empty == []


@pytest.mark.django_db
def test_2025_reports_are_real_reports_from_the_records(demo):
    city = ReportVersion.objects.get(report__body__code="wuwei", report__year=2025).document
    rows = city["requests"]["rows"]

    assert (rows["new_received"]["total"], rows["carried_over"]["total"]) == (288, 0)
    assert (rows["results_total"]["total"], rows["carried_forward"]["total"]) == (285, 3)
    assert city["appeals"]["reconsideration"] == {
        "upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4,
    }  # fmt: skip
    assert city["proactive"]["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 27}
    assert city["proactive"]["rules"] == {"issued": 1, "repealed": 0, "in_force": 6}
    assert "2025年共新收政府信息公开申请288件" in city["narrative"]["overview"]
    for code in ("wuwei-jyj", "wuwei-zrzyj", "minqin", "gulang", "tianzhu"):
        document = ReportVersion.objects.get(report__body__code=code, report__year=2025).document
        assert document["requests"]["rows"]["new_received"]["total"] > 0, code


@pytest.mark.django_db
def test_the_city_explained_its_one_2025_warning_the_expired_documents(demo):
    report = Report.objects.get(body__code="wuwei", year=2025)
    (acknowledged,) = report.versions.get().acknowledgements

    assert (acknowledged["rule"], acknowledged["row"]) == (
        "in_force_continuity",
        "normative_documents",
    )
    # 28 in force at the end of 2024 + 2 issued − 1 repealed = 29; two expired: 27.
    assert (acknowledged["expected"], acknowledged["actual"]) == (29, 27)
    assert acknowledged["acknowledgement"].startswith("2件行政规范性文件有效期于2024年12月31日届满")


@pytest.mark.django_db
def test_liangzhou_2025_is_the_draft_in_progress_with_nothing_to_fix(demo):
    report = Report.objects.get(body__code="liangzhou", year=2025)

    assert (report.status, report.scope, report.versions.count()) == ("draft", "all", 0)
    assert report.overview and report.problems and report.other_matters
    assert findings_for_report(report) == []
    assert set(Report.objects.filter(status="draft").values_list("body__code", "year")) == {
        ("liangzhou", 2025)
    }


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
    assert requests == audited == 1039  # 2022–2025: 216 + 262 + 273 + 288


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
