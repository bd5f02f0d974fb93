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

import copy
import dataclasses
import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import AppealCase, Body, Document, InformationRequest, YearlyFigure
from disclosure.tree import bodies_in_scope
from disclosure.validators import FIRST_REPORT_YEAR
from disclosure.vocab import DECISION_ITEMS, AppealResult, DocumentKind, FigureItem
from reports import format as fmt
from reports.document import (
    canonical_sha256,
    draft_document,
    imported_document,
    tables_as_json,
    tables_document,
)
from reports.figures import NARRATIVE_KEYS
from reports.findings import Comparison, Finding, check_document
from reports.models import (
    ComparisonSource,
    Report,
    ReportReading,
    ReportStatus,
    ReportVersion,
    Scope,
    StoredCheck,
    default_scope,
)
from reports.narrative import NarrativeError
from reports.oversight import (
    DocumentCheck,
    OversightLine,
    OversightStatus,
    compared_key,
    document_check,
    oversight_line,
)

FEE_PLACES = Decimal("0.0001")


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """1 January and 31 December of ``year``, both inclusive."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- one aggregate per table ---------------------------------------------------------------


def _per_body(rows, by_body: bool, empty, add):
    """The table of all ``rows``, or with ``by_body`` one table per ``body_id`` (bodies
    without rows left out): the same counting rule whichever is asked."""
    tables: dict = {}
    for group in rows:
        key = group["body_id"] if by_body else None
        if key not in tables:
            tables[key] = empty()
        add(tables[key], group)
    if by_body:
        return tables
    return tables[None] if None in tables else empty()


def _group_fields(by_body: bool) -> tuple[str, ...]:
    return ("body_id",) if by_body else ()


def _request_counts(body_ids: list[int], year: int, *, by_body: bool = False) -> dict:
    start, end = year_bounds(year)
    # Grouped by applicant kind and result, four counts per group: the result rows are the
    # ``concluded`` count of their group. (One filtered count per result row made the
    # database evaluate 24 conditions per request: 1.5× the plain GROUP BY on a province.)
    rows = (
        InformationRequest.objects.active()
        .open_during(year)
        .filter(body_id__in=body_ids)
        .values(*_group_fields(by_body), "applicant_kind", "result")
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

    def empty() -> dict:
        return {row: dict.fromkeys(fmt.APPLICANT_COLUMN_KEYS, 0) for row in fmt.REQUEST_ROW_KEYS}

    def add(table: dict, group: dict) -> None:
        kind = group["applicant_kind"]
        for row in ("new_received", "carried_over", "carried_forward"):
            table[row][kind] += group[row]
        if group["result"]:
            table[group["result"]][kind] += group["concluded"]

    return _per_body(rows, by_body, empty, add)


def _appeal_counts(body_ids: list[int], year: int, *, by_body: bool = False) -> dict:
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
        .values(*_group_fields(by_body), "kind")
        .annotate(**aggregates)
        .order_by("kind")
    )

    def empty() -> dict:
        return {group: dict.fromkeys(fmt.APPEAL_PART_KEYS, 0) for group in fmt.APPEAL_GROUP_KEYS}

    def add(table: dict, group: dict) -> None:
        for column in fmt.APPEAL_PART_KEYS:
            table[group["kind"]][column] = group[column]

    return _per_body(rows, by_body, empty, add)


def _document_counts(body_ids: list[int], year: int, *, by_body: bool = False) -> dict:
    start, end = year_bounds(year)
    rows = (
        Document.objects.active()
        .filter(body_id__in=body_ids, issued_on__lte=end)
        .values(*_group_fields(by_body), "kind")
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

    def empty() -> dict:
        return {kind: {"issued": 0, "repealed": 0, "in_force": 0} for kind in DocumentKind.values}

    def add(table: dict, group: dict) -> None:
        table[group["kind"]] = {key: group[key] for key in ("issued", "repealed", "in_force")}

    return _per_body(rows, by_body, empty, add)


def _figure_sums(body_ids: list[int], year: int, *, by_body: bool = False) -> dict:
    items = [*DECISION_ITEMS, FigureItem.FEES]
    rows = (
        YearlyFigure.objects.active()
        .filter(body_id__in=body_ids, year=year, item__in=items)
        .values(*_group_fields(by_body), "item")
        .annotate(total=Sum("value"))
        .order_by("item")
    )

    def empty() -> dict:
        table = {item: {"decisions": 0} for item in (str(i) for i in DECISION_ITEMS)}
        table[fmt.FEE_ROW_KEY] = {fmt.FEE_COLUMN_KEY: Decimal(0).quantize(FEE_PLACES)}
        return table

    def add(table: dict, group: dict) -> None:
        if group["item"] == FigureItem.FEES:
            amount = Decimal(group["total"] or 0).quantize(FEE_PLACES)
            table[fmt.FEE_ROW_KEY] = {fmt.FEE_COLUMN_KEY: amount}
        else:
            table[str(group["item"])] = {"decisions": int(group["total"] or 0)}

    return _per_body(rows, by_body, empty, add)


def _fill(tables: dict, requests: dict, appeals: dict, documents: dict, figures: dict) -> dict:
    for row, cells in requests.items():
        tables["requests"]["rows"][row].update(cells)
    for group, cells in appeals.items():
        tables["appeals"][group].update(cells)
    tables["proactive"].update(documents)
    tables["proactive"].update(figures)
    return tables


def _computed_tables(body_ids: list[int], year: int) -> dict:
    tables = fmt.empty_tables()
    if not body_ids:
        return tables
    return _fill(
        tables,
        _request_counts(body_ids, year),
        _appeal_counts(body_ids, year),
        _document_counts(body_ids, year),
        _figure_sums(body_ids, year),
    )


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


def _totals(tables: dict) -> dict:
    """The totals of computed tables: each row's 总计, (七)总计, each appeal group's 总计."""
    for row in tables["requests"]["rows"].values():
        row[fmt.TOTAL_COLUMN_KEY] = sum(row[key] for key in fmt.APPLICANT_COLUMN_KEYS)
    for column in fmt.REQUEST_COLUMN_KEYS:
        tables["requests"]["rows"][fmt.RESULTS_TOTAL_KEY][column] = sum(
            tables["requests"]["rows"][row][column] for row in fmt.RESULT_ROW_KEYS
        )
    for group in tables["appeals"].values():
        group[fmt.TOTAL_COLUMN_KEY] = sum(group[key] for key in fmt.APPEAL_PART_KEYS)
    return tables


def own_tables(body_ids: list[int], year: int) -> dict[int, dict]:
    """``compute_tables(body, year, "own")`` of many bodies at once (four queries, grouped
    by body), for bodies without an imported ``own`` report of ``year`` (whose figures
    ``compute_tables`` would take instead of the records)."""
    if not body_ids:
        return {}
    parts = [
        counts(body_ids, year, by_body=True)
        for counts in (_request_counts, _appeal_counts, _document_counts, _figure_sums)
    ]
    empties = [
        counts([], year)
        for counts in (_request_counts, _appeal_counts, _document_counts, _figure_sums)
    ]
    return {
        pk: _totals(
            _fill(
                fmt.empty_tables(),
                *(
                    part.get(pk) or copy.deepcopy(empty)
                    for part, empty in zip(parts, empties, strict=True)
                ),
            )
        )
        for pk in body_ids
    }


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
    _totals(tables)
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


# --- oversight (年报督查) ---------------------------------------------------------------------


def with_version_facts(reports: QuerySet[Report]) -> QuerySet[Report]:
    """``reports`` with their first publication time (``first_published``) and their latest
    version's ``latest_number`` and ``latest_sha256``, None for a report never published:
    correlated subqueries on the (report, number) index, no document read."""
    versions = ReportVersion.objects.filter(report=OuterRef("pk"))
    latest = versions.order_by("-number")
    return reports.annotate(
        first_published=Subquery(versions.order_by("published_at").values("published_at")[:1]),
        latest_number=Subquery(latest.values("number")[:1]),
        latest_sha256=Subquery(latest.values("sha256")[:1]),
    )


def _latest(report_ids) -> QuerySet[ReportVersion]:
    newer = ReportVersion.objects.filter(report=OuterRef("report"), number__gt=OuterRef("number"))
    return ReportVersion.objects.filter(report_id__in=report_ids).filter(~Exists(newer))


def latest_documents(report_ids) -> dict[int, dict]:
    """The latest published version's document of each report (one query)."""
    if not report_ids:
        return {}
    return dict(_latest(report_ids).values_list("report_id", "document"))


