"""``read_report`` on plain text: the seed (the 武威市 2023 report as OCR left it) and damaged
copies of it. Each test checks every cell, the repairs and the findings."""

from __future__ import annotations

import pytest

from reports.document import validate_document
from reports.reading.errors import ReadingError
from reports.reading.reader import read_report
from reports.reading.selectors import BodyIndex
from tests.factories import BodyFactory
from tests.reports.engine_data import document as engine_document
from tests.reports.reading.data import (
    SEED_REPAIRS,
    assert_seed_findings,
    cell_count,
    cell_differences,
    findings_of,
    repairs_of,
    seed_document,
    seed_finding_tuples,
    seed_notes,
    seed_text,
    unresolved_of,
    with_cells,
)

NO_BODIES = BodyIndex([])


def read(text: str, **options):
    options.setdefault("bodies", NO_BODIES)
    return read_report(text.encode("utf-8"), "report.txt", **options)


def test_the_seed_gives_all_200_cells_of_the_expected_document():
    reading = read(seed_text())
    assert cell_count() == 200
    assert cell_differences(reading.document, seed_document()) == []


def test_the_seed_repairs_exactly_the_cells_the_notes_describe_as_lost():
    reading = read(seed_text())
    assert repairs_of(reading) == SEED_REPAIRS
    assert [(r.identity, r.confirmed_by) for r in reading.repairs] == [
        ("row_total", ("results_total",)),
        ("row_total", ("results_total",)),
    ]
    assert reading.repairs[0].equation.endswith(
        "总计 3 ＝ 自然人 □ ＋ 商业企业 0 ＋ 科研机构 0 ＋ 社会公益组织 0 ＋ 法律服务机构 0 ＋ 其他 0，"
        "得 自然人 ＝ 3"
    )
    assert reading.unresolved == []
    lost = [note for note in seed_notes()["repairs"] if "lost" in note]
    assert len(lost) == len(SEED_REPAIRS)


def test_the_seeds_garbled_label_is_placed_by_position_between_its_neighbours():
    from reports.reading.parse import parse
    from reports.reading.readers import read_source

    parsed = parse(read_source(seed_text().encode(), "wuwei.txt"))
    matched = parsed.tables["requests"].matched_by
    assert matched["unable_needs_creation"] == "position"  # printed as 'PUTF'
    assert {how for key, how in matched.items() if key != "unable_needs_creation"} == {"label"}


def test_the_seed_gives_exactly_the_seed_findings():
    assert_seed_findings(read(seed_text()))


def test_the_seed_narrative_and_cover_letter_are_the_published_text():
    reading = read(seed_text())
    expected = seed_document()
    assert reading.document["narrative"] == expected["narrative"]
    assert reading.document["cover_letter"] == expected["cover_letter"]


@pytest.mark.django_db
def test_on_an_empty_database_the_body_is_unknown_and_a_government_reports_its_whole_area():
    reading = read_report(seed_text().encode(), "wuwei.txt")
    document = reading.document
    assert (document["body"], document["body_name"], document["year"], document["scope"]) == (
        "",
        "武威市人民政府",
        2023,
        "all",
    )
    assert reading.printed_name == "武威市"
    assert validate_document(document) == document


@pytest.mark.django_db
def test_the_product_body_whose_name_matches_gives_the_code_and_the_whole_document():
    BodyFactory(code="wuwei", name="武威市人民政府", kind="government")
    BodyFactory(code="other", name="武威市人民政府办公室", kind="department")
    reading = read_report(seed_text().encode(), "wuwei.txt")
    assert reading.document == seed_document()


@pytest.mark.django_db
def test_body_and_year_given_override_the_title():
    BodyFactory(code="edu", name="某市教育局", kind="department")
    reading = read_report(seed_text().encode(), "wuwei.txt", body="edu", year=2024)
    document = reading.document
    assert (document["body"], document["body_name"], document["year"], document["scope"]) == (
        "edu",
        "某市教育局",
        2024,
        "own",
    )
    assert cell_differences(document, seed_document()) == []


@pytest.mark.django_db
def test_last_years_published_or_imported_document_of_the_same_scope_gives_the_cross_year_warnings():
    from reports.importing import report_import

    body = BodyFactory(code="wuwei", name="武威市人民政府", kind="government")
    last_year = engine_document(
        "wuwei",
        2022,
        "all",
        requests={("carried_forward", "natural_person"): 5},
        proactive={("rules", "in_force"): 3, ("normative_documents", "in_force"): 20},
    )
    report_import(actor=None, document=last_year)
    reading = read_report(seed_text().encode(), "wuwei.txt")
    assert reading.document["body"] == body.code
    assert findings_of(reading) == [
        ("carry_over", "warning", "requests", "carried_over", "natural_person", 5, 2),
        ("carry_over", "warning", "requests", "carried_over", "total", 5, 2),
        ("in_force_continuity", "warning", "proactive", "normative_documents", "in_force", 22, 26),
        *seed_finding_tuples(),
    ]


