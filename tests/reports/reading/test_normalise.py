from __future__ import annotations

from decimal import Decimal

import pytest

from reports.reading.normalise import (
    NotAFigure,
    ends_sentence,
    is_page_number,
    label_key,
    parse_figure,
    row_number,
    split_text_cells,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("421808", 421808),
        ("421,808", 421808),
        ("４２１８０８", 421808),
        ("４２１，８０８", 421808),
        (" 2 5\n5 ", 255),  # a figure wrapped inside a drawn cell
        ("123.45", Decimal("123.45")),
        ("", None),
        ("—", None),
        ("-", None),
        ("/", None),
        ("※", None),
        ("※（空白）", None),
        ("无", None),
    ],
)
def test_parse_figure_reads_figures_and_blanks(text, value):
    assert parse_figure(text) == value


@pytest.mark.parametrize("text", ["政许可", "1.属于国家秘密", "(-)", "-3", "12%", "4,21"])
def test_parse_figure_refuses_what_is_no_figure(text):
    with pytest.raises(NotAFigure):
        parse_figure(text)


@pytest.mark.parametrize(
    ("text", "bare", "expected"),
    [
        ("— 5 —", False, True),
        ("-12-", False, True),
        ("第 5 页", False, True),
        ("第5页 共9页", False, True),
        ("5/9", False, True),
        ("5", False, False),
        ("5", True, True),
        ("一、总体情况", True, False),
        ("2023年", True, False),
    ],
)
def test_is_page_number(text, bare, expected):
    assert is_page_number(text, bare=bare) is expected


def test_split_text_cells_keeps_tab_positions_and_splits_figures_from_words():
    assert split_text_cells("\t\t1.申请人\t\t0\t3\t\t") == (
        ("", "", "1.申请人", "", "0", "3", "", ""),
        True,
        None,
    )
    assert split_text_cells("行政处罚\t5 政处罚 351867\t")[:2] == (
        ("行政处罚", "5", "政处罚", "351867", ""),
        False,
    )
    assert split_text_cells("1.本机关不掌握相关政府 信息") == (
        ("1.本机关不掌握相关政府 信息",),
        False,
        (13.5,),
    )


def test_split_text_cells_gives_the_columns_of_a_monospaced_layout():
    # 规章 is four columns wide; the figures are centred on columns 8.5, 16.5 and 24.5.
    assert split_text_cells("规章    1       0       4") == (
        ("规章", "1", "0", "4"),
        False,
        (2.0, 8.5, 16.5, 24.5),
    )
    assert split_text_cells("规章    1               4")[2] == (2.0, 8.5, 24.5)


def test_label_key_keeps_letters_digits_and_cjk_after_nfkc():
    assert label_key("（一）予以公开") == label_key("(一) 予以公开") == "一予以公开"
    assert label_key("3.危及“三安全一稳定”") == "3危及三安全一稳定"
    assert row_number("２．重复申请") == 2
    assert row_number("（七）总计") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("转载发布上级政策信息68条次。", True),
        ("主要表现在:", True),
        ("其中凉州区公开 17.63 万余条)。", True),
        ("“愿意看、能看懂、用得上。”", True),
        ("整理公开热点回应问答2538条次,", False),
        ("政务公开个人信息去", False),
        ("(含上年度转结)", False),
    ],
)
def test_ends_sentence(text, expected):
    assert ends_sentence(text) is expected
