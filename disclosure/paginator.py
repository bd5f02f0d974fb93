"""A paginator for lists of a million rows: it never runs a full ``count(*)``.

An unfiltered list on PostgreSQL takes the planner's row estimate of the table
(``pg_class.reltuples``, kept current by autovacuum's ANALYZE); a filtered list — and every
list of a user limited by memberships is filtered — counts at most ``cap`` + 1 rows, which
an index-driven ``LIMIT`` makes cheap, and says "more than" beyond it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


def table_row_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows in the queryset's table; None when not analysed."""
    connection = connections[queryset.db]
    table = queryset.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(table)],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


class EstimatedCountPaginator(Paginator):
    """``count`` is exact up to ``cap`` rows; beyond it an estimate or a lower bound.

    ``count_is_estimate`` and ``count_is_capped`` tell the template which one it shows."""

    cap = 10_000

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.count_is_estimate = False
        self.count_is_capped = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if self._is_unfiltered(queryset):
            estimate = table_row_estimate(queryset)
            if estimate is not None and estimate > self.cap:
                self.count_is_estimate = True
                return estimate
        counted = queryset.order_by()[: self.cap + 1].count()
        if counted > self.cap:
            self.count_is_capped = True
        return counted

    @staticmethod
    def _is_unfiltered(queryset: QuerySet) -> bool:
        query = queryset.query
        return (
            connections[queryset.db].vendor == "postgresql"
            and not query.where
            and not query.distinct
            and not query.combinator
        )
