"""Writes about logins, each with its audit row: a lockout and its lifting, and a user's
two-factor device enabled, disabled or removed by an administrator."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from disclosure.accounts.models import LoginFailure
from disclosure.accounts.selectors import confirmed_device, pending_device, requires_two_factor
from disclosure.models import AuditEntry
from disclosure.services import audit_record
from disclosure.vocab import AuditAction

DEVICE_NAME = "authenticator"


def _locked_subject(username: str | None, attempt: LoginFailure | None) -> models.Model | None:
    """What a lockout row is about: the account when the username names one, else the
    failure counter itself (a username that is no account, or an address)."""
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            return user
    return attempt


@transaction.atomic
def lockout_record(*, username: str | None, address: str | None, failures: int) -> AuditEntry:
    """The audit row of a lockout that has just begun (written by the system)."""
    attempt = (
        LoginFailure.objects.filter(username=username, ip_address=address)
        .order_by("-attempt_time")
        .first()
    )
    subject = _locked_subject(username, attempt)
    note = _(
        "登录连续失败 %(failures)s 次，已锁定：用户名 %(username)s，来源地址 %(address)s。"
    ) % {
        "failures": failures,
        "username": username or "-",
        "address": address or "-",
    }
    return audit_record(
        actor=None,
        obj=subject,
        action=AuditAction.LOGIN_LOCKOUT,
        changes={"username": username, "ip_address": address, "failures": failures},
        note=note,
    )


@transaction.atomic
def lockout_lift(*, actor, attempts: Iterable[LoginFailure]) -> int:
    """Lift the lockouts the given counters take part in: every failure counted against
    their usernames and against their addresses is cleared, one audit row per counter.
    Returns the number of counters removed."""
    attempts = sorted(attempts, key=lambda attempt: attempt.pk)
    if not attempts:
        return 0
    for attempt in attempts:
        audit_record(
            actor=actor,
            obj=_locked_subject(attempt.username, attempt),
            action=AuditAction.LOGIN_LOCKOUT_LIFT,
            changes={
                "username": attempt.username,
                "ip_address": attempt.ip_address,
                "failures": attempt.failures_since_start,
            },
            note=_("解除登录锁定：用户名 %(username)s，来源地址 %(address)s。")
            % {"username": attempt.username or "-", "address": attempt.ip_address or "-"},
        )
    usernames = {attempt.username for attempt in attempts if attempt.username}
    addresses = {attempt.ip_address for attempt in attempts if attempt.ip_address}
    removed, _per_model = LoginFailure.objects.filter(
        Q(username__in=usernames) | Q(ip_address__in=addresses)
    ).delete()
    return removed


WRONG_CODE = _lazy("验证码不正确或已过期，请输入验证器当前显示的 6 位数字。")


def _wrong_code() -> ValidationError:
    return ValidationError({"token": WRONG_CODE})


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """A new secret for the user's authenticator app, not yet in force: an unconfirmed
    device (replacing an earlier unconfirmed one) until ``totp_device_confirm``."""
    if confirmed_device(user) is not None:
        raise ValidationError(_("您的账号已启用两步验证。"))
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=False)
    device.full_clean()
    device.save()
    return device


def totp_device_confirm(*, user, token: str) -> TOTPDevice:
    """Put two-factor login in force once ``token`` shows the app holds the new secret.

    Not one transaction as a whole: a wrong code is refused *after* its commit, so that
    django-otp's throttle (each wrong code doubles the wait before the next) is kept."""
    with transaction.atomic():
        device = pending_device(user, for_update=True)
        if device is None:
            raise ValidationError(_("请先开始启用两步验证，再输入验证码。"))
        verified = device.verify_token((token or "").strip())
        if verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(
                actor=user, obj=user, action=AuditAction.TWO_FACTOR_ENABLE, note=_("启用两步验证。")
            )
    if not verified:
        raise _wrong_code()
    return device


