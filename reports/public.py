"""Read rules of the public site: published report versions, and nothing else.

Only ``ReportVersion`` rows are public: a report without a version (a draft, or an
imported earlier year) and a correction not yet published do not exist here. Nothing in
this module reads records (requests, applicants): every figure comes from the frozen
documents of published versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from disclosure.models import Body
from disclosure.vocab import BodyKind
from reports import format as fmt
from reports.figures import share, sum_or_none
from reports.models import Report, ReportVersion

# Fields of a version that list pages need; the document JSON is left in the database.
LIST_FIELDS = (
    "id",
    "number",
    "published_at",
    "change_note",
    "report__id",
    "report__year",
    "report__scope",
    "report__body__id",
    "report__body__code",
    "report__body__name",
    "report__body__kind",
    "report__body__path",
    "report__body__depth",
)

# Order in which a body's children are offered when browsing the tree: a government's
# departments first, then the governments below it, then townships and the rest.
KIND_ORDER = (BodyKind.DEPARTMENT, BodyKind.GOVERNMENT, BodyKind.TOWNSHIP, BodyKind.OTHER)
# How the bodies below a body are grouped when browsing it.
CHILD_GROUP_LABELS = {
    BodyKind.DEPARTMENT: _("所属部门"),
    BodyKind.GOVERNMENT: _("下级人民政府"),
    BodyKind.TOWNSHIP: _("乡镇(街道)"),
    BodyKind.OTHER: _("其他机构"),
}


@dataclass(frozen=True)
class VersionRef:
    """What one indexed query tells about a published version: enough to answer from cache.

    ``stamp`` is the highest version id published anywhere in the body's subtree. Versions
    are only ever added, so a page that also shows other years or subordinate bodies stays
    valid exactly as long as the stamp does not change.
    """

    id: int
    number: int
    sha256: str
    pdf: str
    stamp: int
    code: str
    year: int


@dataclass(frozen=True)
class YearFigures:
    """A body's key figures for one year, from the latest published version of that year.

    ``None`` marks a cell left blank in an imported original; ``granted_share`` is the
    percentage of (七)总计 granted in full or in part, one decimal, rounded half up.
    """

    year: int
    version: int
    received: int | None
    concluded: int | None
    granted_share: Decimal | None
    carried_forward: int | None
    reconsiderations: int | None
    lawsuits: int | None


@dataclass(frozen=True)
class ChildBody:
    body: Body
    kind_label: str


def _latest_number() -> Subquery:
    return Subquery(
        published_versions()
        .filter(report=OuterRef("report"))
        .order_by("-number")
        .values("number")[:1]
    )


def published_versions() -> QuerySet[ReportVersion]:
    """Every ReportVersion row is published and public (``RESOLVE_*_SQL`` relies on it)."""
    return ReportVersion.objects.all()


def latest_versions() -> QuerySet[ReportVersion]:
    """The latest published version of every report, without the document."""
    return (
        published_versions()
        .filter(number=_latest_number())
        .select_related("report__body")
        .only(*LIST_FIELDS)
    )


def report_list(
    *, search: str = "", year: int | None = None, under: Body | None = None
) -> QuerySet[ReportVersion]:
    """Published reports, newest year first, filtered by body name, year and subtree."""
    versions = latest_versions()
    if search:
        versions = versions.filter(report__body__name__icontains=search)
    if year is not None:
        versions = versions.filter(report__year=year)
    if under is not None:
        versions = versions.filter(report__body__path__startswith=under.path)
    return versions.order_by("-report__year", "report__body__path")


def published_years() -> list[int]:
    return list(
        published_versions()
        .order_by("-report__year")
        .values_list("report__year", flat=True)
        .distinct()
    )


def _has_published_subtree() -> Exists:
    return Exists(published_versions().filter(report__body__path__startswith=OuterRef("path")))


def browsable_body(code: str) -> Body:
    """A body with at least one published report in its subtree, else 404.
    ``has_own_reports`` tells whether it has a body page (a report of its own)."""
    body = (
        Body.objects.filter(code=code)
        .annotate(
            published=_has_published_subtree(),
            has_own_reports=Exists(published_versions().filter(report__body=OuterRef("pk"))),
        )
        .filter(published=True)
        .first()
    )
    if body is None:
        raise Http404("no published report under this body")
    return body


def _subtree_stamp(path_ref: str) -> Subquery:
    """The highest version id published in the subtree of the body at ``path_ref``."""
    return Subquery(
        published_versions()
        .filter(report__body__path__startswith=OuterRef(path_ref))
        .order_by("-id")
        .values("id")[:1]
    )


def public_body(code: str) -> Body:
    """A body with at least one published report of its own, else 404. ``stamp``: see
    ``VersionRef``."""
    body = (
        Body.objects.filter(code=code)
        .annotate(
            published=Exists(published_versions().filter(report__body=OuterRef("pk"))),
            stamp=_subtree_stamp("path"),
        )
        .filter(published=True)
        .first()
    )
    if body is None:
        raise Http404("no published report for this body")
    return body


def ancestors(body: Body) -> list[Body]:
    """The body's ancestors, outermost first (one query)."""
    ids = body.ancestor_ids
    if not ids:
        return []
    return list(Body.objects.filter(pk__in=ids).order_by("depth").only("code", "name", "depth"))


