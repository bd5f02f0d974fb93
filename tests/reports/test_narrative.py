from __future__ import annotations

from decimal import Decimal

import pytest

from disclosure.vocab import ApplicantKind
from reports.narrative import (
    NarrativeError,
    default_opening,
    placeholder_problems,
    render_narrative,
    stated_figures,
)
from tests.factories import BodyFactory
from tests.reports.engine_data import document, seed_document

NATURAL = ApplicantKind.NATURAL_PERSON


@pytest.fixture
def doc():
    return document(
        "b",
        2023,
        requests={
            ("new_received", NATURAL): 259,
            ("carried_over", NATURAL): 2,
            ("granted", NATURAL): 164,
            ("partially_granted", NATURAL): 2,
            ("unable_not_held", NATURAL): 80,
            ("denied_state_secret", NATURAL): 11,
            ("other_no_correction", NATURAL): 3,
            ("carried_forward", NATURAL): 1,
        },
        appeals={("reconsideration", "upheld"): 3, ("reconsideration", "corrected"): 7},
        proactive={
            ("normative_documents", "in_force"): 26,
            ("fees", "amount_10k_yuan"): Decimal("1.25"),
        },
    ) | {"body_name": "测试市人民政府"}


def test_cell_placeholders_resolve_to_the_table_figures(doc):
    text = "共收到申请{requests.new_received.total}件，自然人{requests.new_received.natural_person}件。"
    assert render_narrative(text, doc) == "共收到申请259件，自然人259件。"


def test_column_defaults_to_total_and_groups_add_their_rows(doc):
    text = "{requests.results_total}件，无法提供{requests.unable}件，收到{requests.received_with_carried_over}件"
    assert render_narrative(text, doc) == "260件，无法提供80件，收到261件"


def test_share_is_of_results_total_rounded_half_up(doc):
    text = "予以公开及部分公开占{share:granted+partially_granted}%，无法提供占{share:unable:2}%"
    assert render_narrative(text, doc) == "予以公开及部分公开占63.8%，无法提供占30.77%"


def test_proactive_and_appeal_placeholders(doc):
    text = "{proactive.normative_documents.in_force}部，{proactive.fees}万元，复议纠错{appeals.reconsideration.corrected}件，诉讼{appeals.litigation.total}件"
    assert render_narrative(text, doc) == "26部，1.25万元，复议纠错7件，诉讼0件"


def test_body_and_year(doc):
    assert render_narrative("{body}{year}年", doc) == "测试市人民政府2023年"


def test_doubled_braces_are_literal(doc):
    assert render_narrative("{{requests.new_received}} = {requests.new_received}", doc) == (
        "{requests.new_received} = 259"
    )


def test_unknown_placeholders_are_an_error_naming_each(doc):
    with pytest.raises(NarrativeError) as raised:
        render_narrative("{requests.nothing} {share:granted+bogus} {requests.new_received}", doc)
    assert raised.value.problems == [
        "未知的占位符：{requests.nothing}",
        "未知的占位符：{share:granted+bogus}",
    ]


def test_a_lone_brace_is_an_error():
    assert placeholder_problems("占比{requests.granted") == [
        "第 3 个字符处有单独的“{”（字面花括号请写成“{{”或“}}”）。"
    ]


def test_text_without_placeholders_is_unchanged(doc):
    assert render_narrative("2023年没有产生信息处理费。", doc) == "2023年没有产生信息处理费。"


@pytest.mark.django_db
def test_default_opening_names_period_website_and_contact():
    body = BodyFactory(
        name="武威市人民政府",
        website="https://www.gswuwei.gov.cn/",
        address="武威市凉州区宣武街道仁和街36号",
        postcode="733000",
        phone="0935-2298109",
    )
    assert default_opening(body, 2023) == (
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开"
        "工作年度报告格式》规定编制本报告。本报告所列数据的统计期限为2023年1月1日至2023年12月31日。"
        "本报告的电子版可在武威市人民政府网站（https://www.gswuwei.gov.cn/）查阅。"
        "如对本报告有任何疑问，请与武威市人民政府联系（地址：武威市凉州区宣武街道仁和街36号，"
        "邮编：733000，电话：0935-2298109）。"
    )


@pytest.mark.django_db
def test_default_opening_leaves_out_missing_contact_details():
    body = BodyFactory(name="某局", phone="123")
    assert default_opening(body, 2024).endswith(
        "统计期限为2024年1月1日至2024年12月31日。如对本报告有任何疑问，请与某局联系（电话：123）。"
    )


