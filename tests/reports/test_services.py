from __future__ import annotations

import datetime
import hashlib
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from disclosure.models import AuditEntry, InformationRequest
from disclosure.vocab import AuditAction, Result
from reports.document import canonical_sha256, document_content, validate_document
from reports.models import Report, ReportStatus, ReportVersion, Scope
from reports.selectors import findings_for_report
from reports.services import (
    acknowledgement_notes,
    finding_key,
    publication_preview,
    report_draft_for,
    report_publish,
    report_save,
)
from reports.system_checks import PdfUnavailable
from tests.factories import UserFactory
from tests.reports.publishing import (
    CONSISTENT_OVERVIEW,
    OTHER_MATTERS,
    PROBLEMS,
    WRONG_OVERVIEW,
    import_unbalanced,
    make_world,
)


@pytest.fixture
def world(db):
    return make_world()


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PUBLISH_TIME = datetime.datetime(2024, 1, 20, 10, 30, 15, tzinfo=SHANGHAI)


def draft(world, *, overview=CONSISTENT_OVERVIEW, scope=None, body=None) -> Report:
    report = report_draft_for(
        actor=world.editor, body=body or world.education, year=2023, scope=scope
    )
    report.overview, report.problems, report.other_matters = overview, PROBLEMS, OTHER_MATTERS
    return report_save(actor=world.editor, report=report)


def acknowledge_all(report: Report, text: str = "已核实，表格数据为准。") -> dict[str, str]:
    return {
        finding_key(finding): text
        for finding in findings_for_report(report)
        if finding.severity == "warning"
    }


def snapshot(report: Report) -> tuple:
    report.refresh_from_db()
    return (
        report.status,
        list(report.versions.values_list("number", "sha256")),
        AuditEntry.objects.filter(action="report_publish").count(),
    )


# --- drafting ------------------------------------------------------------------------------


def test_a_government_draft_defaults_to_the_whole_scope_and_is_audited(world):
    report = report_draft_for(actor=world.editor, body=world.county, year=2023)
    assert (report.body, report.year, report.scope, report.status) == (
        world.county,
        2023,
        Scope.ALL,
        ReportStatus.DRAFT,
    )
    entry = AuditEntry.objects.get(action=AuditAction.REPORT_DRAFT)
    assert (entry.actor, entry.object_id) == (world.editor, str(report.pk))
    assert entry.changes == {
        "body": [None, world.county.pk],
        "year": [None, 2023],
        "scope": [None, "all"],
    }


def test_a_department_draft_defaults_to_its_own_scope(world):
    report = report_draft_for(actor=world.editor, body=world.education, year=2023)
    assert report.scope == Scope.OWN
    town = report_draft_for(actor=world.editor, body=world.town, year=2023)
    assert town.scope == Scope.OWN


def test_draft_for_an_existing_report_returns_it(world):
    first = report_draft_for(actor=world.editor, body=world.county, year=2023, scope=Scope.ALL)
    assert report_draft_for(actor=world.editor, body=world.county, year=2023) == first
    assert report_draft_for(actor=world.editor, body=world.county, year=2023, scope="all") == first
    assert Report.objects.count() == 1


def test_draft_with_another_scope_than_the_existing_report_is_refused(world):
    report_draft_for(actor=world.editor, body=world.county, year=2023, scope=Scope.ALL)
    with pytest.raises(ValidationError) as refused:
        report_draft_for(actor=world.editor, body=world.county, year=2023, scope=Scope.OWN)
    assert "统计范围为“全域”" in refused.value.messages[0]
    assert Report.objects.get().scope == Scope.ALL


def test_draft_for_an_imported_year_is_refused(world):
    import_unbalanced(world.town)
    with pytest.raises(ValidationError) as refused:
        report_draft_for(actor=world.editor, body=world.town, year=2023)
    assert refused.value.messages == ["2023 年度报告为导入的历史报告，不能在本系统中编辑或发布。"]
    assert Report.objects.get().status == ReportStatus.IMPORTED


def test_a_viewer_cannot_draft(world):
    with pytest.raises(PermissionDenied):
        report_draft_for(actor=world.viewer, body=world.county, year=2023)
    assert not Report.objects.exists()


# --- editing -------------------------------------------------------------------------------


def test_save_stores_narrative_and_audits_the_difference(world):
    report = report_draft_for(actor=world.editor, body=world.education, year=2023)
    report.overview = "新的总体情况"
    report.scope = Scope.ALL
    report_save(actor=world.editor, report=report)
    report.refresh_from_db()
    assert (report.overview, report.scope) == ("新的总体情况", Scope.ALL)
    entry = AuditEntry.objects.get(action="report_save")
    assert entry.changes == {"scope": ["own", "all"], "overview": ["", "新的总体情况"]}