def totp_device_delete(*, actor, device: TOTPDevice, token: str | None = None) -> None:
    """Disable two-factor login: by its owner with a current code (refused when it is
    required of them), or by a superuser for a user who lost their device. A wrong code is
    refused after its commit, as in ``totp_device_confirm``."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().select_related("user").get(pk=device.pk)
        owner = device.user
        if actor.pk == owner.pk:
            if requires_two_factor(owner):
                raise PermissionDenied(_("您的账号必须使用两步验证，不能停用。"))
            verified = device.verify_token((token or "").strip())
            action, note = AuditAction.TWO_FACTOR_DISABLE, _("停用两步验证。")
        elif actor.is_superuser:
            verified = True
            action, note = (
                AuditAction.TWO_FACTOR_REMOVE,
                _("管理员移除两步验证设备，该用户须重新启用。"),
            )
        else:
            raise PermissionDenied(_("只有超级管理员才能移除其他用户的两步验证设备。"))
        if verified:
            device.delete()
            audit_record(actor=actor, obj=owner, action=action, note=note)
    if not verified:
        raise _wrong_code()


# --- users, groups and API tokens ----------------------------------------------------------
#
# A user who acted is never deleted (the audit trail keeps them by key): deactivated instead.
# Each write below leaves one row naming what changed, in Chinese labels, in its transaction.

USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _user_values(user) -> dict[str, object]:
    values = {name: getattr(user, name) for name in USER_FIELDS}
    if user.pk is not None:
        values["groups"] = sorted(user.groups.values_list("name", flat=True))
        values["user_permissions"] = sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
    else:
        values["groups"], values["user_permissions"] = [], []
    return values


def _diff(old: dict | None, new: dict) -> dict[str, list]:
    if old is None:
        return {name: [None, value] for name, value in new.items() if value}
    return {name: [old.get(name), value] for name, value in new.items() if old.get(name) != value}


@transaction.atomic
def user_save(*, actor, user, groups: Iterable | None = None, permissions: Iterable | None = None):
    """Create or change a user with their groups and permissions (None: left as they are).
    The row names the fields, groups and permissions that changed; deactivation and
    reactivation are rows of their own kind. A password set here (a new user's) is noted,
    never written into the row."""
    User = get_user_model()
    stored = User.objects.filter(pk=user.pk).first() if user.pk is not None else None
    old = _user_values(stored) if stored is not None else None
    user.full_clean(exclude=["password"])
    user.save()
    if groups is not None:
        user.groups.set(groups)
    if permissions is not None:
        user.user_permissions.set(permissions)
    changes = _diff(old, _user_values(user))
    password_changed = stored is not None and stored.password != user.password
    if old is not None and not changes and not password_changed:
        return user
    if old is None:
        action = AuditAction.USER_CREATE
    elif changes.get("is_active") == [True, False]:
        action = AuditAction.USER_DEACTIVATE
    elif changes.get("is_active") == [False, True]:
        action = AuditAction.USER_ACTIVATE
    else:
        action = AuditAction.USER_CHANGE
    note = _("密码已修改。") if password_changed else ""
    audit_record(actor=actor, obj=user, action=action, changes=changes, note=note)
    return user


@transaction.atomic
def user_deactivate(*, actor, user):
    """The product's deletion of a user: the account can no longer log in or use its API
    token, and everything it did keeps its name. Refused for the actor's own account."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    if not user.is_active:
        return user
    user.is_active = False
    return user_save(actor=actor, user=user)


@transaction.atomic
def user_password_set(*, actor, user, password: str | None):
    """Set (``None``: disable) a user's password, by the user or an administrator; the row
    says who changed whose password, never the password."""
    if password is None:
        user.set_unusable_password()
        note = _("停用密码登录。")
    else:
        user.set_password(password)
        note = (
            _("本人修改密码。")
            if actor is not None and actor.pk == user.pk
            else _("管理员重设密码。")
        )
    user.save(update_fields=["password"])
    audit_record(actor=actor, obj=user, action=AuditAction.PASSWORD_CHANGE, note=note)
    return user


def _group_values(group) -> dict[str, object]:
    permissions = []
    if group.pk is not None:
        permissions = sorted(
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
    return {"name": group.name, "permissions": permissions}


@transaction.atomic
def group_save(*, actor, group, permissions: Iterable | None = None):
    """Create or change a permission group; the row names the permissions given or taken."""
    Group = type(group)
    stored = Group.objects.filter(pk=group.pk).first() if group.pk is not None else None
    old = _group_values(stored) if stored is not None else None
    group.full_clean()
    group.save()
    if permissions is not None:
        group.permissions.set(permissions)
    changes = _diff(old, _group_values(group))
    if old is not None and not changes:
        return group
    action = AuditAction.GROUP_CREATE if old is None else AuditAction.GROUP_CHANGE
    audit_record(actor=actor, obj=group, action=action, changes=changes)
    return group


@transaction.atomic
def group_delete(*, actor, group) -> None:
    """Delete a group (its members lose its permissions); the row keeps its name and
    permissions."""
    audit_record(
        actor=actor,
        obj=group,
        action=AuditAction.GROUP_DELETE,
        changes=_diff(_group_values(group), {"name": None, "permissions": None}),
    )
    group.delete()


@transaction.atomic
def token_create(*, actor, user):
    """A new API token for ``user`` (a user has at most one: an existing one is replaced,
    its revocation audited first)."""
    for token in Token.objects.filter(user=user):
        token_delete(actor=actor, token=token)
    token = Token.objects.create(user=user)
    audit_record(
        actor=actor,
        obj=user,
        action=AuditAction.TOKEN_CREATE,
        note=_("为用户 %(username)s 签发接口令牌（%(prefix)s…）。")
        % {"username": user.get_username(), "prefix": token.key[:6]},
    )
    return token


@transaction.atomic
def token_delete(*, actor, token) -> None:
    """Revoke an API token: requests with it answer 401 from now on."""
    audit_record(
        actor=actor,
        obj=token.user,
        action=AuditAction.TOKEN_DELETE,
        note=_("吊销用户 %(username)s 的接口令牌（%(prefix)s…）。")
        % {"username": token.user.get_username(), "prefix": token.key[:6]},
    )
    token.delete()
