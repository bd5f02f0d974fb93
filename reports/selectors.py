"""The database reads of the annual report: the tables computed from the records for a
body, a year and a scope; a report's document as it stands (``report_document``), the
document its cross-year checks compare with (``comparison_for``) and its findings
(``report_check``). The building and checking themselves are pure functions in
``reports.document`` and ``reports.findings``.

``compute_tables`` returns the ``proactive``/``requests``/``appeals`` part of a
``report.schema.json`` document (counts ``int``; the fee amount a ``Decimal`` with four
places — ``reports.document`` turns it into a JSON number). The database does the counting:
one aggregate query per table, whatever the number of bodies and records:

- requests (table 三): one query grouped by applicant kind and result;
- appeals (table 四): one query grouped by kind;
- documents (table 二, 规章/行政规范性文件): one query grouped by kind;
- yearly figures (table 二, decisions and fees): one query grouped by item;

plus the report year's tree (two queries, none for ``own``), the imported ``own`` reports of
the bodies in scope (one query), and — only when some body has such an import — one query
telling which of those bodies have records for the year.

Counting rules for report year Y (spec "三" and "四"), on the legal dates:

- ``new_received``: received in Y; ``carried_over``: received before 1 January Y and not
  concluded before it; result rows: concluded in Y, by result (a withdrawal is concluded on
  its withdrawal date as ``other_other``, which the model enforces); ``carried_forward``:
  received on or before 31 December Y and not concluded by then. Voided records count nowhere.
- appeals: under their result when concluded in Y; ``pending`` when filed on or before
  31 December Y and not concluded by then (a case concluded in a later year is pending).
- documents: ``issued`` with 发布日期 in Y; ``repealed`` with 废止/宣布失效 in Y; ``in_force``
  issued by 31 December Y, not repealed by then and not past 有效期至 (valid through it).

Roll-ups: a body's imported figures for a year (an imported report of scope ``own``) stand in
for its records when it has no records for that year. Imported ``level``/``all`` reports are
never summed: they would count their subtree twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from disclosure.models import AppealCase, Body, Document, InformationRequest, YearlyFigure
from disclosure.tree import bodies_in_scope
from disclosure.vocab import DECISION_ITEMS, AppealResult, DocumentKind, FigureItem
from reports import format as fmt
from reports.document import draft_document, imported_document, tables_as_json, tables_document
from reports.findings import Comparison, Finding, check_document
from reports.models import ComparisonSource, Report, ReportReading, ReportStatus, Scope

FEE_PLACES = Decimal("0.0001")


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """1 January and 31 December of ``year``, both inclusive."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- one aggregate per table ---------------------------------------------------------------


def _request_counts(body_ids: list[int], year: int) -> dict:
    start, end = year_bounds(year)
    # Grouped by applicant kind and result, four counts per group: the result rows are the
    # ``concluded`` count of their group. (One filtered count per result row made the
    # database evaluate 24 conditions per request: 1.5× the plain GROUP BY on a province.)
    rows = (
        InformationRequest.objects.active()
        .open_during(year)
        .filter(body_id__in=body_ids)
        .values("applicant_kind", "result")
        .annotate(
            new_received=Count("pk", filter=Q(received_on__gte=start)),
            carried_over=Count("pk", filter=Q(received_on__lt=start)),
            carried_forward=Count(
                "pk", filter=Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)
            ),
            # open_during already has concluded_on >= start
            concluded=Count("pk", filter=Q(concluded_on__lte=end)),
        )
        .order_by()
    )
    table = {row: dict.fromkeys(fmt.APPLICANT_COLUMN_KEYS, 0) for row in fmt.REQUEST_ROW_KEYS}
    for group in rows:
        kind = group["applicant_kind"]
        for row in ("new_received", "carried_over", "carried_forward"):
            table[row][kind] += group[row]
        if group["result"]:
            table[group["result"]][kind] += group["concluded"]
    return table


