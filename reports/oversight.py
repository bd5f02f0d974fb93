"""Oversight of subordinate bodies' reports (年报督查): pure functions over data the
selectors read (``reports.selectors.oversight_lines``, ``year_over_year_documents``).

- ``oversight_line``: one body's line for a year — its deadline, status (nothing yet · draft
  · published on a date · imported), lateness, key figures, findings and the narrative's
  repeated share;
- ``repetition``: the share of a narrative's characters in sentences that, with every
  number replaced, also occur in the same body's previous-year narrative, and those
  passages;
- ``filter_lines`` / ``sort_lines``: the page's and the export's filters and orders;
- ``compare_documents``: two years of one body side by side (every cell with its change,
  the identities linking the years, the narrative's repeated and changed passages).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports import format as fmt
from reports.figures import NARRATIVE_KEYS, share, sum_or_none
from reports.findings import ERROR, WARNING, Finding


class OversightStatus(models.TextChoices):
    NONE = "none", _("未编制")
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    IMPORTED = "imported", _("已导入")


# --- the narrative's repeated share -------------------------------------------------------

# A sentence ends at 。！？； or a line break (the punctuation stays with its sentence).
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
# A number as a narrative prints it: 2023, 1,234, 63.9, ５ (after NFKC).
_NUMBER = re.compile(r"\d+(?:[.,，]\d+)*")
_SPACE = re.compile(r"\s+")
# A list item's marker, which the same text keeps or loses with the file it is read from.
_MARKER = re.compile(r"^[-‐–—•·●◆■□▪*]+")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, in order; empty ones left out."""
    found = (match.group().strip() for match in _SENTENCE.finditer(text or ""))
    return [sentence for sentence in found if sentence]


def sentence_key(sentence: str) -> str:
    """What two sentences share when one is the other with new figures: NFKC, no
    whitespace nor list marker, every number replaced by ``#``."""
    text = _MARKER.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", sentence)))
    return _NUMBER.sub("#", text)


def _length(sentence: str) -> int:
    return len(_SPACE.sub("", sentence))


def narrative_text(narrative: dict | None) -> list[str]:
    """The sections of a narrative (``report.schema.json`` ``narrative``) in order."""
    narrative = narrative or {}
    return [narrative.get(key) or "" for key in NARRATIVE_KEYS]


@dataclass(frozen=True)
class Repetition:
    """How much of a narrative repeats last year's, sentence by sentence."""

    repeated_characters: int
    characters: int
    passages: tuple[str, ...]  # runs of consecutive repeated sentences, as this year prints

    @property
    def share(self) -> Decimal:
        """Percentage, one decimal (``reports.figures.share``)."""
        return share(self.repeated_characters, self.characters)


def repetition(current: dict | None, previous: dict | None) -> Repetition | None:
    """The repetition of ``current`` (a narrative) against ``previous`` (the same body's
    narrative of the year before); None when either has no text."""
    earlier = {sentence_key(s) for text in narrative_text(previous) for s in sentences(text)}
    if not earlier:
        return None
    total = repeated = 0
    passages: list[str] = []
    for text in narrative_text(current):
        run: list[str] = []
        for sentence in sentences(text):
            size = _length(sentence)
            total += size
            if sentence_key(sentence) in earlier:
                repeated += size
                run.append(sentence)
            elif run:
                passages.append("".join(run))
                run = []
        if run:
            passages.append("".join(run))
    if not total:
        return None
    return Repetition(repeated, total, tuple(passages))