@pytest.mark.django_db
def test_last_years_document_of_another_scope_is_not_compared():
    from reports.importing import report_import

    BodyFactory(code="wuwei", name="武威市人民政府", kind="government")
    report_import(
        actor=None,
        document=engine_document(
            "wuwei", 2022, "own", requests={("carried_forward", "natural_person"): 5}
        ),
    )
    assert findings_of(read_report(seed_text().encode(), "wuwei.txt")) == seed_finding_tuples()


# --- damaged copies ------------------------------------------------------------------------


def test_a_table_split_over_two_pages_with_its_header_repeated_is_read_whole():
    text = seed_text().replace(
        "\t\t5.属于三类内部事务信息",
        "\f— 7 —\n\n武威市 2023 年政府信息公开工作年度报告\n\n"
        "\t\t\t申请人情况\n\t\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
        "\t\t5.属于三类内部事务信息",
    )
    reading = read(text)
    assert reading.source.pages == 2
    assert cell_differences(reading.document, seed_document()) == []
    assert repairs_of(reading) == SEED_REPAIRS
    assert reading.unresolved == []
    assert_seed_findings(reading)


def test_full_width_digits_and_thousands_separators_are_read():
    text = (
        seed_text()
        .replace("政许可 421808", "政许可 421,808")
        .replace("5 政处罚 351867", "5 政处罚 ３５１，８６７")
        .replace("(七)\t总计\t256", "(七)\t总计\t２５６")
    )
    reading = read(text)
    assert cell_differences(reading.document, seed_document()) == []
    assert repairs_of(reading) == SEED_REPAIRS
    assert_seed_findings(reading)


def test_a_misprinted_label_takes_the_place_left_between_its_neighbours():
    text = (
        seed_text()
        .replace("3.要求提供公开出版物", "3.要求#@公开出$物")
        .replace("2.重复申请", "乙.重夏申靖")
    )
    reading = read(text)
    assert cell_differences(reading.document, seed_document()) == []
    assert repairs_of(reading) == SEED_REPAIRS
    assert_seed_findings(reading)


def test_a_row_printing_fewer_figures_than_columns_is_lost_then_repaired_by_the_balance():
    # Spaces instead of tabs: which of the seven cells is missing cannot be told.
    text = seed_text().replace(
        "二、上\t_年结:\t转政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2",
        "二、上年结转政府信息公开申请数量 2 0 0 0 0 2",
    )
    reading = read(text)
    assert cell_differences(reading.document, seed_document()) == []
    carried = [
        (r.cell[2], r.value, r.identity) for r in reading.repairs if r.cell[1] == "carried_over"
    ]
    assert carried == [
        ("natural_person", 2, "balance"),
        ("commercial_enterprise", 0, "balance"),
        ("research_institution", 0, "balance"),
        ("social_welfare_org", 0, "balance"),
        ("legal_service_org", 0, "balance"),
        ("other_org", 0, "balance"),
        ("total", 2, "balance"),
    ]
    assert repairs_of(reading)[-2:] == SEED_REPAIRS
    assert reading.unresolved == []
    assert_seed_findings(reading)


def test_cells_the_identities_cannot_determine_stay_null_and_are_listed():
    # A 2×2 block of blanks: each row and each column has two unknowns.
    text = (
        seed_text()
        .replace("\t(-)\t予以公开\t162\t2\t", "\t(-)\t予以公开\t\t\t")
        .replace("这一情形,不计其他情形)\t0\t2\t", "这一情形,不计其他情形)\t\t\t")
    )
    reading = read(text)
    blanks = [
        ("requests", "granted", "natural_person"),
        ("requests", "granted", "commercial_enterprise"),
        ("requests", "partially_granted", "natural_person"),
        ("requests", "partially_granted", "commercial_enterprise"),
    ]
    expected = with_cells(seed_document(), dict.fromkeys(blanks))
    assert cell_differences(reading.document, expected) == []
    assert repairs_of(reading) == SEED_REPAIRS
    assert unresolved_of(reading) == blanks
    assert {u["reason"] for u in reading.unresolved} == {"原文此格空白。勾稽关系不能唯一确定此格。"}
    assert (
        findings_of(reading)
        == [
            ("blank_cell", "error", "requests", row, column, None, None)
            for _t, row, column in blanks
        ]
        + seed_finding_tuples()
    )  # the narrative quotes the 总计 column, printed whole


