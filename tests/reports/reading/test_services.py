"""The writes of a reading: read a file, correct cells, confirm as the imported report
(replacing an import only when asked, never the product's own report), discard."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure.models import AuditEntry
from reports.models import ReadingStatus, Report, ReportReading, ReportStatus
from reports.reading.errors import ReadingError
from reports.reading.services import (
    ReplaceNeeded,
    reading_confirm,
    reading_correct,
    reading_create,
    reading_discard,
)
from reports.services import report_draft_for
from tests.reports.publishing import make_world
from tests.reports.reading.data import SEED_REPAIRS, cell_differences, seed_document, seed_text

pytestmark = pytest.mark.django_db
ENFORCEMENT = ("proactive", "enforcement", "decisions")


@pytest.fixture
def world():
    return make_world()


def damaged_seed() -> bytes:
    """The seed with 行政强制 printed blank (a cell no identity repairs)."""
    return seed_text().replace("行政强制\t「政强制 1129", "行政强制\t—").encode()


def read(world, content: bytes | None = None, **options):
    return reading_create(
        actor=options.pop("actor", world.publisher),
        body=options.pop("body", world.county),
        year=options.pop("year", 2023),
        file_name="wuwei-2023.txt",
        content=content or seed_text().encode(),
    )


def audit(reading) -> list[tuple[str, dict]]:
    return [
        (entry.action, entry.changes)
        for entry in AuditEntry.objects.filter(object_id=str(reading.pk)).order_by("pk")
        if entry.content_type.model == "reportreading"
    ]


def test_a_publisher_reads_a_file_for_a_body_and_year(world):
    reading = read(world)
    assert reading.status == ReadingStatus.PENDING
    assert (reading.body, reading.year, reading.file_name, reading.source_kind) == (
        world.county,
        2023,
        "wuwei-2023.txt",
        "text",
    )
    assert reading.source.read() == seed_text().encode()
    assert reading.printed_name == "武威市"
    assert (reading.document["body"], reading.document["body_name"]) == ("county", "测试县人民政府")
    assert cell_differences(reading.document, seed_document()) == []
    assert [
        (r["table"], r["row"], r["column"], r["value"]) for r in reading.repairs
    ] == SEED_REPAIRS
    assert reading.unresolved == []
    assert "一、总体情况" in reading.source_text
    assert audit(reading) == [
        (
            "read",
            {
                "file": "wuwei-2023.txt",
                "sha256": reading.sha256,
                "kind": "text",
                "repairs": 2,
                "unresolved": 0,
            },
        )
    ]


@pytest.mark.parametrize("who", ["editor", "viewer", "outsider"])
def test_only_a_publisher_of_the_body_may_read_for_it(world, who):
    with pytest.raises(PermissionDenied):
        read(world, actor=getattr(world, who))
    assert ReportReading.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_file_whose_title_names_another_year_is_refused(world):
    with pytest.raises(ValidationError, match="文件标题是 2023 年度的报告，与所选的 2022 年度不符"):
        read(world, year=2022)
    assert ReportReading.objects.count() == 0


def test_an_unreadable_file_stores_nothing(world):
    from PIL import Image

    scan = io.BytesIO()
    Image.new("RGB", (100, 100)).save(scan, "PDF")
    with pytest.raises(ReadingError, match="没有文字层"):
        read(world, scan.getvalue())
    assert ReportReading.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_corrections_are_recorded_with_who_and_when_and_audited(world):
    reading = read(world, damaged_seed())
    assert [(u["table"], u["row"], u["column"]) for u in reading.unresolved] == [ENFORCEMENT]
    changed = reading_correct(
        actor=world.publisher,
        reading=reading,
        values={ENFORCEMENT: 1129, ("proactive", "fees", "amount_10k_yuan"): Decimal("22910.5")},
    )
    reading.refresh_from_db()
    assert [(c["table"], c["row"], c["column"], c["old"], c["new"], c["by"]) for c in changed] == [
        ("proactive", "enforcement", "decisions", None, 1129, "publisher"),
        ("proactive", "fees", "amount_10k_yuan", 22910, 22910.5, "publisher"),
    ]
    assert reading.corrections == changed
    assert reading.document["proactive"]["enforcement"]["decisions"] == 1129
    assert reading.document["proactive"]["fees"]["amount_10k_yuan"] == 22910.5
    assert audit(reading)[-1] == (
        "correct",
        {
            "proactive.enforcement.decisions": [None, 1129],
            "proactive.fees.amount_10k_yuan": [22910, 22910.5],
        },
    )


def test_a_correction_changing_nothing_records_nothing(world):
    reading = read(world)
    assert reading_correct(actor=world.publisher, reading=reading, values={ENFORCEMENT: 1129}) == []
    assert [action for action, _changes in audit(reading)] == ["read"]


def test_an_invalid_correction_changes_nothing(world):
    reading = read(world)
    with pytest.raises(ValidationError, match="应为整数"):
        reading_correct(
            actor=world.publisher, reading=reading, values={ENFORCEMENT: Decimal("1.5")}
        )
    reading.refresh_from_db()
    assert reading.document["proactive"]["enforcement"]["decisions"] == 1129
    assert reading.corrections == []
    assert [action for action, _changes in audit(reading)] == ["read"]


def test_confirming_imports_the_document_with_its_provenance(world):
    reading = read(world, damaged_seed())
    reading_correct(actor=world.publisher, reading=reading, values={ENFORCEMENT: 1129})
    report = reading_confirm(actor=world.publisher, reading=reading)
    reading.refresh_from_db()
    assert (reading.status, reading.report, reading.decided_by) == (
        ReadingStatus.CONFIRMED,
        report,
        world.publisher,
    )
    assert (report.body, report.year, report.status, report.scope) == (
        world.county,
        2023,
        ReportStatus.IMPORTED,
        "all",
    )
    imported = report.imported_document
    assert cell_differences(imported, seed_document()) == []
    assert imported["narrative"] == seed_document()["narrative"]
    assert imported["change_note"] == (
        f"读自文件《wuwei-2023.txt》（文本，SHA-256 {reading.sha256}）；"
        "按勾稽关系修复 2 格：1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请·自然人＝3、"
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请·自然人＝0；"
        "人工更正 1 处：行政强制·本年处理决定数量 由 空白 改为 1129（publisher）。"
    )
    assert audit(reading)[-1] == (
        "confirm",
        {"report": report.pk, "replaced": False, "repairs": 2, "corrections": 1},
    )
    assert AuditEntry.objects.filter(object_id=str(report.pk), action="import").count() == 1


def test_an_earlier_import_is_replaced_only_after_a_second_confirmation(world):
    first = reading_confirm(actor=world.publisher, reading=read(world))
    second = read(world, damaged_seed())
    with pytest.raises(ReplaceNeeded) as needed:
        reading_confirm(actor=world.publisher, reading=second)
    assert needed.value.report == first
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == ReadingStatus.PENDING
    assert first.imported_document["proactive"]["enforcement"]["decisions"] == 1129
    replaced = reading_confirm(actor=world.publisher, reading=second, replace=True)
    assert replaced.pk == first.pk
    replaced.refresh_from_db()
    assert replaced.imported_document["proactive"]["enforcement"]["decisions"] is None
    assert audit(second)[-1][1]["replaced"] is True


def test_the_products_own_report_is_never_replaced(world):
    draft = report_draft_for(actor=world.publisher, body=world.county, year=2023, scope="all")
    reading = read(world)
    with pytest.raises(ValidationError, match="已有本系统的年度报告"):
        reading_confirm(actor=world.publisher, reading=reading, replace=True)
    reading.refresh_from_db()
    draft.refresh_from_db()
    assert reading.status == ReadingStatus.PENDING
    assert draft.status == ReportStatus.DRAFT
    assert Report.objects.count() == 1


def test_a_decided_reading_is_changed_no_more(world):
    reading = read(world)
    reading_discard(actor=world.publisher, reading=reading)
    reading.refresh_from_db()
    assert reading.status == ReadingStatus.DISCARDED
    with pytest.raises(ValidationError, match="已放弃"):
        reading_confirm(actor=world.publisher, reading=reading)
    with pytest.raises(ValidationError, match="已放弃"):
        reading_correct(actor=world.publisher, reading=reading, values={ENFORCEMENT: 1})
    assert [action for action, _changes in audit(reading)] == ["read", "discard"]
    assert Report.objects.count() == 0
