"""New rows in bulk: ``create_many`` is ``bulk_create`` for the bulk writers (the workbook
import), and ``insert_many`` the same for rows given as plain values, no model instance built
(the audit rows beside them) — on PostgreSQL both through ``COPY``.

Django's ``bulk_create`` binds every value of every row as a query parameter (on
PostgreSQL 5.2 sends each column as an array to ``UNNEST``), which psycopg quotes in Python;
``COPY … FROM STDIN`` streams the same rows, each value prepared by its field as
``bulk_create`` prepares it (``pre_save`` then ``get_db_prep_save``), except the plain
values psycopg writes as they are (``_AS_THEY_ARE``). An ``auto_now``/``auto_now_add`` field
takes one time for the whole call, as ``bulk_update`` gives one. The primary keys are drawn
from the table's sequence first, so that every object has its key afterwards, as
``bulk_create`` gives it on PostgreSQL. Constraints, foreign keys and triggers hold for
``COPY`` as for ``INSERT``; an error is Django's (``IntegrityError``, ``DataError``); the COPY
is logged as a query. Measured on the import of 20,000 new requests (``benchmarks/run.py
--only import``, quiet machine): writing the requests 2.64 s → 0.79 s, their 34,000 audit
rows 2.33 s → 1.21 s (and to 0.5 s as plain rows, without an ``AuditEntry`` each)."""

from __future__ import annotations

import contextlib
import datetime
import decimal
import enum
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter, itemgetter
from typing import TypeVar

from django.db import connections, models, router
from psycopg import sql

M = TypeVar("M", bound=models.Model)

# Types of the values psycopg writes as they are, which the field would return unchanged
# (``str`` exactly: a lazy translation goes through the field; a str enumeration, a choices
# member, is added when first met: ``_plain``). A datetime only when aware: the field makes a
# naive one aware in the site's time zone.
_AS_THEY_ARE = {str, int, bool, datetime.date, decimal.Decimal, type(None)}


def _plain(kind: type) -> bool:
    """Whether values of ``kind`` go to psycopg as they are. A str enumeration (``Result.
    GRANTED``) does: a CharField returns it unchanged, and psycopg writes it as the text it
    is, its value; it is remembered, so that rows holding one stay on the quick path."""
    if kind in _AS_THEY_ARE:
        return True
    if issubclass(kind, str) and issubclass(kind, enum.Enum):
        _AS_THEY_ARE.add(kind)
        return True
    return False


_PLAIN_PRE_SAVE = {models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save}


def build(model: type[M], /, **values: object) -> M:
    """``model(**values)``, about twice as quick for the thousands a bulk writer builds:
    Django's ``__init__`` looks up each field's default by keyword, field after field; here
    the defaults are read once per model (a callable default is called for each instance,
    as ``__init__`` calls it) and given in field order, then ``values`` set as attributes."""
    fixed, fresh = _defaults(model)
    arguments = list(fixed)
    for index, field in fresh:
        arguments[index] = field.get_default()
    instance = model(*arguments)
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


@functools.cache
def _defaults(model: type[models.Model]) -> tuple[tuple, tuple]:
    """The concrete fields' defaults in order (None where the default is a callable), and
    the (position, field) of each field whose default is a callable."""
    fields = model._meta.concrete_fields
    fresh = tuple(
        (index, field)
        for index, field in enumerate(fields)
        if field.has_default() and callable(field.default)
    )
    called = {index for index, _field in fresh}
    return tuple(
        None if index in called else field.get_default() for index, field in enumerate(fields)
    ), fresh


def create_many(
    model: type[M], objects: Sequence[M], *, batch_size: int = 500, keys: bool = True
) -> Sequence[M]:
    """Save ``objects`` (new, of ``model``) as ``bulk_create`` does: no ``save()``, no
    signals; each gets its primary key, drawn first (one query more), unless ``keys`` is
    False (rows nobody refers to: the database numbers them)."""
    if not objects:
        return objects
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objects, batch_size=batch_size)
    opts = model._meta
    fields = list(opts.concrete_fields)
    keyless = [instance for instance in objects if instance.pk is None]
    if not keys and len(keyless) == len(objects):
        fields.remove(opts.pk)
        keyless = []
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if keyless:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, len(keyless)],
            )
            for instance, (key,) in zip(keyless, cursor.fetchall(), strict=True):
                instance.pk = key
        _copy(cursor, model, _InstanceColumns(fields, objects, connection), objects)
    for instance in objects:
        instance._state.adding = False
        instance._state.db = alias
    return objects


