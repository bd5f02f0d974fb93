from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.validators import NulFreeModel
from disclosure.vocab import CalendarDayKind

from .fields import DateField


class CalendarDay(NulFreeModel):
    """An administrator's entry that overrides the packaged holiday schedule for one date."""

    date = DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(
        _("名称"),
        max_length=50,
        blank=True,
        help_text=_("节日名称，如“春节”；调休上班日可填所属节日。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
