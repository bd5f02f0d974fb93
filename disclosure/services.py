"""Every write to the records. Admin actions, API views, imports and commands call these.

Each service takes keyword arguments, runs in one transaction, validates with
``full_clean()`` before saving (refusals are ``ValidationError`` with Chinese messages keyed by
field, and leave the database as it was), and leaves an ``AuditEntry`` in the same
transaction naming the actor and the field-level change ``{field: [old, new]}``.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import getpass
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import attrgetter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import F, Prefetch, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.access import (
    BODY_CONTACT_FIELDS,
    BODY_MASTER_FIELDS,
    IDENTITY_MASKS,
    require_body_change,
)
from disclosure.bulk import create_many, insert_many
from disclosure.calendar import WorkingCalendar
from disclosure.clock import CLOCK_FIELDS, stored_clock

# A module reference: jobs audit their state changes through this module.
from disclosure.jobs import services as jobs
from disclosure.models import (
    AppealCase,
    Applicant,
    ApplicantAccess,
    AuditEntry,
    Body,
    BodyMove,
    CalendarDay,
    Consultation,
    Document,
    InformationRequest,
    Membership,
    ReferenceCounter,
    YearlyFigure,
    child_path,
)
from disclosure.models.audit import OS_ACCOUNT_PREFIX
from disclosure.selectors import applicant_requests_in_month
from disclosure.vocab import AccessPage, AuditAction, Result

# Bookkeeping timestamps change on every save and say nothing the audit row does not.
_UNAUDITED = {"created_at", "updated_at", "uploaded_at", "recorded_at"}
# Personal data is kept out of the trail in clear (the trail is shown to more people).
_MASKED = {Applicant: IDENTITY_MASKS}


# --- the audit trail ---------------------------------------------------------------------


def _json_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date):  # datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value)


_PLAIN = frozenset({type(None), bool, int, float, str})


def _values(instance: models.Model) -> dict[str, object]:
    """The audited fields of an instance as JSON values (foreign keys as primary keys)."""
    names, read, quanta = _audited_fields(type(instance))
    values = dict(zip(names, read(instance), strict=True))
    if _PLAIN.issuperset(map(type, values.values())):  # most rows: imports read many
        return values
    for name, value in values.items():
        if value.__class__ in _PLAIN:
            continue
        quantum = quanta.get(name)
        if quantum is not None and isinstance(value, Decimal):
            # 3 and 3.0000 are the same figure: compare at the field's precision.
            value = value.quantize(quantum)
        values[name] = _json_value(value)
    return values


@functools.cache
def _audited_fields(
    model: type[models.Model],
) -> tuple[tuple[str, ...], Callable[[models.Model], tuple], dict[str, Decimal]]:
    """What ``_values`` reads: the audited fields' names, a reader of their attributes (one
    call for all), and the decimal precision of each DecimalField."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key or field.name in _UNAUDITED)
    ]
    getter = attrgetter(*(field.attname for field in fields))
    read = getter if len(fields) > 1 else (lambda instance: (getter(instance),))
    quanta = {
        field.name: Decimal(1).scaleb(-field.decimal_places)
        for field in fields
        if isinstance(field, models.DecimalField)
    }
    return tuple(field.name for field in fields), read, quanta


def _stored_values(instance: models.Model) -> dict[str, object] | None:
    """The instance's row as stored now; None for a new instance."""
    if instance._state.adding or instance.pk is None:
        return None
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    return None if stored is None else _values(stored)


def _changes(
    model: type[models.Model], old: dict[str, object] | None, new: dict[str, object]
) -> dict[str, list[object]]:
    """``{field: [old, new]}`` for the fields that differ (for a new record: those set)."""
    if old is None:
        # The values are JSON values (``_values``): falsy exactly when None, "", False or 0.
        diff = {name: [None, value] for name, value in new.items() if value}
    else:
        diff = {
            name: [old.get(name), value] for name, value in new.items() if old.get(name) != value
        }
    masks = _MASKED.get(model, {})
    for name, mask in masks.items():
        if name in diff:
            diff[name] = [mask(value) if value else value for value in diff[name]]
    return diff


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# The operating-system account a command runs as, while it runs without a user (``os_account``).
_os_account: ContextVar[str] = ContextVar("os_account", default="")


@contextmanager
def os_account() -> Iterator[str]:
    """Inside this block, rows written without a user name the operating-system account
    that runs the process (``getpass.getuser()``) as their actor: a command run on the
    server without ``--user`` (``import_records``, ``load_demo``, …) is still somebody's."""
    account = getpass.getuser()
    token = _os_account.set(account)
    try:
        yield account
    finally:
        _os_account.reset(token)


def as_os_account(handle):
    """A management command's ``handle`` run within ``os_account``: what it writes without a
    user names the operating-system account that ran it."""

    @functools.wraps(handle)
    def run(*args, **kwargs):
        with os_account():
            return handle(*args, **kwargs)

    return run