# --- key figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    """新收, (七)总计, 复议, 诉讼 (both kinds), 纠错 (corrected by either): None where a blank
    cell of an imported original leaves the figure unknown."""

    new_received: int | None
    results_total: int | None
    reconsideration: int | None
    litigation: int | None
    corrected: int | None

    LABELS = {
        "new_received": _("新收申请"),
        "results_total": _("办理结果总计"),
        "reconsideration": _("行政复议"),
        "litigation": _("行政诉讼"),
        "corrected": _("被纠错"),
    }

    def as_dict(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key in self.LABELS}


def key_figures(document: dict) -> KeyFigures:
    rows = document["requests"]["rows"]
    appeals = document["appeals"]
    total = fmt.TOTAL_COLUMN_KEY
    litigation = [group for group in fmt.APPEAL_GROUP_KEYS if group != "reconsideration"]
    return KeyFigures(
        new_received=rows["new_received"][total],
        results_total=rows[fmt.RESULTS_TOTAL_KEY][total],
        reconsideration=appeals["reconsideration"][total],
        litigation=sum_or_none(appeals[group][total] for group in litigation),
        corrected=sum_or_none(appeals[group]["corrected"] for group in fmt.APPEAL_GROUP_KEYS),
    )


# --- one body's line ------------------------------------------------------------------------


@dataclass(frozen=True)
class OversightLine:
    body_id: int
    code: str
    name: str
    depth: int
    deadline: datetime.date | None
    status: str
    published_on: datetime.date | None
    # Published: days after the deadline it was first published (0: in time). Not published
    # (nothing, a draft): days the deadline has passed by today. None: not due yet, no
    # deadline, or an imported original that does not say when it was published.
    days_late: int | None
    report_id: int | None = None
    version: int | None = None
    figures: KeyFigures | None = None
    errors: int = 0
    warnings: int = 0
    # The findings themselves and the repeated passages: read with the line, or only for
    # the lines shown (``reports.selectors.with_details``); ``check_key`` finds them.
    findings: tuple[Finding, ...] = ()
    repetition: Repetition | None = None
    check_key: tuple[str, str] | None = None

    @property
    def late(self) -> bool:
        return bool(self.days_late)

    @property
    def repeated_share(self) -> Decimal | None:
        return self.repetition.share if self.repetition is not None else None

    @property
    def status_label(self) -> str:
        return OversightStatus(self.status).label

    def as_json(self) -> dict:
        return {
            "body": self.code,
            "body_name": self.name,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "status": self.status,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "days_late": self.days_late,
            "errors": self.errors,
            "warnings": self.warnings,
            "repeated_share": (
                float(self.repeated_share) if self.repeated_share is not None else None
            ),
            "figures": self.figures.as_dict() if self.figures is not None else None,
        }


def days_late(
    deadline: datetime.date | None, published_on: datetime.date | None, today: datetime.date
) -> int | None:
    """See ``OversightLine.days_late``; ``published_on`` None means not published."""
    if deadline is None:
        return None
    if published_on is not None:
        return max(0, (published_on - deadline).days)
    return (today - deadline).days if today > deadline else None


@dataclass(frozen=True)
class DocumentCheck:
    """What the oversight shows of a document: its findings (and their counts), key
    figures and repetition of last year's narrative. A published or imported document's
    check is stored (``reports.models.StoredCheck``: ``as_stored`` / ``from_stored``); read
    without its details, ``findings`` is empty and the repetition has no passages."""

    findings: tuple[Finding, ...]
    figures: KeyFigures
    repetition: Repetition | None
    errors: int
    warnings: int

    def as_stored(self) -> dict:
        repeated = self.repetition
        return {
            "findings": [finding.to_dict() for finding in self.findings],
            "errors": self.errors,
            "warnings": self.warnings,
            "figures": self.figures.as_dict(),
            "repeated_characters": repeated.repeated_characters if repeated else None,
            "characters": repeated.characters if repeated else None,
            "passages": list(repeated.passages) if repeated else [],
        }

    @classmethod
    def from_stored(cls, stored: dict) -> DocumentCheck:
        repeated = None
        if stored["characters"] is not None:
            repeated = Repetition(
                stored["repeated_characters"],
                stored["characters"],
                tuple(stored.get("passages") or ()),
            )
        return cls(
            findings=tuple(Finding(**finding) for finding in stored.get("findings") or ()),
            figures=KeyFigures(**stored["figures"]),
            repetition=repeated,
            errors=stored["errors"],
            warnings=stored["warnings"],
        )


def document_check(
    document: dict, findings: Iterable[Finding], previous_narrative: dict | None
) -> DocumentCheck:
    findings = tuple(findings)
    return DocumentCheck(
        findings=findings,
        figures=key_figures(document),
        repetition=repetition(document.get("narrative"), previous_narrative),
        errors=sum(1 for finding in findings if finding.severity == ERROR),
        warnings=sum(1 for finding in findings if finding.severity == WARNING),
    )


def compared_key(previous_sha256: str, narrative_sha256: str) -> str:
    """The key of what a document is checked against: last year's published or imported
    document (its SHA-256, or "" without one; its content decides whether it is of the
    same scope and compared) and, without one, last year's draft narrative (likewise)."""
    return hashlib.sha256(f"{previous_sha256}\n{narrative_sha256}".encode()).hexdigest()


