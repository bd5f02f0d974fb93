"""The checks of a report document (勾稽 and beyond), with the spec's rule ids.

Errors: ``blank_cell``, ``balance``, ``results_total``, ``row_total``, ``appeals_total``,
and for a draft ``section_empty``.
Warnings: ``carry_over`` and ``in_force_continuity`` (against last year's document of the
same scope, or last year's tables computed in this scope: ``Comparison``),
``narrative_figure`` and ``narrative_share`` (the figures a narrative states, against the
tables). A rule that needs a blank cell is not applied to it: the blank is the finding.

Pure functions over documents: ``reports.selectors`` reads the report, last year's
document and the tables (``report_check``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from reports import format as fmt
from reports.figures import NARRATIVE_KEYS, share
from reports.models import ComparisonSource, Scope
from reports.narrative import FIGURE_NAMES, stated_figures, table_figures

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
    for section in NARRATIVE_KEYS:
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
                        "expected": "或".join(dict.fromkeys(str(_number(v)) for v in accepted)),
                    },
                    figure.quote,
                )
            )
    return findings


def _section_rules(doc: dict) -> list[Finding]:
    """A draft's sections 一, 五 and 六 must say something before it is published."""
    narrative = doc.get("narrative")
    if narrative is None:
        # A document built without its narrative (tables only) has nothing to check here.
        return []
    return [
        Finding(
            "section_empty",
            ERROR,
            "narrative",
            key,
            None,
            None,
            None,
            _("“%(section)s”尚未填写，发布前须撰写。") % {"section": fmt.TABLE_LABELS[key]},
        )
        for key in fmt.NARRATIVE_SECTION_KEYS
        if not (narrative.get(key) or "").strip()
    ]


def check_document(
    doc: dict, previous: dict | None = None, *, draft: bool = False
) -> list[Finding]:
    """Every finding of ``doc`` (a schema document), in the spec's rule order; with
    ``previous`` (last year's document to compare with, see ``Comparison``) also the
    cross-year warnings; for a ``draft`` of the product's own (not an imported or read
    report) also the empty sections."""
    findings = _blank_cells(doc) + _request_rules(doc) + _appeal_rules(doc)
    if draft:
        findings += _section_rules(doc)
    if previous is not None:
        findings += _cross_year_rules(doc, previous)
    findings += _narrative_rules(doc)
    return findings


@dataclass(frozen=True)
class Comparison:
    """Last year's document that the cross-year checks compare a report with, and where it
    comes from: the report of the same body and scope, ``PUBLISHED`` (its latest version)
    or ``IMPORTED``, else the tables ``COMPUTED`` from last year's records in this report's
    scope."""

    document: dict
    year: int
    scope: str
    source: str
    version: int | None = None

    @property
    def description(self) -> str:
        values = {"year": self.year, "scope": Scope(self.scope).label, "version": self.version}
        if self.source == ComparisonSource.PUBLISHED:
            return _("与%(year)s年度已发布报告（%(scope)s，第%(version)s版）比较") % values
        if self.source == ComparisonSource.IMPORTED:
            return _("与%(year)s年度导入的报告（%(scope)s）比较") % values
        return _("与按本报告范围（%(scope)s）计算的%(year)s年度数据比较") % values

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "scope": self.scope,
            "source": self.source,
            "version": self.version,
            "description": self.description,
        }


NO_COMPARISON = _lazy("上一年度没有报告，也没有可计算的记录：未作跨年度核对。")