def full_name(user) -> str:
    """A user's name as Chinese writes it — family name first, no space (王 + 小明 → 王小明);
    a name in Latin letters as Django writes it (Ada Lovelace)."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if (first + last).isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"


def actor_columns(actor) -> dict[str, object]:
    """The actor columns of an audit row: the user (kept by key, username and name, so that
    the row names them whatever becomes of the account), else the operating-system account
    of a command (``os_account``), else nobody: the product itself."""
    actor = _actor(actor)
    if actor is None:
        account = _os_account.get()
        return {
            "actor_id": None,
            "actor_username": f"{OS_ACCOUNT_PREFIX}{account}" if account else "",
            "actor_name": "",
        }
    return {
        "actor_id": actor.pk,
        "actor_username": actor.get_username(),
        "actor_name": full_name(actor)[:300],
    }


def audit_row(
    *,
    who: dict[str, object],
    obj: models.Model,
    action: str,
    changes: dict | None = None,
    note: str = "",
) -> dict[str, object]:
    """The values of one row of the trail for ``obj`` by attribute name (``who``: the
    ``actor_columns`` of the actor): ``audit_entry`` builds an ``AuditEntry`` of them, the
    bulk writers insert them as they are (``insert_many``)."""
    return {
        **who,
        "content_type_id": ContentType.objects.get_for_model(obj).pk,
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:300],
        "action": action,
        "changes": changes or {},
        "note": note,
    }


def audit_entry(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """One row of the trail for ``obj``, unsaved (``audit_record`` saves it). ``actor``
    None (or anonymous) means the system."""
    return AuditEntry(
        **audit_row(who=actor_columns(actor), obj=obj, action=action, changes=changes, note=note)
    )


@transaction.atomic
def audit_record(
    *,
    actor,
    obj: models.Model,
    action: str,
    changes: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """One row of the trail for ``obj``, saved."""
    entry = audit_entry(actor=actor, obj=obj, action=action, changes=changes, note=note)
    entry.save()
    return entry


@transaction.atomic
def record_personal_data_export(
    *,
    actor,
    model: type[models.Model],
    rows: int,
    what: str,
    file_format: str,
    applicants: int,
    accessed: dict[int, tuple[int, int]] | None = None,
) -> AuditEntry | None:
    """The audit row of an export that carries applicants in clear — who, what, how many
    rows: the admin's request workbook, a page of the API's request list, … Every such exit
    calls this one function. ``what`` names the export as a person reads it (the list and its
    filter), ``applicants`` how many applicants it shows in clear (none: nothing is
    recorded). ``accessed`` (applicant id -> (request id, body id)) are the full records the
    export opened: one access row each (``ApplicantAccess``), listed for the bodies'
    publishers. The audit row is about the exported model as a whole (``object_id``
    "export"); superusers read these rows."""
    if not applicants or _actor(actor) is None:
        return None
    if accessed:
        ApplicantAccess.objects.bulk_create(
            [
                ApplicantAccess(
                    user=actor,
                    applicant_id=applicant_id,
                    request_id=request_id,
                    body_id=body_id,
                    page=AccessPage.EXPORT,
                )
                for applicant_id, (request_id, body_id) in accessed.items()
            ],
            batch_size=1000,
        )
    entry = AuditEntry(
        **actor_columns(actor),
        content_type_id=ContentType.objects.get_for_model(model).pk,
        object_id="export",
        object_repr=what[:300],
        action=AuditAction.PERSONAL_DATA_EXPORT,
        changes={"rows": rows, "applicants": applicants, "format": file_format},
        note=_("导出%(what)s，%(rows)s 行（%(format)s），含 %(applicants)s 名申请人的身份信息。")
        % {"what": what, "rows": rows, "format": file_format, "applicants": applicants},
    )
    entry.save()
    return entry


def _full_clean(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """``full_clean()`` without Django's Python re-check of every ``CheckConstraint``.

    That re-check runs one query per constraint per save (most of an import's time); each
    check constraint is stated in the model's ``clean()`` with a field-named message, and the
    database enforces it. Unique constraints are still validated here, for their messages."""
    exclude = set(exclude or ())
    instance.full_clean(exclude=exclude or None, validate_constraints=False)
    errors: dict[str, list] = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            if not isinstance(constraint, models.UniqueConstraint):
                continue
            try:
                constraint.validate(model_class, instance, exclude=exclude)
            except ValidationError as error:
                for field, messages in error.update_error_dict({}).items():
                    errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _write(
    *,
    actor,
    instance: models.Model,
    old: dict[str, object] | None,
    action: str | None = None,
    note: str = "",
    exclude: Iterable[str] = (),
) -> models.Model:
    """Validate, save and audit ``instance`` whose stored values were ``old``."""
    _full_clean(instance, exclude=exclude)
    changes = _changes(type(instance), old, _values(instance))
    if old is not None and not changes and action is None:
        return instance
    instance.save()
    audit_record(
        actor=actor,
        obj=instance,
        action=action or (AuditAction.CREATE if old is None else AuditAction.UPDATE),
        changes=changes,
        note=note,
    )
    return instance


@transaction.atomic
def record_save(*, actor, instance: models.Model, note: str = "") -> models.Model:
    """Create or update any record that has no service of its own (applicants,
    attachments, …). Saving without a change writes nothing."""
    return _write(actor=actor, instance=instance, old=_stored_values(instance), note=note)


@transaction.atomic
def record_delete(*, actor, instance: models.Model, note: str = "") -> None:
    """Delete a dependent row (a consultation, an attachment, a membership) with its trail.
    Records the annual report counts are voided instead: see the ``*_void`` services."""
    if isinstance(instance, InformationRequest | AppealCase | Document | YearlyFigure | Body):
        raise ValidationError({NON_FIELD_ERRORS: _("该类记录不能删除，只能作废或撤销。")})
    old = _values(instance)
    audit_record(
        actor=actor,
        obj=instance,
        action=AuditAction.DELETE,
        changes=_changes(type(instance), old, dict.fromkeys(old)),
        note=note,
    )
    instance.delete()


# --- many records at once (imports) -----------------------------------------------------
#
# Atomic without a savepoint of their own: called batch after batch inside the import's
# transaction, a savepoint per call would cost two round trips; a failure still undoes the
# whole enclosing transaction.


def record_check(instance: models.Model, *, old: dict[str, object] | None = None) -> None:
    """What ``_write`` checks before saving, in memory, for the bulk writers: a voided record
    is refused, then the field validators and ``clean()``. Left to the caller: uniqueness (the
    bulk callers look every record up by its key first) and the foreign keys given as
    instances (the caller loaded or creates them); the database enforces every constraint."""
    _refuse_if_voided(instance, old)
    # Checking a foreign key costs a query: skip those given as instances, and those the
    # change leaves as they were.
    trusted = [
        model_field.name
        for model_field in _foreign_keys(type(instance))
        if model_field.is_cached(instance)
        or (
            old is not None and old.get(model_field.name) == model_field.value_from_object(instance)
        )
    ]
    instance.full_clean(exclude=trusted, validate_unique=False, validate_constraints=False)


@functools.cache
def _foreign_keys(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(field for field in model._meta.concrete_fields if field.is_relation)


@dataclass
class Write:
    """A change of one record checked by ``record_check``: ``old`` holds the record's audited
    values as it was loaded (``_values``), None for a new record."""

    instance: models.Model
    old: dict[str, object] | None = None

    @classmethod
    def loaded(cls, instance: models.Model) -> Write:
        """For a record as loaded, before it is changed."""
        return cls(instance, _values(instance))


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


@transaction.atomic(savepoint=False)
def records_save_bulk(*, actor, writes: Sequence[Write], batch_size: int = 500) -> None:
    """Create and update checked records of one model in a few queries, each with the audit
    row ``_write`` would leave (an update that changes nothing writes nothing)."""
    if not writes:
        return
    model = type(writes[0].instance)
    created = [write.instance for write in writes if write.old is None]
    create_many(model, created, batch_size=batch_size)
    who = actor_columns(actor)
    entries = [
        audit_row(
            who=who,
            obj=instance,
            action=AuditAction.CREATE,
            changes=_changes(model, None, _values(instance)),
        )
        for instance in created
    ]
    updated: list[models.Model] = []
    fields: set[str] = set()
    for write in writes:
        if write.old is None:
            continue
        changes = _changes(model, write.old, _values(write.instance))
        if not changes:
            continue
        updated.append(write.instance)
        fields.update(changes)
        entries.append(
            audit_row(who=who, obj=write.instance, action=AuditAction.UPDATE, changes=changes)
        )
    if updated:
        # bulk_update does not set auto_now fields as save() does.
        now = timezone.now()
        for name in _auto_now_fields(model):
            for instance in updated:
                setattr(instance, name, now)
            fields.add(name)
        model._default_manager.bulk_update(updated, sorted(fields), batch_size=batch_size)
    insert_many(AuditEntry, entries)


def records_delete_bulk(*, actor, instances: Sequence[models.Model]) -> None:
    """``record_delete`` for many dependent rows of one model."""
    if not instances:
        return
    model = type(instances[0])
    if issubclass(model, InformationRequest | AppealCase | Document | YearlyFigure | Body):
        raise ValidationError({NON_FIELD_ERRORS: _("该类记录不能删除，只能作废或撤销。")})
    who = actor_columns(actor)
    entries = []
    for instance in instances:
        old = _values(instance)
        entries.append(
            audit_row(
                who=who,
                obj=instance,
                action=AuditAction.DELETE,
                changes=_changes(model, old, dict.fromkeys(old)),
            )
        )
    with transaction.atomic(savepoint=False):
        insert_many(AuditEntry, entries)
        model._default_manager.filter(pk__in=[instance.pk for instance in instances]).delete()


class RecordVoided(ValidationError):
    """A change of a voided record: the record is kept as it was voided (the API answers
    409 Conflict — the request was well formed, the record's state refuses it). A body
    abolished once is refused a second abolition the same way."""


def _refuse_if_voided(instance: models.Model, old: dict[str, object] | None) -> None:
    if old is not None and old.get("voided_at"):
        raise RecordVoided({NON_FIELD_ERRORS: _("已作废的记录不能修改。")})


def _void(*, actor, instance: models.Model, reason: str) -> models.Model:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"void_reason": _("作废须填写原因。")})
    old = _stored_values(instance)
    if old is None:
        raise ValidationError({NON_FIELD_ERRORS: _("尚未保存的记录不能作废。")})
    _refuse_if_voided(instance, old)
    instance.voided_at = timezone.now()
    instance.void_reason = reason
    return _write(actor=actor, instance=instance, old=old, action=AuditAction.VOID, note=reason)


# --- information requests ----------------------------------------------------------------

_REFERENCE = re.compile(r"^(\d{4})-(\d{4,})$")


def _locked_counter(body_id: int, year: int) -> ReferenceCounter:
    # get_or_create copes with two first allocations racing (the loser re-reads the row);
    # the lock then serialises everyone allocating for this body and year.
    ReferenceCounter.objects.get_or_create(body_id=body_id, year=year)
    return ReferenceCounter.objects.select_for_update().get(body_id=body_id, year=year)


def _allocate_reference(body_id: int, year: int) -> str:
    """The next free "YYYY-NNNN" of a body and year."""
    counter = _locked_counter(body_id, year)
    while True:
        counter.last += 1
        reference = f"{year}-{counter.last:04d}"
        if not InformationRequest.objects.filter(body_id=body_id, reference=reference).exists():
            break
    counter.save(update_fields=["last"])
    return reference


def _reference_number(reference: str) -> tuple[int, int] | None:
    """(year, number) of a reference in our own "YYYY-NNNN" pattern; None for another."""
    match = _REFERENCE.match(reference)
    return (int(match[1]), int(match[2])) if match else None


def _move_counters_past(numbers: dict[tuple[int, int], int]) -> None:
    """References given by an import in our own pattern move the counters of their body and
    year past them, so that later allocations do not collide. ``numbers``: (body id, year) ->
    the highest number given. Three queries, however many counters."""
    if not numbers:
        return
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(body_id=body_id, year=year) for body_id, year in numbers],
        ignore_conflicts=True,
    )
    # The counters of these bodies in these years (a few more than ``numbers`` names at
    # most): two IN lists are far quicker to build than one condition per pair.
    locked = ReferenceCounter.objects.select_for_update().filter(
        body_id__in={body_id for body_id, _year in numbers},
        year__in={year for _body_id, year in numbers},
    )
    moved = []
    for counter in locked:
        number = numbers.get((counter.body_id, counter.year), 0)
        if number > counter.last:
            counter.last = number
            moved.append(counter)
    ReferenceCounter.objects.bulk_update(moved, ["last"])


def _note_given_reference(body_id: int, reference: str) -> None:
    given = _reference_number(reference)
    if given is not None:
        year, number = given
        _move_counters_past({(body_id, year): number})


def _apply_clock(
    request: InformationRequest,
    *,
    consultations: list[Consultation] | None = None,
    calendar: WorkingCalendar | None = None,
) -> None:
    """Set the stored clock fields from the request's events (``clock.stored_clock``), the
    consultations read as stored now unless given."""
    if consultations is None:
        consultations = list(Consultation.objects.filter(request=request))
    values = stored_clock(request, consultations=consultations, calendar=calendar)
    for name, value in values.items():
        setattr(request, name, value)


def _prepare_request(request: InformationRequest, *, actor, old: dict | None) -> None:
    """What every write of a request derives before it is validated."""
    _refuse_if_voided(request, old)
    if request.applicant_id and not request.applicant_kind:
        request.applicant_kind = request.applicant.kind
    if request.withdrawn_on:
        request.concluded_on = request.concluded_on or request.withdrawn_on
        request.result = request.result or Result.OTHER_OTHER
    if old is None and request.created_by_id is None and _actor(actor) is not None:
        request.created_by = actor


def _clock_values(request: InformationRequest) -> dict[str, object]:
    return {name: _json_value(getattr(request, name)) for name in CLOCK_FIELDS}


@transaction.atomic
def request_save(
    *,
    actor,
    request: InformationRequest,
    consultations: Iterable[Consultation] | None = None,
    note: str = "",
    action: str | None = None,
) -> InformationRequest:
    """Create or update a request with its events and recompute its clock.

    A blank ``reference`` gets the next "YYYY-NNNN" of the body and the year of receipt; a
    given one (imports) is kept. ``consultations``, when given, is the request's complete
    list: each is saved, and stored ones not in it are deleted. A withdrawal concludes the
    request on the withdrawal date as ``other_other``. ``action`` names the change in the
    audit trail (default: created or updated)."""
    old = _stored_values(request)
    _prepare_request(request, actor=actor, old=old)
    _full_clean(request, exclude=None if request.reference else ["reference"])
    given_reference = request.reference
    saved = False
    try:
        if not request.reference:
            request.reference = _allocate_reference(request.body_id, request.received_on.year)
        else:
            _note_given_reference(request.body_id, request.reference)
        request.save()
        if consultations is not None:
            consultations = _replace_consultations(actor, request, list(consultations))
        _apply_clock(request, consultations=consultations)
        request.save(update_fields=[*CLOCK_FIELDS, "updated_at"])
        saved = True
    finally:
        if not saved and old is None:
            # The transaction rolls back: leave the instance new again, so that a corrected
            # retry creates it (and allocates its reference) afresh.
            request.pk = None
            request._state.adding = True
            request.reference = given_reference

    changes = _changes(InformationRequest, old, _values(request))
    if old is None or changes:
        audit_record(
            actor=actor,
            obj=request,
            action=action or (AuditAction.CREATE if old is None else AuditAction.UPDATE),
            changes=changes,
            note=note,
        )
    return request


def _replace_consultations(
    actor, request: InformationRequest, consultations: list[Consultation]
) -> list[Consultation]:
    for consultation in consultations:
        consultation.request = request
        _write(actor=actor, instance=consultation, old=_stored_values(consultation))
    kept = [consultation.pk for consultation in consultations]
    for stale in Consultation.objects.filter(request=request).exclude(pk__in=kept):
        record_delete(actor=actor, instance=stale)
    return consultations


def request_check(
    request: InformationRequest,
    *,
    actor,
    old: dict[str, object] | None,
    consultations: list[Consultation],
    calendar: WorkingCalendar,
) -> None:
    """What ``request_save`` derives and checks, in memory, for ``requests_save_bulk``:
    raises ``ValidationError`` (the request's errors, else its consultations'), else sets
    the clock. ``consultations`` is the request's complete list after the write; ``calendar``
    is shared by all the requests of a batch. The reference must be given."""
    _prepare_request(request, actor=actor, old=old)
    record_check(request, old=old)
    for consultation in consultations:
        consultation.request = request
        record_check(consultation)
    _apply_clock(request, consultations=consultations, calendar=calendar)


@dataclass
class RequestWrite:
    """A request checked by ``request_check``, to be written by ``requests_save_bulk``."""

    request: InformationRequest
    old: dict[str, object] | None = None
    # Consultations of the request the write creates or changes, and stored ones it deletes.
    consultations: list[Write] = dataclasses.field(default_factory=list)
    stale: list[Consultation] = dataclasses.field(default_factory=list)

    @classmethod
    def loaded(cls, request: InformationRequest) -> RequestWrite:
        """For a request as loaded, before it is changed."""
        return cls(request, _values(request))


@transaction.atomic(savepoint=False)
def requests_save_bulk(*, actor, writes: Sequence[RequestWrite], batch_size: int = 500) -> None:
    """Write many checked requests as ``request_save`` writes one: the new applicants they
    name, the requests (moving the reference counters past the references given), their
    consultations; each record with its audit row."""
    applicants: dict[int, Applicant] = {}
    naming_new: list[InformationRequest] = []
    numbers: dict[tuple[int, int], int] = {}
    for write in writes:
        applicant = _cached(write.request, "applicant")
        if applicant is not None and applicant.pk is None:
            applicants[id(applicant)] = applicant
            naming_new.append(write.request)
        given = _reference_number(write.request.reference)
        if given is not None:
            key = (write.request.body_id, given[0])
            numbers[key] = max(numbers.get(key, 0), given[1])
    records_save_bulk(actor=actor, writes=[Write(applicant) for applicant in applicants.values()])
    for request in naming_new:
        request.applicant = request.applicant  # with its primary key now
    _move_counters_past(numbers)
    records_save_bulk(
        actor=actor,
        writes=[Write(write.request, write.old) for write in writes],
        batch_size=batch_size,
    )
    consultations = []
    for write in writes:
        for consultation in write.consultations:
            consultation.instance.request = write.request
            consultations.append(consultation)
    records_save_bulk(actor=actor, writes=consultations, batch_size=batch_size)
    records_delete_bulk(actor=actor, instances=[c for write in writes for c in write.stale])


def _cached(instance: models.Model, name: str) -> models.Model | None:
    """The related record set on ``instance`` (never a query)."""
    model_field = instance._meta.get_field(name)
    return getattr(instance, name) if model_field.is_cached(instance) else None


@transaction.atomic
def request_create(*, actor, body: Body, **fields) -> InformationRequest:
    """A new request of ``body`` from its field values (``consultations=`` as for
    ``request_save``)."""
    consultations = fields.pop("consultations", None)
    request = InformationRequest(body=body, **fields)
    return request_save(actor=actor, request=request, consultations=consultations)


@transaction.atomic
def request_void(*, actor, request: InformationRequest, reason: str) -> InformationRequest:
    """Void a mistaken request: it stays on record and counts nowhere."""
    return _void(actor=actor, instance=request, reason=reason)


@transaction.atomic
def request_withdraw(
    *, actor, request: InformationRequest, withdrawn_on: datetime.date
) -> InformationRequest:
    """The applicant withdrew: concluded on that day as 其他处理：其他."""
    request.withdrawn_on = withdrawn_on
    request.concluded_on = withdrawn_on
    request.result = Result.OTHER_OTHER
    return request_save(
        actor=actor, request=request, note=str(_("申请人撤回申请。")), action=AuditAction.WITHDRAW
    )


@transaction.atomic
def request_conclude(
    *,
    actor,
    request: InformationRequest,
    concluded_on: datetime.date,
    result: str,
    reply_summary: str = "",
) -> InformationRequest:
    request.concluded_on = concluded_on
    request.result = result
    if reply_summary:
        request.reply_summary = reply_summary
    return request_save(actor=actor, request=request, action=AuditAction.CONCLUDE)


def correction_lapsed_on(request: InformationRequest, day: datetime.date) -> bool:
    """Whether the request's 补正期限 passed before ``day`` without a corrected request (第三十条):
    the request may then be concluded as 其他处理：申请人无正当理由逾期不补正. The worklist's SQL
    for the same rule is ``disclosure.worklist.correction_lapsed``."""
    return bool(
        request.voided_at is None
        and request.concluded_on is None
        and request.correction_notice_on
        and request.correction_received_on is None
        and request.correction_deadline
        and request.correction_deadline < day
    )


@transaction.atomic
def request_conclude_no_correction(
    *, actor, request: InformationRequest, concluded_on: datetime.date
) -> InformationRequest:
    """Conclude a request whose 补正期限 passed without a corrected request as 其他处理：申请人
    无正当理由逾期不补正 (第三十条), on ``concluded_on``. Refused unless the 补正 lapsed before
    that day: the applicant still had time, or sent the correction."""
    if not correction_lapsed_on(request, concluded_on):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "申请“%(reference)s”不是补正期限已过且未收到补正的在办申请，"
                    "不能按“申请人无正当理由逾期不补正”办结。"
                )
                % {"reference": request.reference}
            }
        )
    return request_conclude(
        actor=actor,
        request=request,
        concluded_on=concluded_on,
        result=Result.OTHER_NO_CORRECTION,
        reply_summary=str(
            _("补正期限（%(deadline)s）届满，申请人未补正，按《条例》第三十条不再处理。")
            % {"deadline": request.correction_deadline.isoformat()}
        ),
    )


@transaction.atomic
def request_recompute_clock(
    request: InformationRequest,
    *,
    actor=None,
    calendar: WorkingCalendar | None = None,
    note: str = "",
) -> InformationRequest:
    """Recompute the stored clock of one request; audited when it changed."""
    old = _clock_values(request)
    _apply_clock(request, calendar=calendar)
    new = _clock_values(request)
    if new != old:
        InformationRequest.objects.filter(pk=request.pk).update(
            **{name: getattr(request, name) for name in CLOCK_FIELDS}
        )
        audit_record(
            actor=actor,
            obj=request,
            action=AuditAction.RECOMPUTE,
            changes={
                name: [old[name], new[name]] for name in CLOCK_FIELDS if old[name] != new[name]
            },
            note=note,
        )
    return request


@transaction.atomic
def requests_recompute_clocks(
    *, queryset: models.QuerySet[InformationRequest], actor=None, note: str = "", batch_size=500
) -> tuple[int, int]:
    """Recompute the clocks of many requests in bulk: one calendar shared by all, updates
    and audit rows written in batches. Returns (requests looked at, requests changed)."""
    calendar = WorkingCalendar(use_database=True)
    rows = queryset.prefetch_related(
        Prefetch("consultations", queryset=Consultation.objects.order_by("sent_on", "pk"))
    ).order_by("pk")
    seen = 0
    changed: list[InformationRequest] = []
    entries: list[dict[str, object]] = []
    who = actor_columns(actor)
    for request in rows.iterator(chunk_size=batch_size):
        seen += 1
        old = _clock_values(request)
        _apply_clock(request, consultations=list(request.consultations.all()), calendar=calendar)
        new = _clock_values(request)
        if new == old:
            continue
        changed.append(request)
        entries.append(
            audit_row(
                who=who,
                obj=request,
                action=AuditAction.RECOMPUTE,
                changes={
                    name: [old[name], new[name]] for name in CLOCK_FIELDS if old[name] != new[name]
                },
                note=note,
            )
        )
    InformationRequest.objects.bulk_update(changed, CLOCK_FIELDS, batch_size=batch_size)
    insert_many(AuditEntry, entries)
    return seen, len(changed)


# --- events of a request -----------------------------------------------------------------


@transaction.atomic
def consultation_save(*, actor, consultation: Consultation) -> Consultation:
    """Save a consultation and recompute its request's clock."""
    request = InformationRequest.objects.get(pk=consultation.request_id)
    if request.voided_at:
        raise ValidationError({"request": _("已作废的申请不能登记征求意见。")})
    _write(actor=actor, instance=consultation, old=_stored_values(consultation))
    request_recompute_clock(request, actor=actor)
    consultation.request = request
    return consultation


@transaction.atomic
def consultation_delete(*, actor, consultation: Consultation) -> None:
    request = InformationRequest.objects.get(pk=consultation.request_id)
    record_delete(actor=actor, instance=consultation)
    request_recompute_clock(request, actor=actor)


# --- who saw an applicant ----------------------------------------------------------------


def applicant_access_record(
    *,
    user,
    applicant: Applicant,
    page: str,
    request: InformationRequest | None = None,
    body: Body | int | None = None,
) -> ApplicantAccess:
    """Note that ``user`` opened ``applicant``'s full record (``page``: where), through
    ``request`` and its body, or through ``body``. A row of the access log is itself the
    trail of a read, so it leaves no audit row of its own; it is never changed."""
    if request is not None:
        body = request.body_id
    body_id = body.pk if isinstance(body, Body) else body
    return ApplicantAccess.objects.create(
        user=_actor(user), applicant=applicant, request=request, body_id=body_id, page=page
    )


@transaction.atomic
# --- appeals, register, yearly figures ---------------------------------------------------


@transaction.atomic
def appeal_save(*, actor, case: AppealCase) -> AppealCase:
    old = _stored_values(case)
    _refuse_if_voided(case, old)
    return _write(actor=actor, instance=case, old=old)


@transaction.atomic
def appeal_void(*, actor, case: AppealCase, reason: str) -> AppealCase:
    return _void(actor=actor, instance=case, reason=reason)


@transaction.atomic
def document_save(*, actor, document: Document) -> Document:
    old = _stored_values(document)
    _refuse_if_voided(document, old)
    return _write(actor=actor, instance=document, old=old)


@transaction.atomic
def document_void(*, actor, document: Document, reason: str) -> Document:
    return _void(actor=actor, instance=document, reason=reason)


@transaction.atomic
def figure_set(*, actor, body: Body, year: int, item: str, value, source: str = "") -> YearlyFigure:
    """Set a body's figure for a year (creating it, or restoring a voided one)."""
    figure = YearlyFigure.objects.filter(body=body, year=year, item=item).first()
    if figure is None:
        figure = YearlyFigure(body=body, year=year, item=item)
    old = _stored_values(figure)
    figure_assign(figure, value=value, source=source)
    return _write(actor=actor, instance=figure, old=old)


def figure_assign(figure: YearlyFigure, *, value, source: str) -> None:
    """Give a figure its value and source, restoring it if it was voided (``figure_set``,
    and the import in bulk)."""
    try:
        value = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"value": _("数值须为数字。")}) from None
    if not value.is_finite():
        raise ValidationError({"value": _("数值须为数字。")})
    figure.value = value
    figure.source = source
    figure.voided_at = None
    figure.void_reason = ""