def child_bodies(parent: Body | None) -> list[ChildBody]:
    """The children of ``parent`` (or the top-level bodies) with published reports below them,
    grouped by kind: departments, subordinate governments, townships, others."""
    bodies = (
        Body.objects.filter(parent=parent)
        .filter(_has_published_subtree())
        .only("code", "name", "kind", "path")
        .order_by("path")
    )
    ranked = sorted(bodies, key=lambda body: KIND_ORDER.index(BodyKind(body.kind)))
    labels = CHILD_GROUP_LABELS if parent is not None else dict(BodyKind.choices)
    return [ChildBody(body, labels[BodyKind(body.kind)]) for body in ranked]


# The one query of a cached page or download, written out: the ORM spends far longer
# compiling this query (two joins and a correlated subquery) than the database spends
# running it, and it runs on every public request. Paths hold only digits and "/", so the
# prefix match needs no LIKE escaping.
_RESOLVE_SQL = """
SELECT v.id, v.number, v.sha256, v.pdf,
       (SELECT MAX(v2.id)
          FROM {version} v2
          JOIN {report} r2 ON r2.id = v2.report_id
          JOIN {body} b2 ON b2.id = r2.body_id
         WHERE b2.path LIKE b.path || '%%') AS stamp
  FROM {version} v
  JOIN {report} r ON r.id = v.report_id
  JOIN {body} b ON b.id = r.body_id
 WHERE b.code = %s AND r.year = %s {number}
 ORDER BY v.number DESC
 LIMIT 1
"""


def _resolve_sql(*, with_number: bool) -> str:
    return _RESOLVE_SQL.format(
        version=ReportVersion._meta.db_table,
        report=Report._meta.db_table,
        body=Body._meta.db_table,
        number="AND v.number = %s" if with_number else "",
    )


RESOLVE_LATEST_SQL = _resolve_sql(with_number=False)
RESOLVE_NUMBER_SQL = _resolve_sql(with_number=True)
MAX_URL_NUMBER = 2**31 - 1


def resolve_version(*, code: str, year: int, number: int | None = None) -> VersionRef:
    """The published version of a body's report for a year (the latest when ``number`` is
    None) in one indexed query, or 404: drafts and unpublished corrections do not exist."""
    # The URL converters take any run of digits; no row holds a number past a 32-bit
    # integer, and SQLite refuses (OverflowError) an integer past 64 bits.
    if year > MAX_URL_NUMBER or (number is not None and number > MAX_URL_NUMBER):
        raise Http404("no such published report version")
    with connection.cursor() as cursor:
        if number is None:
            cursor.execute(RESOLVE_LATEST_SQL, [code, year])
        else:
            cursor.execute(RESOLVE_NUMBER_SQL, [code, year, number])
        row = cursor.fetchone()
    if row is None:
        raise Http404("no such published report version")
    version_id, version_number, sha256, pdf, stamp = row
    return VersionRef(version_id, version_number, sha256, pdf or "", stamp, code, year)


def version_document(ref: VersionRef) -> dict:
    return published_versions().values_list("document", flat=True).get(pk=ref.id)


def version_detail(ref: VersionRef) -> ReportVersion:
    return published_versions().select_related("report__body").get(pk=ref.id)


def version_history(version: ReportVersion) -> list[ReportVersion]:
    """Every published version of the same report, newest first, without documents."""
    return list(
        published_versions()
        .filter(report_id=version.report_id)
        .only("id", "number", "published_at", "change_note", "report_id")
        .order_by("-number")
    )


def subordinate_reports(body: Body, year: int) -> list[ReportVersion]:
    """The latest published reports for ``year`` of the bodies below ``body``, in tree order."""
    return list(
        latest_versions()
        .filter(report__year=year, report__body__path__startswith=body.path)
        .exclude(report__body=body)
        .order_by("report__body__path")
    )


def body_reports(body: Body) -> list[ReportVersion]:
    """The latest published version of each of the body's reports, newest year first."""
    return list(latest_versions().filter(report__body=body).order_by("-report__year"))


def _share(part: int | None, whole: int | None) -> Decimal | None:
    """A key figure's share: none where nothing was concluded or a cell is blank."""
    if part is None or not whole:
        return None
    return share(part, whole)


def figures_of(document: dict, *, version: int) -> YearFigures:
    rows = document["requests"]["rows"]
    total = fmt.TOTAL_COLUMN_KEY
    concluded = rows[fmt.RESULTS_TOTAL_KEY][total]
    granted = sum_or_none(
        [rows[key][total] for key in fmt.RESULT_GROUPS["granted_or_partial"].rows]
    )
    appeals = document["appeals"]
    return YearFigures(
        year=document["year"],
        version=version,
        received=rows["new_received"][total],
        concluded=concluded,
        granted_share=_share(granted, concluded),
        carried_forward=rows["carried_forward"][total],
        reconsiderations=appeals["reconsideration"][total],
        lawsuits=sum_or_none(
            [
                appeals["litigation_direct"][total],
                appeals["litigation_after_reconsideration"][total],
            ]
        ),
    )


def key_figures(body: Body, *, until: int | None = None) -> list[YearFigures]:
    """The body's key figures by year, oldest first, from its latest published versions
    (up to and including year ``until`` when given). One query."""
    versions = published_versions().filter(report__body=body, number=_latest_number())
    if until is not None:
        versions = versions.filter(report__year__lte=until)
    rows = versions.order_by("report__year").values_list("number", "document")
    return [figures_of(document, version=number) for number, document in rows]
