"""What the casework tools record: who opened an applicant's full record, and which daily
reminders went out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.validators import DEADLINE_DATE, NulFreeModel, date_ranges_check
from disclosure.vocab import AccessPage

from .bodies import Body, BodyScopedQuerySet
from .fields import DateField
from .requests import Applicant, InformationRequest


class ApplicantAccessQuerySet(BodyScopedQuerySet):
    """Access rows belong to the body whose request the applicant was opened through."""


class ApplicantAccess(NulFreeModel):
    """One opening of an applicant's full record (name, ID number and contact in clear):
    who, when, which applicant, through which request and body. 个人信息保护法 asks the body to
    know who saw whom; the body's publishers read the rows in the admin. Written by
    ``services.applicant_access_record``; never changed."""

    # A log in its own right, not a record whose changes the audit trail follows.
    audited = False

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("查看人"),
    )
    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="accesses", verbose_name=_("申请人")
    )
    request = models.ForeignKey(
        InformationRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("申请"),
    )
    # The body whose 录入 or 审核发布 role let the user see the applicant; empty for an
    # applicant the user entered and no request names yet.
    body = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("机构"),
    )
    page = models.CharField(_("查看途径"), max_length=40, choices=AccessPage.choices)

    objects = ApplicantAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("申请人信息查看记录")
        verbose_name_plural = _("申请人信息查看记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["applicant", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} · {self.applicant}"


class ReminderSent(NulFreeModel):
    """A day's reminder digest sent to one user (``send_reminders``): one per user and day,
    so that a second run of the same day sends nothing."""

    # A log in its own right, not a record whose changes the audit trail follows.
    audited = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("收件人"),
    )
    date = DateField(_("提醒日期"), validators=[DEADLINE_DATE])
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    email = models.CharField(_("电子邮箱"), max_length=254)
    overdue = models.PositiveIntegerField(_("逾期件数"), default=0)
    due_soon = models.PositiveIntegerField(_("即将到期件数"), default=0)
    correction_lapsed = models.PositiveIntegerField(_("补正逾期件数"), default=0)

    class Meta:
        verbose_name = _("期限提醒邮件")
        verbose_name_plural = _("期限提醒邮件")
        ordering = ["-date", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="reminder_once_per_user_day"),
            date_ranges_check("reminder_date_range", {"date": DEADLINE_DATE}),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.user}"
