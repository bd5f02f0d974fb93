from __future__ import annotations

from reports import format as fmt
from reports.reading.repairs import identities, repair
from reports.reading.tables import GroupSum
from tests.reports.engine_data import document


def cells_of(doc: dict) -> dict:
    return {
        (table, row, column): fmt.cell(doc, table, row, column)
        for table in ("requests", "appeals")
        for row, column in fmt.cells(table)
    }


def consistent() -> dict:
    return cells_of(
        document(
            "x",
            2023,
            requests={
                ("new_received", "natural_person"): 10,
                ("granted", "natural_person"): 6,
                ("unable_not_held", "natural_person"): 3,
                ("carried_forward", "natural_person"): 1,
                ("new_received", "other_org"): 2,
                ("granted", "other_org"): 2,
            },
            appeals={("reconsideration", "upheld"): 2, ("reconsideration", "corrected"): 1},
        )
    )


def test_a_lost_cell_with_one_identity_is_repaired_and_the_others_confirm_it():
    values = consistent()
    values[("requests", "granted", "natural_person")] = None
    outcome = repair(values, identities())
    (found,) = outcome.repairs
    assert (found.cell, found.value, found.identity, found.confirmed_by) == (
        ("requests", "granted", "natural_person"),
        6,
        "results_total",
        ("row_total",),
    )
    assert found.equation == (
        "自然人列：（七）总计＝各项办理结果之和。（七）总计 9 ＝ 其余各项之和 3 ＋ （一）予以公开 □，"
        "得 （一）予以公开 ＝ 6"
    )
    assert outcome.unresolved == {}


def test_unknowns_adding_up_to_nothing_are_zero():
    values = consistent()
    for column in ("research_institution", "social_welfare_org"):
        values[("requests", "granted", column)] = None
        values[("requests", "unable_not_held", column)] = None
    outcome = repair(values, identities())
    assert sorted((r.cell, r.value) for r in outcome.repairs) == sorted(
        (("requests", row, column), 0)
        for row in ("granted", "unable_not_held")
        for column in ("research_institution", "social_welfare_org")
    )


def test_a_block_of_unknowns_is_not_determined():
    values = consistent()
    block = [
        ("requests", row, column)
        for row in ("granted", "unable_not_held")
        for column in ("natural_person", "other_org")
    ]
    for cell in block:
        values[cell] = None
    outcome = repair(values, identities())
    assert outcome.repairs == []
    assert list(outcome.unresolved) == sorted(block, key=list(values).index)


def test_identities_giving_different_values_repair_nothing():
    values = consistent()
    values[("requests", "granted", "natural_person")] = None
    values[("requests", "granted", "total")] = 9  # printed wrong: the row says 7, the column 6
    outcome = repair(values, identities())
    assert outcome.repairs == []
    assert outcome.unresolved[("requests", "granted", "natural_person")].startswith(
        "勾稽关系给出的值不一致"
    )
    assert values[("requests", "granted", "total")] == 9  # printed figures are never changed


def test_a_negative_value_is_not_a_repair():
    values = consistent()
    values[("appeals", "reconsideration", "pending")] = None
    values[("appeals", "reconsideration", "total")] = 2  # printed wrong: 2 + 1 already make 3
    outcome = repair(values, identities())
    assert outcome.repairs == []
    assert "负数" in outcome.unresolved[("appeals", "reconsideration", "pending")]


def test_a_group_sum_printed_zero_gives_zeros_and_non_zero_leaves_them_open():
    values = consistent()
    rows = ("other_no_correction", "other_fee_unpaid", "other_other")
    for row in rows:
        for column in fmt.REQUEST_COLUMN_KEYS:
            values[("requests", row, column)] = None
    sums = [GroupSum("（六）其他处理", rows, dict.fromkeys(fmt.REQUEST_COLUMN_KEYS, 0), "")]
    outcome = repair(values, identities(sums))
    assert len(outcome.repairs) == 21
    assert {r.identity for r in outcome.repairs} == {"group_sum"}
    open_sums = [
        GroupSum(
            "（六）其他处理",
            rows,
            {**dict.fromkeys(fmt.REQUEST_COLUMN_KEYS, 0), "other_org": 1},
            "",
        )
    ]
    # One of other_org's two granted requests is printed under (六) instead.
    values[("requests", "granted", "other_org")] = 1
    values[("requests", "granted", "total")] = 7
    outcome = repair(values, identities(open_sums))
    assert len(outcome.repairs) == 15  # the five columns printed 0
    assert sorted(outcome.unresolved) == sorted(
        ("requests", row, column) for row in rows for column in ("other_org", "total")
    )
