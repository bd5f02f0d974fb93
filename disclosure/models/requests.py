from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from disclosure.validators import (
    DEADLINE_DATE,
    RECORD_DATE,
    NulFreeModel,
    date_ranges_check,
    id_type_of_number,
    validate_attachment,
    validate_id_number,
)
from disclosure.vocab import (
    CHANNEL_RECEIPT_RULE,
    ApplicantKind,
    AttachmentKind,
    Channel,
    FeeMethod,
    IdType,
    Result,
)

from .bodies import Body, BodyScopedQuerySet
from .fields import DateField

# The dates of a request's events and the range each may take (disclosure.validators).
REQUEST_DATES = {
    "received_on": RECORD_DATE,
    "correction_notice_on": RECORD_DATE,
    "correction_deadline": DEADLINE_DATE,
    "correction_received_on": RECORD_DATE,
    "extension_decided_on": RECORD_DATE,
    "fee_notice_on": RECORD_DATE,
    "fee_due_on": DEADLINE_DATE,
    "fee_paid_on": RECORD_DATE,
    "withdrawn_on": RECORD_DATE,
    "concluded_on": RECORD_DATE,
}


class Applicant(NulFreeModel):
    """One applicant, linked to all their requests. Personal data: seen in clear only by
    those who handle the applicant's requests (``disclosure.access.can_see_identity``)."""

    kind = models.CharField(_("申请人类型"), max_length=32, choices=ApplicantKind.choices)
    name = models.CharField(_("申请人"), max_length=200)
    id_type = models.CharField(
        _("证件类型"),
        max_length=32,
        choices=IdType.choices,
        blank=True,
        help_text=_("留空时按证件号码的格式判断：居民身份证、统一社会信用代码或其他。"),
    )
    id_number = models.CharField(
        _("证件号码"),
        max_length=64,
        blank=True,
        help_text=_(
            "居民身份证号码按 GB 11643 校验（18位，第18位校验码，出生日期须真实），"
            "统一社会信用代码按 GB 32100 校验（18位，末位校验码）；其他证件不校验。"
        ),
    )
    contact = models.CharField(_("联系方式"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        indexes = [
            models.Index(fields=["name", "id_number"]),
            models.Index(fields=["id_number"], name="applicant_id_number_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(id_type__in=("", *IdType.values)), name="applicant_id_type_valid"
            )
        ]

    def __str__(self) -> str:
        # Masked for everyone: a name shown without knowing the reader. (disclosure.access
        # reads these models, so it is imported once they are loaded.)
        from disclosure.access import mask_name

        return mask_name(self.name)

    def clean(self) -> None:
        # A number without a type takes the type its form says (import-workbook.md); a type
        # without a number is meaningless and is dropped.
        if not self.id_number:
            self.id_type = ""
        elif not self.id_type:
            self.id_type = id_type_of_number(self.id_number)
        if self.id_number:
            try:
                validate_id_number(self.id_type, self.id_number)
            except ValidationError as error:
                raise ValidationError({"id_number": error.error_list}) from None


class CaseQuerySet(BodyScopedQuerySet):
    """Requests and appeal cases: opened on ``opened_field``, concluded on ``concluded_on``
    (empty while open), voided instead of deleted."""

    opened_field: str

    def active(self) -> CaseQuerySet:
        """Not voided: voided records count nowhere."""
        return self.filter(voided_at__isnull=True)

    def open_during(self, year: int) -> CaseQuerySet:
        """Open at some time in ``year``: opened on or before 31 December and not concluded
        before 1 January — the cases a report of that year counts (new or carried over;
        concluded in the year or carried forward)."""
        return self.filter(**{f"{self.opened_field}__lte": datetime.date(year, 12, 31)}).filter(
            Q(concluded_on__isnull=True) | Q(concluded_on__gte=datetime.date(year, 1, 1))
        )


class RequestQuerySet(CaseQuerySet):
    opened_field = "received_on"

    def received_between(self, start: datetime.date, end: datetime.date) -> RequestQuerySet:
        """Received on ``start`` … ``end``, both inclusive."""
        return self.filter(received_on__gte=start, received_on__lte=end)

    def concluded_in(self, year: int) -> RequestQuerySet:
        return self.filter(
            concluded_on__gte=datetime.date(year, 1, 1),
            concluded_on__lte=datetime.date(year, 12, 31),
        )

    def open_on(self, day: datetime.date) -> RequestQuerySet:
        """Received on or before ``day`` and not concluded by the end of it."""
        return self.filter(received_on__lte=day).filter(
            Q(concluded_on__isnull=True) | Q(concluded_on__gt=day)
        )

    def overdue_on(self, day: datetime.date) -> RequestQuerySet:
        return self.active().filter(concluded_on__isnull=True, due_date__lt=day)


class InformationRequest(NulFreeModel):
    """政府信息公开申请. The due date is derived from the events, never typed."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="requests", verbose_name=_("受理机构")
    )
    reference = models.CharField(_("申请编号"), max_length=64)
    applicant = models.ForeignKey(
        Applicant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("申请人"),
    )
    applicant_kind = models.CharField(_("申请人类型"), max_length=32, choices=ApplicantKind.choices)
    channel = models.CharField(
        _("申请方式"), max_length=32, choices=Channel.choices, help_text=CHANNEL_RECEIPT_RULE
    )
    received_on = DateField(
        _("收到申请日期"), help_text=CHANNEL_RECEIPT_RULE, validators=[RECORD_DATE]
    )
    content = models.TextField(_("申请内容"))

    correction_notice_on = DateField(
        _("补正告知日期"), null=True, blank=True, validators=[RECORD_DATE]
    )
    correction_deadline = DateField(
        _("补正期限"), null=True, blank=True, validators=[DEADLINE_DATE]
    )
    correction_received_on = DateField(
        _("补正收到日期"), null=True, blank=True, validators=[RECORD_DATE]
    )

    extension_days = models.PositiveSmallIntegerField(
        _("延期工作日数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    extension_decided_on = DateField(
        _("延期批准日期"), null=True, blank=True, validators=[RECORD_DATE]
    )
    extension_approver = models.CharField(_("延期批准人"), max_length=100, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=500, blank=True)

    fee_method = models.CharField(
        _("收费方式"), max_length=16, choices=FeeMethod.choices, blank=True
    )
    fee_amount = models.DecimalField(
        _("收费金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    fee_notice_on = DateField(_("收费通知日期"), null=True, blank=True, validators=[RECORD_DATE])
    fee_due_on = DateField(_("缴费期限"), null=True, blank=True, validators=[DEADLINE_DATE])
    fee_paid_on = DateField(_("缴费日期"), null=True, blank=True, validators=[RECORD_DATE])

    withdrawn_on = DateField(_("撤回日期"), null=True, blank=True, validators=[RECORD_DATE])
    concluded_on = DateField(
        _("办结日期"),
        null=True,
        blank=True,
        help_text=_("答复书出具之日。"),
        validators=[RECORD_DATE],
    )
    result = models.CharField(_("办理结果"), max_length=32, choices=Result.choices, blank=True)
    reply_summary = models.TextField(_("答复摘要"), blank=True)

    # Derived by disclosure.services.request_recompute_clock whenever an event or the calendar
    # changes; stored so that lists filter and sort by them in SQL.
    due_date = DateField(_("答复期限"), null=True, blank=True, editable=False, db_index=True)
    base_due_date = DateField(_("延期前答复期限"), null=True, blank=True, editable=False)
    correction_notice_late = models.BooleanField(_("补正告知逾期"), default=False, editable=False)
    extension_late = models.BooleanField(_("延期决定晚于期限"), default=False, editable=False)
    calendar_warning = models.CharField(_("日历提示"), max_length=300, blank=True, editable=False)

    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True, editable=False)
    void_reason = models.CharField(_("作废原因"), max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "reference"], name="request_unique_reference"),
            models.CheckConstraint(
                condition=(Q(concluded_on__isnull=True) & Q(result=""))
                | (Q(concluded_on__isnull=False) & ~Q(result="")),
                name="request_result_iff_concluded",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("received_on")),
                name="request_concluded_after_received",
            ),
            models.CheckConstraint(
                condition=Q(correction_notice_on__isnull=True)
                | Q(correction_notice_on__gte=F("received_on")),
                name="request_correction_after_received",
            ),
            models.CheckConstraint(
                condition=Q(correction_received_on__isnull=True)
                | (
                    Q(correction_notice_on__isnull=False)
                    & Q(correction_received_on__gte=F("correction_notice_on"))
                ),
                name="request_correction_received_after_notice",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__isnull=True)
                | Q(extension_days__gte=1, extension_days__lte=20),
                name="request_extension_days_range",
            ),
            models.CheckConstraint(
                condition=Q(fee_amount__isnull=True) | Q(fee_amount__gte=0),
                name="request_fee_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | (Q(concluded_on=F("withdrawn_on")) & Q(result=Result.OTHER_OTHER)),
                name="request_withdrawal_concludes_other",
            ),
            date_ranges_check("request_dates_range", REQUEST_DATES),
        ]
        indexes = [
            models.Index(fields=["body", "received_on"]),
            models.Index(fields=["body", "concluded_on"]),
            models.Index(fields=["received_on"]),
            models.Index(fields=["concluded_on"]),
            # The open requests (a few percent) newest first, with their due date: the admin's
            # overdue and due-soon lists and their counts read only this index (benchmarks/).
            models.Index(
                fields=["-received_on", "-id", "due_date"],
                condition=Q(concluded_on__isnull=True, voided_at__isnull=True),
                name="request_open_recent_idx",
            ),
            # The worklist's concluded categories over the last 90 days (disclosure.worklist):
            # the active requests by conclusion date, with their id for the anti-joins of
            # "no reply on file" (an index-only scan instead of reading 80,000 rows of a
            # province), and the few whose extension was decided late.
            models.Index(
                fields=["concluded_on"],
                include=["id"],
                condition=Q(voided_at__isnull=True, withdrawn_on__isnull=True),
                name="request_concluded_active_idx",
            ),
            models.Index(
                fields=["concluded_on"],
                condition=Q(extension_late=True, voided_at__isnull=True),
                name="request_extension_late_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.concluded_on and not self.result:
            errors["result"] = _("已填写办结日期时必须选择办理结果。")
        if self.result and not self.concluded_on:
            errors["concluded_on"] = _("选择办理结果时必须填写办结日期。")
        if self.received_on and self.concluded_on and self.concluded_on < self.received_on:
            errors["concluded_on"] = _("办结日期不能早于收到申请日期。")
        if (
            self.received_on
            and self.correction_notice_on
            and self.correction_notice_on < self.received_on
        ):
            errors["correction_notice_on"] = _("补正告知日期不能早于收到申请日期。")
        if self.correction_received_on and not self.correction_notice_on:
            errors["correction_notice_on"] = _("填写补正收到日期前须先填写补正告知日期。")
        if (
            self.correction_received_on
            and self.correction_notice_on
            and self.correction_received_on < self.correction_notice_on
        ):
            errors["correction_received_on"] = _("补正收到日期不能早于补正告知日期。")
        if (
            self.correction_deadline
            and self.correction_notice_on
            and self.correction_deadline < self.correction_notice_on
        ):
            errors["correction_deadline"] = _("补正期限不能早于补正告知日期。")
        if self.extension_days and not self.extension_decided_on:
            errors["extension_decided_on"] = _("延期须填写批准日期。")
        if self.extension_decided_on and not self.extension_days:
            errors["extension_days"] = _("填写延期批准日期时须填写延期工作日数（1至20）。")
        if self.fee_notice_on and not self.fee_method:
            errors["fee_method"] = _("发出收费通知时须选择收费方式（按件或按量）。")
        if self.fee_paid_on and not self.fee_notice_on:
            errors["fee_notice_on"] = _("填写缴费日期前须先填写收费通知日期。")
        if self.fee_paid_on and self.fee_notice_on and self.fee_paid_on < self.fee_notice_on:
            errors["fee_paid_on"] = _("缴费日期不能早于收费通知日期。")
        if self.fee_due_on and self.fee_notice_on and self.fee_due_on < self.fee_notice_on:
            errors["fee_due_on"] = _("缴费期限不能早于收费通知日期。")
        if self.withdrawn_on:
            if self.received_on and self.withdrawn_on < self.received_on:
                errors["withdrawn_on"] = _("撤回日期不能早于收到申请日期。")
            if self.concluded_on and self.concluded_on != self.withdrawn_on:
                errors["concluded_on"] = _("申请撤回的，办结日期即撤回日期。")
            if self.result and self.result != Result.OTHER_OTHER:
                errors["result"] = _("申请撤回的，办理结果为“其他处理：其他”。")
        # The applicant may be new and not saved yet (an import creates it with its requests).
        if self.applicant is not None and self.applicant.kind != self.applicant_kind:
            errors["applicant_kind"] = _("申请人类型须与申请人档案一致。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def days_left_on(self, today: datetime.date) -> int | None:
        """Calendar days to the due date (negative when overdue); None once concluded."""
        if self.concluded_on or self.voided_at or not self.due_date:
            return None
        return (self.due_date - today).days


class RequestPartQuerySet(BodyScopedQuerySet):
    """Consultations and attachments: they belong to their request's body."""

    body_path = "request__body"


class Consultation(NulFreeModel):
    """征求意见 of a third party or another body; its working days do not count (第三十二条)."""

    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("申请"),
    )
    party = models.CharField(_("征求意见对象"), max_length=200)
    sent_on = DateField(_("征求意见开始日期"), validators=[RECORD_DATE])
    answered_on = DateField(
        _("征求意见结束日期"),
        null=True,
        blank=True,
        help_text=_("留空表示尚未答复：最长按15个工作日计算。"),
        validators=[RECORD_DATE],
    )

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["sent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("sent_on")),
                name="consultation_answer_after_sent",
            ),
            date_ranges_check(
                "consultation_dates_range", {"sent_on": RECORD_DATE, "answered_on": RECORD_DATE}
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} {self.sent_on}"

    def clean(self) -> None:
        if self.answered_on and self.sent_on and self.answered_on < self.sent_on:
            raise ValidationError({"answered_on": _("征求意见结束日期不能早于开始日期。")})
        # The request may be new and not saved yet (an import creates them together).
        request = self.request if self.request_id or Consultation.request.is_cached(self) else None
        if (
            request is not None
            and self.sent_on
            and request.received_on
            and self.sent_on < request.received_on
        ):
            raise ValidationError({"sent_on": _("征求意见开始日期不能早于收到申请日期。")})


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.request.body_id}/{instance.request_id}/{filename}"


class Attachment(NulFreeModel):
    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("申请"),
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path, validators=[validate_attachment])
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}"


class ReferenceCounter(NulFreeModel):
    """The last reference number handed out per body and year (locked row on allocation)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"
