"""The admin's oversight pages: 年报督查 with its filters, orders and export; the
year-over-year page; the batch evaluation upload as a background job."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.jobs.models import Job, JobStatus
from disclosure.vocab import Role
from tests.factories import MembershipFactory, UserFactory
from tests.reports.oversight_data import make_county
from tests.reports.reading.data import seed_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    """The lines' days overdue count to today: 1 May 2024 in Beijing."""
    with time_machine.travel(datetime.datetime(2024, 5, 1, 2, tzinfo=datetime.UTC), tick=False):
        yield


URL = "/admin/reports/oversight/"


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def codes(response) -> list[str]:
    return [line.code for line in response.context["lines"]]


def test_the_page_lists_the_subtree_with_its_states(county, client_of):
    response = client_of(county.publisher).get(URL, {"body": "county", "year": 2023})
    assert response.status_code == 200
    assert codes(response) == ["county", "edu", "health", "civil", "finance", "town"]
    page = response.content.decode()
    assert "测试县卫健局" in page and "已发布 第2版 2024-02-05" in page
    assert response.context["counts"] == {
        "none": 2,
        "draft": 1,
        "published": 2,
        "imported": 1,
        "late": 3,
    }


def test_the_body_select_offers_the_bodies_with_a_subtree_and_the_users_own(county, client_of):
    client = client_of(county.publisher)
    offered = dict(
        client.get(URL, {"body": "county", "year": 2023}).context["form"]["body"].field.choices
    )
    # Departments without bodies under them are read on the county's page; a department
    # chosen by its code (a link from elsewhere) stays selected.
    assert list(offered) == ["county"]
    chosen = client.get(URL, {"body": "edu", "year": 2023}).context["form"]["body"].field.choices
    assert [code for code, _name in chosen] == ["county", "edu"]
    clerk = UserFactory(username="edu-clerk")
    MembershipFactory(user=clerk, body=county.education, role=Role.VIEW)
    own = client_of(clerk).get(URL).context["form"]["body"].field.choices
    assert [code for code, _name in own] == ["edu"]


def test_without_parameters_the_page_shows_the_users_top_body_for_last_year(
    county, client_of, settings
):
    response = client_of(county.publisher).get(URL)
    assert response.status_code == 200
    assert response.context["body"] == county.county


def test_filters_and_orders(county, client_of):
    client = client_of(county.publisher)
    late = client.get(URL, {"body": "county", "year": 2023, "late": "yes", "sort": "-days_late"})
    # Days late are counted to today for the unpublished: the two of them first.
    assert codes(late)[-1] == "health"
    assert set(codes(late)) == {"county", "civil", "health"}
    errors = client.get(URL, {"body": "county", "year": 2023, "findings": "errors"})
    assert codes(errors) == ["county", "finance"]
    drafts = client.get(URL, {"body": "county", "year": 2023, "status": "draft"})
    assert codes(drafts) == ["county"]
    repeated = client.get(URL, {"body": "county", "year": 2023, "repeated_from": "90"})
    assert codes(repeated) == ["edu"]


def test_a_bad_filter_is_named(county, client_of):
    response = client_of(county.publisher).get(
        URL, {"body": "county", "year": 1999, "repeated_from": "150"}
    )
    assert response.status_code == 400
    assert "年度须在 2021 至" in str(response.context["form"].errors["year"])
    assert response.context["form"].errors["repeated_from"]


def test_staff_outside_the_subtree_are_refused(county, client_of):
    client = client_of(county.outsider)
    assert client.get(URL, {"body": "county", "year": 2023}).status_code == 403
    assert client.get(URL, {"body": "nowhere", "year": 2023}).status_code == 404
    compare = reverse("reports_year_over_year")
    assert client.get(compare, {"body": "edu", "year": 2023}).status_code == 403


def test_export_has_a_sheet_per_finding_list(county, client_of):
    county.civil.name = "=HYPERLINK(1)"
    county.civil.save()
    response = client_of(county.publisher).get(
        URL, {"body": "county", "year": 2023, "export": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="county-2023-oversight.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["督查总表", "错误", "警告", "重复段落"]
    lines = list(workbook["督查总表"].iter_rows(values_only=True))
    assert [row[0] for row in lines[1:]] == ["county", "edu", "health", "civil", "finance", "town"]
    civil = lines[4]
    assert civil[1] == "'=HYPERLINK(1)"
    assert civil[3:6] == ("未编制", None, 91)
    errors = list(workbook["错误"].iter_rows(values_only=True))
    assert [(row[0], row[2]) for row in errors[1:]] == [
        ("county", "section_empty"),
        ("county", "section_empty"),
        ("finance", "blank_cell"),
    ]
    assert (
        errors[3][3] == "三、收到和处理政府信息公开申请情况·一、本年新收政府信息公开申请数量·总计"
    )
    repeated = list(workbook["重复段落"].iter_rows(values_only=True))
    assert {row[0] for row in repeated[1:]} == {"edu"}


def test_year_over_year_page(county, client_of):
    response = client_of(county.publisher).get(
        reverse("reports_year_over_year"), {"body": "edu", "year": 2023}
    )
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.changed_cells == 0
    assert comparison.repetition.share == 100
    assert {passage.kind for passage in comparison.passages} == {"same"}
    assert len(comparison.identities) == 7 + 2
    page = response.content.decode()
    assert "衔接两个年度的勾稽关系" in page and "上年结转·自然人" in page


def test_the_index_links_the_oversight_page(county, client_of):
    page = client_of(county.publisher).get("/admin/").content.decode()
    assert f'href="{URL}"' in page


def test_a_zip_is_evaluated_as_a_background_job(
    county, client_of, django_capture_on_commit_callbacks
):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("县.txt", seed_text().replace("武威市", "测试县"))
        target.writestr("图.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    upload = SimpleUploadedFile("reports.zip", archive.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(county.publisher).post(
            reverse("reports_evaluation"), {"body": "county", "year": "2023", "file": upload}
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:jobs_job_change", args=[job.pk])
    assert (job.status, job.kind, job.body, job.done, job.total) == (
        JobStatus.DONE,
        "reports_evaluate",
        county.county,
        2,
        2,
    )
    assert job.result_name == "evaluation.xlsx"
    workbook = load_workbook(job.result_file.open("rb"), read_only=True)
    summary = list(workbook["汇总"].iter_rows(values_only=True))
    # The title's 测试县 is 测试县人民政府, within the chosen subtree.
    assert [row[:2] + (row[5],) for row in summary[1:]] == [
        ("县.txt", "county", "已读取"),
        ("图.png", None, "无法读取"),
    ]
    assert "共 2 个文件" in job.result["lines"][0]


def test_a_zip_bomb_upload_fails_the_job_with_its_reason(
    county, client_of, django_capture_on_commit_callbacks
):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("big.txt", b"0" * (30 * 1024 * 1024))
    upload = SimpleUploadedFile("bomb.zip", archive.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        client_of(county.publisher).post(
            reverse("reports_evaluation"), {"body": "county", "file": upload}
        )
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "压缩炸弹" in job.error


def test_the_upload_must_be_a_zip(county, client_of):
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4")
    response = client_of(county.publisher).post(
        reverse("reports_evaluation"), {"body": "county", "file": upload}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["请上传 .zip 文件。"]
    assert not Job.objects.exists()