@transaction.atomic
def figure_void(*, actor, figure: YearlyFigure, reason: str) -> YearlyFigure:
    return _void(actor=actor, instance=figure, reason=reason)


# --- bodies and memberships --------------------------------------------------------------


_BODY_GUARDED = (*BODY_MASTER_FIELDS, *BODY_CONTACT_FIELDS)


def _require_body_change(actor, body: Body, old: dict[str, object] | None) -> None:
    """Refuse (``access.BodyChangeRefused``, by field) a change of ``body`` from its stored
    values ``old`` that ``actor`` may not make; nothing is written then."""
    new = _values(body)
    changed = [name for name in _BODY_GUARDED if old is None or old.get(name) != new.get(name)]
    require_body_change(
        actor,
        body,
        changed,
        stored_parent_id=old["parent"] if old else None,
        creating=old is None,
    )


@transaction.atomic
def body_save(*, actor, body: Body) -> Body:
    """Create or update a body; keeps ``path``/``depth`` of the body and its whole subtree
    right when the parent changes (a correction: a dated reorganisation is ``body_move``)."""
    old = _stored_values(body)
    _require_body_change(actor, body, old)
    old_path = old["path"] if old else ""
    parent_path = "/"
    if body.parent_id:
        parent_path = Body.objects.filter(pk=body.parent_id).values_list("path", flat=True).get()
        if old_path and parent_path.startswith(old_path):
            raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})
    _full_clean(body, exclude=["path", "depth"])
    body.save()
    new_path = child_path(parent_path, body.pk)
    new_depth = new_path.count("/") - 2
    if new_path != old_path:
        shift = new_depth - (old["depth"] if old else 0)
        body.path, body.depth = new_path, new_depth
        Body.objects.filter(pk=body.pk).update(path=new_path, depth=new_depth)
        if old_path:
            Body.objects.filter(path__startswith=old_path).exclude(pk=body.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + shift,
            )
    changes = _changes(Body, old, _values(body))
    if old is None or changes:
        audit_record(
            actor=actor,
            obj=body,
            action=AuditAction.CREATE if old is None else AuditAction.UPDATE,
            changes=changes,
        )
    return body


