"""The checks of a report document (勾稽 and beyond), with the spec's rule ids.

Errors: ``blank_cell``, ``balance``, ``results_total``, ``row_total``, ``appeals_total``.
Warnings: ``carry_over`` and ``in_force_continuity`` (against last year's document),
``narrative_figure`` and ``narrative_share`` (the figures a narrative states, against the
tables). A rule that needs a blank cell is not applied to it: the blank is the finding.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reports import format as fmt
from reports.narrative import FIGURE_NAMES, share, stated_figures, table_figures

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    table: str
    row: str
    column: str | None
    expected: int | float | None
    actual: int | float | None
    message: str
    quote: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _where(table: str, row: str, column: str | None) -> str:
    label = f"{fmt.TABLE_LABELS[table]}·{fmt.row_label(table, row)}"
    if column:
        label += f"·{fmt.column_label(table, column)}"
    return label


def _blank_cells(doc: dict) -> list[Finding]:
    return [
        Finding(
            "blank_cell",
            ERROR,
            table,
            row,
            column,
            None,
            None,
            _("%(where)s 未填写。") % {"where": _where(table, row, column)},
        )
        for table in fmt.TABLE_KEYS
        for row, column in fmt.cells(table)
        if fmt.cell(doc, table, row, column) is None
    ]


def _known(*values) -> bool:
    return all(value is not None for value in values)


def _request_rules(doc: dict) -> list[Finding]:
    rows = doc["requests"]["rows"]
    findings: list[Finding] = []
    for column in fmt.REQUEST_COLUMN_KEYS:
        new, carried, total, forward = (
            rows[row][column]
            for row in ("new_received", "carried_over", fmt.RESULTS_TOTAL_KEY, "carried_forward")
        )
        if _known(new, carried, total, forward) and new + carried != total + forward:
            findings.append(
                Finding(
                    "balance",
                    ERROR,
                    "requests",
                    "carried_forward",
                    column,
                    new + carried - total,
                    forward,
                    _(
                        "%(column)s列：本年新收%(new)d＋上年结转%(carried)d＝%(left)d，"
                        "不等于办理结果总计%(total)d＋结转下年度%(forward)d＝%(right)d。"
                    )
                    % {
                        "column": fmt.REQUEST_COLUMN_LABELS[column],
                        "new": new,
                        "carried": carried,
                        "left": new + carried,
                        "total": total,
                        "forward": forward,
                        "right": total + forward,
                    },
                )
            )
    for column in fmt.REQUEST_COLUMN_KEYS:
        parts = [rows[row][column] for row in fmt.RESULT_ROW_KEYS]
        total = rows[fmt.RESULTS_TOTAL_KEY][column]
        if _known(total, *parts) and sum(parts) != total:
            findings.append(
                Finding(
                    "results_total",
                    ERROR,
                    "requests",
                    fmt.RESULTS_TOTAL_KEY,
                    column,
                    sum(parts),
                    total,
                    _("%(column)s列：（七）总计为%(total)d，而各项办理结果之和为%(sum)d。")
                    % {
                        "column": fmt.REQUEST_COLUMN_LABELS[column],
                        "total": total,
                        "sum": sum(parts),
                    },
                )
            )
    for row in fmt.REQUEST_ROW_KEYS:
        parts = [rows[row][column] for column in fmt.APPLICANT_COLUMN_KEYS]
        total = rows[row][fmt.TOTAL_COLUMN_KEY]
        if _known(total, *parts) and sum(parts) != total:
            findings.append(
                Finding(
                    "row_total",
                    ERROR,
                    "requests",
                    row,
                    fmt.TOTAL_COLUMN_KEY,
                    sum(parts),
                    total,
                    _("“%(row)s”行：总计为%(total)d，而各类申请人之和为%(sum)d。")
                    % {"row": fmt.REQUEST_ROW_LABELS[row], "total": total, "sum": sum(parts)},
                )
            )
    return findings


def _appeal_rules(doc: dict) -> list[Finding]:
    findings: list[Finding] = []
    for group in fmt.APPEAL_GROUP_KEYS:
        cells = doc["appeals"][group]
        parts = [cells[column] for column in fmt.APPEAL_PART_KEYS]
        total = cells[fmt.TOTAL_COLUMN_KEY]
        if _known(total, *parts) and sum(parts) != total:
            findings.append(
                Finding(
                    "appeals_total",
                    ERROR,
                    "appeals",
                    group,
                    fmt.TOTAL_COLUMN_KEY,
                    sum(parts),
                    total,
                    _("%(group)s：总计为%(total)d，而维持、纠正、其他结果、尚未审结之和为%(sum)d。")
                    % {"group": fmt.APPEAL_GROUP_LABELS[group], "total": total, "sum": sum(parts)},
                )
            )
    return findings


def _cross_year_rules(doc: dict, previous: dict) -> list[Finding]:
    findings: list[Finding] = []
    rows = doc["requests"]["rows"]
    before = previous["requests"]["rows"]
    for column in fmt.REQUEST_COLUMN_KEYS:
        carried = rows["carried_over"][column]
        forward = before["carried_forward"][column]
        if _known(carried, forward) and carried != forward:
            findings.append(
                Finding(
                    "carry_over",
                    WARNING,
                    "requests",
                    "carried_over",
                    column,
                    forward,
                    carried,
                    _(
                        "%(column)s列：上年结转%(carried)d，而上一年度报告的结转下年度继续办理为%(forward)d。"
                    )
                    % {
                        "column": fmt.REQUEST_COLUMN_LABELS[column],
                        "carried": carried,
                        "forward": forward,
                    },
                )
            )
    for row in fmt.DOCUMENT_ROW_KEYS:
        cells = doc["proactive"][row]
        last = previous["proactive"][row]["in_force"]
        issued, repealed, in_force = cells["issued"], cells["repealed"], cells["in_force"]
        if _known(last, issued, repealed, in_force) and last + issued - repealed != in_force:
            findings.append(
                Finding(
                    "in_force_continuity",
                    WARNING,
                    "proactive",
                    row,
                    "in_force",
                    last + issued - repealed,
                    in_force,
                    _(
                        "%(row)s：现行有效%(in_force)d件，而上年现行有效%(last)d＋本年制发%(issued)d"
                        "－本年废止%(repealed)d＝%(expected)d件（文件到期失效也会造成差异）。"
                    )
                    % {
                        "row": fmt.PROACTIVE_ROW_LABELS[row],
                        "in_force": in_force,
                        "last": last,
                        "issued": issued,
                        "repealed": repealed,
                        "expected": last + issued - repealed,
                    },
                )
            )
    return findings


def _narrative_rules(doc: dict) -> list[Finding]:
    narrative = doc.get("narrative") or {}
    tables = table_figures(doc)
    results_total = doc["requests"]["rows"][fmt.RESULTS_TOTAL_KEY][fmt.TOTAL_COLUMN_KEY]
    findings: list[Finding] = []
    for section in ("opening", "overview", "problems", "other_matters"):
        for figure in stated_figures(narrative.get(section) or ""):
            if figure.share_of is not None:
                part = tables[figure.share_of]
                if not _known(part, results_total):
                    continue
                expected = share(part, results_total, figure.digits)
                if expected != figure.value:
                    findings.append(
                        Finding(
                            "narrative_share",
                            WARNING,
                            "narrative",
                            section,
                            None,
                            _number(expected),
                            _number(figure.value),
                            _(
                                "文中%(what)s占比为%(actual)s%%，而按表三计算为%(part)d÷%(total)d＝"
                                "%(expected)s%%（四舍五入）。"
                            )
                            % {
                                "what": fmt.RESULT_GROUPS[figure.share_of].label,
                                "actual": figure.value,
                                "part": part,
                                "total": results_total,
                                "expected": expected,
                            },
                            figure.quote,
                        )
                    )
                continue
            table_value = tables[figure.what]
            accepted = table_value if isinstance(table_value, tuple) else (table_value,)
            accepted = tuple(value for value in accepted if value is not None)
            if not accepted or any(Decimal(str(value)) == figure.value for value in accepted):
                continue
            findings.append(
                Finding(
                    "narrative_figure",
                    WARNING,
                    "narrative",
                    section,
                    None,
                    _number(accepted[0]),
                    _number(figure.value),
                    _("文中%(what)s为%(actual)s，而表格中为%(expected)s。")
                    % {
                        "what": FIGURE_NAMES[figure.what],
                        "actual": _number(figure.value),
                        "expected": "或".join(str(_number(value)) for value in accepted),
                    },
                    figure.quote,
                )
            )
    return findings


def check_document(doc: dict, previous: dict | None = None) -> list[Finding]:
    """Every finding of ``doc`` (a schema document), in the spec's rule order; with
    ``previous`` (last year's document of the same body) also the cross-year warnings."""
    findings = _blank_cells(doc) + _request_rules(doc) + _appeal_rules(doc)
    if previous is not None:
        findings += _cross_year_rules(doc, previous)
    findings += _narrative_rules(doc)
    return findings


def previous_document(report) -> dict | None:
    """Last year's document for the cross-year checks: its latest published version, or
    the imported report; else the tables computed for last year (same scope) when any body
    in scope has records or imports for it; else None (the body's first year)."""
    from reports.document import tables_as_json
    from reports.models import Report, ReportStatus
    from reports.selectors import tables_and_sources

    year = report.year - 1
    earlier = (
        Report.objects.filter(body_id=report.body_id, year=year)
        .prefetch_related("versions")
        .first()
    )
    if earlier is not None:
        if earlier.status == ReportStatus.IMPORTED:
            return earlier.imported_document
        versions = sorted(earlier.versions.all(), key=lambda version: version.number)
        if versions:
            return versions[-1].document
    tables, sources = tables_and_sources(report.body, year, report.scope)
    if not sources.contributed:
        return None
    return tables_as_json(tables)


def findings_for_report(report) -> list[Finding]:
    """The findings of ``report`` as it stands (computed draft or imported original)."""
    from reports.document import build_document

    return check_document(build_document(report), previous_document(report))