def _appeal_counts(body_ids: list[int], year: int) -> dict:
    _start, end = year_bounds(year)
    aggregates = {
        result: Count("pk", filter=Q(concluded_on__lte=end, result=result))
        for result in AppealResult.values
    }
    aggregates["pending"] = Count(
        "pk", filter=Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)
    )
    rows = (
        AppealCase.objects.active()
        .open_during(year)
        .filter(body_id__in=body_ids)
        .values("kind")
        .annotate(**aggregates)
        .order_by("kind")
    )
    table = {group: dict.fromkeys(fmt.APPEAL_PART_KEYS, 0) for group in fmt.APPEAL_GROUP_KEYS}
    for group in rows:
        for column in fmt.APPEAL_PART_KEYS:
            table[group["kind"]][column] = group[column]
    return table


def _document_counts(body_ids: list[int], year: int) -> dict:
    start, end = year_bounds(year)
    rows = (
        Document.objects.active()
        .filter(body_id__in=body_ids, issued_on__lte=end)
        .values("kind")
        .annotate(
            issued=Count("pk", filter=Q(issued_on__gte=start)),
            repealed=Count("pk", filter=Q(repealed_on__gte=start, repealed_on__lte=end)),
            in_force=Count(
                "pk",
                filter=(Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
                & (Q(valid_until__isnull=True) | Q(valid_until__gte=end)),
            ),
        )
        .order_by("kind")
    )
    table = {kind: {"issued": 0, "repealed": 0, "in_force": 0} for kind in DocumentKind.values}
    for group in rows:
        table[group["kind"]] = {key: group[key] for key in ("issued", "repealed", "in_force")}
    return table


def _figure_sums(body_ids: list[int], year: int) -> dict:
    items = [*DECISION_ITEMS, FigureItem.FEES]
    sums = dict(
        YearlyFigure.objects.active()
        .filter(body_id__in=body_ids, year=year, item__in=items)
        .values("item")
        .annotate(total=Sum("value"))
        .order_by("item")
        .values_list("item", "total")
    )
    table = {
        item: {"decisions": int(sums.get(item) or 0)} for item in (str(i) for i in DECISION_ITEMS)
    }
    table[fmt.FEE_ROW_KEY] = {
        fmt.FEE_COLUMN_KEY: Decimal(sums.get(FigureItem.FEES) or 0).quantize(FEE_PLACES)
    }
    return table


def _computed_tables(body_ids: list[int], year: int) -> dict:
    tables = fmt.empty_tables()
    if not body_ids:
        return tables
    requests = _request_counts(body_ids, year)
    for row, cells in requests.items():
        tables["requests"]["rows"][row].update(cells)
    appeals = _appeal_counts(body_ids, year)
    for group, cells in appeals.items():
        tables["appeals"][group].update(cells)
    tables["proactive"].update(_document_counts(body_ids, year))
    tables["proactive"].update(_figure_sums(body_ids, year))
    return tables


# --- imported figures ---------------------------------------------------------------------


def _has_records(body_ids: list[int], year: int) -> set[int]:
    """Bodies among ``body_ids`` with any record bearing on ``year`` (one query)."""
    if not body_ids:
        return set()
    start, end = year_bounds(year)
    requests = InformationRequest.objects.active().open_during(year).filter(body_id=OuterRef("pk"))
    appeals = AppealCase.objects.active().open_during(year).filter(body_id=OuterRef("pk"))
    documents = Document.objects.active().filter(
        Q(issued_on__gte=start, issued_on__lte=end)
        | Q(repealed_on__gte=start, repealed_on__lte=end),
        body_id=OuterRef("pk"),
    )
    figures = YearlyFigure.objects.active().filter(body_id=OuterRef("pk"), year=year)
    return set(
        Body.objects.filter(pk__in=body_ids)
        .filter(Exists(requests) | Exists(appeals) | Exists(documents) | Exists(figures))
        .values_list("pk", flat=True)
    )


def _imported_own(body_ids: list[int], year: int) -> dict[int, dict]:
    return dict(
        Report.objects.filter(
            body_id__in=body_ids, year=year, status=ReportStatus.IMPORTED, scope=Scope.OWN
        ).values_list("body_id", "imported_document")
    )


def _add_document(tables: dict, document: dict) -> list[tuple[str, str, str]]:
    """Add an imported document's cells to ``tables``; returns the blank cells it had."""
    blanks: list[tuple[str, str, str]] = []
    for table in fmt.TABLE_KEYS:
        target = fmt.table_rows(tables, table)
        source = fmt.table_rows(document, table)
        for row, column in fmt.cells(table):
            value = source[row][column]
            if value is None:
                blanks.append((table, row, column))
                continue
            if (row, column) == (fmt.FEE_ROW_KEY, fmt.FEE_COLUMN_KEY):
                value = Decimal(str(value)).quantize(FEE_PLACES)
            target[row][column] += value
    return blanks


# --- public selectors ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSources:
    """Where a roll-up's figures came from (shown on the report's admin page)."""

    body_ids: tuple[int, ...]
    imported: tuple[int, ...]
    empty: tuple[int, ...]
    # (body id, table, row, column) of blanks in the imported figures, counted as nothing
    imported_blanks: tuple[tuple[int, str, str, str], ...] = ()

    @property
    def contributed(self) -> bool:
        """Whether any body in scope had records or an imported ``own`` report."""
        return len(self.empty) < len(self.body_ids)

    def bodies(self, ids: tuple[int, ...]) -> list[Body]:
        by_id = Body.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids]


