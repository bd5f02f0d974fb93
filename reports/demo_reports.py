"""The demo's reports, published on the days an office would have published them.

Departments publish in January and governments by 31 March of the next year (条例第四十九、
五十条), so every version here is dated inside that window: 武威市 2022–2025, the counties'
2023 and 2025 reports, two city departments' 2025 reports. 凉州区's 2025 report is left as a
draft its clerk has written but not had published: the demo's piece of work in progress.

武威市 2023 carries the city's own narrative and cover letter verbatim: version 1 is
published as the city published it (its three inconsistent figures acknowledged in writing),
version 2 corrects them. The other reports' narratives are invented demo text whose figures
are live placeholders, so they cannot drift from the tables; every published one has its
sections 一, 五 and 六."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from reports.models import Report, Scope
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
# 武威市 2025: two normative documents reached the end of their validity (有效期至
# 2024-12-31), which the table does not count as 废止.
EXPIRED_ACKNOWLEDGEMENT = (
    "2件行政规范性文件有效期于2024年12月31日届满自动失效，不属于本年废止，"
    "故现行有效件数较上年加本年制发减本年废止少2件。（本段为演示数据。）"
)

# (body, year, scope, the day it was published) in the order of those days.
PUBLICATIONS = (
    ("wuwei", 2022, Scope.ALL, "2023-03-28"),
    ("liangzhou", 2023, Scope.ALL, "2024-03-14"),
    ("minqin", 2023, Scope.ALL, "2024-03-19"),
    ("gulang", 2023, Scope.ALL, "2024-03-21"),
    ("wuwei", 2023, Scope.ALL, "2024-03-22"),  # and its correction: CITY_2023_CORRECTION
    ("tianzhu", 2023, Scope.ALL, "2024-03-26"),
    ("wuwei", 2024, Scope.ALL, "2025-03-27"),
    ("wuwei-jyj", 2025, Scope.OWN, "2026-01-22"),
    ("wuwei-zrzyj", 2025, Scope.OWN, "2026-01-27"),
    ("minqin", 2025, Scope.ALL, "2026-03-17"),
    ("gulang", 2025, Scope.ALL, "2026-03-20"),
    ("tianzhu", 2025, Scope.ALL, "2026-03-24"),
    ("wuwei", 2025, Scope.ALL, "2026-03-27"),
)
CITY_2023_CORRECTION = "2024-03-29"
# Warnings an office explained in writing when it published (rule → explanation).
ACKNOWLEDGED = {("wuwei", 2025): {"in_force_continuity": EXPIRED_ACKNOWLEDGEMENT}}
DRAFT = ("liangzhou", 2025, Scope.ALL)


class DemoFinding(Exception):
    """A demo report would be published with a warning nobody explained: the demo data is
    wrong, not the report."""


def published_on(day: str) -> datetime.datetime:
    """10:00 (Beijing time) on ``day``: when the demo dates a publication."""
    moment = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(10))
    return timezone.make_aware(moment)


def _write_demo_narrative(actor, body, year: int, scope: str) -> Report:
    report = report_draft_for(actor=actor, body=body, year=year, scope=scope)
    report.overview, report.problems, report.other_matters = (
        DEMO_OVERVIEW,
        DEMO_PROBLEMS,
        DEMO_OTHER,
    )
    return report_save(actor=actor, report=report)


def _acknowledgements(report: Report, explained: dict[str, str]) -> dict[str, str]:
    acknowledgements = {}
    for finding in findings_for_report(report):
        if finding.severity != "warning":
            continue
        if finding.rule not in explained:
            raise DemoFinding(f"{report}: {finding.message}")
        acknowledgements[finding_key(finding)] = explained[finding.rule]
    return acknowledgements


def _publish_demo(official, body, year: int, scope: str, day: str):
    report = _write_demo_narrative(official, body, year, scope)
    explained = ACKNOWLEDGED.get((body.code, year), {})
    return report_publish(
        actor=official,
        report=report,
        acknowledgements=_acknowledgements(report, explained),
        published_at=published_on(day),
    )


def build_city_2023(official, city, seed: dict, day: str) -> None:
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
    report_publish(
        actor=official,
        report=report,
        acknowledgements=acknowledgements,
        published_at=published_on(day),
    )

    overview = report.overview
    for wrong, right in CORRECTIONS:
        assert wrong in overview, wrong
        overview = overview.replace(wrong, right)
    report.overview = overview
    report_save(actor=official, report=report)
    report_publish(
        actor=official,
        report=report,
        acknowledgements={},
        change_note=CHANGE_NOTE,
        published_at=published_on(CITY_2023_CORRECTION),
    )


def build_reports(builder) -> None:
    users = get_user_model().objects
    official = users.get(username="wuwei-staff")
    for code, year, scope, day in PUBLICATIONS:
        if (code, year) == ("wuwei", 2023):
            build_city_2023(official, builder.bodies[code], builder.seed, day)
        else:
            _publish_demo(official, builder.bodies[code], year, scope, day)
    code, year, scope = DRAFT
    _write_demo_narrative(users.get(username="liangzhou-staff"), builder.bodies[code], year, scope)
