"""Shared data of the reading tests: the seed text and its expected document, the
government-site HTML fixture (民勤县, invented figures) and its expected tables, and
comparisons that name every differing cell."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from reports import format as fmt
from tests.reports.engine_data import seed_document, seed_findings, tables

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED_TEXT = SEEDS / "wuwei-2023-annual-report.txt"
MINQIN_HTML = FIXTURES / "minqin-2023.html"

# wuwei-2023-notes.json, "repairs": the two cells the text lost (six numbers for seven
# columns in the (六)1 and (六)2 rows), with the values the identities give.
SEED_REPAIRS = [
    ("requests", "other_no_correction", "natural_person", 3),
    ("requests", "other_fee_unpaid", "natural_person", 0),
]


def seed_text() -> str:
    return SEED_TEXT.read_text("utf-8")


def seed_notes() -> dict:
    return json.loads((SEEDS / "wuwei-2023-notes.json").read_text("utf-8"))


def minqin_html() -> str:
    return MINQIN_HTML.read_text("utf-8")


def minqin_tables() -> dict:
    """The tables the HTML fixture prints (its one blank cell, 予以公开·科研机构, is 1)."""
    result = tables(
        requests={
            ("new_received", "natural_person"): 40,
            ("new_received", "commercial_enterprise"): 5,
            ("new_received", "research_institution"): 1,
            ("new_received", "legal_service_org"): 1,
            ("new_received", "other_org"): 2,
            ("carried_over", "natural_person"): 3,
            ("granted", "natural_person"): 20,
            ("granted", "commercial_enterprise"): 2,
            ("granted", "research_institution"): 1,
            ("granted", "other_org"): 1,
            ("partially_granted", "natural_person"): 5,
            ("partially_granted", "commercial_enterprise"): 1,
            ("denied_law_prohibited", "natural_person"): 1,
            ("denied_third_party", "natural_person"): 2,
            ("unable_not_held", "natural_person"): 8,
            ("unable_not_held", "commercial_enterprise"): 1,
            ("unable_not_held", "legal_service_org"): 1,
            ("unable_needs_creation", "natural_person"): 2,
            ("unable_unclear", "natural_person"): 1,
            ("rejected_duplicate", "natural_person"): 1,
            ("carried_forward", "natural_person"): 3,
            ("carried_forward", "commercial_enterprise"): 1,
            ("carried_forward", "other_org"): 1,
        },
        appeals={
            ("reconsideration", "upheld"): 2,
            ("reconsideration", "corrected"): 1,
            ("reconsideration", "pending"): 1,
            ("litigation_direct", "upheld"): 1,
            ("litigation_after_reconsideration", "pending"): 1,
        },
        proactive={
            ("normative_documents", "issued"): 3,
            ("normative_documents", "repealed"): 1,
            ("normative_documents", "in_force"): 18,
            ("licensing", "decisions"): 12345,
            ("penalty", "decisions"): 876,
            ("enforcement", "decisions"): 45,
        },
    )
    result["proactive"]["fees"]["amount_10k_yuan"] = 123.45
    return result


MINQIN_GROUP_ROWS = ("other_no_correction", "other_fee_unpaid", "other_other")
# The page says 结果纠正2件 of the reconsiderations; table 四 says 1.
MINQIN_FINDINGS = [("narrative_figure", "warning", "narrative", "overview", None, 1, 2)]
MINQIN_REPAIRS = [("requests", "granted", "research_institution", 1)] + [
    ("requests", row, column, 0) for row in MINQIN_GROUP_ROWS for column in fmt.REQUEST_COLUMN_KEYS
]


def cell_differences(document: dict, expected: dict) -> list[str]:
    """Every cell of the three tables (200) where ``document`` differs from ``expected``."""
    differences = []
    for table in fmt.TABLE_KEYS:
        for row, column in fmt.cells(table):
            got = fmt.cell(document, table, row, column)
            wanted = fmt.cell(expected, table, row, column)
            if got != wanted or type(got) is not type(wanted):
                differences.append(f"{table}.{row}.{column}: {got!r} != {wanted!r}")
    return differences


def cell_count() -> int:
    return sum(len(fmt.cells(table)) for table in fmt.TABLE_KEYS)


def with_cells(document: dict, changes: dict[tuple[str, str, str], object]) -> dict:
    result = copy.deepcopy(document)
    for (table, row, column), value in changes.items():
        fmt.table_rows(result, table)[row][column] = value
    return result


def repairs_of(reading) -> list[tuple]:
    return [(r.cell[0], r.cell[1], r.cell[2], r.value) for r in reading.repairs]


def unresolved_of(reading) -> list[tuple]:
    return [(u["table"], u["row"], u["column"]) for u in reading.unresolved]


def findings_of(reading) -> list[tuple]:
    return [
        (f.rule, f.severity, f.table, f.row, f.column, f.expected, f.actual)
        for f in reading.findings
    ]


def seed_finding_tuples() -> list[tuple]:
    return [
        (f["rule"], f["severity"], f["table"], f["row"], f["column"], f["expected"], f["actual"])
        for f in seed_findings()
    ]


def assert_seed_findings(reading) -> None:
    """Exactly the seed's three findings, each quoting the given text (whitespace aside:
    a PDF's layout decides where spaces fall)."""
    assert findings_of(reading) == seed_finding_tuples()
    for finding, wanted in zip(reading.findings, seed_findings(), strict=True):
        assert squash(wanted["quote_contains"]) in squash(finding.quote)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def printed_narrative(text: str) -> str:
    """A narrative as the product prints it (PDF, Word): without the Markdown-style bullet
    markers, without whitespace (a PDF's layout decides where spaces fall)."""
    return squash(re.sub(r"(?m)^- ", "", text))


__all__ = ["seed_document", "seed_findings"]
