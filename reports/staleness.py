"""Which published reports a record counts in, and whether their records changed since.

A published version never changes; these reads tell staff when the records it was computed
from have moved on, so that they can decide on a correction (a new version)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from disclosure.hooks import PublishedReport
from disclosure.models import AppealCase, Body, Document, InformationRequest, YearlyFigure
from disclosure.tree import bodies_in_scope, scope_ids, year_tree
from reports.models import Report, ReportStatus, ReportVersion, Scope


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of ``year``, both inclusive."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def published_versions_counting(body: Body, year: int) -> list[ReportVersion]:
    """The latest published version of every report of ``year`` whose scope covers ``body``.

    The scope is the one the version was published with (a draft may since have changed
    it), read over the body tree of that year: only the body's own report and those of its
    ancestors in that tree can cover it. Three queries."""
    tree = year_tree(year)
    candidates = [body.pk]
    if body.pk in tree.nodes:
        parent = tree.parent_of(body.pk)
        while parent is not None:
            candidates.append(parent)
            parent = tree.parent_of(parent)
    latest: dict[int, ReportVersion] = {}
    versions = (
        ReportVersion.objects.filter(report__year=year, report__body_id__in=candidates)
        .select_related("report__body")
        .order_by("report_id", "-number")
    )
    for version in versions:
        latest.setdefault(version.report_id, version)
    return sorted(
        (
            version
            for version in latest.values()
            if body.pk in scope_ids(tree, version.report.body_id, version.document["scope"])
        ),
        key=lambda version: version.report.body.path,
    )


def published_reports_counting(body: Body, years: Sequence[int]) -> list[PublishedReport]:
    """``published_versions_counting`` over several years, for the records' hook
    ``disclosure.hooks.published_reports_counting`` (registered in ``ReportsConfig.ready``):
    one query for the years that have a published version at all, three for each of them."""
    published_years = (
        ReportVersion.objects.filter(report__year__in=years)
        .values_list("report__year", flat=True)
        .order_by()
        .distinct()
    )
    return [
        PublishedReport(
            body_code=version.report.body.code,
            year=version.report.year,
            version=version.number,
            title=str(version),
        )
        for year in sorted(published_years)
        for version in published_versions_counting(body, year)
    ]


def records_changed_since(version: ReportVersion) -> bool:
    """Whether any record this version counted was saved after it was published.

    Records of the scope's bodies that bear on the report year: requests and cases open at
    some time in the year (received or filed by its end, not concluded before its start),
    register documents issued by its end (they count in ``in_force``), the year's figures,
    and the year's imported ``own`` reports of bodies in scope (a roll-up sums their
    figures). Voiding saves the record, so voided records are included. The year's tree
    (two queries, none for ``own``) and at most five ``EXISTS`` queries."""
    report: Report = version.report
    _start, end = year_bounds(report.year)
    body_ids = bodies_in_scope(report.body, report.year, version.document["scope"])
    after = version.published_at
    checks = (
        InformationRequest.objects.open_during(report.year).filter(body_id__in=body_ids),
        AppealCase.objects.open_during(report.year).filter(body_id__in=body_ids),
        Document.objects.filter(body_id__in=body_ids, issued_on__lte=end),
        YearlyFigure.objects.filter(body_id__in=body_ids, year=report.year),
        Report.objects.filter(
            body_id__in=body_ids, year=report.year, status=ReportStatus.IMPORTED, scope=Scope.OWN
        ),
    )
    return any(queryset.filter(updated_at__gt=after).exists() for queryset in checks)