def test_save_refuses_an_unknown_placeholder_and_keeps_the_text(world):
    report = report_draft_for(actor=world.editor, body=world.education, year=2023)
    report.overview = "收到申请{requests.nonsense}件"
    with pytest.raises(ValidationError) as refused:
        report_save(actor=world.editor, report=report)
    assert refused.value.message_dict == {"overview": ["未知的占位符：{requests.nonsense}"]}
    report.refresh_from_db()
    assert report.overview == ""
    assert not AuditEntry.objects.filter(action="report_save").exists()


def test_save_refuses_an_imported_report(world):
    imported = import_unbalanced(world.town)
    imported.overview = "改写"
    with pytest.raises(ValidationError):
        report_save(actor=world.editor, report=imported)
    imported.refresh_from_db()
    assert imported.overview == ""


# --- publishing ----------------------------------------------------------------------------


def test_publishing_freezes_the_document_with_version_time_and_sha256(world):
    report = draft(world)
    with time_machine.travel(PUBLISH_TIME, tick=False):
        version = report_publish(actor=world.publisher, report=report, acknowledgements={})
    document = version.document
    assert version.number == 1
    assert document["version"] == 1
    assert document["published_at"] == "2024-01-20T10:30:15+08:00"
    assert document["change_note"] == ""
    assert document["requests"]["rows"]["new_received"]["total"] == 3
    assert document["narrative"]["overview"] == CONSISTENT_OVERVIEW
    assert version.published_at == PUBLISH_TIME
    assert version.published_by == world.publisher
    assert document["sha256"] == version.sha256 == canonical_sha256(document)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED


