"""The audit trail as an official reads it: each change of an ``AuditEntry`` as a line with
the field's label, the values as the forms show them (choice labels, yes/no, local times)
and related records by name — not ``result → granted`` or ``body → 11``. Every page that
shows the trail (the history pages, the audit list and its detail page) uses
``change_lines``; labels follow the active language.

``AuditEntry.changes`` maps a field name to ``[before, after]`` (a new record: ``[None,
value]``), as ``disclosure.services`` writes it; a key that is not a field of the record is
shown as written, and a value that is not a pair as the value after. Lines follow the order
of the record's fields.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import AuditEntry
from disclosure.vocab import AuditAction

EMPTY = "—"


# Actions that bring a record into being: their lines have no value before.
CREATIONS = {
    AuditAction.CREATE,
    AuditAction.REPORT_DRAFT,
    AuditAction.REPORT_IMPORT,
    AuditAction.REPORT_PUBLISH,
}


@dataclass(frozen=True)
class ChangeLine:
    """One changed field: its label and the values before and after, as text (``before``
    is empty where the record had no value before: a creation)."""

    label: str
    before: str
    after: str


def _pairs(changes) -> list[tuple[str, object, object]]:
    """(key, before, after) of an entry's ``changes`` in their stored order."""
    if not isinstance(changes, dict):
        return [("", None, changes)] if changes else []
    pairs = []
    for key, change in changes.items():
        if isinstance(change, list | tuple) and len(change) == 2:
            before, after = change
        else:
            before, after = None, change
        pairs.append((str(key), before, after))
    return pairs


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None or not name:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None


def _field_order(model: type[models.Model] | None):
    """Lines in the order of the record's fields (as its form shows them; PostgreSQL does
    not keep a JSON object's key order), keys that are not fields after them."""
    order = {} if model is None else {f.name: i for i, f in enumerate(model._meta.concrete_fields)}
    return lambda row: order.get(row[0], len(order))


def _related_id(value) -> int | str | None:
    """A stored foreign key value, or None when it is not one (an older row may hold a
    code instead of a primary key)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _names(wanted: dict[type[models.Model], set]) -> dict[type[models.Model], dict]:
    """The records named on a page, one query per kind of record."""
    return {model: model._base_manager.in_bulk(sorted(ids)) for model, ids in wanted.items() if ids}


def _datetime_text(value: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _text(field: models.Field | None, value, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if field is None:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)
    if field.is_relation:
        related_id = _related_id(value)
        if related_id is None:
            return str(value)
        record = names.get(field.related_model, {}).get(related_id)
        return str(record) if record is not None else _("编号%(id)s（已不存在）") % {"id": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _datetime_text(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_lines(entries: Iterable[AuditEntry]) -> dict[int, list[ChangeLine]]:
    """The readable lines of each entry's changes, by the entry's primary key. The entries'
    ``content_type`` should be selected with them; related records named by the changes are
    read with one query per kind of record."""
    entries = list(entries)
    parsed = []
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        rows = []
        for key, before, after in _pairs(entry.changes):
            field = _field(model, key)
            if field is not None and field.is_relation:
                for value in (before, after):
                    related_id = _related_id(value)
                    if related_id is not None:
                        wanted[field.related_model].add(related_id)
            rows.append((key, field, before, after))
        parsed.append((entry, entry.action in CREATIONS, sorted(rows, key=_field_order(model))))
    names = _names(wanted)
    return {
        entry.pk: [
            ChangeLine(
                label=str(field.verbose_name) if field is not None else key,
                before="" if created else _text(field, before, names),
                after=_text(field, after, names),
            )
            for key, field, before, after in rows
        ]
        for entry, created, rows in parsed
    }
