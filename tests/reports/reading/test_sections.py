from __future__ import annotations

import pytest

from reports.reading.sections import (
    cover_letter,
    find_layout,
    find_title,
    government_name,
    narrative,
    scope_by_name,
    stated_scope,
)
from reports.reading.source import BREAK, PARAGRAPH, WRAP, Line


def lines(*texts: str, gap: str = PARAGRAPH) -> list[Line]:
    return [Line(text=text, cells=(text,), gap=gap) for text in texts]


@pytest.mark.parametrize(
    ("title", "name", "year"),
    [
        ("武威市 2023 年政府信息公开工作年度报告", "武威市", 2023),
        ("武威市教育局2023年度政府信息公开工作年度报告", "武威市教育局", 2023),
        ("2022年凉州区政府信息公开工作年度报告", "凉州区", 2022),
        ("民勤县人民政府政府信息公开工作2024年度报告", "民勤县人民政府", 2024),
        ("古浪县2023年政府信息公开工作年度报告（全文）", "古浪县", 2023),
        ("兰州市第55中学2023年政府信息公开工作年度报告", "兰州市第55中学", 2023),
        (
            "武威市12345政务服务便民热线2024年度政府信息公开工作年度报告",
            "武威市12345政务服务便民热线",
            2024,
        ),
    ],
)
def test_the_title_gives_the_body_name_and_year(title, name, year):
    found = find_title(lines("首页", title, "正文"))
    assert (found.name, found.year, found.index) == (name, year, 1)


def test_a_title_wrapped_over_two_lines_is_joined_and_the_cover_letter_is_not_a_title():
    found = find_title(
        lines(
            "关于报送武威市人民政府 2023 年",
            "政府信息公开工作年度报告的函",
            "现将《武威市 2023 年政府信息公开工作年度报告》报来,",
            "武威市人民政府 2023 年",
            "政府信息公开工作年度报告",
        )
    )
    assert (found.start, found.index, found.name, found.year) == (3, 4, "武威市人民政府", 2023)


def test_a_date_line_joined_before_a_wrapped_title_is_not_part_of_the_name():
    found = find_title(lines("2024年1月20日", "武威市第3中学 2023 年", "政府信息公开工作年度报告"))
    assert (found.start, found.index, found.name) == (1, 2, "武威市第3中学")


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("武威市", "武威市人民政府"),
        ("天祝藏族自治县", "天祝藏族自治县人民政府"),
        ("黄羊镇", "黄羊镇人民政府"),
        ("东大街街道", "东大街街道办事处"),
        ("武威市教育局", "武威市教育局"),
        ("武威市人民政府", "武威市人民政府"),
        ("武威工业园区", "武威工业园区"),
    ],
)
def test_a_place_name_stands_for_its_peoples_government(name, full):
    assert government_name(name) == full


def test_scope_as_stated_else_by_name():
    title = find_title(lines("武威市本级2023年政府信息公开工作年度报告"))
    assert stated_scope(title) == "level"
    assert stated_scope(find_title(lines("武威市2023年政府信息公开工作年度报告"))) is None
    assert scope_by_name("武威市人民政府") == "all"
    assert scope_by_name("武威市教育局") == "own"


def test_sections_are_found_in_order_and_a_table_row_numbered_like_a_section_is_not_one():
    layout = find_layout(
        lines(
            "某县2023年政府信息公开工作年度报告",
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量",
            "四、结转下年度继续办理",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        )
    )
    assert layout.title.index == 0
    assert layout.headings == {
        "overview": 1,
        "proactive": 2,
        "requests": 3,
        "appeals": 6,
        "problems": 7,
        "other_matters": 8,
    }


def test_narrative_rejoins_wrapped_lines_and_sentences_broken_by_a_page():
    text = narrative(
        [
            Line(text="2023年，全县公开信息", cells=(), gap=PARAGRAPH),
            Line(text="1.2万条。", cells=(), gap=WRAP),
            Line(text="（一）主动公开", cells=(), gap=PARAGRAPH),
            Line(text="- 一是公开规章。", cells=(), gap=PARAGRAPH),
            Line(text="- 二是整理问答2538条次,", cells=(), gap=BREAK),
            Line(text="转载信息68条次。", cells=(), gap=PARAGRAPH),  # after a page break
            Line(text="四是深化基层公开。", cells=(), gap=PARAGRAPH),
        ]
    )
    assert text == (
        "2023年，全县公开信息1.2万条。\n\n（一）主动公开\n\n"
        "- 一是公开规章。\n- 二是整理问答2538条次,转载信息68条次。\n\n四是深化基层公开。"
    )


def test_the_cover_letter_gives_number_addressee_text_and_date():
    letter = cover_letter(
        lines(
            "武威市人民政府",
            "武政函〔2024〕15 号",
            "武威市人民政府",
            "关于报送武威市 2023 年政府信息公开工作年度报告的函",
            "省政府信息公开办：",
            "现将《武威市 2023 年政府信息公开工作年度报告》报来，",
            "请审示。",
            "武威市人民政府",
            "2024 年 2 月 21 日",
        )
    )
    assert letter == {
        "number": "武政函〔2024〕15 号",
        "addressee": "省政府信息公开办",
        "body_text": "现将《武威市 2023 年政府信息公开工作年度报告》报来，请审示。",
        "date": "2024-02-21",
    }


def test_without_number_or_addressee_there_is_no_cover_letter():
    assert cover_letter(lines("武威市人民政府", "网站首页")) == {}
