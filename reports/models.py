from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure.models import Body, BodyScopedQuerySet
from disclosure.models.fields import DateField, YearField
from disclosure.validators import REPORT_YEAR, NulFreeModel
from disclosure.vocab import BodyKind
from reports.figures import NARRATIVE_KEYS

# The cover letter's fields of a report; its narrative fields are ``NARRATIVE_KEYS``.
COVER_FIELDS: tuple[str, ...] = ("cover_number", "cover_addressee", "cover_text", "cover_date")
# The fields whose text may hold placeholders (``reports.narrative``).
PLACEHOLDER_FIELDS: tuple[str, ...] = (*NARRATIVE_KEYS, "cover_text")


class Scope(models.TextChoices):
    OWN = "own", _("本机关")
    LEVEL = "level", _("本级")
    ALL = "all", _("全域")


class ComparisonSource(models.TextChoices):
    """Where last year's document that the cross-year checks compare with comes from."""

    PUBLISHED = "published", _("上一年度已发布报告（最新版本）")
    IMPORTED = "imported", _("上一年度导入的报告")
    COMPUTED = "computed", _("按本报告范围计算的上一年度数据")


def default_scope(body: Body) -> str:
    """The scope a body's new report starts with: a people's government publishes its
    whole-government report (全域); every other body reports on its own work (本机关)."""
    return Scope.ALL if body.kind == BodyKind.GOVERNMENT else Scope.OWN


def first_publication_day(year: int) -> datetime.date:
    """A report covers its whole year: it may be published from 1 January of the next."""
    return datetime.date(year + 1, 1, 1)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    IMPORTED = "imported", _("已导入（历史报告）")


class ReportQuerySet(BodyScopedQuerySet):
    def public(self) -> ReportQuerySet:
        """Reports with at least one published version."""
        return self.filter(versions__isnull=False).distinct()


