"""Shared builders for the report engine tests: expected tables written as sparse cells."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from reports import format as fmt
from reports.document import tables_as_json

SEED_DIR = Path(__file__).resolve().parent / "seeds"


def tables(
    requests: dict[tuple[str, str], int] | None = None,
    appeals: dict[tuple[str, str], int] | None = None,
    proactive: dict[tuple[str, str], object] | None = None,
) -> dict:
    """Full tables from sparse applicant cells; totals are filled in as the format adds them."""
    result = fmt.empty_tables()
    rows = result["requests"]["rows"]
    for (row, column), value in (requests or {}).items():
        rows[row][column] = value
    for column in fmt.APPLICANT_COLUMN_KEYS:
        rows[fmt.RESULTS_TOTAL_KEY][column] = sum(rows[row][column] for row in fmt.RESULT_ROW_KEYS)
    for row in rows.values():
        row["total"] = sum(row[column] for column in fmt.APPLICANT_COLUMN_KEYS)
    for (group, column), value in (appeals or {}).items():
        result["appeals"][group][column] = value
    for group in result["appeals"].values():
        group["total"] = sum(group[column] for column in fmt.APPEAL_PART_KEYS)
    for (row, column), value in (proactive or {}).items():
        result["proactive"][row][column] = value
    return result


def document(code: str, year: int, scope: str = "own", **sparse) -> dict:
    """A schema document (fees as a JSON number) with the given sparse cells."""
    return {"body": code, "year": year, "scope": scope, **tables_as_json(tables(**sparse))}


def seed_document() -> dict:
    return copy.deepcopy(json.loads((SEED_DIR / "wuwei-2023-expected.json").read_text("utf-8")))


def seed_findings() -> list[dict]:
    return json.loads((SEED_DIR / "wuwei-2023-findings.json").read_text("utf-8"))["findings"]