def _draft_document(report: Report, tables: dict) -> tuple[dict, list[Finding]]:
    """A draft's document from its tables; a narrative naming an unknown placeholder is one
    error per problem, the tables then checked alone."""
    try:
        return draft_document(report, tables), []
    except NarrativeError as error:
        problems = [
            Finding("placeholder", "error", "narrative", "", None, None, None, problem)
            for problem in error.problems
        ]
        return draft_document(report, tables, include_narrative=False), problems


def _draft_checks(
    drafts: list[Report], previous: dict[int, _Stored | None], narratives: dict[int, dict]
) -> dict[int, DocumentCheck]:
    """The checks of drafts as their report pages check them (``report_check``), by report
    id. Drafts of scope ``own`` are checked together: their tables and last year's in four
    grouped queries each, last year's published documents in one; a draft of a wider scope
    (a government's roll-up) is checked alone (``report_document``, ``report_check``).
    ``previous``: last year's stored document per body; ``narratives``: last year's draft
    narrative per body."""
    if not drafts:
        return {}
    year = drafts[0].year
    documents = latest_documents(
        {p.report_id for p in previous.values() if p is not None and p.imported is None}
    )

    def earlier(body_id: int) -> dict | None:
        stored = previous.get(body_id)
        if stored is None:
            return None
        return stored.imported or documents[stored.report_id]

    own = [report for report in drafts if report.scope == Scope.OWN]
    uncompared = [r.body_id for r in own if (earlier(r.body_id) or {}).get("scope") != Scope.OWN]
    tables = own_tables([report.body_id for report in own], year)
    last_tables = own_tables(uncompared, year - 1)
    contributed = _has_records(uncompared, year - 1)
    checks = {}
    for report in drafts:
        last = earlier(report.body_id)
        narrative = last.get("narrative") if last is not None else narratives.get(report.body_id)
        if report.scope != Scope.OWN:
            document, problems = _draft_document(
                report, compute_tables(report.body, report.year, report.scope)
            )
            findings = problems + list(report_check(report, document).findings)
        else:
            document, problems = _draft_document(report, tables[report.body_id])
            if last is not None and last.get("scope") == Scope.OWN:
                comparison = last
            elif report.body_id in contributed:
                comparison = tables_as_json(last_tables[report.body_id])
            else:
                comparison = None
            findings = problems + check_document(document, comparison, draft=True)
        checks[report.pk] = document_check(document, findings, narrative)
    return checks