@transaction.atomic
def body_move(
    *, actor, body: Body, new_parent: Body | None, moved_on: datetime.date, note: str = ""
) -> BodyMove:
    """A reorganisation: from ``moved_on`` the body (with its subtree) belongs under
    ``new_parent``. Records the move so the tree can be read as it stood on any day."""
    body = Body.objects.get(pk=body.pk)
    require_body_change(
        actor,
        Body(pk=body.pk, parent=new_parent),
        ["parent"],
        stored_parent_id=body.parent_id,
        creating=False,
    )
    if (new_parent.pk if new_parent else None) == body.parent_id:
        raise ValidationError({"new_parent": _("新上级机构与现上级机构相同。")})
    latest = BodyMove.objects.filter(body=body).order_by("-moved_on").first()
    if latest is not None and moved_on < latest.moved_on:
        raise ValidationError(
            {
                "moved_on": _("调整日期不能早于该机构上一次隶属调整的日期（%(date)s）。")
                % {"date": latest.moved_on}
            }
        )
    if body.abolished_on and moved_on > body.abolished_on:
        raise ValidationError({"moved_on": _("机构撤销之后不能再调整隶属关系。")})
    move = BodyMove(
        body=body, old_parent_id=body.parent_id, new_parent=new_parent, moved_on=moved_on, note=note
    )
    _write(actor=actor, instance=move, old=None, action=AuditAction.MOVE, note=note)
    body.parent = new_parent
    body_save(actor=actor, body=body)
    return move