def oversight_line(
    *,
    body: dict,
    deadline: datetime.date | None,
    today: datetime.date,
    status: str = OversightStatus.NONE,
    published_on: datetime.date | None = None,
    report_id: int | None = None,
    version: int | None = None,
    check: DocumentCheck | None = None,
    check_key: tuple[str, str] | None = None,
) -> OversightLine:
    """A body's line (``body``: ``id``, ``code``, ``name``, ``depth``). An imported original
    without a publication date is not late (it says nothing of when it came out)."""
    if status == OversightStatus.IMPORTED and published_on is None:
        late = None
    else:
        published = status in (OversightStatus.PUBLISHED, OversightStatus.IMPORTED)
        late = days_late(deadline, published_on if published else None, today)
    return OversightLine(
        body_id=body["id"],
        code=body["code"],
        name=body["name"],
        depth=body["depth"],
        deadline=deadline,
        status=status,
        published_on=published_on,
        days_late=late,
        report_id=report_id,
        version=version,
        figures=check.figures if check is not None else None,
        errors=check.errors if check is not None else 0,
        warnings=check.warnings if check is not None else 0,
        findings=check.findings if check is not None else (),
        repetition=check.repetition if check is not None else None,
        check_key=check_key,
    )


# --- filters and orders ---------------------------------------------------------------------

FINDING_FILTERS = ("errors", "warnings", "any", "none")
SORT_KEYS = ("tree", "status", "days_late", "errors", "warnings", "repeated_share")
_STATUS_ORDER = {status: index for index, status in enumerate(OversightStatus.values)}


@dataclass(frozen=True)
class LineFilter:
    status: str | None = None
    late: bool | None = None
    findings: str | None = None  # one of FINDING_FILTERS
    repeated_from: Decimal | None = None  # percentage, inclusive

    def accepts(self, line: OversightLine) -> bool:
        if self.status and line.status != self.status:
            return False
        if self.late is not None and line.late != self.late:
            return False
        if self.findings == "errors" and not line.errors:
            return False
        if self.findings == "warnings" and not line.warnings:
            return False
        if self.findings == "any" and not (line.errors or line.warnings):
            return False
        if self.findings == "none" and (line.errors or line.warnings):
            return False
        if self.repeated_from is not None and (
            line.repeated_share is None or line.repeated_share < self.repeated_from
        ):
            return False
        return True


def filter_lines(lines: Iterable[OversightLine], line_filter: LineFilter) -> list[OversightLine]:
    return [line for line in lines if line_filter.accepts(line)]


def sort_lines(lines: Iterable[OversightLine], key: str = "tree") -> list[OversightLine]:
    """``key`` from ``SORT_KEYS``, ``-key`` for the other way; the tree order breaks ties
    (and lines without the value come last either way)."""
    descending = key.startswith("-")
    name = key.lstrip("-")
    lines = list(lines)  # already in tree order
    if name == "tree":
        return lines[::-1] if descending else lines

    def value(line: OversightLine):
        if name == "status":
            return _STATUS_ORDER[line.status]
        if name == "errors":
            return line.errors
        if name == "warnings":
            return line.warnings
        return getattr(line, name)

    known = [line for line in lines if value(line) is not None]
    unknown = [line for line in lines if value(line) is None]
    return sorted(known, key=value, reverse=descending) + unknown


# --- year over year -------------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    table: str
    row: str
    column: str
    label: str
    before: int | float | None
    after: int | float | None

    @property
    def change(self) -> int | float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Identity:
    """A figure of this year that last year's determines: 上年结转 = last year's 结转下年度,
    现行有效 = last year's 现行有效 + 本年制发 − 本年废止."""

    name: str
    label: str
    expected: int | None
    actual: int | None
    equation: str

    @property
    def holds(self) -> bool | None:
        if self.expected is None or self.actual is None:
            return None
        return self.expected == self.actual


@dataclass(frozen=True)
class Passage:
    kind: str  # "same", "figures_changed", "new", "dropped"
    section: str
    text: str
    before: str = ""

    @property
    def label(self) -> str:
        return str(PASSAGE_LABELS[self.kind])

    @property
    def section_label(self) -> str:
        return str(SECTION_LABELS[self.section])


PASSAGE_LABELS = {
    "same": _("与上年相同"),
    "figures_changed": _("仅数字不同"),
    "new": _("新写"),
    "dropped": _("上年有、本年删去"),
}


