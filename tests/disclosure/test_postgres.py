"""The quicker array dumper (``disclosure/postgres.py``) writes psycopg's own bytes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from psycopg.adapt import PyFormat, Transformer
from psycopg.types.array import ListDumper
from psycopg.types.json import Jsonb

from disclosure.models import AuditEntry, Body
from disclosure.postgres import QuickListDumper

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="psycopg's dumpers of PostgreSQL arrays"
)

ARRAYS = [
    ["plain", "with space", 'a "quoted" word', "back\\slash", "{braces}", "a,comma", "NULL", ""],
    ["申请公开征地补偿相关文件（第1号）", "tab\there", "new\nline", None],
    [Jsonb({"content": [None, '他说："公开"\\'], "received_on": [None, "2024-01-02"]})],
    [1, 2, None, 3],
    [Decimal("12.50"), None],
    [datetime.date(2024, 1, 2), None],
    [["nested", 'q"uote'], ["x", None]],
    [],
]


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("array", ARRAYS)
def test_the_quick_dumper_writes_psycopgs_bytes(array):
    connection.ensure_connection()
    transformer = Transformer(connection.connection)

    ours = QuickListDumper(list, transformer).upgrade(array, PyFormat.TEXT)
    theirs = ListDumper(list, transformer).upgrade(array, PyFormat.TEXT)

    assert bytes(ours.dump(array)) == bytes(theirs.dump(array))


@on_postgresql
@pytest.mark.django_db
def test_new_connections_use_the_quick_dumper_and_json_rows_round_trip():
    changes = {"content": [None, '他说："公开"\\ {x}'], "n": [1, 2]}
    content_type = ContentType.objects.get_for_model(Body)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=content_type, object_id=str(n), action="create", changes=changes
            )
            for n in range(3)
        ]
    )

    assert connection.connection.adapters.get_dumper(list, PyFormat.TEXT) is QuickListDumper
    assert [entry.changes for entry in AuditEntry.objects.order_by("object_id")] == [changes] * 3
