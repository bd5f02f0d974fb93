"""Reading a published report: ``read_report(data, filename)`` gives the report document, the
repairs, the unresolved cells and the engine's findings.

One file at a time, so that a batch can call it per file (with one ``BodyIndex`` for all).
Readers → parts (``parse``) → document with repairs (``assemble``) → the body and scope →
``reports.document.validate_document`` → ``reports.findings.check_document`` with last
year's document of the same body and scope where the product has one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from disclosure.validators import FIRST_REPORT_YEAR
from disclosure.vocab import BodyKind
from reports.document import validate_document
from reports.findings import Finding, check_document
from reports.reading import sections
from reports.reading.assemble import assemble
from reports.reading.errors import ReadingError
from reports.reading.parse import Parsed, parse
from reports.reading.readers import read_source
from reports.reading.repairs import Cell, Repair
from reports.reading.selectors import BodyIndex, KnownBody, previous_document
from reports.reading.source import Source

SCOPE_BY_KIND = {
    BodyKind.GOVERNMENT: "all",
    BodyKind.TOWNSHIP: "all",
    BodyKind.DEPARTMENT: "own",
    BodyKind.OTHER: "own",
}


@dataclass(frozen=True)
class Reading:
    document: dict
    repairs: list[Repair]
    unresolved: list[dict]
    findings: list[Finding]
    marks: dict[Cell, str]
    source: Source
    printed_name: str  # the body's name as the title prints it ("" without a title)
    printed_year: int | None
    candidates: tuple[KnownBody, ...]  # the product's bodies bearing the title's name
    sha256: str

    @property
    def body_matched(self) -> bool:
        return bool(self.document["body"])

    @property
    def has_errors(self) -> bool:
        return any(finding.is_error for finding in self.findings)

    def as_json(self) -> dict:
        return {
            "document": self.document,
            "repairs": [repair.to_dict() for repair in self.repairs],
            "unresolved": self.unresolved,
            "findings": [finding.to_dict() for finding in self.findings],
        }


def _year(parsed: Parsed, year: int | None) -> int:
    if year is None:
        if parsed.title is None:
            raise ReadingError(
                _(
                    "找不到报告标题（如“某某 2023 年政府信息公开工作年度报告”），无法确定年度；请指定年度。"
                )
            )
        year = parsed.title.year
    if year < FIRST_REPORT_YEAR:
        raise ReadingError(
            _("%(year)d 年度的报告不是 2021 年版格式（自 2021 年度起施行），无法读取。")
            % {"year": year}
        )
    return year


def read_report(
    data: bytes,
    filename: str,
    *,
    body: str | None = None,
    year: int | None = None,
    bodies: BodyIndex | None = None,
) -> Reading:
    """Read one file. ``body`` (a code) and ``year`` override what the title says;
    ``ReadingError`` says why a file cannot be read."""
    source = read_source(data, filename)
    parsed = parse(source)
    if not parsed.found_figures:
        raise ReadingError(
            _("文件中找不到年度报告的表格（二、三、四）：它不像一份政府信息公开工作年度报告。")
        )
    year = _year(parsed, year)
    title = parsed.title
    printed_name = title.name if title else ""
    full_name = title.full_name if title else ""
    bodies = bodies if bodies is not None else BodyIndex.load()
    candidates = bodies.named([printed_name, full_name], year) if title else []
    known = None
    if body is not None:
        known = bodies.by_code.get(body)
        code = body
    elif len(candidates) == 1:
        known = candidates[0]
        code = known.code
    else:
        code = ""
    name = known.name if known is not None else full_name
    scope = (
        sections.stated_scope(title)
        or (SCOPE_BY_KIND.get(known.kind) if known is not None else None)
        or sections.scope_by_name(name)
    )
    built = assemble(parsed, body=code, body_name=name, year=year, scope=scope)
    document = validate_document(built.document)
    previous = previous_document(code, year, scope) if known is not None else None
    return Reading(
        document=document,
        repairs=built.repairs,
        unresolved=built.unresolved,
        findings=check_document(document, previous),
        marks=built.marks,
        source=source,
        printed_name=printed_name,
        printed_year=title.year if title else None,
        candidates=tuple(candidates),
        sha256=hashlib.sha256(data).hexdigest(),
    )
