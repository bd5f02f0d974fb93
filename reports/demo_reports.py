"""The demo's reports: 武威市 2022–2024 and the counties' 2023 reports, published.

武威市 2023 carries the city's own narrative and cover letter verbatim: version 1 is
published as the city published it (its three inconsistent figures acknowledged in writing),
version 2 corrects them. The other reports' narratives are invented demo text whose figures
are live placeholders, so they cannot drift from the tables."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from reports.models import Scope
from reports.selectors import findings_for_report
from reports.services import finding_key, report_draft_for, report_publish, report_save

DEMO_OVERVIEW = (
    "{year}年，{body}认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作持续深化政务公开。"
    "（本段为演示数据。）\n\n"
    "（一）主动公开方面\n\n"
    "全年新制发规章{proactive.rules.issued}件、行政规范性文件{proactive.normative_documents.issued}件，"
    "年末现行有效规章{proactive.rules.in_force}部、行政规范性文件{proactive.normative_documents.in_force}部。\n\n"
    "（二）依申请公开方面\n\n"
    "{year}年共新收政府信息公开申请{requests.new_received}件，上年结转{requests.carried_over}件，"
    "办结{requests.results_total}件。其中，予以公开及部分公开{requests.granted_or_partial}件，"
    "占{share:granted_or_partial}%；不予公开{requests.denied}件，占{share:denied}%；"
    "无法提供{requests.unable}件，占{share:unable}%；不予处理{requests.rejected}件，占{share:rejected}%；"
    "其他处理{requests.other_handling}件，占{share:other_handling}%。"
    "结转下年度继续办理{requests.carried_forward}件。"
    "因政府信息公开被申请行政复议{appeals.reconsideration.total}件，被提起行政诉讼{appeals.litigation.total}件。"
)
DEMO_PROBLEMS = (
    "政策解读的针对性和基层政务公开的规范化水平仍有提升空间。下一步将加强政策精准推送，"
    "完善政务公开标准目录，加强业务培训。（本段为演示数据。）"
)
DEMO_OTHER = (
    "按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），{year}年度未收取信息处理费。"
    "（本段为演示数据。）"
)

CORRECTIONS = (
    ("予以公开及部分公开166件,占63.9%", "予以公开及部分公开166件,占63.8%"),
    ("无法提供80件,占30.7%", "无法提供80件,占30.8%"),
    ("行政规范性文件 10 部", "行政规范性文件 26 部"),
)
CHANGE_NOTE = (
    "更正“一、总体情况”中与表格不一致的三处数字：予以公开及部分公开占比 63.9% 更正为 63.8%，"
    "无法提供占比 30.7% 更正为 30.8%，现行有效行政规范性文件 10 部更正为 26 部。"
)
ACKNOWLEDGEMENT = "按武威市人民政府实际发布的文本发布第1版；该处数字将以更正版本修正。"


def _publish_demo(official, body, year: int, *, scope: str = Scope.ALL):
    report = report_draft_for(actor=official, body=body, year=year, scope=scope)
    report.overview, report.problems, report.other_matters = (
        DEMO_OVERVIEW,
        DEMO_PROBLEMS,
        DEMO_OTHER,
    )
    report_save(actor=official, report=report)
    return report_publish(actor=official, report=report, acknowledgements={})


def build_reports(builder) -> None:
    official = get_user_model().objects.get(username="wuwei-staff")
    city = builder.bodies["wuwei"]
    seed = builder.seed

    _publish_demo(official, city, 2022)

    report = report_draft_for(actor=official, body=city, year=2023, scope=Scope.ALL)
    narrative = seed["narrative"]
    report.opening = narrative["opening"]
    report.overview = narrative["overview"]
    report.problems = narrative["problems"]
    report.other_matters = narrative["other_matters"]
    letter = seed["cover_letter"]
    report.cover_number = letter["number"]
    report.cover_addressee = letter["addressee"]
    report.cover_text = letter["body_text"]
    report.cover_date = datetime.date.fromisoformat(letter["date"])
    report_save(actor=official, report=report)
    acknowledgements = {
        finding_key(finding): ACKNOWLEDGEMENT
        for finding in findings_for_report(report)
        if finding.severity == "warning"
    }
    report_publish(actor=official, report=report, acknowledgements=acknowledgements)

    overview = report.overview
    for wrong, right in CORRECTIONS:
        assert wrong in overview, wrong
        overview = overview.replace(wrong, right)
    report.overview = overview
    report_save(actor=official, report=report)
    report_publish(actor=official, report=report, acknowledgements={}, change_note=CHANGE_NOTE)

    _publish_demo(official, city, 2024)
    for code in ("liangzhou", "minqin", "gulang", "tianzhu"):
        _publish_demo(official, builder.bodies[code], 2023)