def test_a_wrong_printed_total_is_a_finding_and_never_changed():
    text = seed_text().replace(
        "(七)\t总计\t256\t4\t0\t0\t0\t0\t260", "(七)\t总计\t256\t4\t0\t0\t0\t0\t261"
    )
    reading = read(text)
    expected = with_cells(seed_document(), {("requests", "results_total", "total"): 261})
    assert cell_differences(reading.document, expected) == []
    assert repairs_of(reading) == SEED_REPAIRS
    assert reading.unresolved == []
    # The errors name the printed figure; the narrative is now read against 261.
    assert findings_of(reading) == [
        ("balance", "error", "requests", "carried_forward", "total", 0, 1),
        ("results_total", "error", "requests", "results_total", "total", 260, 261),
        ("row_total", "error", "requests", "results_total", "total", 260, 261),
        ("narrative_figure", "warning", "narrative", "overview", None, 261, 260),
        ("narrative_share", "warning", "narrative", "overview", None, 63.6, 63.9),
        ("narrative_share", "warning", "narrative", "overview", None, 1.1, 1.2),
        seed_finding_tuples()[2],
    ]


def test_a_repair_that_would_leave_an_identity_failing_is_not_made():
    # The (六) group printed as one row of zeros although (七)总计 counts 3 in it: the
    # zeros the printed sum gives would break the column total, so those cells stay null.
    rows = (
        "\t\t1.申请人无正当理由逾期 不补正、行政机关不再处 理其政府信息公开申请\t\t0\t0\t0\t0\t0\t3\n"
        "\t其 他\t2.申请人逾期未按收费通 知要求缴纳费用、行政机 关不再处理其政府信息 公开申请\t\t0\t0\t0\t0\t0\t0\n"
        "\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n"
    )
    text = seed_text()
    assert rows in text
    reading = read(text.replace(rows, "\t(六)其他处理\t\t0\t0\t0\t0\t0\t0\t0\n"))
    group = ("other_no_correction", "other_fee_unpaid", "other_other")
    columns_repaired = ("commercial_enterprise", "research_institution", "social_welfare_org",
                        "legal_service_org", "other_org")  # fmt: skip
    nulls = {
        ("requests", row, column): None for row in group for column in ("natural_person", "total")
    }
    assert cell_differences(reading.document, with_cells(seed_document(), nulls)) == []
    assert sorted(repairs_of(reading)) == sorted(
        ("requests", row, column, 0) for row in group for column in columns_repaired
    )
    assert {r.identity for r in reading.repairs} == {"group_sum"}
    assert unresolved_of(reading) == [
        ("requests", row, column) for row in group for column in ("natural_person", "total")
    ]
    assert all("不作修复" in u["reason"] for u in reading.unresolved)
    assert {u["printed_sum"]["value"] for u in reading.unresolved} == {0}
    assert (
        findings_of(reading)
        == [
            ("blank_cell", "error", "requests", row, column, None, None)
            for _t, row, column in unresolved_of(reading)
        ]
        + seed_finding_tuples()
    )


def test_a_single_other_handling_row_printed_non_zero_keeps_its_sum_and_leaves_the_rows_null():
    rows = (
        "\t\t1.申请人无正当理由逾期 不补正、行政机关不再处 理其政府信息公开申请\t\t0\t0\t0\t0\t0\t3\n"
        "\t其 他\t2.申请人逾期未按收费通 知要求缴纳费用、行政机 关不再处理其政府信息 公开申请\t\t0\t0\t0\t0\t0\t0\n"
        "\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n"
    )
    reading = read(seed_text().replace(rows, "\t(六)其他处理\t\t3\t0\t0\t0\t0\t0\t3\n"))
    group = ("other_no_correction", "other_fee_unpaid", "other_other")
    nulls = {
        ("requests", row, column): None for row in group for column in ("natural_person", "total")
    }
    zeros = {
        ("requests", row, column): 0
        for row in group
        for column in ("commercial_enterprise", "research_institution", "social_welfare_org",
                       "legal_service_org", "other_org")
    }  # fmt: skip
    assert cell_differences(reading.document, with_cells(seed_document(), {**nulls, **zeros})) == []
    assert sorted(repairs_of(reading)) == sorted((*cell, 0) for cell in zeros)
    assert unresolved_of(reading) == list(nulls)
    assert [u["printed_sum"] for u in reading.unresolved] == [
        {"label": "（六）其他处理", "rows": list(group), "value": 3}
    ] * 6
    assert (
        findings_of(reading)
        == [
            ("blank_cell", "error", "requests", row, column, None, None)
            for _t, row, column in nulls
        ]
        + seed_finding_tuples()
    )


