"""The report document of ``report.schema.json``: built from a report and its computed
tables, validated on import, and hashed the way the schema defines. Pure functions: the
tables come from ``reports.selectors``, which also puts them together with a stored report
(``report_document``).

A document holds only JSON types: counts are ``int``, the fee amount an ``int`` when whole
else a ``float`` (at most four decimals, which a float carries exactly as printed), and
``None`` only for a cell left blank in an imported original.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.validators import (
    BODY_CODE_MAX_LENGTH,
    RECORD_DATE,
    REPORT_YEAR,
    validate_body_code,
    validate_no_nul,
)
from reports import format as fmt
from reports.figures import NARRATIVE_KEYS, PROVENANCE_KEYS
from reports.models import Report
from reports.narrative import default_opening, render_narrative

COVER_KEYS = ("number", "addressee", "body_text", "date")
TOP_KEYS = (
    "body",
    "body_name",
    "year",
    "scope",
    "proactive",
    "requests",
    "appeals",
    "narrative",
    "cover_letter",
    *PROVENANCE_KEYS,
)
REQUIRED_KEYS = ("body", "year", "scope", "proactive", "requests", "appeals")
SCOPES = ("own", "level", "all")
FEE_MAX_PLACES = 4
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class DocumentError(ValueError):
    """A document that is not a valid report document; ``problems`` lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def json_number(value: Decimal) -> int | float:
    """A Decimal amount as the JSON number it prints as."""
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def tables_as_json(tables: dict) -> dict:
    """``compute_tables`` output with the fee amount as a JSON number."""
    result = copy.deepcopy(tables)
    fees = result["proactive"][fmt.FEE_ROW_KEY]
    if isinstance(fees[fmt.FEE_COLUMN_KEY], Decimal):
        fees[fmt.FEE_COLUMN_KEY] = json_number(fees[fmt.FEE_COLUMN_KEY])
    return result


def tables_document(*, body, year: int, scope: str, tables: dict) -> dict:
    """A document of ``tables`` (``compute_tables`` output) without narrative: what the
    product shows for a body, year and scope that has no report of its own."""
    return {
        "body": body.code,
        "body_name": body.name,
        "year": year,
        "scope": scope,
        **tables_as_json(tables),
    }


def imported_document(report: Report, *, include_narrative: bool = True) -> dict:
    """The imported original of ``report`` (without narrative, cover letter and provenance
    when ``include_narrative`` is false)."""
    document = copy.deepcopy(report.imported_document)
    if not include_narrative:
        for key in ("narrative", "cover_letter", *PROVENANCE_KEYS):
            document.pop(key, None)
    return document


def draft_document(report: Report, tables: dict, *, include_narrative: bool = True) -> dict:
    """The schema document of a report of the product's own, from ``tables`` computed for
    its body, year and scope: the narrative with its placeholders resolved (the opening
    generated from the body's contact details when left blank) and the cover letter when
    one is filled in. Raises ``reports.narrative.NarrativeError`` when a narrative names an
    unknown placeholder."""
    document = tables_document(
        body=report.body, year=report.year, scope=report.scope, tables=tables
    )
    if not include_narrative:
        return document
    # The generated opening is plain text (a web address may hold braces): not rendered.
    narrative = {key: render_narrative(getattr(report, key), document) for key in NARRATIVE_KEYS}
    if not report.opening:
        narrative["opening"] = default_opening(report.body, report.year)
    document["narrative"] = narrative
    cover = {
        "number": report.cover_number,
        "addressee": report.cover_addressee,
        "body_text": render_narrative(report.cover_text, document),
        "date": report.cover_date.isoformat() if report.cover_date else "",
    }
    cover = {key: value for key, value in cover.items() if value}
    if cover:
        document["cover_letter"] = cover
    return document


def canonical_json(document: dict) -> bytes:
    """The canonical JSON of ``document`` without its ``sha256`` key: keys sorted, UTF-8
    without ASCII escaping, separators ``,`` and ``:``, numbers as they stand."""
    content = {key: value for key, value in document.items() if key != "sha256"}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def canonical_sha256(document: dict) -> str:
    return hashlib.sha256(canonical_json(document)).hexdigest()


def document_content(document: Mapping) -> dict:
    """A document without its provenance: what two versions are compared by, and what a
    publication freezes (the version number and time are added when it is published)."""
    return {key: value for key, value in document.items() if key not in PROVENANCE_KEYS}


