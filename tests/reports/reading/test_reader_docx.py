"""``read_report`` on the product's own Word file (python-docx: tables as tables)."""

from __future__ import annotations

from reports import exports
from reports.reading.reader import read_report
from reports.reading.selectors import BodyIndex
from tests.reports.reading.data import (
    assert_seed_findings,
    cell_differences,
    printed_narrative,
    seed_document,
    with_cells,
)


def test_the_products_word_file_gives_every_cell_and_the_seed_findings():
    data = exports.render(seed_document(), "docx")
    reading = read_report(data, "wuwei-2023.docx", bodies=BodyIndex([]))
    assert reading.source.kind == "docx"
    assert cell_differences(reading.document, seed_document()) == []
    assert reading.repairs == []
    assert reading.unresolved == []
    assert_seed_findings(reading)
    for key, text in seed_document()["narrative"].items():
        assert printed_narrative(reading.document["narrative"][key]) == printed_narrative(text)
    assert reading.document["cover_letter"] == seed_document()["cover_letter"]


def test_a_blank_cell_of_the_word_file_is_repaired():
    damaged = with_cells(seed_document(), {("requests", "new_received", "total"): None})
    reading = read_report(exports.render(damaged, "docx"), "damaged.docx", bodies=BodyIndex([]))
    assert cell_differences(reading.document, seed_document()) == []
    assert [(r.cell, r.value, r.identity) for r in reading.repairs] == [
        (("requests", "new_received", "total"), 259, "balance")
    ]
    assert_seed_findings(reading)