# --- what cannot be read -------------------------------------------------------------------


def test_a_text_without_the_tables_is_not_a_report():
    with pytest.raises(ReadingError, match="找不到年度报告的表格"):
        read("武威市 2023 年政府信息公开工作年度报告\n\n一、总体情况\n\n全年公开信息。\n")


def test_a_report_before_the_2021_format_cannot_be_read():
    with pytest.raises(ReadingError, match="2020 年度的报告不是 2021 年版格式"):
        read(
            seed_text().replace(
                "武威市 2023 年政府信息公开工作年度报告\n",
                "武威市 2020 年政府信息公开工作年度报告\n",
            )
        )


def test_without_a_title_the_year_must_be_given():
    text = seed_text().replace("武威市 2023 年政府信息公开工作年度报告\n", "")
    with pytest.raises(ReadingError, match="找不到报告标题"):
        read(text)
    reading = read(text, year=2023)
    assert reading.document["year"] == 2023
    assert cell_differences(reading.document, seed_document()) == []


def test_a_gbk_text_file_is_read():
    reading = read_report(seed_text().encode("gb18030"), "report.txt", bodies=NO_BODIES)
    assert cell_differences(reading.document, seed_document()) == []


# --- a monospaced layout (as pdftotext -layout prints a PDF) --------------------------------


def _layout_text(document: dict, blanks: set[tuple[str, str, str]]) -> str:
    """The seed's title, sections and tables laid out in fixed columns, ``blanks`` left
    empty (spaces only, as a blank cell prints)."""
    from reports import format as fmt
    from reports.reading.normalise import display_width

    def line(label: str, cells: list[tuple[tuple[str, str, str], object]]) -> str:
        text = label + " " * (44 - display_width(label))
        for key, value in cells:
            shown = "" if key in blanks or value is None else str(value)
            text += " " * (8 - len(shown)) + shown
        return text.rstrip()

    narrative = document["narrative"]
    out = [
        "武威市 2023 年政府信息公开工作年度报告",
        "",
        narrative["opening"],
        "",
        "一、总体情况",
        "",
    ]
    out += [narrative["overview"], "", "二、主动公开政府信息情况", ""]
    for group in fmt.PROACTIVE_GROUPS:
        out.append(group.heading)
        out.append(line("信息内容", []) + "  " + "  ".join(c.label for c in group.columns))
        for row in group.rows:
            cells = [
                (("proactive", row.key, c.key), document["proactive"][row.key][c.key])
                for c in group.columns
            ]
            out.append(line(row.label, cells))
    out += ["", "三、收到和处理政府信息公开申请情况", ""]
    out.append(line("", []) + "  " + "  ".join(c.label for c in fmt.REQUEST_COLUMNS))
    for row in fmt.REQUEST_ROWS:
        values = document["requests"]["rows"][row.key]
        out.append(
            line(
                row.label, [(("requests", row.key, c), values[c]) for c in fmt.REQUEST_COLUMN_KEYS]
            )
        )
    out += ["", "四、政府信息公开行政复议、行政诉讼情况", ""]
    out.append(
        line(
            "",
            [
                (("appeals", g, c), document["appeals"][g][c])
                for g in fmt.APPEAL_GROUP_KEYS
                for c in fmt.APPEAL_COLUMN_KEYS
            ],
        )
    )
    out += ["", "五、存在的主要问题及改进情况", "", narrative["problems"], ""]
    out += ["六、其他需要报告的事项", "", narrative["other_matters"], ""]
    return "\n".join(out)


def test_a_monospaced_layout_places_a_blank_cell_by_its_column():
    blanks = {
        ("requests", "granted", "commercial_enterprise"),
        ("requests", "carried_forward", "natural_person"),
        ("appeals", "litigation_direct", "corrected"),
        ("proactive", "rules", "repealed"),
    }
    reading = read(_layout_text(seed_document(), blanks))
    expected = with_cells(seed_document(), {("proactive", "rules", "repealed"): None})
    assert cell_differences(reading.document, expected) == []
    assert repairs_of(reading) == [
        ("requests", "granted", "commercial_enterprise", 2),
        ("requests", "carried_forward", "natural_person", 1),
        ("appeals", "litigation_direct", "corrected", 1),
    ]
    assert unresolved_of(reading) == [("proactive", "rules", "repealed")]
    assert findings_of(reading) == [
        ("blank_cell", "error", "proactive", "rules", "repealed", None, None),
        *seed_finding_tuples(),
    ]
