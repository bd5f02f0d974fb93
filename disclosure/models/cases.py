from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from disclosure.validators import RECORD_DATE, NulFreeModel, date_ranges_check
from disclosure.vocab import AppealKind, AppealResult

from .bodies import Body
from .fields import DateField
from .requests import CaseQuerySet, InformationRequest


class AppealQuerySet(CaseQuerySet):
    opened_field = "filed_on"


class AppealCase(NulFreeModel):
    """行政复议 or 行政诉讼 about a body's disclosure work; no conclusion = 尚未审结."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("被申请（被诉）机构")
    )
    kind = models.CharField(_("类型"), max_length=40, choices=AppealKind.choices)
    case_number = models.CharField(_("案号"), max_length=100)
    filed_on = DateField(_("立案日期"), validators=[RECORD_DATE])
    request = models.ForeignKey(
        InformationRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("关联申请"),
    )
    concluded_on = DateField(_("审结日期"), null=True, blank=True, validators=[RECORD_DATE])
    result = models.CharField(_("结果"), max_length=16, choices=AppealResult.choices, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True, editable=False)
    void_reason = models.CharField(_("作废原因"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政复议、行政诉讼案件")
        verbose_name_plural = _("行政复议、行政诉讼案件")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case_number"], name="appeal_unique_case_number"
            ),
            models.CheckConstraint(
                condition=(Q(concluded_on__isnull=True) & Q(result=""))
                | (Q(concluded_on__isnull=False) & ~Q(result="")),
                name="appeal_result_iff_concluded",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("filed_on")),
                name="appeal_concluded_after_filed",
            ),
            date_ranges_check(
                "appeal_dates_range", {"filed_on": RECORD_DATE, "concluded_on": RECORD_DATE}
            ),
        ]
        indexes = [models.Index(fields=["body", "filed_on"]), models.Index(fields=["concluded_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number}"

    def clean(self) -> None:
        errors = {}
        if self.concluded_on and not self.result:
            errors["result"] = _("已填写审结日期时必须选择结果。")
        if self.result and not self.concluded_on:
            errors["concluded_on"] = _("选择结果时必须填写审结日期。")
        if self.concluded_on and self.filed_on and self.concluded_on < self.filed_on:
            errors["concluded_on"] = _("审结日期不能早于立案日期。")
        if self.request_id and self.body_id and self.request.body_id != self.body_id:
            errors["request"] = _("关联申请须为同一机构的申请。")
        if errors:
            raise ValidationError(errors)