def test_publishing_dated_another_day_freezes_that_day_in_the_document(world):
    day = datetime.datetime(2024, 1, 15, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(PUBLISH_TIME, tick=False):
        version = report_publish(
            actor=world.publisher, report=draft(world), acknowledgements={}, published_at=day
        )

    version.refresh_from_db()
    assert version.published_at == day
    assert version.document["published_at"] == "2024-01-15T10:00:00+08:00"
    assert version.document["sha256"] == version.sha256 == canonical_sha256(version.document)
    pdf = PdfReader(version.pdf.open("rb"))
    assert pdf.pages[0].extract_text().rstrip().endswith(f"第1版 · SHA-256：{version.sha256[:12]}")


def test_the_published_document_is_a_valid_schema_document(world):
    version = report_publish(actor=world.publisher, report=draft(world), acknowledgements={})
    assert validate_document(version.document) == version.document


def test_publishing_stores_the_pdf_once(world):
    version = report_publish(actor=world.publisher, report=draft(world), acknowledgements={})
    version.refresh_from_db()
    assert version.pdf.name == "reports/edu/2023/v1/edu-2023-v1.pdf"
    with version.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_publishing_records_the_sha256_of_the_stored_pdf(world):
    version = report_publish(actor=world.publisher, report=draft(world), acknowledgements={})
    version.refresh_from_db()
    with version.pdf.open("rb") as handle:
        assert version.pdf_sha256 == hashlib.sha256(handle.read()).hexdigest()


def test_publishing_is_audited(world):
    version = report_publish(actor=world.publisher, report=draft(world), acknowledgements={})
    entry = AuditEntry.objects.get(action=AuditAction.REPORT_PUBLISH)
    assert (entry.actor, entry.object_id) == (world.publisher, str(version.pk))
    assert entry.changes == {
        "report": [None, version.report_id],
        "number": [None, 1],
        "sha256": [None, version.sha256],
        "acknowledgements": [None, 0],
    }


def test_an_editor_cannot_publish_and_nothing_changes(world):
    report = draft(world)
    before = snapshot(report)
    with pytest.raises(PermissionDenied):
        report_publish(actor=world.editor, report=report, acknowledgements={})
    assert snapshot(report) == before == (ReportStatus.DRAFT, [], 0)


def test_a_publisher_of_another_body_cannot_publish(world):
    report = draft(world)
    with pytest.raises(PermissionDenied):
        report_publish(actor=world.outsider, report=report, acknowledgements={})
    assert snapshot(report) == (ReportStatus.DRAFT, [], 0)


def test_a_superuser_may_publish(world):
    admin = UserFactory(username="root", is_superuser=True)
    version = report_publish(actor=admin, report=draft(world), acknowledgements={})
    assert version.number == 1


def test_an_error_blocks_publishing_and_nothing_changes(world):
    import_unbalanced(world.town)
    report = draft(world, body=world.county, scope=Scope.ALL, overview="")
    assert [f.rule for f in findings_for_report(report) if f.severity == "error"] == [
        "balance",
        "balance",
        "section_empty",
    ]
    with pytest.raises(ValidationError) as refused:
        report_publish(actor=world.publisher, report=report, acknowledgements={})
    assert len(refused.value.messages) == 3
    assert all(message.startswith("存在错误，不能发布：") for message in refused.value.messages)
    assert (
        refused.value.messages[-1] == "存在错误，不能发布：“一、总体情况”尚未填写，发布前须撰写。"
    )
    assert snapshot(report) == (ReportStatus.DRAFT, [], 0)


def test_each_warning_needs_a_written_acknowledgement(world):
    report = draft(world, overview=WRONG_OVERVIEW)
    keys = sorted(acknowledge_all(report))
    assert len(keys) == 2
    only_one = {keys[0]: "已核实", keys[1]: "   "}
    with pytest.raises(ValidationError) as refused:
        report_publish(actor=world.publisher, report=report, acknowledgements=only_one)
    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith("警告须书面说明后才能发布：")
    assert snapshot(report) == (ReportStatus.DRAFT, [], 0)


def test_acknowledged_warnings_are_kept_with_the_version(world):
    report = draft(world, overview=WRONG_OVERVIEW)
    acknowledgements = acknowledge_all(report, "原文如此，以表格为准。")
    version = report_publish(
        actor=world.publisher, report=report, acknowledgements=acknowledgements
    )
    kept = sorted(
        (item["rule"], item["expected"], item["actual"]) for item in version.acknowledgements
    )
    assert kept == [("narrative_figure", 3, 9), ("narrative_share", 50.0, 40.0)]
    assert {item["key"] for item in version.acknowledgements} == set(acknowledgements)
    assert {item["acknowledgement"] for item in version.acknowledgements} == {
        "原文如此，以表格为准。"
    }


def test_finding_keys_tell_apart_two_narrative_warnings_of_one_section(world):
    report = draft(world, overview=WRONG_OVERVIEW)
    warnings = [f for f in findings_for_report(report) if f.severity == "warning"]
    assert {f.row for f in warnings} == {"overview"}
    assert len({finding_key(f) for f in warnings}) == 2
    again = [f for f in findings_for_report(report) if f.severity == "warning"]
    assert [finding_key(f) for f in again] == [finding_key(f) for f in warnings]


def test_a_correction_needs_a_change_note(world):
    report = draft(world)
    report_publish(actor=world.publisher, report=report, acknowledgements={})
    report.problems = "补充问题说明"
    report_save(actor=world.editor, report=report)
    with pytest.raises(ValidationError) as refused:
        report_publish(actor=world.publisher, report=report, acknowledgements={}, change_note=" ")
    assert refused.value.message_dict == {"change_note": ["发布更正版本（第2版）须填写更正说明。"]}
    assert list(report.versions.values_list("number", flat=True)) == [1]


def test_a_correction_publishes_version_2_and_keeps_version_1(world):
    report = draft(world)
    first = report_publish(actor=world.publisher, report=report, acknowledgements={})
    report.problems = "补充问题说明"
    report_save(actor=world.editor, report=report)
    second = report_publish(
        actor=world.publisher, report=report, acknowledgements={}, change_note="补充第五部分"
    )
    assert (second.number, second.document["version"], second.document["change_note"]) == (
        2,
        2,
        "补充第五部分",
    )
    assert second.document["narrative"]["problems"] == "补充问题说明"
    first.refresh_from_db()
    assert first.document["narrative"]["problems"] == PROBLEMS
    assert first.sha256 == canonical_sha256(first.document)
    assert list(report.versions.values_list("number", flat=True)) == [2, 1]


def test_republishing_an_unchanged_report_is_refused(world):
    report = draft(world)
    report_publish(actor=world.publisher, report=report, acknowledgements={})
    with pytest.raises(ValidationError) as refused:
        report_publish(
            actor=world.publisher, report=report, acknowledgements={}, change_note="再发一次"
        )
    assert refused.value.messages == ["报告内容与第1版相同，无需重新发布。"]
    assert report.versions.count() == 1


def test_later_record_edits_never_change_a_published_version(world):
    version = report_publish(actor=world.publisher, report=draft(world), acknowledgements={})
    frozen = (dict(version.document), version.sha256)
    request = InformationRequest.objects.get(body=world.education, concluded_on__isnull=True)
    request.concluded_on = datetime.date(2023, 12, 28)
    request.result = Result.GRANTED
    request.save()
    version.refresh_from_db()
    assert (version.document, version.sha256) == frozen
    assert canonical_sha256(version.document) == version.sha256
    assert version.document["requests"]["rows"]["carried_forward"]["total"] == 1


def test_a_pdf_that_cannot_be_made_publishes_nothing(world, monkeypatch):
    def unavailable(document, **kwargs):
        raise PdfUnavailable("未安装中文（CJK）字体")

    monkeypatch.setattr("reports.services.render_pdf", unavailable)
    report = draft(world)
    with pytest.raises(PdfUnavailable, match="未安装中文"):
        report_publish(actor=world.publisher, report=report, acknowledgements={})
    assert snapshot(report) == (ReportStatus.DRAFT, [], 0)
    assert not ReportVersion.objects.exists()


def test_an_imported_report_cannot_be_published(world):
    imported = import_unbalanced(world.town)
    with pytest.raises(ValidationError):
        report_publish(actor=world.publisher, report=imported, acknowledgements={})
    assert not ReportVersion.objects.exists()


# --- deadline ------------------------------------------------------------------------------


def test_a_departments_deadline_is_31_january_with_days_left(world):
    report = draft(world)
    assert report.deadline == datetime.date(2024, 1, 31)
    assert report.days_to_deadline(datetime.date(2024, 1, 21)) == 10
    assert report.days_to_deadline(datetime.date(2024, 2, 3)) == -3


def test_a_governments_deadline_is_31_march(world):
    report = report_draft_for(actor=world.editor, body=world.county, year=2023)
    assert report.deadline == datetime.date(2024, 3, 31)


def test_a_township_without_a_set_deadline_has_none(world):
    report = report_draft_for(actor=world.editor, body=world.town, year=2023)
    assert report.deadline is None
    assert report.days_to_deadline(datetime.date(2024, 1, 1)) is None


# --- publishing with care ----------------------------------------------------------------------


@pytest.mark.parametrize("section", ["overview", "problems", "other_matters"])
def test_a_draft_with_an_empty_section_is_not_published(world, section):
    report = draft(world)
    setattr(report, section, "  ")
    report_save(actor=world.editor, report=report)
    with pytest.raises(ValidationError) as refused:
        report_publish(actor=world.publisher, report=report, acknowledgements={})
    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith("存在错误，不能发布：“")
    assert refused.value.messages[0].endswith("”尚未填写，发布前须撰写。")
    assert snapshot(report) == (ReportStatus.DRAFT, [], 0)


def test_a_year_not_yet_over_cannot_be_published_before_1_january(world):
    report = draft(world)
    with time_machine.travel(datetime.datetime(2023, 12, 31, 23, 59, tzinfo=SHANGHAI)):
        with pytest.raises(ValidationError) as refused:
            report_publish(actor=world.publisher, report=report, acknowledgements={})
    assert refused.value.messages == ["2023年度尚未结束，2024-01-01起才能发布该年度报告。"]
    assert snapshot(report) == (ReportStatus.DRAFT, [], 0)
    with time_machine.travel(datetime.datetime(2024, 1, 1, 0, 1, tzinfo=SHANGHAI)):
        version = report_publish(actor=world.publisher, report=report, acknowledgements={})
    assert version.number == 1


def test_the_preview_is_what_publishing_freezes_and_writes_nothing(world):
    report = draft(world, overview=WRONG_OVERVIEW)
    acknowledgements = acknowledge_all(report)
    preview = publication_preview(
        actor=world.publisher, report=report, acknowledgements=acknowledgements
    )
    assert preview.number == 1
    assert [f.rule for f in preview.findings] == ["narrative_figure", "narrative_share"]
    assert [item["acknowledgement"] for item in preview.acknowledged] == [
        "已核实，表格数据为准。"
    ] * 2
    assert snapshot(report) == (ReportStatus.DRAFT, [], 0)

    version = report_publish(
        actor=world.publisher, report=report, acknowledgements=acknowledgements
    )
    assert canonical_sha256(document_content(version.document)) == preview.content_sha256
    assert version.acknowledgements == list(preview.acknowledged)


def test_the_preview_refuses_as_publishing_does(world):
    report = draft(world, overview=WRONG_OVERVIEW)
    with pytest.raises(ValidationError) as refused:
        publication_preview(actor=world.publisher, report=report, acknowledgements={})
    assert [m[:9] for m in refused.value.messages] == ["警告须书面说明后才"] * 2
    with pytest.raises(PermissionDenied):
        publication_preview(actor=world.editor, report=report, acknowledgements={})


def test_notes_of_an_unchanged_warning_are_offered_for_the_next_version(world):
    report = draft(world, overview=WRONG_OVERVIEW)
    first = report_publish(
        actor=world.publisher, report=report, acknowledgements=acknowledge_all(report, "说明")
    )
    notes = acknowledgement_notes(first)
    assert sorted(notes) == sorted(acknowledge_all(report))
    assert set(notes.values()) == {"说明"}
    # Same findings in the next version: the same keys, so the notes apply again.
    report.problems = "补充问题说明"
    report_save(actor=world.editor, report=report)
    second = report_publish(
        actor=world.publisher, report=report, acknowledgements=notes, change_note="补充第五部分"
    )
    assert [item["acknowledgement"] for item in second.acknowledgements] == ["说明", "说明"]
    assert acknowledgement_notes(None) == {}
