"""Stale edits refused: one mechanism for the admin's change forms and the API's writes.

A record's version is a digest of its stored row (every concrete field), so any saved change
— through any entry point, ``updated_at`` or not — gives a new version. The API sends it as
the ``ETag`` of every single record and takes it back in ``If-Match``; the admin's change
form carries it in a hidden field (``SEEN_VERSION``). A write that names a version other than
the stored one is refused, nothing is overwritten, and the refusal names who last changed
the record and when (from the audit trail). A write without a version is accepted as before.

``require_version`` locks the row (``SELECT … FOR UPDATE`` on PostgreSQL) for the rest of
the caller's transaction, so that no save slips in between the check and the write.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import AuditEntry

SEEN_VERSION = "_seen_version"
"""The name of the admin's hidden field with the version the user opened."""


class StaleEdit(Exception):
    """The record changed since the user read it; ``str()`` is the Chinese message."""


def _plain(value: object) -> object:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def version_of(instance: models.Model) -> str:
    """The version of ``instance`` as loaded from the database: 20 hex digits of the
    SHA-256 of its concrete fields. (Read it from a row as stored, not from an instance
    changed in memory: a decimal or a date typed in memory may differ from its stored
    form.)"""
    values = {
        field.attname: _plain(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
    }
    encoded = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()[:20]


def stored_version(model: type[models.Model], pk) -> str | None:
    """The version of the row ``pk`` as stored now; None when there is none."""
    stored = model._base_manager.filter(pk=pk).first()
    return None if stored is None else version_of(stored)


def etag(version: str) -> str:
    """A version as a strong HTTP entity tag."""
    return f'"{version}"'


def versions_in(header: str | None) -> list[str] | None:
    """The versions an ``If-Match`` header names (``*``: any, as an empty list); None when
    there is no header."""
    if header is None or not header.strip():
        return None
    if header.strip() == "*":
        return []
    return [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",") if tag.strip()]


def last_change(model: type[models.Model], pk) -> AuditEntry | None:
    """The latest audit row of the record: who changed it last, and when."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        )
        .order_by("-at", "-pk")
        .first()
    )


def stale_message(model: type[models.Model], pk) -> str:
    """The refusal of a stale write, naming who last changed the record and when."""
    entry = last_change(model, pk)
    if entry is None:
        return _(
            "该记录在您打开之后已被修改，您的修改没有保存。请重新打开记录，核对最新内容后再修改。"
        )
    return _(
        "该记录在您打开之后已被 %(who)s 于 %(when)s 修改，您的修改没有保存，以免覆盖对方的修改。"
        "请重新打开记录，核对最新内容后再修改。"
    ) % {
        "who": entry.actor_display,
        "when": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
    }


def require_version(model: type[models.Model], pk, seen: list[str] | str | None) -> None:
    """Raise ``StaleEdit`` unless the stored row ``pk`` is at a version in ``seen`` (a
    version, or the versions of an ``If-Match``; None or an empty list: any version). Locks
    the row for the rest of the transaction."""
    if seen is None or seen == []:
        return
    wanted = [seen] if isinstance(seen, str) else seen
    stored = model._base_manager.select_for_update().filter(pk=pk).first()
    if stored is None or version_of(stored) not in wanted:
        raise StaleEdit(stale_message(model, pk))
