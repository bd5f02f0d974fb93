"""Letters of a request (政府信息公开文书): the body's letter settings, the request's facts
that letters need and records lack, templates (versioned), the per-body-and-year number
counter, and the letters themselves from draft to service."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure.letters.vocab import LetterFormat, LetterKind, LetterState, ServiceMethod
from disclosure.models import Body, BodyScopedQuerySet, InformationRequest
from disclosure.models.fields import DateField
from disclosure.models.requests import RequestPartQuerySet
from disclosure.validators import (
    DEADLINE_DATE,
    LETTER_PREFIX_MAX_LENGTH,
    RECORD_DATE,
    NulFreeModel,
    date_ranges_check,
    validate_letter_prefix,
)
from disclosure.vocab import Result


class LetterSettings(NulFreeModel):
    """A body's settings for letters, kept by its own publishers (审核发布)."""

    body = models.OneToOneField(
        Body,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="letter_settings",
        verbose_name=_("机构"),
    )
    review_authority = models.CharField(
        _("行政复议机关"),
        max_length=200,
        blank=True,
        help_text=_("答复告知书的救济途径写明的复议机关；县级政府部门通常为本级人民政府。"),
    )
    court = models.CharField(
        _("管辖人民法院"),
        max_length=200,
        blank=True,
        help_text=_("答复告知书的救济途径写明的人民法院，如“武威市凉州区人民法院”。"),
    )
    letter_prefix = models.CharField(
        _("文书文号前缀"),
        max_length=LETTER_PREFIX_MAX_LENGTH,
        blank=True,
        validators=[validate_letter_prefix],
        help_text=_("如“凉政信告”，签发时生成文号“凉政信告〔2026〕12号”。"),
    )
    letterhead = models.CharField(
        _("文书落款机关名称"),
        max_length=200,
        blank=True,
        help_text=_("留空则使用机构名称。"),
    )
    contact = models.CharField(
        _("联系方式"),
        max_length=300,
        blank=True,
        help_text=_(
            "印在文书末尾，如“联系人：张某，电话：0935-1234567”；留空则使用机构的地址和电话。"
        ),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = BodyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书设置")
        verbose_name_plural = _("文书设置")

    def __str__(self) -> str:
        return str(self.body)


class RequestLetterFacts(NulFreeModel):
    """What the letters of a request need and the records lack (spec: "Draft")."""

    request = models.OneToOneField(
        InformationRequest,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="letter_facts",
        verbose_name=_("申请"),
    )
    correction_items = models.TextField(_("补正事项"), blank=True)
    published_location = models.CharField(
        _("已公开信息的获取途径"),
        max_length=500,
        blank=True,
        help_text=_("已主动公开或属于公开出版物的，写明可以从何处获取（网址、栏目、出版物名称）。"),
    )
    provision_method = models.CharField(
        _("提供方式"),
        max_length=300,
        blank=True,
        help_text=_("予以公开的信息如何提供，如“随本告知书附送纸质复印件”“通过电子邮件发送”。"),
    )
    withheld_result = models.CharField(
        _("不予公开部分的理由"),
        max_length=32,
        blank=True,
        choices=[
            (key, label)
            for key, label in Result.choices
            if key
            in (
                Result.DENIED_STATE_SECRET,
                Result.DENIED_LAW_PROHIBITED,
                Result.DENIED_THREE_SAFETIES,
                Result.DENIED_THIRD_PARTY,
                Result.DENIED_INTERNAL_AFFAIRS,
                Result.DENIED_PROCESS_INFO,
                Result.DENIED_ENFORCEMENT_FILE,
            )
        ],
        help_text=_("部分公开的，不予公开部分所依据的情形。"),
    )
    responsible_body = models.CharField(
        _("负责公开的行政机关"),
        max_length=200,
        blank=True,
        help_text=_("《条例》第三十六条第（五）项：本机关不负责公开、能够确定负责机关的。"),
    )
    responsible_contact = models.CharField(_("负责机关联系方式"), max_length=300, blank=True)
    earlier_reply_number = models.CharField(
        _("此前答复的文号"), max_length=100, blank=True, help_text=_("重复申请时引用。")
    )
    petition_channel = models.CharField(
        _("信访举报投诉渠道"),
        max_length=500,
        blank=True,
        help_text=_("信访举报投诉类申请，告知申请人应当通过的渠道。"),
    )
    query_channel = models.CharField(
        _("专门查询途径"),
        max_length=500,
        blank=True,
        help_text=_("行政查询事项：规定了查询途径的法律、行政法规及查询办法。"),
    )
    consultation_matter = models.TextField(_("征求意见事项"), blank=True)
    disclosure_matter = models.TextField(
        _("拟公开的内容"), blank=True, help_text=_("第三方不同意公开而决定公开的内容。")
    )
    disclosure_reason = models.TextField(
        _("决定公开的理由"), blank=True, help_text=_("如：不公开可能对公共利益造成重大影响。")
    )
    fee_payment = models.CharField(
        _("缴费方式"), max_length=300, blank=True, help_text=_("如缴费账户、地点或网上缴费途径。")
    )
    explain_by = DateField(_("说明理由期限"), null=True, blank=True, validators=[DEADLINE_DATE])
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书事项")
        verbose_name_plural = _("文书事项")
        constraints = [date_ranges_check("letter_facts_dates_range", {"explain_by": DEADLINE_DATE})]

    def __str__(self) -> str:
        return str(self.request)


class ResultRule(NulFreeModel):
    """A body's own legal basis and remedies text for one result of a reply: the basis of a
    result the spec leaves without one, or wording the body's publisher adjusted."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="letter_result_rules", verbose_name=_("机构")
    )
    result = models.CharField(_("办理结果"), max_length=32, choices=Result.choices)
    basis = models.CharField(
        _("法律依据"),
        max_length=500,
        blank=True,
        help_text=_(
            "写明所引用的法律条文，如“《中华人民共和国政府信息公开条例》第三十九条第二款”；"
            "留空则使用全国默认依据。"
        ),
    )
    remedies = models.TextField(
        _("救济途径"),
        blank=True,
        help_text=_(
            "留空则使用全国默认文本。可用占位符：{review_authority}（行政复议机关）、{court}"
            "（管辖人民法院）。"
        ),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = BodyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("答复依据与救济途径")
        verbose_name_plural = _("答复依据与救济途径")
        ordering = ["body", "result"]
        constraints = [
            models.UniqueConstraint(fields=["body", "result"], name="letter_result_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.get_result_display()}"

    def clean(self) -> None:
        # The wording rules are the letters' (imported here: they read the models' vocab).
        from disclosure.letters.content import result_rule_problems

        errors = result_rule_problems(self.result, basis=self.basis, remedies=self.remedies)
        if errors:
            raise ValidationError(errors)


class LetterTemplate(NulFreeModel):
    """The text of a kind of letter, national (no body) or a body's own. Never changed: an
    edit saves the next version, and every letter records the version it was drafted from."""

    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letter_templates",
        verbose_name=_("机构"),
        help_text=_("留空为全国默认模板。"),
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=LetterKind.choices)
    version = models.PositiveIntegerField(_("版本"), editable=False)
    title = models.CharField(_("文书标题"), max_length=100)
    text = models.TextField(
        _("正文"),
        help_text=_("每行一段。占位符写在花括号中，如 {applicant}；字面花括号写成 {{ 和 }}。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("修改人"),
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["body", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "version"], name="letter_template_version_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "version"],
                condition=Q(body__isnull=True),
                name="letter_template_national_version_unique",
            ),
        ]

    def __str__(self) -> str:
        owner = self.body.name if self.body_id else _("全国默认")
        return f"{owner} · {self.get_kind_display()} · v{self.version}"

    def clean(self) -> None:
        from disclosure.letters.content import template_problems

        problems = template_problems(self.kind, self.text)
        if problems:
            raise ValidationError({"text": problems})


class LetterCounter(NulFreeModel):
    """The last letter number handed out per body and year (locked row on issuing)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="letter_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"


class LetterQuerySet(BodyScopedQuerySet):
    def issued(self) -> LetterQuerySet:
        return self.exclude(state=LetterState.DRAFT)


def letter_path(instance: Letter, filename: str) -> str:
    return f"letters/{instance.body_id}/{instance.request_id}/{filename}"


class Letter(NulFreeModel):
    """One letter of a request: drafted (草稿, may hold marked blanks), issued (签发: numbered
    and frozen), served (送达: date, method, receiver)."""

    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("申请"),
    )
    # The request's body, kept on the letter: numbers are unique per body and year.
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="letters", verbose_name=_("机构")
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=LetterKind.choices)
    state = models.CharField(
        _("状态"), max_length=16, choices=LetterState.choices, default=LetterState.DRAFT
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="letters", verbose_name=_("模板版本")
    )
    addressee = models.CharField(_("收件人"), max_length=200, blank=True)
    content = models.JSONField(_("文书内容"), default=dict, editable=False)
    blanks = models.JSONField(_("待填写事项"), default=list, blank=True, editable=False)
    served_letter = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_receipts",
        verbose_name=_("送达的文书"),
    )

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("起草人"),
    )
    drafter_name = models.CharField(_("起草人"), max_length=150, blank=True)
    drafted_at = models.DateTimeField(_("起草时间"), auto_now_add=True)

    year = models.PositiveSmallIntegerField(_("文号年份"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("文号序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("签发人"),
    )
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    pdf = models.FileField(_("PDF 文件"), upload_to=letter_path, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    docx = models.FileField(_("Word 文件"), upload_to=letter_path, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    served_on = DateField(_("送达日期"), null=True, blank=True, validators=[RECORD_DATE])
    service_method = models.CharField(
        _("送达方式"), max_length=16, choices=ServiceMethod.choices, blank=True
    )
    tracking_number = models.CharField(_("邮件单号"), max_length=64, blank=True)
    receiver = models.CharField(_("签收人"), max_length=200, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("送达登记人"),
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["-drafted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="letter_number_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=LetterState.DRAFT, sequence__isnull=True, number="")
                    | (
                        ~Q(state=LetterState.DRAFT)
                        & Q(sequence__isnull=False, year__isnull=False, issued_at__isnull=False)
                        & ~Q(number="")
                    )
                ),
                name="letter_number_iff_issued",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=LetterState.SERVED, served_on__isnull=False) & ~Q(service_method="")
                )
                | (~Q(state=LetterState.SERVED) & Q(served_on__isnull=True, service_method="")),
                name="letter_service_iff_served",
            ),
            models.CheckConstraint(
                condition=~Q(service_method=ServiceMethod.POST) | ~Q(tracking_number=""),
                name="letter_post_has_tracking_number",
            ),
            date_ranges_check("letter_dates_range", {"served_on": RECORD_DATE}),
        ]
        indexes = [models.Index(fields=["request", "kind", "state"])]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} {self.number}" if self.number else f"{label}（{self.get_state_display()}）"

    @property
    def is_draft(self) -> bool:
        return self.state == LetterState.DRAFT

    def file_for(self, fmt: str):
        return self.pdf if fmt == LetterFormat.PDF else self.docx
