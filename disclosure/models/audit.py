from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from disclosure.validators import NulFreeModel
from disclosure.vocab import AuditAction

# The username column of a row written by a command run without ``--user``: the account of
# the operating system that ran it, e.g. "os:root" (``disclosure.services.os_account``).
OS_ACCOUNT_PREFIX = "os:"

ERASURE_REFUSED = _("操作记录不能修改或删除。")


class AuditEntryQuerySet(models.QuerySet):
    """The trail only grows: a bulk update or delete through the ORM is refused as well
    (PostgreSQL refuses it again in a trigger, whatever the client)."""

    def update(self, **kwargs):
        raise PermissionDenied(gettext(ERASURE_REFUSED))

    def delete(self):
        raise PermissionDenied(gettext(ERASURE_REFUSED))

    _raw_delete = delete


class AuditEntry(NulFreeModel):
    """Who changed what and when; written in the same transaction as the change, never
    changed or deleted afterwards.

    The actor is kept twice: as a foreign key (``PROTECT``: a user who acted is deactivated,
    never deleted) and as the username and full name at the time of the change, so that the
    row says who acted even read from a backup without the users table."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_username = models.CharField(
        _("操作人用户名"),
        max_length=160,
        blank=True,
        help_text=_("“os:”开头：在服务器上运行命令的操作系统账户。"),
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=300, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("对象类型")
    )
    object_id = models.CharField(_("对象"), max_length=64)
    object_repr = models.CharField(_("对象名称"), max_length=300)
    action = models.CharField(_("操作"), max_length=40, choices=AuditAction.choices)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionDenied(gettext(ERASURE_REFUSED))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(gettext(ERASURE_REFUSED))

    @property
    def actor_display(self) -> str:
        """Who acted, as the trail shows it: “张三（zhangsan）”, “操作系统账户 root”, or
        “系统” for the product itself (a background job, a scheduled task)."""
        username = self.actor_username
        if username.startswith(OS_ACCOUNT_PREFIX):
            return gettext("操作系统账户 %(name)s") % {"name": username[len(OS_ACCOUNT_PREFIX) :]}
        if username:
            return f"{self.actor_name}（{username}）" if self.actor_name else username
        if self.actor_id is not None:  # a row written before the names were kept
            return self.actor.get_username()
        return gettext("系统")
