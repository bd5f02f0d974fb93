from __future__ import annotations

import datetime

import pytest

from disclosure.models import AuditEntry, Body, child_path
from disclosure.vocab import ApplicantKind, BodyKind, Result
from reports.document import DocumentError
from reports.importing import ImportRefused, report_import
from reports.models import Report, ReportStatus, Scope
from reports.selectors import compute_tables, report_document
from tests.factories import BodyFactory, RequestFactory, UserFactory
from tests.reports.engine_data import seed_document

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_new_body_code_creates_a_body_of_kind_other_under_the_parent():
    province = BodyFactory(code="gansu", kind=BodyKind.GOVERNMENT)
    report = report_import(actor=None, document=seed_document(), parent=province)
    body = Body.objects.get(code="wuwei")
    assert (body.name, body.kind, body.parent) == ("武威市人民政府", BodyKind.OTHER, province)
    assert body.path == child_path(province.path, body.pk)
    assert (report.body, report.year, report.scope, report.status) == (
        body,
        2023,
        Scope.ALL,
        ReportStatus.IMPORTED,
    )
    assert report.imported_document == seed_document()
    assert report.cover_number == "武政函〔2024〕15号"
    assert report.cover_date == D(2024, 2, 21)
    assert report.overview == seed_document()["narrative"]["overview"]


def test_without_parent_the_body_is_at_the_top():
    report_import(actor=None, document=seed_document())
    assert Body.objects.get(code="wuwei").parent is None


def test_an_existing_body_keeps_its_place():
    body = BodyFactory(code="wuwei", name="武威市人民政府", kind=BodyKind.GOVERNMENT)
    report = report_import(actor=None, document=seed_document())
    assert report.body == body
    assert Body.objects.get(pk=body.pk).kind == BodyKind.GOVERNMENT


def test_an_unknown_code_without_body_name_is_refused():
    doc = seed_document()
    del doc["body_name"]
    with pytest.raises(ImportRefused):
        report_import(actor=None, document=doc)
    assert not Body.objects.exists()
    assert not Report.objects.exists()


def test_provenance_is_kept_and_the_import_is_audited():
    user = UserFactory(is_superuser=True)  # a new body's master data: a superuser's
    doc = seed_document() | {
        "version": 2,
        "published_at": "2024-02-21T09:00:00+08:00",
        "change_note": "更正表三",
        "sha256": "a" * 64,
    }
    report = report_import(actor=user, document=doc)
    assert report.imported_document["sha256"] == "a" * 64
    assert report.imported_document["version"] == 2
    entry = AuditEntry.objects.get(object_id=str(report.pk), action="import")
    assert entry.actor == user
    assert entry.changes == {"scope": [None, "all"]}
    assert entry.note == (
        "导入已发布的年度报告（原第2版，发布时间 2024-02-21T09:00:00+08:00，SHA-256 "
        + "a" * 64
        + "）。"
    )


def test_a_malformed_document_is_refused_with_nothing_changed():
    doc = seed_document()
    doc["requests"]["rows"]["granted"]["natural_person"] = -1
    doc["unknown"] = True
    with pytest.raises(DocumentError) as raised:
        report_import(actor=None, document=doc)
    assert raised.value.problems == [
        "unknown：未知的键。",
        "requests.rows.granted.natural_person：不能为负数（收到 -1）。",
    ]
    assert not Body.objects.exists()
    assert not Report.objects.exists()


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.PUBLISHED])
def test_the_product_own_report_is_never_replaced(status):
    body = BodyFactory(code="wuwei")
    own = Report.objects.create(body=body, year=2023, status=status, overview="草稿")
    with pytest.raises(ImportRefused):
        report_import(actor=None, document=seed_document())
    own.refresh_from_db()
    assert (own.status, own.overview, own.imported_document) == (status, "草稿", None)
    assert not AuditEntry.objects.filter(action="import").exists()


def test_a_second_import_replaces_the_first():
    report_import(actor=None, document=seed_document())
    changed = seed_document()
    changed["scope"] = "level"
    report = report_import(actor=None, document=changed)
    assert Report.objects.count() == 1
    assert report.scope == Scope.LEVEL
    assert AuditEntry.objects.filter(object_id=str(report.pk), action="reimport").count() == 1


def test_null_cells_are_kept():
    doc = seed_document()
    doc["requests"]["rows"]["granted"]["total"] = None
    report = report_import(actor=None, document=doc)
    assert report.imported_document["requests"]["rows"]["granted"]["total"] is None


def test_exported_json_imported_elsewhere_gives_the_same_tables():
    body = BodyFactory(code="dept", name="某局", kind=BodyKind.DEPARTMENT)
    RequestFactory(
        body=body,
        received_on=D(2023, 3, 1),
        concluded_on=D(2023, 3, 9),
        result=Result.PARTIALLY_GRANTED,
        applicant_kind=ApplicantKind.RESEARCH_INSTITUTION,
    )
    RequestFactory(body=body, received_on=D(2023, 12, 30))
    exported = report_document(Report(body=body, year=2023, scope=Scope.OWN))
    # "Elsewhere": another installation, where the body does not exist yet.
    Report.objects.all().delete()
    RequestFactory._meta.model.objects.all().delete()
    Body.objects.all().delete()
    report = report_import(actor=None, document=exported)
    assert report_document(report) == exported
    imported_body = Body.objects.get(code="dept")
    assert compute_tables(imported_body, 2023, Scope.OWN) == compute_tables_like(exported)


def compute_tables_like(doc: dict) -> dict:
    from decimal import Decimal

    tables = {key: doc[key] for key in ("proactive", "requests", "appeals")}
    fees = tables["proactive"]["fees"]["amount_10k_yuan"]
    tables["proactive"]["fees"] = {
        "amount_10k_yuan": Decimal(str(fees)).quantize(Decimal("0.0001"))
    }
    return tables