def test_the_seed_states_exactly_the_figures_the_spec_lists():
    overview = seed_document()["narrative"]["overview"]
    assert [(f.what, f.value, f.share_of) for f in stated_figures(overview)] == [
        ("received", Decimal(261), None),
        ("answered", Decimal(260), None),
        ("granted_or_partial", Decimal(166), None),
        ("share", Decimal("63.9"), "granted_or_partial"),
        ("denied", Decimal(11), None),
        ("share", Decimal("4.2"), "denied"),
        ("unable", Decimal(80), None),
        ("share", Decimal("30.7"), "unable"),
        ("other_handling", Decimal(3), None),
        ("share", Decimal("1.2"), "other_handling"),
        ("reconsideration", Decimal(10), None),
        ("reconsideration_corrected", Decimal(7), None),
        ("litigation", Decimal(3), None),
        ("litigation_corrected", Decimal(1), None),
        ("rules_in_force", Decimal(4), None),
        ("normative_documents_in_force", Decimal(10), None),
    ]


def test_other_sections_of_the_seed_state_no_figure():
    narrative = seed_document()["narrative"]
    for section in ("opening", "problems", "other_matters"):
        assert stated_figures(narrative[section]) == []


def test_full_width_text_is_read_after_nfkc_and_quoted_as_written():
    [count, stated] = stated_figures("申请中，予以公开１６６件，占６３．９％。")
    assert (count.what, count.value) == ("granted", Decimal(166))
    assert (stated.share_of, stated.value) == ("granted", Decimal("63.9"))
    assert stated.quote == "申请中，予以公开１６６件，占６３．９％"


def test_issued_documents_are_not_read_as_in_force():
    text = "本年制发行政规范性文件2件，废止规章1部；现行有效规范性文件26件。"
    assert [(f.what, f.value) for f in stated_figures(text)] == [
        ("normative_documents_in_force", Decimal(26))
    ]


def test_fees_amount_is_read_but_not_the_information_processing_fee():
    text = "本年行政事业性收费22910万元。全年收取信息处理费0元。"
    assert [(f.what, f.value) for f in stated_figures(text)] == [("fees", Decimal(22910))]


def test_complaint_requests_are_not_read_as_received():
    assert stated_figures("共收到信访举报申请5件。") == []


def test_carried_forward_is_read():
    assert [(f.what, f.value) for f in stated_figures("结转下年度继续办理1件。")] == [
        ("carried_forward", Decimal(1))
    ]


def test_proactive_figures_are_not_read_as_request_results():
    text = "主动公开方面，主动予以公开文件12件。\n依申请公开方面，共收到申请3件，予以公开2件，占66.7%。"
    assert [(f.what, f.value) for f in stated_figures(text)] == [
        ("received", Decimal(3)),
        ("granted", Decimal(2)),
        ("share", Decimal("66.7")),
    ]


def test_result_groups_outside_a_paragraph_about_requests_are_not_read():
    assert stated_figures("本年度对外予以公开政务信息500件。") == []


def test_requests_of_one_kind_of_applicant_are_not_read_as_received():
    assert stated_figures("收到自然人申请255件，收到法人或其他组织申请4件。") == []


# a share placeholder's precision is read as ASCII digits; anything else is an
# unknown placeholder (a ValueError of int() would be a 500 on the report's admin page).


@pytest.fixture
def share_doc():
    return document(
        "b",
        2023,
        requests={
            ("new_received", NATURAL): 259,
            ("carried_over", NATURAL): 2,
            ("granted", NATURAL): 164,
            ("unable_not_held", NATURAL): 96,
            ("carried_forward", NATURAL): 1,
        },
    )


def test_share_with_two_places_is_rounded_half_up(share_doc):
    assert render_narrative("{share:granted:2}", share_doc) == "63.08"


@pytest.mark.parametrize("digits", ["²", "٣", "5", "x"])
def test_a_precision_that_is_not_0_to_4_in_ascii_is_an_unknown_placeholder(share_doc, digits):
    with pytest.raises(NarrativeError) as raised:
        render_narrative(f"占{{share:granted:{digits}}}%", share_doc)
    assert raised.value.problems == [f"未知的占位符：{{share:granted:{digits}}}"]
