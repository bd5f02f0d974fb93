"""Column widths of the printed tables (``reports.exports.paper``): figures whole, header
words broken only between two-character words, the row labels taking the rest."""

from __future__ import annotations

import pytest

from reports.exports.layout import table_layout
from reports.exports.paper import column_plan, header_lines, header_words, text_em
from tests.reports.engine_data import seed_document


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("社会公益组织", ("社会", "公益", "组织")),
        ("结果维持", ("结果", "维持")),
        ("总计", ("总计",)),
        ("（三）不予公开", ("（三）", "不予", "公开")),
        ("本年收费金额（单位：万元）", ()),
    ],
)
def test_header_words_are_two_character_words(text, words):
    assert header_words(text) == words


def test_header_lines_keep_words_whole_and_an_enumeration_apart():
    assert header_lines("社会公益组织", 4) == ["社会公益", "组织"]
    assert header_lines("（四）无法提供", 4) == ["（四）", "无法提供"]
    assert header_lines("自然人", 4) == ["自然人"]


def test_text_em_counts_cjk_as_one_em_and_digits_as_the_widest_serifs():
    assert text_em("1.本机关") == pytest.approx(3 + 2 * 0.64)
    assert text_em("1234567") == pytest.approx(4.48)


def requests_with(value: int):
    doc = seed_document()
    for row in doc["requests"]["rows"].values():
        for column in row:
            row[column] = value
    return table_layout(doc, "requests")


def test_table_3_of_the_seed_has_two_characters_a_line_and_labels_take_the_rest():
    plan = column_plan(table_layout(seed_document(), "requests"), 38.0, one_line_labels=False)

    assert (plan.chars_per_line, plan.fits) == (2, True)
    assert plan.widths[:2] == (1.8, 4.5)
    assert plan.widths[3:] == (2.5,) * 7
    assert sum(plan.widths) == pytest.approx(38.0)


@pytest.mark.parametrize(
    ("value", "chars", "data"),
    [(999, 2, 2.5), (1000, 2, 2.56), (99999, 4, 4.5), (1_234_567, 4, 4.48 + 0.02)],
)
def test_a_data_column_holds_its_widest_figure_and_less_than_one_more_character(value, chars, data):
    plan = column_plan(requests_with(value), 36.0, one_line_labels=False)

    assert plan.chars_per_line == chars
    assert plan.widths[3] == pytest.approx(max(data, chars + 0.5), abs=0.03)
    assert text_em(str(value)) <= plan.widths[3] < chars + 1


def test_with_room_the_headers_stand_on_one_line():
    plan = column_plan(table_layout(seed_document(), "appeals"), 80.0, one_line_labels=True)

    assert plan.chars_per_line == 4  # 结果维持
    assert plan.widths == (4.5,) * 15


def test_a_table_too_wide_for_the_page_says_so_and_is_the_narrowest():
    plan = column_plan(requests_with(1_234_567), 30.0, one_line_labels=False)

    assert (plan.fits, plan.chars_per_line) == (False, 4)
    assert plan.widths == (1.8, 4.5, 10.0, *(4.5,) * 7)


def test_one_line_labels_are_as_wide_as_the_longest_label():
    plan = column_plan(table_layout(seed_document(), "requests"), 200.0, one_line_labels=True)
    longest = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"

    assert plan.widths[2] == pytest.approx(text_em(longest) + 0.5)