class Report(NulFreeModel):
    """A body's annual report for one year: the draft being worked on, and its versions."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="reports", verbose_name=_("机构")
    )
    year = YearField(_("年度"), validators=[REPORT_YEAR])
    scope = models.CharField(_("统计范围"), max_length=8, choices=Scope.choices, default=Scope.OWN)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )

    opening = models.TextField(
        _("开头段"), blank=True, help_text=_("留空则按机构联系信息和统计期间自动生成。")
    )
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)

    cover_number = models.CharField(
        _("报送函文号"), max_length=100, blank=True, help_text=_("如：武政函〔2024〕15号")
    )
    cover_addressee = models.CharField(_("主送机关"), max_length=200, blank=True)
    cover_text = models.TextField(_("报送函正文"), blank=True)
    cover_date = DateField(_("报送函日期"), null=True, blank=True)

    # For an imported report: the original document as imported (tables may hold null).
    imported_document = models.JSONField(_("导入的报告"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "body__path"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="report_unique_body_year"),
            REPORT_YEAR.check("year", "report_year_range"),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.IMPORTED, imported_document__isnull=False)
                | (~Q(status=ReportStatus.IMPORTED) & Q(imported_document__isnull=True)),
                name="report_imported_has_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.name} {self.year} 年政府信息公开工作年度报告"

    @classmethod
    def new_draft(cls, *, body: Body, year: int, scope: str | None = None) -> Report:
        """The report ``body`` starts ``year`` with, unsaved: a draft of ``scope`` (by
        default ``default_scope``) with an empty narrative."""
        return cls(
            body=body, year=year, scope=scope or default_scope(body), status=ReportStatus.DRAFT
        )

    @property
    def title(self) -> str:
        return f"{self.body.name}{self.year}年政府信息公开工作年度报告"

    @property
    def deadline(self) -> datetime.date | None:
        """The legal (or body-set) publication deadline; None when none is set."""
        return self.body.report_deadline(self.year)

    def days_to_deadline(self, today: datetime.date) -> int | None:
        """Days from ``today`` to the deadline: 0 on the day itself, negative when overdue."""
        deadline = self.deadline
        return None if deadline is None else (deadline - today).days


def version_pdf_path(instance: ReportVersion, filename: str) -> str:
    return (
        f"reports/{instance.report.body.code}/{instance.report.year}/v{instance.number}/{filename}"
    )


class ReportVersion(NulFreeModel):
    """An immutable published version: the frozen document of report.schema.json."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="versions", verbose_name=_("年度报告")
    )
    number = models.PositiveIntegerField(_("版本"))
    document = models.JSONField(_("报告文档"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("发布人"),
    )
    change_note = models.TextField(_("更正说明"), blank=True)
    acknowledgements = models.JSONField(_("警告确认"), default=list, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=version_pdf_path, blank=True)
    pdf_sha256 = models.CharField(_("PDF 的 SHA-256"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="report_version_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="report_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"


class ReadingStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已导入")
    DISCARDED = "discarded", _("已放弃")


class ReportReadingQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportReadingQuerySet:
        """The readings of the bodies the user's memberships reach (``Body.visible_to``)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(body__in=Body.objects.visible_to(user))


def reading_source_path(instance: ReportReading, filename: str) -> str:
    return f"readings/{instance.body.code}/{instance.year}/{instance.sha256[:12]}/{filename}"


class ReportReading(NulFreeModel):
    """A published report read from a file (``reports.reading``): the document as read,
    with its repairs, unresolved cells and hand corrections, until a publisher confirms it
    as the body's imported report or discards it. Kept afterwards as that report's
    provenance: the original file, what was repaired and what was corrected, by whom."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="report_readings", verbose_name=_("机构")
    )
    year = YearField(_("年度"), validators=[REPORT_YEAR])
    source = models.FileField(_("原文件"), upload_to=reading_source_path, max_length=300)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    source_kind = models.CharField(_("文件类型"), max_length=8)
    source_text = models.TextField(_("读出的文字"), blank=True)
    printed_name = models.CharField(_("标题中的机构名称"), max_length=200, blank=True)
    document = models.JSONField(_("报告文档"))
    repairs = models.JSONField(_("按勾稽关系修复的单元格"), default=list, blank=True)
    unresolved = models.JSONField(_("无法确定的单元格"), default=list, blank=True)
    corrections = models.JSONField(_("人工更正"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReadingStatus.choices, default=ReadingStatus.PENDING
    )
    report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="readings",
        verbose_name=_("导入为年度报告"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = ReportReadingQuerySet.as_manager()

    class Meta:
        verbose_name = _("读取的报告文件")
        verbose_name_plural = _("读取的报告文件")
        ordering = ["-created_at", "-pk"]
        constraints = [
            REPORT_YEAR.check("year", "report_reading_year_range"),
            models.CheckConstraint(
                condition=Q(status=ReadingStatus.CONFIRMED, report__isnull=False)
                | (~Q(status=ReadingStatus.CONFIRMED) & Q(report__isnull=True)),
                name="report_reading_confirmed_has_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.name} {self.year} 年度报告（读自 {self.file_name}）"


class StoredCheck(NulFreeModel):
    """The checks of a published or imported document against last year's, kept so that
    the oversight of a province reads them instead of checking thousands of documents on
    every view (``reports.selectors.oversight_lines``).

    Keyed by content: ``document_sha256`` is the checked document's SHA-256 (a version's
    ``sha256``), ``compared_sha256`` the SHA-256 of what it was compared with (last year's
    document of the same scope, and last year's narrative), so a stored check never goes
    stale: a new version or a new comparison is a new key."""

    document_sha256 = models.CharField(_("报告文档 SHA-256"), max_length=64)
    compared_sha256 = models.CharField(_("比较对象 SHA-256"), max_length=64)
    findings = models.JSONField(_("核查结果"), default=list)
    errors = models.PositiveIntegerField(_("错误数"), default=0)
    warnings = models.PositiveIntegerField(_("警告数"), default=0)
    figures = models.JSONField(_("主要数据"), default=dict)
    # The narrative's repetition of last year's (``reports.oversight.Repetition``); null
    # when either year has no narrative.
    repeated_characters = models.PositiveIntegerField(_("重复字数"), null=True)
    characters = models.PositiveIntegerField(_("正文字数"), null=True)
    passages = models.JSONField(_("重复段落"), default=list)
    created_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    # Derived from published documents, written by no one: no audit trail of its own.
    audited = False

    class Meta:
        verbose_name = _("已保存的核查结果")
        verbose_name_plural = _("已保存的核查结果")
        constraints = [
            models.UniqueConstraint(
                fields=["document_sha256", "compared_sha256"], name="stored_check_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(repeated_characters__isnull=True, characters__isnull=True)
                | Q(repeated_characters__lte=models.F("characters")),
                name="stored_check_repeated_within_characters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_sha256[:12]} / {self.compared_sha256[:12]}"
