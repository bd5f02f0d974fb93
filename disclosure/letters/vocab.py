"""The vocabularies of letters (``../shared/spec/letters.md``): kinds, states, how a letter
is served."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", _("受理回执")
    CORRECTION = "correction", _("补正告知书")
    EXTENSION = "extension", _("延期答复告知书")
    CONSULTATION_THIRD_PARTY = "consultation_third_party", _("征求意见书（第三方）")
    CONSULTATION_BODY = "consultation_body", _("征求意见书（其他机关）")
    FEE_NOTICE = "fee_notice", _("收费通知书")
    REPLY = "reply", _("答复告知书")
    SERVICE_RECEIPT = "service_receipt", _("送达回证")
    THIRD_PARTY_DECISION = "third_party_decision", _("第三方公开决定告知书")
    EXPLAIN_REASONS = "explain_reasons", _("说明理由通知书")


# Letters addressed to the party consulted rather than to the applicant.
TO_CONSULTED_PARTY = frozenset(
    {
        LetterKind.CONSULTATION_THIRD_PARTY,
        LetterKind.CONSULTATION_BODY,
        LetterKind.THIRD_PARTY_DECISION,
    }
)


class LetterState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已签发")
    SERVED = "served", _("已送达")


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    ONLINE = "online", _("网上")


class LetterFormat(models.TextChoices):
    PDF = "pdf", _("PDF 文件")
    DOCX = "docx", _("Word 文件")
