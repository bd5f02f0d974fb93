from __future__ import annotations

from decimal import Decimal

from reports import format as fmt
from reports.reading.source import Line
from reports.reading.tables import BLANK, LOST, PRINTED, read_appeals, read_proactive, read_requests


def row(*cells: str | None, xs=None, grid=False) -> Line:
    return Line(text="\t".join(c or "" for c in cells), cells=cells, grid=grid, xs=xs)


def request_lines(overrides: dict[str, tuple] | None = None) -> list[Line]:
    """Every row of table 三 as a drawn table: label, then seven figures (row number + 1)."""
    overrides = overrides or {}
    result = []
    for number, item in enumerate(fmt.REQUEST_ROWS, start=1):
        if item.key in overrides:
            cells = overrides[item.key]
            if cells is None:
                continue
        else:
            cells = (item.label, *[str(number)] * 7)
        result.append(row(*cells, grid=True))
    return result


def values(table, row_key):
    return [table.cells[(row_key, column)].value for column in fmt.REQUEST_COLUMN_KEYS]


def test_every_row_is_matched_by_its_label():
    table = read_requests(request_lines())
    assert set(table.matched_by.values()) == {"label"}
    assert values(table, "results_total") == [24] * 7


def test_a_misprinted_label_between_two_matched_rows_takes_the_place_by_position():
    table = read_requests(request_lines({"unable_needs_creation": ("PUTF", *["14"] * 7)}))
    assert table.matched_by["unable_needs_creation"] == "position"
    assert values(table, "unable_needs_creation") == [14] * 7


def test_a_misprinted_label_whose_number_contradicts_its_place_is_not_placed():
    lines = request_lines({"unable_needs_creation": ("3.%%%%", *["14"] * 7)})
    table = read_requests(lines)
    assert "unable_needs_creation" not in table.matched_by
    assert {table.cells[("unable_needs_creation", c)].state for c in fmt.REQUEST_COLUMN_KEYS} == {
        LOST
    }


def test_a_missing_row_is_lost_with_the_reason():
    table = read_requests(request_lines({"rejected_excessive": None}))
    cell = table.cells[("rejected_excessive", "total")]
    assert (cell.value, cell.state, cell.reason) == (None, LOST, "原文中找不到这一行。")


def test_blank_cells_of_a_drawn_table_are_printed_blanks():
    lines = request_lines({"granted": ("（一）予以公开", "5", "", "—", "※", "0", "0", "5")})
    table = read_requests(lines)
    assert [table.cells[("granted", c)].state for c in fmt.REQUEST_COLUMN_KEYS] == [
        PRINTED, BLANK, BLANK, BLANK, PRINTED, PRINTED, PRINTED
    ]  # fmt: skip


def test_a_row_with_fewer_figures_is_placed_by_their_positions_when_the_source_gives_them():
    xs = (10.0, *[100.0 + 50 * c for c in range(7)])
    lines = [
        row(item.label, *["1"] * 7, xs=xs) for item in fmt.REQUEST_ROWS if item.key != "granted"
    ]
    lines.insert(2, row("（一）予以公开", "4", "4", xs=(10.0, 100.0, 400.0)))
    table = read_requests(lines)
    assert values(table, "granted") == [4, None, None, None, None, None, 4]
    assert table.cells[("granted", "commercial_enterprise")].state == BLANK


def test_a_row_with_fewer_figures_and_no_positions_is_lost():
    lines = request_lines()
    lines[2] = row("（一）予以公开", "4", "4")
    table = read_requests(lines)
    assert table.cells[("granted", "natural_person")].reason == (
        "该行只印有 2 个数字，少于 7 列，无法确定缺的是哪一列。"
    )


def test_a_group_printed_as_one_row_keeps_its_sums():
    lines = request_lines(
        {
            "other_no_correction": ("（六）其他处理", "3", "0", "0", "0", "0", "0", "3"),
            "other_fee_unpaid": None,
            "other_other": None,
        }
    )
    table = read_requests(lines)
    (group,) = table.group_sums
    assert (group.label, group.rows) == (
        "（六）其他处理",
        ("other_no_correction", "other_fee_unpaid", "other_other"),
    )
    assert list(group.values.values()) == [3, 0, 0, 0, 0, 0, 3]
    assert table.cells[("other_other", "total")].state == LOST


def test_table_two_takes_the_last_figures_of_each_row():
    lines = [
        row("第二十条第（一）项"),
        row("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        row("规章", "1", "", "4", "", ""),
        row("行政规范性文件", "2", "0", "26"),
        row("行政许可", "政许可", "421,808"),
        row("行政处罚", "5", "政处罚", "351867"),
        row("行政强制", "1129"),
        row("行政事业性收费", "22910.5"),
    ]
    table = read_proactive(lines)
    assert {key: cell.value for key, cell in table.cells.items()} == {
        ("rules", "issued"): 1,
        ("rules", "repealed"): None,
        ("rules", "in_force"): 4,
        ("normative_documents", "issued"): 2,
        ("normative_documents", "repealed"): 0,
        ("normative_documents", "in_force"): 26,
        ("licensing", "decisions"): 421808,
        ("penalty", "decisions"): 351867,
        ("enforcement", "decisions"): 1129,
        ("fees", "amount_10k_yuan"): Decimal("22910.5"),
    }


def test_a_fraction_in_a_count_cell_is_no_count():
    lines = [row("行政许可", "12.5")]
    cell = read_proactive(lines).cells[("licensing", "decisions")]
    assert (cell.value, cell.state) == (None, LOST)


def test_table_four_as_one_row_of_fifteen_or_as_three_named_rows():
    wide = read_appeals([row(*[str(n) for n in range(15)])])
    assert wide.cells[("litigation_after_reconsideration", "total")].value == 14
    named = read_appeals(
        [
            row("行政复议", "1", "2", "3", "4", "10"),
            row("行政诉讼·未经复议直接起诉", "0", "0", "0", "0", "0"),
            row("复议后起诉", "1", "0", "0", "0", "1"),
        ]
    )
    assert named.cells[("reconsideration", "total")].value == 10
    assert named.cells[("litigation_after_reconsideration", "upheld")].value == 1


def test_table_four_with_the_wrong_number_of_figures_is_lost():
    table = read_appeals([row(*["1"] * 14)])
    assert {cell.state for cell in table.cells.values()} == {LOST}


def test_a_row_of_evenly_spaced_figures_places_a_gap_between_its_ends():
    xs = tuple(10.0 * n for n in range(15) if n != 6)
    table = read_appeals([row(*[str(n) for n in range(15) if n != 6], xs=xs)])
    assert table.cells[("litigation_direct", "corrected")].state == BLANK
    assert table.cells[("litigation_direct", "other")].value == 7
    # Missing at an end, the gap cannot be told from the margin: nothing is placed.
    ends = read_appeals([row(*[str(n) for n in range(14)], xs=tuple(10.0 * n for n in range(14)))])
    assert {cell.state for cell in ends.cells.values()} == {LOST}
