from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure.validators import (
    BODY_CODE_MAX_LENGTH,
    REGISTER_DATE,
    NulFreeModel,
    date_ranges_check,
    validate_body_code,
)
from disclosure.vocab import ROLE_RANK, BodyKind, Role

from .fields import DateField

# Each primary key in ``Body.path`` is written with this many digits, so that the path's text
# order is the tree's order: a parent before its subtree, siblings by primary key ("/…09/"
# before "/…10/", where "/9/" would sort after "/10/").
PATH_DIGITS = 10


def child_path(parent_path: str, pk: int) -> str:
    """The materialised path of body ``pk`` under the body whose path is ``parent_path``
    ("/" for a root): "/0000000001/0000000005/". The only place a path is written."""
    segment = f"{pk:0{PATH_DIGITS}d}"
    if len(segment) > PATH_DIGITS or pk < 1:
        raise ValueError(f"a body's primary key must have 1 to {PATH_DIGITS} digits: {pk}")
    return f"{parent_path}{segment}/"


class BodyQuerySet(models.QuerySet):
    def subtree_of(self, body: Body) -> BodyQuerySet:
        """The body and everything below it in the current tree: one indexed prefix query."""
        return self.filter(path__startswith=body.path)

    def with_role(self, user, role: str, *, memberships_only: bool = False) -> BodyQuerySet:
        """Bodies where the user holds at least ``role`` through a membership on the body or
        an ancestor; all of them for an active superuser (unless ``memberships_only``: then
        a superuser's memberships count as anyone's). The SQL of the role rule: the rest
        of the code asks ``disclosure.access`` (``bodies_with_role``, ``has_role_at``)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser and not memberships_only:
            return self.all()
        wanted = ROLE_RANK[Role(role)]
        paths = [
            path
            for path, held in Membership.objects.filter(user=user).values_list("body__path", "role")
            if ROLE_RANK[Role(held)] >= wanted
        ]
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def visible_to(self, user) -> BodyQuerySet:
        """The one visibility rule: a membership of any role reaches its body's subtree."""
        return self.with_role(user, Role.VIEW)

    def existing_between(self, start: datetime.date, end: datetime.date) -> BodyQuerySet:
        """Bodies that existed at some time from ``start`` to ``end`` (both inclusive)."""
        return self.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=end),
            Q(abolished_on__isnull=True) | Q(abolished_on__gte=start),
        )

    def existing_on(self, day: datetime.date) -> BodyQuerySet:
        return self.existing_between(day, day)


class BodyScopedQuerySet(models.QuerySet):
    """Rows that belong to a body, reached from the row through ``body_path``: every such
    record reads ``visible_to`` from here, so that one rule decides for all of them."""

    body_path = "body"

    def visible_to(self, user) -> BodyScopedQuerySet:
        """The rows of the bodies ``Body.objects.visible_to(user)`` returns (a subquery)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(**{f"{self.body_path}__in": Body.objects.visible_to(user)})


class Body(NulFreeModel):
    """An administrative body (机关). Never deleted: abolished on a date instead."""

    code = models.CharField(
        _("机构代码"),
        max_length=BODY_CODE_MAX_LENGTH,
        unique=True,
        validators=[validate_body_code],
    )
    name = models.CharField(_("机构名称"), max_length=200)
    kind = models.CharField(_("机构类型"), max_length=16, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys (``child_path``): subtree = one indexed prefix match.
    path = models.CharField(max_length=1000, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=12, blank=True)
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    website = models.CharField(_("网站"), max_length=300, blank=True)
    report_deadline_month = models.PositiveSmallIntegerField(
        _("年度报告截止月"),
        null=True,
        blank=True,
        help_text=_("法律未规定期限的机构（乡镇(街道)、其他）由本级政府确定，次年的月份。"),
    )
    report_deadline_day = models.PositiveSmallIntegerField(
        _("年度报告截止日"), null=True, blank=True
    )
    established_on = DateField(_("设立日期"), null=True, blank=True, validators=[REGISTER_DATE])
    abolished_on = DateField(_("撤销日期"), null=True, blank=True, validators=[REGISTER_DATE])
    successor = models.ForeignKey(
        "self",
        verbose_name=_("承继机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(abolished_on__gte=models.F("established_on")),
                name="body_abolished_after_established",
            ),
            models.CheckConstraint(
                condition=(
                    Q(report_deadline_month__isnull=True, report_deadline_day__isnull=True)
                    | Q(
                        report_deadline_month__gte=1,
                        report_deadline_month__lte=12,
                        report_deadline_day__gte=1,
                        report_deadline_day__lte=31,
                    )
                ),
                name="body_report_deadline_valid",
            ),
            date_ranges_check(
                "body_dates_range",
                {"established_on": REGISTER_DATE, "abolished_on": REGISTER_DATE},
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.abolished_on and self.established_on and self.abolished_on < self.established_on:
            raise ValidationError({"abolished_on": _("撤销日期不能早于设立日期。")})
        if (self.report_deadline_month is None) != (self.report_deadline_day is None):
            raise ValidationError(
                {"report_deadline_day": _("年度报告截止月和日须同时填写或同时留空。")}
            )
        if self.report_deadline_month:
            try:
                datetime.date(2001, self.report_deadline_month, self.report_deadline_day)
            except (ValueError, OverflowError):
                raise ValidationError(
                    {"report_deadline_day": _("年度报告截止日期不是有效日期。")}
                ) from None
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})
                ancestor = ancestor.parent
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("承继机构不能是本机构。")})

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def report_deadline(self, year: int) -> datetime.date | None:
        """The legal (or body-set) publication deadline of the report for ``year``."""
        if self.kind == BodyKind.DEPARTMENT:
            return datetime.date(year + 1, 1, 31)
        if self.kind == BodyKind.GOVERNMENT:
            return datetime.date(year + 1, 3, 31)
        if self.report_deadline_month and self.report_deadline_day:
            return datetime.date(year + 1, self.report_deadline_month, self.report_deadline_day)
        return None


class BodyMove(NulFreeModel):
    """A change of parent from a date (机构改革); lets the tree be read as it stood on any day."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="moves", verbose_name=_("机构")
    )
    old_parent = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("原上级机构"),
    )
    new_parent = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("新上级机构"),
    )
    moved_on = DateField(
        _("调整日期"), help_text=_("自该日起隶属新上级机构。"), validators=[REGISTER_DATE]
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("机构隶属调整")
        verbose_name_plural = _("机构隶属调整")
        ordering = ["moved_on", "pk"]
        indexes = [models.Index(fields=["moved_on"])]
        constraints = [date_ranges_check("body_move_date_range", {"moved_on": REGISTER_DATE})]

    def __str__(self) -> str:
        return f"{self.body} {self.moved_on}"


class Membership(NulFreeModel):
    """A user's role at a body; it reaches the body's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("用户"),
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("机构")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.VIEW)

    objects = BodyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "body"], name="membership_unique_user_body")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.body} · {self.get_role_display()}"