def insert_many(model: type[models.Model], rows: Sequence[Mapping[str, object]]) -> None:
    """Insert ``rows`` of ``model``, each given as its fields' values by attribute name (a
    foreign key as ``actor_id``; the same keys in every row), as ``create_many`` saves
    instances built from them — the fields not given take their default, an ``auto_now_add``
    field the time of the call — without building the instances. No primary keys are read
    back: for rows nobody refers to (the audit rows of a bulk write)."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    given = rows[0].keys()
    unknown = given - {field.attname for field in fields}
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    if any(row.keys() != given for row in rows):
        raise TypeError(f"rows of {model.__name__} name different fields")
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows])
        return
    with connection.wrap_database_errors, connection.cursor() as cursor:
        _copy(cursor, model, _RowColumns(fields, rows, model, connection), rows)


def _copy(cursor, model: type[models.Model], columns: _Columns, items: Iterable) -> None:
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(model._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(field.column) for field in columns.fields),
    )
    row = columns.row
    # Logged as Django logs a query (the query counts of the tests see it).
    logged = getattr(cursor, "debug_sql", None)
    with (
        logged(statement.as_string(cursor.cursor)) if logged else contextlib.nullcontext(),
        cursor.cursor.copy(statement) as copy,  # psycopg's own: COPY is not DB-API
    ):
        write = copy.write_row
        for item in items:
            write(row(item))


class _Columns:
    """The columns of a COPY in the order written (``fields``) and how each row's values are
    taken (``row``): first the plain columns, read together and prepared only where a value
    is not plain; then the columns a field always prepares (JSON, files); then the values
    one for all the rows (``auto_now``)."""

    fields: list[models.Field]

    def __init__(self, connection) -> None:
        self.connection = connection
        self.plain: list[models.Field] = []
        self.prepared: list[Callable[[object], object]] = []
        self.fixed: tuple = ()

    def finish(self, read_plain: Callable[[object], tuple]) -> None:
        connection = self.connection
        prepare = [field.get_db_prep_save for field in self.plain]
        prepared = self.prepared
        fixed = self.fixed

        def plain_values(item) -> tuple:
            values = read_plain(item)
            if _AS_THEY_ARE.issuperset(map(type, values)):
                return values
            return tuple(
                value
                if _plain(type(value))
                or (type(value) is datetime.datetime and value.tzinfo is not None)
                else get_db_prep_save(value, connection)
                for value, get_db_prep_save in zip(values, prepare, strict=True)
            )

        if prepared or fixed:
            self.row = lambda item: (
                *plain_values(item),
                *(value(item) for value in prepared),
                *fixed,
            )
        else:
            self.row = plain_values


def _always_prepared(field: models.Field) -> bool:
    """A field whose values psycopg cannot write as they are (a dict for JSON)."""
    return isinstance(field, models.JSONField)


def _auto_time(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


class _InstanceColumns(_Columns):
    def __init__(self, fields: list[models.Field], objects: Sequence, connection) -> None:
        super().__init__(connection)
        special, fixed = [], []
        for field in fields:
            if _auto_time(field) and type(field).pre_save in _PLAIN_PRE_SAVE:
                # One time for every object, set on each as ``pre_save`` sets it on one.
                now = field.pre_save(objects[0], True)
                for instance in objects:
                    setattr(instance, field.attname, now)
                fixed.append((field, field.get_db_prep_save(now, connection)))
            elif type(field).pre_save not in _PLAIN_PRE_SAVE:
                special.append(field)
                self.prepared.append(
                    lambda instance, field=field: field.get_db_prep_save(
                        field.pre_save(instance, True), connection
                    )
                )
            elif _always_prepared(field):
                special.append(field)
                self.prepared.append(
                    lambda instance, field=field: field.get_db_prep_save(
                        getattr(instance, field.attname), connection
                    )
                )
            else:
                self.plain.append(field)
        self.fields = [*self.plain, *special, *(field for field, _value in fixed)]
        self.fixed = tuple(value for _field, value in fixed)
        self.finish(_reader(attrgetter, [field.attname for field in self.plain]))


class _RowColumns(_Columns):
    def __init__(
        self,
        fields: list[models.Field],
        rows: Sequence[Mapping[str, object]],
        model: type[models.Model],
        connection,
    ) -> None:
        super().__init__(connection)
        given = rows[0].keys()
        special, fixed = [], []
        for field in fields:
            if _auto_time(field) or field.attname not in given:
                # What the field takes on an instance built without it (``auto_now_add``:
                # the time of the call, whatever is given, as ``save()`` does).
                value = field.pre_save(model(), True) if _auto_time(field) else field.get_default()
                fixed.append((field, field.get_db_prep_save(value, connection)))
            elif _always_prepared(field):
                special.append(field)
                self.prepared.append(
                    lambda row, field=field: field.get_db_prep_save(row[field.attname], connection)
                )
            else:
                self.plain.append(field)
        self.fields = [*self.plain, *special, *(field for field, _value in fixed)]
        self.fixed = tuple(value for _field, value in fixed)
        self.finish(_reader(itemgetter, [field.attname for field in self.plain]))


def _reader(getter, names: list[str]) -> Callable[[object], tuple]:
    """The values of ``names`` of an item, as a tuple (``attrgetter``/``itemgetter`` give a
    bare value for one name)."""
    if not names:
        return lambda item: ()
    read = getter(*names)
    if len(names) == 1:
        return lambda item: (read(item),)
    return read
