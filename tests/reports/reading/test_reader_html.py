"""``read_report`` on a web page saved from a government site (lxml: tables as tables):
the 民勤县 fixture (invented figures) — nested divs, ``<td>`` with ``<p>``, ``&nbsp;``,
merged headers, a thousands separator, full-width digits, a blank cell and a single
（六）其他处理 row printed 0 — and damaged copies of it."""

from __future__ import annotations

import pytest

from reports.reading.reader import read_report
from reports.reading.selectors import BodyIndex
from tests.factories import BodyFactory
from tests.reports.reading.data import (
    MINQIN_FINDINGS,
    MINQIN_GROUP_ROWS,
    MINQIN_REPAIRS,
    cell_differences,
    findings_of,
    minqin_html,
    minqin_tables,
    repairs_of,
    with_cells,
)

NO_BODIES = BodyIndex([])


def read(html: str, **options):
    options.setdefault("bodies", NO_BODIES)
    return read_report(html.encode("utf-8"), "minqin-2023.html", **options)


def test_a_government_site_page_gives_every_cell():
    reading = read(minqin_html())
    assert reading.source.kind == "html"
    assert cell_differences(reading.document, minqin_tables()) == []
    assert repairs_of(reading) == MINQIN_REPAIRS
    assert reading.unresolved == []
    assert findings_of(reading) == MINQIN_FINDINGS


def test_the_single_other_handling_row_printed_zero_gives_its_three_rows_zero():
    reading = read(minqin_html())
    group = [r for r in reading.repairs if r.cell[1] in MINQIN_GROUP_ROWS]
    assert len(group) == 21
    assert {r.identity for r in group} == {"group_sum"}
    assert group[0].equation == (
        "原文“（六）其他处理”只印一行合计，自然人列：合计＝各分项之和。（六）其他处理 0 ＝ "
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 □ ＋ "
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 □ ＋ 3.其他 □"
        "（件数不能为负，各项均为 0），得 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 ＝ 0"
    )


def test_the_blank_cell_is_repaired_by_its_row_total():
    reading = read(minqin_html())
    repair = reading.repairs[0]
    assert (repair.cell, repair.value, repair.identity, repair.confirmed_by) == (
        ("requests", "granted", "research_institution"),
        1,
        "row_total",
        ("results_total",),
    )


def test_the_article_is_read_without_the_sites_menus_and_footer():
    reading = read(minqin_html())
    document = reading.document
    assert (document["body"], document["body_name"], document["year"], document["scope"]) == (
        "",
        "民勤县人民政府",
        2023,
        "all",
    )
    narrative = document["narrative"]
    assert narrative["opening"].startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert narrative["overview"].split("\n\n")[:2] == [
        "2023年，民勤县坚持以公开为常态、不公开为例外，全面推进政务公开工作。",
        "（一）主动公开",
    ]
    # A <br> inside an unfinished sentence is a wrap, not a paragraph.
    assert "开展文件清理，全年共清理规范性文件12件。" in narrative["overview"]
    assert narrative["other_matters"] == "本年度未收取信息处理费。"
    everything = "".join(narrative.values())
    for chrome in ("首页", "网站标识码", "发布时间", "浏览次数", "打印本页", "政务服务"):
        assert chrome not in everything
    assert "cover_letter" not in document


@pytest.mark.django_db
def test_a_county_named_in_the_title_is_its_peoples_government():
    BodyFactory(code="minqin", name="民勤县人民政府", kind="government")
    reading = read_report(minqin_html().encode(), "minqin.html")
    assert (reading.document["body"], reading.document["body_name"]) == ("minqin", "民勤县人民政府")


def test_a_page_in_gbk_is_read():
    html = minqin_html().replace("charset=utf-8", "charset=gb2312")
    reading = read_report(html.encode("gb18030"), "minqin.htm", bodies=NO_BODIES)
    assert cell_differences(reading.document, minqin_tables()) == []


def _damaged() -> str:
    html = minqin_html()
    header = html[
        html.index('<tr><td colspan="3" rowspan="3">') : html.index('<tr><td colspan="3"><p>一、')
    ]
    replacements = {
        # Misprinted labels: one still close to the format's, one beyond recognition.
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "（二）部份公开（区分处理，只计此情形，不计其它）",
        "2.没有现成信息需要另行制作": "2.#@※ 现成讯息",
        # The table split over two pages: closed, and opened again under its header.
        '<tr><td rowspan="3"><p>（四）无法提供</p></td>': (
            '</tbody></table><p>— 3 —</p><table border="1"><tbody>'
            + header
            + '<tr><td rowspan="3"><p>（四）无法提供</p></td>'
        ),
        # A blank in table 二, which has no identity to repair it.
        '<p align="center">45</p>': '<p align="center">—</p>',
    }
    for old, new in replacements.items():
        assert html.count(old) == 1, old
        html = html.replace(old, new)
    return html


def test_a_damaged_copy_misprinted_split_and_blanked_is_read_with_the_blank_listed():
    reading = read(_damaged())
    expected = with_cells(minqin_tables(), {("proactive", "enforcement", "decisions"): None})
    assert cell_differences(reading.document, expected) == []
    assert repairs_of(reading) == MINQIN_REPAIRS
    assert [(u["table"], u["row"], u["column"]) for u in reading.unresolved] == [
        ("proactive", "enforcement", "decisions")
    ]
    assert findings_of(reading) == [
        ("blank_cell", "error", "proactive", "enforcement", "decisions", None, None),
        *MINQIN_FINDINGS,
    ]
    matched = read_tables_matched(_damaged())
    assert matched["partially_granted"] == "label"
    assert matched["unable_needs_creation"] == "position"


def read_tables_matched(html: str) -> dict:
    from reports.reading.parse import parse
    from reports.reading.readers import read_source

    return parse(read_source(html.encode(), "page.html")).tables["requests"].matched_by


def test_columns_are_taken_in_the_order_the_header_names_them():
    html = minqin_html()
    # 法律服务机构 and 其他 printed the other way round, header and figures alike.
    header = '<td><p align="center">法律服务<br>机构</p></td><td><p align="center">其他</p></td>'
    assert html.count(header) == 1
    html = html.replace(
        header, '<td><p align="center">其他</p></td><td><p align="center">法律服务<br>机构</p></td>'
    )
    start = html.index("一、本年新收政府信息公开申请数量")
    end = html.index("</table>", start)
    rows = html[start:end].split("</tr>")
    for index, row in enumerate(rows):
        cells = row.split("<td>")
        if len(cells) >= 8:  # a row of figures: swap its 5th and 6th
            cells[-3], cells[-2] = cells[-2], cells[-3]
            rows[index] = "<td>".join(cells)
    html = html[:start] + "</tr>".join(rows) + html[end:]
    reading = read(html)
    assert cell_differences(reading.document, minqin_tables()) == []
    assert repairs_of(reading) == MINQIN_REPAIRS
    assert findings_of(reading) == MINQIN_FINDINGS