@dataclass(frozen=True)
class _Stored:
    """A published or imported report's document as the oversight reads it: its SHA-256,
    and where the document is (the imported original, else the latest version, read only
    when its check is not stored yet)."""

    report_id: int
    sha256: str
    imported: dict | None = None


def _stored(report: dict | None, versions: dict[int, dict]) -> _Stored | None:
    if report is None:
        return None
    facts = versions.get(report["id"])
    if facts is not None:
        return _Stored(report["id"], facts["sha256"])
    if report["status"] == ReportStatus.IMPORTED:
        document = report["imported_document"]
        return _Stored(report["id"], canonical_sha256(document), document)
    return None


def _narrative_sha256(narrative: dict) -> str:
    return hashlib.sha256(json.dumps(narrative, sort_keys=True).encode()).hexdigest()


def _published_on(document: dict) -> datetime.date | None:
    stamp = document.get("published_at")
    if not stamp:
        return None
    return timezone.localdate(datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")))


def _stored_checks(
    wanted: list[tuple[_Stored, _Stored | None, dict | None, str]], *, details: bool
) -> dict[tuple[str, str], DocumentCheck]:
    """The stored checks of ``wanted`` (document, last year's document, last year's draft
    narrative, compared key); the missing ones are computed from the documents and stored
    (published versions never change: a check is computed once). Two queries when all are
    stored."""
    if not wanted:
        return {}
    rows = StoredCheck.objects.filter(
        document_sha256__in={stored.sha256 for stored, *_rest in wanted}
    ).values(
        "document_sha256", "compared_sha256", *CHECK_FIELDS, *(DETAIL_FIELDS if details else ())
    )
    checks = {(row["document_sha256"], row["compared_sha256"]): row for row in rows}
    missing = [item for item in wanted if (item[0].sha256, item[3]) not in checks]
    if missing:
        documents = latest_documents(
            {
                stored.report_id
                for item in missing
                for stored in item[:2]
                if stored is not None and stored.imported is None
            }
        )
        new = []
        for stored, previous, draft_narrative, key in missing:
            if (stored.sha256, key) in checks:
                continue  # the same document checked the same way for another body
            document = stored.imported or documents[stored.report_id]
            earlier = None
            if previous is not None:
                earlier = previous.imported or documents[previous.report_id]
            comparison = (
                earlier if earlier is not None and earlier["scope"] == document["scope"] else None
            )
            narrative = earlier.get("narrative") if earlier is not None else draft_narrative
            check = document_check(document, check_document(document, comparison), narrative)
            row = {"document_sha256": stored.sha256, "compared_sha256": key, **check.as_stored()}
            checks[(stored.sha256, key)] = row
            new.append(StoredCheck(**row))
        StoredCheck.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return {key: DocumentCheck.from_stored(row) for key, row in checks.items()}


CHECK_FIELDS = ("errors", "warnings", "figures", "repeated_characters", "characters")
DETAIL_FIELDS = ("findings", "passages")


def oversight_lines(
    body: Body, year: int, *, today: datetime.date, details: bool = True
) -> list[OversightLine]:
    """Every body of ``body``'s subtree that existed on 31 December of ``year`` (itself
    included), in tree order, with its report's state for ``year`` (``reports.oversight``).

    A published or imported report is checked from its stored document against last year's
    stored document of the same scope (``report_check``'s cross-year checks, without its
    fall-back to last year's computed tables) and last year's narrative; the check is
    stored (``StoredCheck``) and read back on later views: four queries for any number of
    bodies (without ``details``, the findings and repeated passages of those reports are
    left unread, their counts and shares read: ``with_details`` reads them for the lines
    shown). A draft is checked as its report page checks it, its tables computed from the
    records (``_draft_checks``): the drafts of scope ``own`` together in ten queries
    whatever their number, a government's roll-up draft alone (about twenty queries)."""
    _start, end = year_bounds(year)
    bodies = list(
        Body.objects.subtree_of(body)
        .existing_on(end)
        .order_by("path")
        .values(
            "id", "code", "name", "depth", "kind", "report_deadline_month", "report_deadline_day"
        )
    )
    reports = list(
        with_version_facts(
            Report.objects.filter(body__path__startswith=body.path, year__in=(year, year - 1))
        )
        .order_by()
        .values(
            "id",
            "body_id",
            "year",
            "status",
            "imported_document",
            "first_published",
            "latest_number",
            "latest_sha256",
            *NARRATIVE_KEYS,
        )
    )
    versions = {
        report["id"]: {
            "first": report["first_published"],
            "number": report["latest_number"],
            "sha256": report["latest_sha256"],
        }
        for report in reports
        if report["latest_number"] is not None
    }
    this_year = {r["body_id"]: r for r in reports if r["year"] == year}
    last_year = {r["body_id"]: r for r in reports if r["year"] == year - 1}
    drafts = {
        report.pk: report
        for report in Report.objects.filter(
            pk__in=[
                r["id"]
                for r in this_year.values()
                if r["id"] not in versions and r["status"] != ReportStatus.IMPORTED
            ]
        ).select_related("body")
    }
    plans = []  # (row, report, stored, previous, previous draft narrative, key)
    for row in bodies:
        report = this_year.get(row["id"])
        previous_report = last_year.get(row["id"])
        previous = _stored(previous_report, versions)
        draft_narrative = None
        if previous_report is not None and previous is None:
            draft_narrative = {key: previous_report[key] for key in NARRATIVE_KEYS}
        stored = _stored(report, versions)
        key = ""
        if stored is not None:
            # Last year's document (compared with when of the same scope: its content says)
            # or last year's draft narrative.
            key = compared_key(
                previous.sha256 if previous is not None else "",
                _narrative_sha256(draft_narrative) if draft_narrative else "",
            )
        plans.append((row, report, stored, previous, draft_narrative, key))
    checks = _stored_checks(
        [
            (stored, previous, narrative, key)
            for _r, _p, stored, previous, narrative, key in plans
            if stored
        ],
        details=details,
    )
    draft_checks = _draft_checks(
        list(drafts.values()),
        {
            row["id"]: prev
            for row, report, _s, prev, _n, _k in plans
            if report and report["id"] in drafts
        },
        {row["id"]: narrative for row, _r, _s, _p, narrative, _k in plans if narrative},
    )
    lines = []
    deadlines: dict[tuple, datetime.date | None] = {}  # by kind and set date: a few
    for row, report, stored, _previous, _narrative, key in plans:
        rule = (row["kind"], row["report_deadline_month"], row["report_deadline_day"])
        if rule not in deadlines:
            deadlines[rule] = Body(
                kind=rule[0], report_deadline_month=rule[1], report_deadline_day=rule[2]
            ).report_deadline(year)
        deadline = deadlines[rule]
        line = {"body": row, "deadline": deadline, "today": today}
        if report is None:
            lines.append(oversight_line(**line))
        elif stored is None:
            lines.append(
                oversight_line(
                    **line,
                    status=OversightStatus.DRAFT,
                    report_id=report["id"],
                    check=draft_checks[report["id"]],
                )
            )
        else:
            facts = versions.get(report["id"])
            lines.append(
                oversight_line(
                    **line,
                    status=OversightStatus.PUBLISHED if facts else OversightStatus.IMPORTED,
                    published_on=(
                        timezone.localdate(facts["first"])
                        if facts
                        else _published_on(stored.imported)
                    ),
                    report_id=report["id"],
                    version=facts["number"] if facts else None,
                    check=checks[(stored.sha256, key)],
                    check_key=(stored.sha256, key),
                )
            )
    return lines


def with_details(lines: list[OversightLine]) -> list[OversightLine]:
    """``lines`` with the findings and repeated passages of their stored checks (one
    query); lines read with their details, or without a stored check, as they are."""
    keys = {line.check_key for line in lines if line.check_key and not line.findings}
    if not keys:
        return lines
    rows = {
        (row["document_sha256"], row["compared_sha256"]): row
        for row in StoredCheck.objects.filter(
            document_sha256__in={document for document, _compared in keys}
        ).values("document_sha256", "compared_sha256", *CHECK_FIELDS, *DETAIL_FIELDS)
    }
    detailed = []
    for line in lines:
        row = rows.get(line.check_key) if line.check_key in keys else None
        if row is None:
            detailed.append(line)
            continue
        check = DocumentCheck.from_stored(row)
        detailed.append(
            dataclasses.replace(line, findings=check.findings, repetition=check.repetition)
        )
    return detailed


def year_document(body: Body, year: int) -> tuple[dict | None, str]:
    """``body``'s document for ``year`` and what it is: its latest published version
    (``published``), its imported original (``imported``), its draft as it stands
    (``draft``), else the tables computed in its default scope (``computed``); (None, "")
    when the year is before any report could exist."""
    report = Report.objects.filter(body=body, year=year).select_related("body").first()
    if report is not None:
        latest = report.versions.order_by("-number").first()
        if latest is not None:
            return latest.document, OversightStatus.PUBLISHED
        if report.status == ReportStatus.IMPORTED:
            return report.imported_document, OversightStatus.IMPORTED
        try:
            return report_document(report), OversightStatus.DRAFT
        except NarrativeError:
            return report_document(report, include_narrative=False), OversightStatus.DRAFT
    if year < FIRST_REPORT_YEAR:
        return None, ""
    return computed_document(body, year, default_scope(body)), "computed"


def oversight_body(user, code: str) -> Body:
    """The body whose subtree ``user`` oversees: ``Http404`` when no body has ``code``,
    ``PermissionDenied`` when the user's memberships do not reach it (``visible_to``)."""
    body = Body.objects.filter(code=code).first()
    if body is None:
        raise Http404(_("机构代码“%(code)s”不存在。") % {"code": code})
    if not Body.objects.visible_to(user).filter(pk=body.pk).exists():
        raise PermissionDenied(
            _("您的机构成员身份不包括%(body)s，不能查看其年报督查。") % {"body": body.name}
        )
    return body


def audit_scopes(user) -> list[tuple[type, QuerySet]]:
    """The reports and readings ``user`` sees, whose audit rows the audit trail shows them
    (``disclosure.hooks.audit_scopes``)."""
    return [
        (Report, Report.objects.visible_to(user)),
        (ReportReading, ReportReading.objects.visible_to(user)),
    ]
