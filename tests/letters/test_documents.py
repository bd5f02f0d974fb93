"""Every result row of the spec's reply table and every kind of letter: drafted from a
request, the Word file and the PDF (drawn from the same draft) carry the spec's citation and
the right remedies form."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from disclosure.letters import services
from disclosure.letters.models import ResultRule
from disclosure.letters.vocab import LetterKind, LetterState, ServiceMethod
from disclosure.vocab import Channel, FeeMethod, Result
from tests.letters.world import (
    COURT,
    REVIEW_AUTHORITY,
    add_facts,
    concluded,
    consult,
    docx_text,
    flat,
    make_request,
    make_world,
    pdf_text,
)

pytestmark = pytest.mark.django_db

ACT = "《中华人民共和国政府信息公开条例》"
REVIEW_FIRST = (
    f"可以自收到本告知书之日起六十日内向{REVIEW_AUTHORITY}申请行政复议；"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
)
EITHER = (
    f"可以自收到本告知书之日起六十日内向{REVIEW_AUTHORITY}申请行政复议，"
    f"或者自收到本告知书之日起六个月内向{COURT}提起行政诉讼。"
)


def _withheld(reason: str):
    return {"withheld_result": reason, "provision_method": "随本告知书附送复印件"}


# result, facts on the request, consulted?, what the reply must say (citation first), form
REPLY_CASES = [
    (
        "granted",
        {"provision_method": "通过电子邮件发送"},
        False,
        [f"{ACT}第三十六条第（二）项", "本机关予以公开，通过电子邮件发送"],
        EITHER,
    ),
    (
        "granted",
        {"published_location": "凉州区人民政府网站“政府信息公开”栏目"},
        False,
        [f"{ACT}第三十六条第（一）项", "可以通过凉州区人民政府网站“政府信息公开”栏目获取"],
        EITHER,
    ),
    (
        "partially_granted",
        _withheld(Result.DENIED_PROCESS_INFO),
        False,
        [f"{ACT}第三十七条、第十六条第二款、第三十六条第（三）项", "过程性信息"],
        REVIEW_FIRST,
    ),
    (
        "partially_granted",
        _withheld(Result.DENIED_THIRD_PARTY),
        True,
        [f"{ACT}第三十七条、第十五条、第三十二条、第三十六条第（三）项"],
        REVIEW_FIRST,
    ),
    (
        "denied_state_secret",
        {},
        False,
        [f"{ACT}第十四条、第三十六条第（三）项", "属于国家秘密"],
        REVIEW_FIRST,
    ),
    ("denied_law_prohibited", {}, False, [f"{ACT}第十四条、第三十六条第（三）项"], REVIEW_FIRST),
    ("denied_three_safeties", {}, False, [f"{ACT}第十四条、第三十六条第（三）项"], REVIEW_FIRST),
    ("denied_third_party", {}, False, [f"{ACT}第十五条、第三十六条第（三）项"], REVIEW_FIRST),
    (
        "denied_third_party",
        {},
        True,
        [f"{ACT}第十五条、第三十二条、第三十六条第（三）项"],
        REVIEW_FIRST,
    ),
    (
        "denied_internal_affairs",
        {},
        False,
        [f"{ACT}第十六条第一款、第三十六条第（三）项"],
        REVIEW_FIRST,
    ),
    (
        "denied_process_info",
        {},
        False,
        [f"{ACT}第十六条第二款、第三十六条第（三）项"],
        REVIEW_FIRST,
    ),
    (
        "denied_enforcement_file",
        {},
        False,
        [f"{ACT}第十六条第二款、第三十六条第（三）项"],
        REVIEW_FIRST,
    ),
    (
        "denied_query_matter",
        {"query_channel": "《不动产登记暂行条例》第二十七条"},
        False,
        [f"{ACT}第三十六条第（七）项", "可以依照《不动产登记暂行条例》第二十七条办理"],
        REVIEW_FIRST,
    ),
    ("unable_not_held", {}, False, [f"{ACT}第三十六条第（四）项", "该政府信息不存在"], EITHER),
    (
        "unable_not_held",
        {"responsible_body": "武威市凉州区自然资源局", "responsible_contact": "0935-2219999"},
        False,
        [
            f"{ACT}第三十六条第（五）项",
            "由武威市凉州区自然资源局（联系方式：0935-2219999）负责公开",
        ],
        EITHER,
    ),
    ("unable_needs_creation", {}, False, [f"{ACT}第三十八条"], EITHER),
    ("unable_unclear", {}, False, [f"{ACT}第三十条", "补正后申请内容仍不明确"], EITHER),
    (
        "rejected_petition",
        {"petition_channel": "武威市凉州区信访局（东大街5号）"},
        False,
        [f"{ACT}第三十九条第一款", "可以通过武威市凉州区信访局（东大街5号）反映"],
        EITHER,
    ),
    (
        "rejected_publication",
        {"published_location": "《武威年鉴2025》"},
        False,
        [f"{ACT}第三十九条第二款", "可以通过《武威年鉴2025》获取"],
        EITHER,
    ),
    (
        "rejected_duplicate",
        {"earlier_reply_number": "凉教信告〔2026〕3号"},
        False,
        [f"{ACT}第三十六条第（六）项", "本机关已作出答复（凉教信告〔2026〕3号）"],
        EITHER,
    ),
    ("rejected_excessive", {}, False, [f"{ACT}第三十五条"], EITHER),
    (
        "other_no_correction",
        {},
        False,
        [f"{ACT}第三十条", "2026年3月4日告知你（单位）于2026年3月13日前补正申请"],
        EITHER,
    ),
    (
        "other_fee_unpaid",
        {},
        False,
        [f"{ACT}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"],
        EITHER,
    ),
]


def _request_for(world, result: str, facts: dict, consulted: bool):
    extra = {}
    if result in (Result.UNABLE_UNCLEAR, Result.OTHER_NO_CORRECTION):
        extra = {
            "correction_notice_on": datetime.date(2026, 3, 4),
            "correction_deadline": datetime.date(2026, 3, 13),
        }
    if result == Result.OTHER_FEE_UNPAID:
        extra = {
            "fee_method": FeeMethod.PER_REQUEST,
            "fee_amount": Decimal("100"),
            "fee_notice_on": datetime.date(2026, 3, 6),
            "fee_due_on": datetime.date(2026, 3, 18),
        }
    request = concluded(world.body, result, **extra)
    if facts:
        add_facts(request, **facts)
    if consulted:
        consult(request)
    return request


def _both_texts(letter) -> tuple[str, str]:
    return (
        flat(docx_text(services.draft_file(letter, "docx"))),
        pdf_text(services.draft_file(letter, "pdf")),
    )


@pytest.mark.parametrize(
    ("result", "facts", "consulted", "says", "remedies"),
    REPLY_CASES,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(REPLY_CASES)],
)
def test_reply_cites_the_basis_of_its_result_and_the_right_remedies(
    result, facts, consulted, says, remedies
):
    world = make_world()
    request = _request_for(world, result, facts, consulted)
    letter = services.letter_draft(
        actor=world.clerk, request=request, kind=LetterKind.REPLY, fmt="docx"
    )
    assert letter.blanks == []
    for text in _both_texts(letter):
        for words in says:
            assert flat(words) in text
        assert flat(remedies) in text
        other = EITHER if remedies == REVIEW_FIRST else REVIEW_FIRST
        assert flat(other) not in text
        assert "张三丰" in text  # the addressee in full: letters go to staff only
        assert "草稿" in text


def test_a_refusal_never_offers_a_direct_lawsuit():
    world = make_world()
    letter = services.letter_draft(
        actor=world.clerk,
        request=concluded(world.body, Result.DENIED_PROCESS_INFO),
        kind=LetterKind.REPLY,
    )
    text = pdf_text(services.draft_file(letter, "pdf"))
    assert "六个月" not in text and COURT not in text


def test_withdrawal_reply_needs_no_basis_and_says_when():
    world = make_world()
    request = make_request(
        world.body,
        withdrawn_on=datetime.date(2026, 3, 9),
        concluded_on=datetime.date(2026, 3, 9),
        result=Result.OTHER_OTHER,
    )
    letter = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY)
    assert letter.blanks == []
    for text in _both_texts(letter):
        assert "你（单位）已于2026年3月9日撤回该政府信息公开申请" in text
        assert "根据" not in text.split("撤回")[1].split("如对本答复不服")[0]
        assert flat(EITHER) in text


@pytest.mark.parametrize("result", [Result.REJECTED_CONFIRMATION, Result.OTHER_OTHER])
def test_a_result_without_default_basis_shows_a_blank_until_the_publisher_sets_one(result):
    world = make_world()
    request = concluded(world.body, result, reply_summary="申请人要求重新出具已获取的答复。")
    draft = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY)
    assert draft.blanks == ["法律依据（本办理结果无默认依据，须由审核发布人员设置）"]
    assert "【待填写：法律依据" in pdf_text(services.draft_file(draft, "pdf"))

    services.result_rule_save(
        actor=world.publisher,
        rule=ResultRule(body=world.body, result=result, basis=f"{ACT}第三十九条第二款"),
    )
    again = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY)
    assert again.blanks == []
    for text in _both_texts(again):
        assert f"根据{ACT}第三十九条第二款的规定" in text


KIND_CASES = [
    (
        LetterKind.RECEIPT,
        [
            f"根据{ACT}第三十一条的规定",
            "收到你（单位）申请的日期为2026年3月2日",
            "本机关将于2026年3月30日前作出答复",
            "申请编号",
        ],
    ),
    (
        LetterKind.CORRECTION,
        [
            f"根据{ACT}第三十条的规定",
            "需要补正的事项如下",
            "请写明所需信息的年度和学校名称",
            "请于2026年3月13日前",
            "答复期限自本机关收到补正后的申请之日起计算",
            "视为放弃申请",
        ],
    ),
    (
        LetterKind.EXTENSION,
        [
            f"根据{ACT}第三十三条第二款的规定",
            "政府信息公开工作机构负责人同意",
            "答复期限延长15个工作日",
            "延长后的答复期限为2026年3月30日",
        ],
    ),
    (
        LetterKind.CONSULTATION_THIRD_PARTY,
        [
            f"根据{ACT}第三十二条的规定",
            "某某科技有限公司：",
            "15个工作日内",
            "2026年3月26日前",
            "由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开",
        ],
    ),
    (
        LetterKind.CONSULTATION_BODY,
        [f"根据{ACT}第三十四条的规定", "15个工作日内", "逾期未提出意见的，视为同意公开"],
    ),
    (
        LetterKind.FEE_NOTICE,
        [
            f"根据{ACT}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定",
            "收费方式为按件收费",
            "应缴金额为人民币100.00元",
            "请于2026年3月18日前通过本机关财务室现金或转账缴纳",
            "视为放弃申请",
        ],
    ),
    (
        LetterKind.THIRD_PARTY_DECISION,
        [
            f"根据{ACT}第三十二条的规定",
            "本机关决定予以公开",
            "招生计划中的学校名单",
            "15个工作日后",
        ],
    ),
    (
        LetterKind.EXPLAIN_REASONS,
        [f"根据{ACT}第三十五条的规定", "请你（单位）于2026年3月20日前向本机关说明理由"],
    ),
]


@pytest.mark.parametrize(("kind", "says"), KIND_CASES, ids=[case[0] for case in KIND_CASES])
def test_each_kind_cites_its_basis_and_says_what_it_must(kind, says):
    world = make_world()
    request = make_request(
        world.body,
        channel=Channel.INTERNET,
        correction_notice_on=datetime.date(2026, 3, 4),
        correction_deadline=datetime.date(2026, 3, 13),
        extension_days=15,
        extension_decided_on=datetime.date(2026, 3, 9),
        extension_reason="申请内容涉及多所学校，需要调取档案",
        fee_method=FeeMethod.PER_REQUEST,
        fee_amount=Decimal("100"),
        fee_notice_on=datetime.date(2026, 3, 6),
        fee_due_on=datetime.date(2026, 3, 18),
    )
    add_facts(
        request,
        correction_items="请写明所需信息的年度和学校名称",
        consultation_matter="贵公司与本局签订的校服采购合同价格条款",
        disclosure_matter="招生计划中的学校名单",
        disclosure_reason="不公开可能对公共利益造成重大影响",
        fee_payment="本机关财务室现金或转账",
        explain_by=datetime.date(2026, 3, 20),
    )
    consult(request)
    letter = services.letter_draft(actor=world.clerk, request=request, kind=kind, fmt="pdf")
    assert letter.blanks == []
    for text in _both_texts(letter):
        for words in says:
            assert flat(words) in text, words


def test_service_receipt_is_drafted_from_the_service_record():
    world = make_world()
    request = concluded(world.body, Result.GRANTED)
    add_facts(request, provision_method="随本告知书附送复印件")
    reply = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY)
    reply = services.letter_issue(actor=world.publisher, letter=reply)
    services.letter_serve(
        actor=world.clerk,
        letter=reply,
        served_on=timezone.localdate(reply.issued_at),
        method=ServiceMethod.POST,
        tracking_number="EMS1234567890",
        receiver="张三丰",
    )
    receipt = services.letter_draft(
        actor=world.clerk, request=request, kind=LetterKind.SERVICE_RECEIPT, fmt="docx"
    )
    assert receipt.served_letter_id == reply.pk
    assert receipt.state == LetterState.DRAFT and receipt.blanks == []
    for text in _both_texts(receipt):
        assert flat(f"政府信息公开申请答复告知书（{reply.number}）") in text
        assert "邮寄（邮件单号：EMS1234567890）" in text
        assert "受送达人签名（盖章）" in text and "送达人签名" in text


def test_missing_records_become_marked_blanks_named_on_the_draft():
    world = make_world()
    request = make_request(world.body)
    letter = services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.CORRECTION)
    assert letter.blanks == ["补正事项", "补正期限"]
    text = pdf_text(services.draft_file(letter, "pdf"))
    assert "【待填写：补正事项】" in text and "【待填写：补正期限】" in text
