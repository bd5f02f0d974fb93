"""The bulk export: every published version of a subtree for a year in one zip with its
index; stored PDFs copied, other formats rendered in parts; the command and the admin page."""

from __future__ import annotations

import csv
import hashlib
import io
import tracemalloc
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from disclosure.jobs.models import Job, JobStatus
from disclosure.vocab import Role
from reports import bulk_export, exports
from reports.models import Report, ReportStatus
from tests.factories import BodyFactory, MembershipFactory, UserFactory
from tests.reports.public_data import build_site, publish, seed_document

pytestmark = pytest.mark.django_db

STORED_PDF = b"%PDF-1.7 stored at publication"


def run_export(body, year=2023, fmt="pdf", render=False, actor=None) -> Job:
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = bulk_export.export_enqueue(actor=actor, body=body, year=year, fmt=fmt, render=render)
    job.refresh_from_db()
    return job


def zip_of(job: Job) -> zipfile.ZipFile:
    with job.result_file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def index_of(archive: zipfile.ZipFile) -> list[list[str]]:
    text = archive.read("index.csv").decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(StringIO(text[1:])))


def test_the_zip_holds_every_published_version_of_the_subtree_copied_and_an_index():
    site = build_site(pdf=STORED_PDF)

    job = run_export(site.city)

    assert (job.status, job.done, job.total, job.parts_total) == (JobStatus.DONE, 3, 3, 0)
    assert job.result_name == "wuwei-2023-pdf.zip"
    archive = zip_of(job)
    # 2022, the draft and the body without a report are not in it.
    assert archive.namelist() == [
        "wuwei-2023-v1.pdf",
        "wuwei-2023-v2.pdf",
        "liangzhou-2023-v1.pdf",
        "index.csv",
    ]
    assert archive.read("wuwei-2023-v2.pdf") == STORED_PDF
    digest = hashlib.sha256(STORED_PDF).hexdigest()
    assert index_of(archive) == [
        list(bulk_export.INDEX_HEADER),
        ["wuwei", "武威市人民政府", "2023", "1", "2024-02-21T09:30:00+08:00",
         "wuwei-2023-v1.pdf", digest, site.v1.sha256],
        ["wuwei", "武威市人民政府", "2023", "2", "2024-03-01T09:30:00+08:00",
         "wuwei-2023-v2.pdf", digest, site.v2.sha256],
        ["liangzhou", "凉州区人民政府", "2023", "1", "2024-02-21T09:30:00+08:00",
         "liangzhou-2023-v1.pdf", digest, site.county_v1.sha256],
    ]  # fmt: skip
    assert job.result["lines"] == [
        "武威市人民政府 及其下级机构 2023 年度：3 份已发布的年度报告（pdf），另附索引 index.csv。"
    ]


def test_other_formats_are_rendered_from_each_document_in_parts_of_bodies():
    site = build_site(pdf=STORED_PDF)

    job = run_export(site.city, fmt="json")

    assert (job.status, job.done, job.total, job.parts_total) == (JobStatus.DONE, 3, 3, 2)
    archive = zip_of(job)
    for name, version in (
        ("wuwei-2023-v1.json", site.v1),
        ("liangzhou-2023-v1.json", site.county_v1),
    ):
        version.refresh_from_db()  # the document as stored (PostgreSQL orders its keys)
        assert archive.read(name) == exports.render(version.document, "json")
    rows = index_of(archive)
    assert rows[3][6] == hashlib.sha256(archive.read("liangzhou-2023-v1.json")).hexdigest()


def test_a_version_without_a_stored_file_is_rendered_from_its_document():
    site = build_site(pdf=STORED_PDF)
    site.county_v1.pdf = ""
    site.county_v1.save()

    job = run_export(site.county)

    assert (job.status, job.parts_total) == (JobStatus.DONE, 1)
    content = zip_of(job).read("liangzhou-2023-v1.pdf")
    assert content.startswith(b"%PDF-") and content != STORED_PDF


def test_an_export_of_a_subtree_without_published_reports_fails_in_chinese():
    site = build_site(pdf=STORED_PDF)

    job = run_export(site.department)

    assert job.status == JobStatus.FAILED
    assert job.error == "武威市教育局 及其下级机构没有 2023 年度已发布的年度报告。"
    assert not job.result_file


