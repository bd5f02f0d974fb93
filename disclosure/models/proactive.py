from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from disclosure.validators import (
    FIGURE_YEAR,
    ISSUE_DATE,
    REGISTER_DATE,
    NulFreeModel,
    date_ranges_check,
)
from disclosure.vocab import DECISION_ITEMS, DocumentKind, FigureItem

from .bodies import Body, BodyScopedQuerySet
from .fields import DateField, YearField

DOCUMENT_DATES = {
    "issued_on": ISSUE_DATE,
    "effective_on": REGISTER_DATE,
    "repealed_on": REGISTER_DATE,
    "valid_until": REGISTER_DATE,
}


class RegisterQuerySet(BodyScopedQuerySet):
    def active(self) -> RegisterQuerySet:
        return self.filter(voided_at__isnull=True)


class Document(NulFreeModel):
    """The register of 规章 and 行政规范性文件 from which table 二 (一) is computed."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="documents", verbose_name=_("制发机构")
    )
    kind = models.CharField(_("类型"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("标题"), max_length=500)
    number = models.CharField(_("文号"), max_length=100)
    issued_on = DateField(_("发布日期"), validators=[ISSUE_DATE])
    effective_on = DateField(
        _("施行日期"),
        null=True,
        blank=True,
        help_text=_("不早于发布日期。"),
        validators=[REGISTER_DATE],
    )
    repealed_on = DateField(
        _("废止日期"),
        null=True,
        blank=True,
        help_text=_("废止或宣布失效之日，不早于发布日期。"),
        validators=[REGISTER_DATE],
    )
    valid_until = DateField(
        _("有效期至"),
        null=True,
        blank=True,
        help_text=_("不早于发布日期。"),
        validators=[REGISTER_DATE],
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True, editable=False)
    void_reason = models.CharField(_("作废原因"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        verbose_name = _("规章和行政规范性文件")
        verbose_name_plural = _("规章和行政规范性文件")
        ordering = ["-issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="document_unique_number"),
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True) | Q(repealed_on__gte=F("issued_on")),
                name="document_repealed_after_issued",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued_on")),
                name="document_valid_until_after_issued",
            ),
            date_ranges_check("document_dates_range", DOCUMENT_DATES),
        ]
        indexes = [models.Index(fields=["body", "kind", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"

    def clean(self) -> None:
        errors = {}
        if self.repealed_on and self.issued_on and self.repealed_on < self.issued_on:
            errors["repealed_on"] = _("废止日期不能早于发布日期。")
        if self.valid_until and self.issued_on and self.valid_until < self.issued_on:
            errors["valid_until"] = _("有效期至不能早于发布日期。")
        if self.effective_on and self.issued_on and self.effective_on < self.issued_on:
            errors["effective_on"] = _("施行日期不能早于发布日期。")
        if errors:
            raise ValidationError(errors)


class YearlyFigure(NulFreeModel):
    """A body's figure for a year: decisions, fees (万元), items published, interpretations."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="figures", verbose_name=_("机构")
    )
    year = YearField(_("年度"), validators=[FIGURE_YEAR])
    item = models.CharField(_("项目"), max_length=32, choices=FigureItem.choices)
    value = models.DecimalField(
        _("数值"), max_digits=16, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    source = models.CharField(_("来源"), max_length=300, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True, editable=False)
    void_reason = models.CharField(_("作废原因"), max_length=500, blank=True, editable=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度数据")
        verbose_name_plural = _("年度数据")
        ordering = ["-year", "body", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "item"], name="figure_unique_body_year_item"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_value_non_negative"),
            models.CheckConstraint(
                condition=Q(item=FigureItem.FEES) | Q(value=models.functions.Round("value")),
                name="figure_counts_are_integers",
            ),
            FIGURE_YEAR.check("year", "figure_year_range"),
        ]
        indexes = [models.Index(fields=["year", "item"])]

    def __str__(self) -> str:
        return f"{self.body} {self.year} {self.get_item_display()}"

    def clean(self) -> None:
        if (
            self.value is not None
            and self.item != FigureItem.FEES
            and self.value != self.value.to_integral_value()
        ):
            raise ValidationError({"value": _("该项目为件数/条数，须为整数。")})
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("数值不能为负数。")})

    @property
    def is_decision_count(self) -> bool:
        return self.item in DECISION_ITEMS