@transaction.atomic
def body_abolish(
    *, actor, body: Body, abolished_on: datetime.date, successor: Body | None = None
) -> Body:
    old = _stored_values(body)
    if old is not None:
        require_body_change(
            actor,
            body,
            ["abolished_on"],
            stored_parent_id=old["parent"],
            creating=False,
        )
    if old and old["abolished_on"]:
        raise RecordVoided({"abolished_on": _("该机构已撤销。")})
    if successor is not None and successor.abolished_on and successor.abolished_on < abolished_on:
        raise ValidationError({"successor": _("承继机构在撤销日期前已被撤销。")})
    body.abolished_on = abolished_on
    body.successor = successor
    return _write(
        actor=actor, instance=body, old=old, action=AuditAction.ABOLISH, exclude=["path", "depth"]
    )


@transaction.atomic
def membership_save(*, actor, membership: Membership) -> Membership:
    return _write(actor=actor, instance=membership, old=_stored_values(membership))


@transaction.atomic
def membership_delete(*, actor, membership: Membership) -> None:
    record_delete(actor=actor, instance=membership)


# --- the working-day calendar ------------------------------------------------------------


RECOMPUTE_JOB = "recompute_due_dates"  # the job kind (``disclosure.background``)


def _recompute_after_calendar_change(*, actor, dates: list[datetime.date], note: str):
    """The open requests whose clock may pass over ``dates`` are recomputed in bulk by a
    background job, queued when the change commits (``open_requests_covering``)."""
    return jobs.job_enqueue(
        actor=actor,
        kind=RECOMPUTE_JOB,
        params={"dates": [date.isoformat() for date in dates], "note": note},
    )