def _collect(body: Body, year: int, scope: str, *, sources: bool) -> tuple[dict, ReportSources]:
    body_ids = bodies_in_scope(body, year, scope)
    imported = _imported_own(body_ids, year)
    # Which bodies have records: all of them for the sources, else only those with an import.
    with_records = _has_records(body_ids if sources else list(imported), year)
    used_imports = {pk: doc for pk, doc in imported.items() if pk not in with_records}
    computed_ids = [pk for pk in body_ids if pk not in used_imports]
    tables = _computed_tables(computed_ids, year)
    blanks: list[tuple[int, str, str, str]] = []
    for pk in body_ids:
        if pk in used_imports:
            blanks.extend((pk, *cell) for cell in _add_document(tables, used_imports[pk]))
    for row in tables["requests"]["rows"].values():
        row[fmt.TOTAL_COLUMN_KEY] = sum(row[key] for key in fmt.APPLICANT_COLUMN_KEYS)
    for column in fmt.REQUEST_COLUMN_KEYS:
        tables["requests"]["rows"][fmt.RESULTS_TOTAL_KEY][column] = sum(
            tables["requests"]["rows"][row][column] for row in fmt.RESULT_ROW_KEYS
        )
    for group in tables["appeals"].values():
        group[fmt.TOTAL_COLUMN_KEY] = sum(group[key] for key in fmt.APPEAL_PART_KEYS)
    report_sources = ReportSources(
        body_ids=tuple(body_ids),
        imported=tuple(pk for pk in body_ids if pk in used_imports),
        empty=tuple(pk for pk in body_ids if pk not in used_imports and pk not in with_records)
        if sources
        else (),
        imported_blanks=tuple(blanks),
    )
    return tables, report_sources


def compute_tables(body: Body, year: int, scope: str) -> dict:
    """Tables 二, 三 and 四 of ``body``'s ``scope`` report for ``year``, keyed as
    ``report.schema.json`` (``proactive``, ``requests``, ``appeals``)."""
    tables, _sources = _collect(body, year, scope, sources=False)
    return tables