# --- validation --------------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Validator:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        # The document itself (where == "") is named as such, not by an empty path.
        where = where or _("文档")
        self.problems.append(f"{where}：{message}")

    def rule(self, validator, value, where: str) -> bool:
        """A rule of ``disclosure.validators``, its message as the problem's."""
        try:
            validator(value)
        except ValidationError as error:
            for message in error.messages:
                self.problem(where, message)
            return False
        return True

    def mapping(self, value, where: str, allowed, required=()) -> dict | None:
        if not isinstance(value, dict):
            self.problem(where, _("应为对象（JSON object）。"))
            return None
        for key in value:
            if key not in allowed:
                self.problem(f"{where}.{key}" if where else key, _("未知的键。"))
        for key in required:
            if key not in value:
                self.problem(f"{where}.{key}" if where else key, _("缺少此项。"))
        return value

    def count(self, value, where: str):
        """A non-negative integer count, or None (a blank kept from the original)."""
        if value is None:
            return None
        if _is_number(value) and not _is_int(value) and float(value).is_integer():
            value = int(value)
        if not _is_int(value):
            if _is_number(value):
                self.problem(
                    where, _("应为整数，不能有小数（收到 %(value)s）。") % {"value": value}
                )
            else:
                self.problem(where, _("应为整数（收到 %(value)r）。") % {"value": value})
            return None
        if value < 0:
            self.problem(where, _("不能为负数（收到 %(value)s）。") % {"value": value})
            return None
        return value

    def amount(self, value, where: str):
        if value is None:
            return None
        if not _is_number(value):
            self.problem(where, _("应为数值（收到 %(value)r）。") % {"value": value})
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.problem(where, _("不是有效的数值。"))
            return None
        if not amount.is_finite():
            self.problem(where, _("不是有效的数值。"))
            return None
        if amount < 0:
            self.problem(where, _("不能为负数（收到 %(value)s）。") % {"value": value})
            return None
        exponent = amount.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > FEE_MAX_PLACES:
            self.problem(where, _("最多四位小数（收到 %(value)s）。") % {"value": value})
            return None
        return json_number(amount)

    def text(self, value, where: str):
        if not isinstance(value, str):
            self.problem(where, _("应为文本。"))
            return None
        return value if self.rule(validate_no_nul, value, where) else None

    def table_cells(self, data: dict, table: str) -> dict | None:
        """One table's cells, rows and columns in the format's order."""
        if table == "proactive":
            rows = self.mapping(
                data["proactive"], "proactive", fmt.PROACTIVE_ROW_KEYS, fmt.PROACTIVE_ROW_KEYS
            )
            return self.rows(rows, "proactive", fmt.PROACTIVE_COLUMNS_BY_ROW)
        if table == "appeals":
            rows = self.mapping(
                data["appeals"], "appeals", fmt.APPEAL_GROUP_KEYS, fmt.APPEAL_GROUP_KEYS
            )
            return self.rows(
                rows, "appeals", dict.fromkeys(fmt.APPEAL_GROUP_KEYS, fmt.APPEAL_COLUMN_KEYS)
            )
        requests = self.mapping(
            data["requests"], "requests", ("columns", "rows"), ("columns", "rows")
        )
        if requests is None:
            return None
        if "columns" in requests and requests["columns"] != list(fmt.REQUEST_COLUMN_KEYS):
            self.problem(
                "requests.columns",
                _("应为 %(columns)s。") % {"columns": json.dumps(list(fmt.REQUEST_COLUMN_KEYS))},
            )
        if "rows" not in requests:
            return None
        rows = self.mapping(
            requests["rows"], "requests.rows", fmt.REQUEST_ROW_KEYS, fmt.REQUEST_ROW_KEYS
        )
        cells = self.rows(
            rows, "requests.rows", dict.fromkeys(fmt.REQUEST_ROW_KEYS, fmt.REQUEST_COLUMN_KEYS)
        )
        return None if cells is None else {"columns": list(fmt.REQUEST_COLUMN_KEYS), "rows": cells}

    def rows(self, rows: dict | None, prefix: str, columns_by_row: dict) -> dict | None:
        if rows is None:
            return None
        result: dict = {}
        for row, columns in columns_by_row.items():
            if row not in rows:
                continue
            where = f"{prefix}.{row}"
            cells = self.mapping(rows[row], where, columns, columns)
            if cells is None:
                continue
            result[row] = {
                column: (
                    self.amount(cells[column], f"{where}.{column}")
                    if (row, column) == (fmt.FEE_ROW_KEY, fmt.FEE_COLUMN_KEY)
                    else self.count(cells[column], f"{where}.{column}")
                )
                for column in columns
                if column in cells
            }
        return result

    def document(self, data) -> dict:
        top = self.mapping(data, "", TOP_KEYS, REQUIRED_KEYS)
        if top is None:
            raise DocumentError(self.problems)
        result: dict = {}
        if "body" in top:
            body = self.text(top["body"], "body")
            # "" names a body the product does not know (a report read from a file whose
            # title names no body of the product: ``reports.reading``).
            if body and self.rule(validate_body_code, body, "body"):
                if len(body) > BODY_CODE_MAX_LENGTH:
                    self.problem(
                        "body",
                        _("机构代码最长%(length)s个字符。") % {"length": BODY_CODE_MAX_LENGTH},
                    )
            result["body"] = body
        if "body_name" in top:
            name = self.text(top["body_name"], "body_name")
            if name is not None and not name.strip():
                self.problem("body_name", _("机构名称不能为空。"))
            result["body_name"] = name
        if "year" in top:
            year = top["year"]
            if not _is_int(year):
                self.problem("year", _("应为整数年份（收到 %(value)r）。") % {"value": year})
            else:
                self.rule(REPORT_YEAR, year, "year")
            result["year"] = year
        if "scope" in top:
            if top["scope"] not in SCOPES:
                self.problem(
                    "scope",
                    _("应为 own、level 或 all（收到 %(value)r）。") % {"value": top["scope"]},
                )
            result["scope"] = top["scope"]
        for table in fmt.TABLE_KEYS:
            if table in top:
                result[table] = self.table_cells(top, table)
        if "narrative" in top:
            narrative = self.mapping(top["narrative"], "narrative", NARRATIVE_KEYS)
            if narrative is not None:
                result["narrative"] = {
                    key: self.text(narrative[key], f"narrative.{key}")
                    for key in NARRATIVE_KEYS
                    if key in narrative
                }
        if "cover_letter" in top:
            cover = self.mapping(top["cover_letter"], "cover_letter", COVER_KEYS)
            if cover is not None:
                result["cover_letter"] = {
                    key: self.text(cover[key], f"cover_letter.{key}")
                    for key in COVER_KEYS
                    if key in cover
                }
                date = result["cover_letter"].get("date")
                if date:
                    try:
                        datetime.date.fromisoformat(date)
                    except ValueError:
                        self.problem(
                            "cover_letter.date",
                            _("应为日期 YYYY-MM-DD（收到 %(value)r）。") % {"value": date},
                        )
        if "version" in top:
            if not _is_int(top["version"]) or top["version"] < 1:
                self.problem("version", _("应为正整数。"))
            result["version"] = top["version"]
            for key in ("published_at", "sha256"):
                if key not in top:
                    self.problem(key, _("有 version 时必须提供此项。"))
        if "published_at" in top:
            published_at = self.text(top["published_at"], "published_at")
            if published_at is not None:
                try:
                    moment = datetime.datetime.fromisoformat(published_at)
                except ValueError:
                    self.problem("published_at", _("应为日期时间（ISO 8601）。"))
                else:
                    # Published on a day of the records' range: never after today.
                    day = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
                    self.rule(RECORD_DATE, day, "published_at")
            result["published_at"] = published_at
        if "change_note" in top:
            result["change_note"] = self.text(top["change_note"], "change_note")
        if "sha256" in top:
            digest = top["sha256"]
            if not isinstance(digest, str) or not _SHA256.match(digest):
                self.problem("sha256", _("应为64位小写十六进制。"))
            result["sha256"] = digest
        if self.problems:
            raise DocumentError(self.problems)
        return result


def validate_document(data) -> dict:
    """``data`` checked against ``report.schema.json`` and normalised (whole-number floats
    in counts become ints, the fee amount a JSON number), or ``DocumentError`` listing every
    problem: unknown or missing keys, wrong types, negative or fractional counts, more than
    four decimals in the fee amount. ``null`` cells are kept as blanks."""
    return _Validator().document(data)