@transaction.atomic
def calendar_day_save(*, actor, day: CalendarDay) -> CalendarDay:
    """Save an override of the holiday schedule; the open requests whose clock may pass over
    the date (and over its old date, if it moved) are recomputed by a job (``day.job``)."""
    old = _stored_values(day)
    _write(actor=actor, instance=day, old=old)
    dates = [day.date]
    if old and old["date"] != day.date.isoformat():
        dates.append(datetime.date.fromisoformat(old["date"]))
    day.job = _recompute_after_calendar_change(
        actor=actor,
        dates=dates,
        note=str(_("节假日安排变更：%(date)s")) % {"date": day.date},
    )
    return day


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay):
    """Delete an override; returns the job that recomputes the open requests around it."""
    date = day.date
    record_delete(actor=actor, instance=day)
    return _recompute_after_calendar_change(
        actor=actor, dates=[date], note=str(_("节假日安排删除：%(date)s")) % {"date": date}
    )


# --- fees (国办函〔2020〕109号) --------------------------------------------------------------


def per_request_fee(ordinal: int) -> Decimal:
    """按件: the fee of an applicant's ``ordinal``-th request in a calendar month. The first
    10 are free, the 11th–30th cost 100 元, and each further band of 10 costs 100 元 more."""
    if ordinal <= 10:
        return Decimal(0)
    if ordinal <= 30:
        return Decimal(100)
    return Decimal(100 + 100 * ((ordinal - 31) // 10 + 1))


def per_page_fee(pages: int) -> Decimal:
    """按量 for one request: 30 pages free, pages 31–100 at 10 元, 101–200 at 20 元, and
    beyond 200 at 40 元 each."""
    bands = ((30, 100, 10), (100, 200, 20), (200, None, 40))
    total = 0
    for lower, upper, price in bands:
        top = pages if upper is None else min(pages, upper)
        total += max(0, top - lower) * price
    return Decimal(total)


@dataclass(frozen=True)
class FeeLine:
    request_id: int
    reference: str
    received_on: datetime.date
    ordinal: int
    amount: Decimal


@dataclass(frozen=True)
class ApplicantMonthlyFee:
    """The 按件 fee of one applicant's requests in one calendar month."""

    applicant_id: int
    year: int
    month: int
    count: int
    total: Decimal
    lines: tuple[FeeLine, ...]

    def amount_for(self, request: InformationRequest) -> Decimal:
        for line in self.lines:
            if line.request_id == request.pk:
                return line.amount
        raise KeyError(request.pk)


def applicant_fee_per_request(applicant: Applicant, year: int, month: int) -> ApplicantMonthlyFee:
    """How many requests the applicant made in that month (by receipt date, voided ones
    left out) and the 按件 fee each of them would bear, in order of receipt."""
    lines = tuple(
        FeeLine(
            request_id=request.pk,
            reference=request.reference,
            received_on=request.received_on,
            ordinal=ordinal,
            amount=per_request_fee(ordinal),
        )
        for ordinal, request in enumerate(
            applicant_requests_in_month(applicant, year, month), start=1
        )
    )
    return ApplicantMonthlyFee(
        applicant_id=applicant.pk,
        year=year,
        month=month,
        count=len(lines),
        total=sum((line.amount for line in lines), Decimal(0)),
        lines=lines,
    )