def report_sources(body: Body, year: int, scope: str) -> ReportSources:
    """Which bodies of the roll-up contributed imported figures, and which contributed
    nothing (no records bearing on the year and no imported ``own`` report)."""
    _tables, sources = _collect(body, year, scope, sources=True)
    return sources


def tables_and_sources(body: Body, year: int, scope: str) -> tuple[dict, ReportSources]:
    """``compute_tables`` and ``report_sources`` at once."""
    return _collect(body, year, scope, sources=True)


# --- documents and their checks -----------------------------------------------------------


def computed_document(body: Body, year: int, scope: str) -> dict:
    """The tables of ``body``'s ``scope`` for ``year`` as a document without narrative."""
    return tables_document(
        body=body, year=year, scope=scope, tables=compute_tables(body, year, scope)
    )


def report_document(report: Report, *, include_narrative: bool = True) -> dict:
    """The document of ``report`` as it stands: the imported original, or the draft with
    the tables computed now from the records (``reports.document.draft_document``)."""
    if report.status == ReportStatus.IMPORTED:
        return imported_document(report, include_narrative=include_narrative)
    tables = compute_tables(report.body, report.year, report.scope)
    return draft_document(report, tables, include_narrative=include_narrative)


def published_comparison(year: int, scope: str, **body) -> Comparison | None:
    """The body's (``body_id=`` or ``body__code=``) document for ``year`` when it is of
    ``scope``: its imported original, or its latest published version (a version's own
    document says its scope: the report's may have changed since); else None. Two queries."""
    earlier = Report.objects.filter(year=year, **body).prefetch_related("versions").first()
    if earlier is None:
        return None
    if earlier.status == ReportStatus.IMPORTED:
        document = earlier.imported_document
        if document["scope"] == scope:
            return Comparison(document, year, scope, ComparisonSource.IMPORTED)
        return None
    versions = sorted(earlier.versions.all(), key=lambda version: version.number)
    if versions and versions[-1].document["scope"] == scope:
        latest = versions[-1]
        return Comparison(latest.document, year, scope, ComparisonSource.PUBLISHED, latest.number)
    return None


def comparison_for(report: Report) -> Comparison | None:
    """Last year's document to compare ``report`` with (spec: ``carry_over``): the same
    body's report for last year when it is of the same scope (``published_comparison``);
    else last year's tables computed in this report's scope when any body in scope had
    records or imports for it; else None (the body's first year)."""
    year = report.year - 1
    published = published_comparison(year, report.scope, body_id=report.body_id)
    if published is not None:
        return published
    tables, sources = tables_and_sources(report.body, year, report.scope)
    if not sources.contributed:
        return None
    return Comparison(tables_as_json(tables), year, report.scope, ComparisonSource.COMPUTED)


@dataclass(frozen=True)
class ReportCheck:
    """A report's findings and the document its cross-year checks compared with."""

    findings: tuple[Finding, ...]
    comparison: Comparison | None

    @property
    def has_errors(self) -> bool:
        return any(finding.is_error for finding in self.findings)


def report_check(report: Report, document: dict) -> ReportCheck:
    """The findings of ``document``, the document of ``report`` (``report_document``): a
    report of the product's own is checked as a draft (its empty sections are errors); an
    imported one as published."""
    comparison = comparison_for(report)
    findings = check_document(
        document,
        comparison.document if comparison is not None else None,
        draft=report.status != ReportStatus.IMPORTED,
    )
    return ReportCheck(tuple(findings), comparison)


def findings_for_report(report: Report) -> list[Finding]:
    """The findings of ``report`` as it stands (computed draft or imported original)."""
    return list(report_check(report, report_document(report)).findings)


def audit_scopes(user) -> list[tuple[type, QuerySet]]:
    """The reports and readings ``user`` sees, whose audit rows the audit trail shows them
    (``disclosure.hooks.audit_scopes``)."""
    return [
        (Report, Report.objects.visible_to(user)),
        (ReportReading, ReportReading.objects.visible_to(user)),
    ]