@dataclass(frozen=True)
class YearComparison:
    cells: tuple[CellChange, ...]
    identities: tuple[Identity, ...]
    passages: tuple[Passage, ...]
    repetition: Repetition | None = None
    tables: dict[str, tuple[CellChange, ...]] = field(default_factory=dict)

    @property
    def changed_cells(self) -> int:
        return sum(1 for cell in self.cells if cell.changed)


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cells(before: dict | None, after: dict | None) -> list[CellChange]:
    changes = []
    for table in fmt.TABLE_KEYS:
        for row, column in fmt.cells(table):
            label = f"{fmt.row_label(table, row)}·{fmt.column_label(table, column)}"
            changes.append(
                CellChange(
                    table,
                    row,
                    column,
                    label,
                    _number(fmt.cell(before, table, row, column)) if before else None,
                    _number(fmt.cell(after, table, row, column)) if after else None,
                )
            )
    return changes


def _identities(before: dict, after: dict) -> list[Identity]:
    identities = []
    for column in fmt.REQUEST_COLUMN_KEYS:
        forward = before["requests"]["rows"]["carried_forward"][column]
        carried = after["requests"]["rows"]["carried_over"][column]
        identities.append(
            Identity(
                "carry_over",
                _("上年结转·%(column)s") % {"column": fmt.REQUEST_COLUMN_LABELS[column]},
                forward,
                carried,
                _("本年上年结转 %(actual)s ＝ 上年结转下年度 %(expected)s")
                % {"actual": _shown(carried), "expected": _shown(forward)},
            )
        )
    for row in fmt.DOCUMENT_ROW_KEYS:
        last = before["proactive"][row]["in_force"]
        cells = after["proactive"][row]
        expected = sum_or_none([last, cells["issued"]])
        if expected is not None and cells["repealed"] is not None:
            expected -= cells["repealed"]
        else:
            expected = None
        identities.append(
            Identity(
                "in_force",
                _("%(row)s·现行有效") % {"row": fmt.PROACTIVE_ROW_LABELS[row]},
                expected,
                cells["in_force"],
                _(
                    "本年现行有效 %(actual)s ＝ 上年现行有效 %(last)s ＋ 本年制发 %(issued)s "
                    "－ 本年废止 %(repealed)s"
                )
                % {
                    "actual": _shown(cells["in_force"]),
                    "last": _shown(last),
                    "issued": _shown(cells["issued"]),
                    "repealed": _shown(cells["repealed"]),
                },
            )
        )
    return identities


def _shown(value) -> str:
    return "—" if value is None else str(value)


def _passages(before: dict | None, after: dict | None) -> list[Passage]:
    earlier: dict[str, str] = {}
    for text in narrative_text(before):
        for sentence in sentences(text):
            earlier.setdefault(sentence_key(sentence), sentence)
    used: set[str] = set()
    passages: list[Passage] = []
    for section, text in zip(NARRATIVE_KEYS, narrative_text(after), strict=True):
        for sentence in sentences(text):
            key = sentence_key(sentence)
            if key in earlier:
                used.add(key)
                old = earlier[key]
                same = _SPACE.sub("", old) == _SPACE.sub("", sentence)
                kind = "same" if same else "figures_changed"
                passages.append(Passage(kind, section, sentence, "" if same else old))
            else:
                passages.append(Passage("new", section, sentence))
    for section, text in zip(NARRATIVE_KEYS, narrative_text(before), strict=True):
        for sentence in sentences(text):
            if sentence_key(sentence) not in used:
                passages.append(Passage("dropped", section, sentence))
    return passages


def compare_documents(before: dict | None, after: dict | None) -> YearComparison:
    """Last year's document ``before`` and this year's ``after`` side by side (either may
    be missing: a body without a report either year)."""
    cells = _cells(before, after)
    tables = {table: tuple(c for c in cells if c.table == table) for table in fmt.TABLE_KEYS}
    return YearComparison(
        cells=tuple(cells),
        identities=tuple(_identities(before, after)) if before and after else (),
        passages=tuple(
            _passages(before.get("narrative") if before else None, after.get("narrative"))
        )
        if after
        else (),
        repetition=repetition(after.get("narrative"), before.get("narrative"))
        if before and after
        else None,
        tables=tables,
    )


SECTION_LABELS = {
    "opening": _("开头段"),
    "overview": fmt.TABLE_LABELS["overview"],
    "problems": fmt.TABLE_LABELS["problems"],
    "other_matters": fmt.TABLE_LABELS["other_matters"],
}


def finding_place(finding: Finding) -> str:
    """Where a finding is, as the format names it: 表三·本年新收·自然人, 五、存在的主要问题…"""
    if finding.table == "narrative":
        return str(SECTION_LABELS.get(finding.row, _("正文")))
    place = f"{fmt.TABLE_LABELS[finding.table]}·{fmt.row_label(finding.table, finding.row)}"
    if finding.column:
        place += f"·{fmt.column_label(finding.table, finding.column)}"
    return place