def test_the_work_files_are_removed_when_the_job_ends(settings):
    site = build_site(pdf=STORED_PDF)

    job = run_export(site.city, fmt="json")

    assert not (settings.MEDIA_ROOT / "jobs" / "work" / str(job.pk)).exists()


def test_assembling_the_zip_streams_one_file_at_a_time(settings):
    """Peak memory does not grow with the number of reports (each file 2 MB)."""
    city = BodyFactory(code="city")
    document = seed_document()

    def peak_for(count: int) -> int:
        Job.objects.all().delete()
        for report in Report.objects.all():
            report.versions.all().delete()
        Report.objects.all().delete()
        for n in range(count):
            body = BodyFactory(code=f"b{count}-{n}", parent=city)
            report = Report.objects.create(body=body, year=2023, status=ReportStatus.PUBLISHED)
            publish(report, document, number=1, pdf=bytes(2_000_000))
        tracemalloc.start()
        job = run_export(city)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert (job.status, job.total) == (JobStatus.DONE, count)
        return peak

    few, many = peak_for(3), peak_for(12)
    assert many - few < 2_000_000  # less than one more file held


def test_the_command_waits_for_the_job_and_writes_the_zip(transactional_db, tmp_path):
    build_site(pdf=STORED_PDF)
    output = tmp_path / "wuwei.zip"
    out = StringIO()

    call_command(
        "export_reports", "--body", "wuwei", "--year", "2023", "--output", str(output), stdout=out
    )

    job = Job.objects.get()
    assert out.getvalue().splitlines() == [
        f"已提交后台任务 #{job.pk}。",
        "完成 3/3",
        "武威市人民政府 及其下级机构 2023 年度：3 份已发布的年度报告（pdf），另附索引 index.csv。",
        f"已写入 {output}",
    ]
    assert zipfile.ZipFile(output).namelist()[-1] == "index.csv"


def test_the_command_refuses_render_for_other_formats(tmp_path):
    with pytest.raises(CommandError, match="--render 只能与 --format pdf 同时使用"):
        call_command(
            "export_reports", "--body", "x", "--year", "2023", "--format", "docx", "--render",
            "--output", str(tmp_path / "x.zip"),
        )  # fmt: skip
    assert Job.objects.count() == 0


def test_the_command_fails_with_the_jobs_reason(transactional_db, tmp_path):
    site = build_site(pdf=STORED_PDF)
    with pytest.raises(
        CommandError, match="武威市教育局 及其下级机构没有 2023 年度已发布的年度报告。"
    ):
        call_command(
            "export_reports", "--body", site.department.code, "--year", "2023",
            "--output", str(tmp_path / "x.zip"), stdout=StringIO(),
        )  # fmt: skip
    assert not (tmp_path / "x.zip").exists()


def test_the_admin_page_offers_only_bodies_whose_subtree_the_user_sees(client):
    site = build_site(pdf=STORED_PDF)
    user = UserFactory()
    MembershipFactory(user=user, body=site.county, role=Role.VIEW)
    client.force_login(user)

    page = client.get("/admin/reports/export/")
    refused = client.post(
        "/admin/reports/export/", {"body": site.city.pk, "year": 2023, "format": "pdf"}
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        accepted = client.post(
            "/admin/reports/export/", {"body": site.county.pk, "year": 2023, "format": "pdf"}
        )

    assert list(page.context["form"].fields["body"].queryset) == [site.county]
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "body": ["选择一个有效的选项： 该选择不在可用的选项中。"]
    }
    job = Job.objects.get()
    assert accepted["Location"] == f"/admin/jobs/job/{job.pk}/change/"
    assert (job.body, job.requested_by, job.status) == (site.county, user, JobStatus.DONE)
    assert zip_of(job).namelist() == ["liangzhou-2023-v1.pdf", "index.csv"]


def test_a_user_without_membership_cannot_open_the_export_page(client):
    client.force_login(UserFactory())
    assert client.get("/admin/reports/export/").status_code == 403
