"""``reports.integrity``: a published version against what was recorded at publishing, and
the migration that recorded the PDF hashes of versions published before."""

from __future__ import annotations

import hashlib
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from disclosure.vocab import BodyKind
from reports.document import canonical_sha256
from reports.integrity import version_problems
from reports.models import Report, ReportStatus, ReportVersion, Scope
from reports.services import report_draft_for, report_publish, report_save
from tests.factories import BodyFactory
from tests.reports.publishing import CONSISTENT_OVERVIEW, OTHER_MATTERS, PROBLEMS, make_world


def publish_one() -> ReportVersion:
    """A version published through the service (its PDF rendered by WeasyPrint)."""
    world = make_world()
    report = report_draft_for(actor=world.editor, body=world.education, year=2023)
    report.overview = CONSISTENT_OVERVIEW
    report.problems = PROBLEMS
    report.other_matters = OTHER_MATTERS
    report_save(actor=world.editor, report=report)
    version = report_publish(actor=world.publisher, report=report, acknowledgements={})
    return ReportVersion.objects.select_related("report__body").get(pk=version.pk)


TINY_PDF = b"%PDF-1.4\n% a stand-in for the rendered report\n%%EOF\n"


@pytest.fixture
def version(db) -> ReportVersion:
    """A version stored as ``report_publish`` stores one, without rendering a real PDF."""
    body = BodyFactory(code="county", name="测试县人民政府", kind=BodyKind.GOVERNMENT)
    report = Report.objects.create(
        body=body, year=2023, scope=Scope.OWN, status=ReportStatus.PUBLISHED
    )
    document = {
        "body": "county",
        "year": 2023,
        "version": 1,
        "narrative": {"overview": "2023年，本县共收到政府信息公开申请3件。"},
        "requests": {"rows": {"new_received": {"total": 3}}},
    }
    document["sha256"] = canonical_sha256(document)
    version = ReportVersion(
        report=report,
        number=1,
        document=document,
        sha256=document["sha256"],
        published_at=timezone.now(),
        pdf_sha256=hashlib.sha256(TINY_PDF).hexdigest(),
    )
    version.pdf.save("county-2023-v1.pdf", ContentFile(TINY_PDF), save=False)
    version.save()
    return ReportVersion.objects.select_related("report__body").get(pk=version.pk)


def replace_pdf(version: ReportVersion, content: bytes) -> None:
    default_storage.delete(version.pdf.name)
    default_storage.save(version.pdf.name, ContentFile(content))


def test_a_version_as_published_has_no_problem(version):
    assert version_problems(version) == []


def test_a_changed_document_names_both_hashes(version):
    recorded = version.sha256
    document = version.document
    document["requests"]["rows"]["new_received"]["total"] += 1
    ReportVersion.objects.filter(pk=version.pk).update(document=document)
    version.refresh_from_db()
    [problem] = version_problems(version)
    assert problem.startswith(f"文档的 SHA-256 与发布时记录的不一致（记录 {recorded}，重算 ")
    assert problem.endswith("）。")


def test_a_changed_recorded_hash_is_found_twice(version):
    ReportVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    version.refresh_from_db()
    problems = version_problems(version)
    assert len(problems) == 2
    assert problems[1] == (
        f"文档中记载的 SHA-256（{version.document['sha256']}）与发布时记录的（{'0' * 64}）不一致。"
    )


def test_a_missing_pdf_is_named(version):
    default_storage.delete(version.pdf.name)
    assert version_problems(version) == [f"存档的 PDF 文件不存在：{version.pdf.name}。"]


def test_a_file_that_is_not_a_pdf_is_named(version):
    replace_pdf(version, b"<html>not a pdf</html>")
    problems = version_problems(version)
    assert problems[0] == f"存档的 PDF 文件不是 PDF：{version.pdf.name}。"
    assert problems[1].startswith("PDF 文件的 SHA-256 与发布时记录的不一致")
    assert len(problems) == 2


def test_a_changed_pdf_is_named(version):
    with version.pdf.open("rb") as handle:
        content = handle.read()
    replace_pdf(version, content.replace(b"%%EOF", b"%%EOF\n% appended"))
    [problem] = version_problems(version)
    assert problem.startswith(
        f"PDF 文件的 SHA-256 与发布时记录的不一致（记录 {version.pdf_sha256}，"
    )
    assert problem.endswith(f"）：{version.pdf.name}。")


def test_a_version_without_a_pdf_is_named(version):
    ReportVersion.objects.filter(pk=version.pk).update(pdf="", pdf_sha256="")
    version.refresh_from_db()
    assert version_problems(version) == ["没有存档的 PDF 文件。"]


def test_the_migration_records_the_hash_of_a_pdf_published_before(version):
    recorded = version.pdf_sha256
    ReportVersion.objects.filter(pk=version.pk).update(pdf_sha256="")
    migration = importlib.import_module("reports.migrations.0004_version_pdf_sha256")
    migration.record_pdf_hashes(apps, SimpleNamespace(connection=connection))
    version.refresh_from_db()
    assert version.pdf_sha256 == recorded
    assert version_problems(version) == []
