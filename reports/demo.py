"""Demo data: 武威市 2023 rebuilt from record-level data (see README "Demo data").

The body tree, contact details, 2023 figures and the 2023 narrative come from the city's
published report (reports/data/demo-wuwei-2023.json, a copy of the seed). Everything the
seed does not give — which department handled which request, the applicants (all obviously
invented), 2022, 2024, 2025 and the current year — is invented, deterministically (a seeded
random generator), and shaped so that the rolled-up 2023 report of ``wuwei`` equals the
published tables cell for cell. The current year's records (from 1 January 2026 to the day
the demo is loaded) make a clerk's worklist: requests still open, some overdue, some waiting
for the applicant's 补正. No record is dated after that day. All writes go through the
services, so every demo record has its audit trail.
"""

from __future__ import annotations

import datetime
import json
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from disclosure import services
from disclosure.calendar import WorkingCalendar
from disclosure.models import (
    AppealCase,
    Applicant,
    Body,
    Consultation,
    Document,
    InformationRequest,
    Membership,
)
from disclosure.vocab import (
    AppealKind,
    AppealResult,
    ApplicantKind,
    BodyKind,
    Channel,
    DocumentKind,
    FeeMethod,
    FigureItem,
    Result,
    Role,
)

SEED_DOCUMENT = Path(__file__).resolve().parent / "data" / "demo-wuwei-2023.json"
ROOT_CODE = "wuwei"
# The demo's years run to 2025 and its 2025 reports are published by 31 March 2026: it is
# loaded on a later day (the current year's records run from CURRENT_YEAR_START to then).
CURRENT_YEAR_START = datetime.date(2026, 1, 1)
EARLIEST_LOAD_DAY = datetime.date(2026, 4, 1)
DEMO_USERS = {"wuwei-staff": ("wuwei", Role.PUBLISH), "liangzhou-staff": ("liangzhou", Role.EDIT)}


@dataclass(frozen=True)
class BodySpec:
    code: str
    name: str
    kind: str
    parent: str | None
    weight: int  # share of the requests it handles
    items: int = 0  # items proactively published in 2023 (政府网站, 新媒体, …)


def _dept(code: str, name: str, parent: str, weight: int, items: int) -> BodySpec:
    return BodySpec(code, name, BodyKind.DEPARTMENT, parent, weight, items)


def _town(code: str, name: str, parent: str, weight: int, items: int) -> BodySpec:
    return BodySpec(code, name, BodyKind.TOWNSHIP, parent, weight, items)


# Items published in 2023: 市本级 77,826 (7.78 万余), 凉州区 176,321 (17.63 万余), 民勤县
# 168,817 (16.88 万余), 古浪县 154,109 (15.41 万余), 天祝县 128,712 (12.87 万余): 705,785
# in all (70.57 万余), the counties 627,959 (62.79 万余) — the narrative's figures.
BODIES: tuple[BodySpec, ...] = (
    BodySpec("wuwei", "武威市人民政府", BodyKind.GOVERNMENT, None, 6, 21_406),
    _dept("wuwei-zfb", "武威市人民政府办公室", "wuwei", 5, 9_870),
    _dept("wuwei-fgw", "武威市发展和改革委员会", "wuwei", 4, 6_112),
    _dept("wuwei-jyj", "武威市教育局", "wuwei", 8, 8_934),
    _dept("wuwei-gaj", "武威市公安局", "wuwei", 8, 7_215),
    _dept("wuwei-zrzyj", "武威市自然资源局", "wuwei", 25, 6_503),
    _dept("wuwei-zjj", "武威市住房和城乡建设局", "wuwei", 20, 5_988),
    _dept("wuwei-rsj", "武威市人力资源和社会保障局", "wuwei", 10, 7_046),
    _dept("wuwei-sjj", "武威市市场监督管理局", "wuwei", 6, 4_752),
    BodySpec("liangzhou", "武威市凉州区人民政府", BodyKind.GOVERNMENT, "wuwei", 10, 52_310),
    _dept("liangzhou-zrzyj", "凉州区自然资源局", "liangzhou", 30, 31_208),
    _dept("liangzhou-zjj", "凉州区住房和城乡建设局", "liangzhou", 20, 29_117),
    _town("liangzhou-xuanwu", "凉州区宣武街道办事处", "liangzhou", 6, 33_541),
    _town("liangzhou-huangyang", "凉州区黄羊镇人民政府", "liangzhou", 6, 30_145),
    BodySpec("minqin", "民勤县人民政府", BodyKind.GOVERNMENT, "wuwei", 6, 49_802),
    _dept("minqin-zrzyj", "民勤县自然资源局", "minqin", 20, 30_515),
    _dept("minqin-nyj", "民勤县农业农村局", "minqin", 10, 28_760),
    _town("minqin-sanlei", "民勤县三雷镇人民政府", "minqin", 3, 30_211),
    _town("minqin-xuebai", "民勤县薛百镇人民政府", "minqin", 3, 29_529),
    BodySpec("gulang", "古浪县人民政府", BodyKind.GOVERNMENT, "wuwei", 6, 45_117),
    _dept("gulang-zjj", "古浪县住房和城乡建设局", "gulang", 15, 27_032),
    _dept("gulang-rsj", "古浪县人力资源和社会保障局", "gulang", 10, 26_480),
    _town("gulang-gulangzhen", "古浪县古浪镇人民政府", "gulang", 3, 28_301),
    _town("gulang-tumen", "古浪县土门镇人民政府", "gulang", 3, 27_179),
    BodySpec("tianzhu", "天祝藏族自治县人民政府", BodyKind.GOVERNMENT, "wuwei", 5, 38_540),
    _dept("tianzhu-zrzyj", "天祝县自然资源局", "tianzhu", 12, 22_615),
    _dept("tianzhu-jyj", "天祝县教育局", "tianzhu", 8, 21_906),
    _town("tianzhu-huazangsi", "天祝县华藏寺镇人民政府", "tianzhu", 2, 23_440),
    _town("tianzhu-dachaigou", "天祝县打柴沟镇人民政府", "tianzhu", 2, 22_211),
)

COUNTY_CODES = ("liangzhou", "minqin", "gulang", "tianzhu")

CONTACTS = {
    "wuwei": {
        "address": "武威市凉州区宣武街道仁和街36号",
        "postcode": "733000",
        "phone": "0935-2298109",
        "website": "https://www.gswuwei.gov.cn/col/col29409/index.html",
    },
    "liangzhou": {
        "address": "武威市凉州区东大街1号",
        "postcode": "733000",
        "phone": "0935-2212000",
    },
    "minqin": {"address": "民勤县城东大街8号", "postcode": "733300", "phone": "0935-4122000"},
    "gulang": {"address": "古浪县古浪镇昌灵路1号", "postcode": "733100", "phone": "0935-5512000"},
    "tianzhu": {
        "address": "天祝县华藏寺镇金强路2号",
        "postcode": "733200",
        "phone": "0935-3122000",
    },
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
COMPANIES = (
    "武威示例农业科技有限公司",
    "凉州示例商贸有限公司",
    "示例建筑工程有限公司",
    "示例新能源开发有限公司",
)
RESEARCH = ("示例农业科学研究所",)
CONTENTS = (
    "申请公开本村土地征收补偿安置方案及补偿标准",
    "申请公开某小区建设工程规划许可证及附图",
    "申请公开本人房屋所在地块的征收决定及公告",
    "申请公开2023年度城市棚户区改造项目资金使用情况",
    "申请公开某道路拓宽工程的立项批复文件",
    "申请公开某企业环境影响评价审批文件",
    "申请公开本镇农村低保人员名单及发放标准",
    "申请公开某学校校舍维修项目招标文件",
    "申请公开某地块国有建设用地使用权出让合同",
    "申请公开养老保险待遇核定依据",
    "申请公开某市场监管行政处罚决定书",
    "申请公开耕地地力保护补贴发放明细",
)
CONSULTED = ("第三方企业", "相关权利人", "市财政局", "县自然资源局")


@dataclass
class Slot:
    """One request to create: who, where and how it ends."""

    kind: str
    result: str | None  # None: still open at the end of the report year


def _slots(counts: Iterable[tuple[str, str | None, int]]) -> list[Slot]:
    return [Slot(kind, result) for kind, result, n in counts for _ in range(n)]


# 2023, from the published tables: 255 + 4 new, 2 carried over from 2022, 1 carried forward.
SLOTS_2023 = _slots(
    [
        (ApplicantKind.NATURAL_PERSON, Result.GRANTED, 160),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_STATE_SECRET, 10),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_LAW_PROHIBITED, 1),
        (ApplicantKind.NATURAL_PERSON, Result.UNABLE_NOT_HELD, 80),
        (ApplicantKind.NATURAL_PERSON, Result.OTHER_NO_CORRECTION, 3),
        (ApplicantKind.NATURAL_PERSON, None, 1),
        (ApplicantKind.COMMERCIAL_ENTERPRISE, Result.GRANTED, 2),
        (ApplicantKind.COMMERCIAL_ENTERPRISE, Result.PARTIALLY_GRANTED, 2),
    ]
)
# 2022 (invented): 2 natural persons' requests stay open into 2023.
SLOTS_2022 = _slots(
    [
        (ApplicantKind.NATURAL_PERSON, Result.GRANTED, 131),
        (ApplicantKind.NATURAL_PERSON, Result.PARTIALLY_GRANTED, 4),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_STATE_SECRET, 6),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_THIRD_PARTY, 2),
        (ApplicantKind.NATURAL_PERSON, Result.UNABLE_NOT_HELD, 58),
        (ApplicantKind.NATURAL_PERSON, Result.REJECTED_DUPLICATE, 3),
        (ApplicantKind.NATURAL_PERSON, Result.OTHER_NO_CORRECTION, 2),
        (ApplicantKind.NATURAL_PERSON, Result.OTHER_OTHER, 1),
        (ApplicantKind.NATURAL_PERSON, None, 2),
        (ApplicantKind.COMMERCIAL_ENTERPRISE, Result.GRANTED, 5),
    ]
)
# 2024 (invented): everything received is concluded within the year.
SLOTS_2024 = _slots(
    [
        (ApplicantKind.NATURAL_PERSON, Result.GRANTED, 172),
        (ApplicantKind.NATURAL_PERSON, Result.PARTIALLY_GRANTED, 6),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_STATE_SECRET, 7),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_PROCESS_INFO, 3),
        (ApplicantKind.NATURAL_PERSON, Result.UNABLE_NOT_HELD, 71),
        (ApplicantKind.NATURAL_PERSON, Result.UNABLE_NEEDS_CREATION, 4),
        (ApplicantKind.NATURAL_PERSON, Result.REJECTED_PETITION, 3),
        (ApplicantKind.NATURAL_PERSON, Result.OTHER_NO_CORRECTION, 2),
        (ApplicantKind.NATURAL_PERSON, Result.OTHER_OTHER, 2),
        (ApplicantKind.COMMERCIAL_ENTERPRISE, Result.GRANTED, 6),
        (ApplicantKind.RESEARCH_INSTITUTION, Result.GRANTED, 2),
    ]
)

# 2025 (invented): three requests received in late December stay open into 2026.
SLOTS_2025 = _slots(
    [
        (ApplicantKind.NATURAL_PERSON, Result.GRANTED, 181),
        (ApplicantKind.NATURAL_PERSON, Result.PARTIALLY_GRANTED, 5),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_STATE_SECRET, 4),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_THIRD_PARTY, 3),
        (ApplicantKind.NATURAL_PERSON, Result.DENIED_PROCESS_INFO, 2),
        (ApplicantKind.NATURAL_PERSON, Result.UNABLE_NOT_HELD, 64),
        (ApplicantKind.NATURAL_PERSON, Result.UNABLE_NEEDS_CREATION, 6),
        (ApplicantKind.NATURAL_PERSON, Result.REJECTED_DUPLICATE, 4),
        (ApplicantKind.NATURAL_PERSON, Result.REJECTED_PUBLICATION, 2),
        (ApplicantKind.NATURAL_PERSON, Result.OTHER_NO_CORRECTION, 3),
        (ApplicantKind.NATURAL_PERSON, Result.OTHER_OTHER, 2),
        (ApplicantKind.NATURAL_PERSON, None, 3),
        (ApplicantKind.COMMERCIAL_ENTERPRISE, Result.GRANTED, 7),
        (ApplicantKind.COMMERCIAL_ENTERPRISE, Result.PARTIALLY_GRANTED, 1),
        (ApplicantKind.RESEARCH_INSTITUTION, Result.GRANTED, 1),
    ]
)
# The current year (invented), received from 1 January to a month before the demo is
# loaded and answered by then; the worklist of open requests is built beside them.
CURRENT_YEAR_RESULTS = (
    (Result.GRANTED, 64),
    (Result.PARTIALLY_GRANTED, 2),
    (Result.DENIED_STATE_SECRET, 1),
    (Result.DENIED_THIRD_PARTY, 1),
    (Result.UNABLE_NOT_HELD, 24),
    (Result.UNABLE_NEEDS_CREATION, 2),
    (Result.REJECTED_DUPLICATE, 2),
    (Result.OTHER_NO_CORRECTION, 1),
    (Result.OTHER_OTHER, 1),
)

# Yearly figures: 2023 from the published table 二; 2022, 2024 and 2025 invented.
DECISIONS = {
    2022: {
        "licensing": 398_214,
        "penalty": 330_102,
        "enforcement": 1_207,
        "fees": Decimal("21876"),
    },
    2023: {
        "licensing": 421_808,
        "penalty": 351_867,
        "enforcement": 1_129,
        "fees": Decimal("22910"),
    },
    2024: {
        "licensing": 436_551,
        "penalty": 340_925,
        "enforcement": 1_064,
        "fees": Decimal("23384.5"),
    },
    2025: {
        "licensing": 448_207,
        "penalty": 332_418,
        "enforcement": 987,
        "fees": Decimal("23912.75"),
    },
}
INTERPRETATIONS = {2022: 6_980, 2023: 7_513, 2024: 7_802, 2025: 8_126}
RESPONSES = {2022: 2_301, 2023: 2_538, 2024: 2_610, 2025: 2_704}
ITEM_GROWTH = {
    2022: Decimal("0.94"),
    2023: Decimal("1"),
    2024: Decimal("1.05"),
    2025: Decimal("1.08"),
}
FIGURE_YEARS = tuple(DECISIONS)


class DemoAlreadyLoaded(Exception):
    pass


class DemoTooEarly(ValueError):
    """The demo's 2025 reports are published by 31 March 2026: it cannot be loaded before."""


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` split by ``weights`` into integers that add up exactly."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    parts[0] += total - sum(parts)
    return parts


class DemoBuilder:
    def __init__(self, *, actor) -> None:
        self.actor = actor
        self.rng = random.Random(2023)
        self.bodies: dict[str, Body] = {}
        self.applicants: dict[str, list[Applicant]] = {}
        self.seed = json.loads(SEED_DOCUMENT.read_text(encoding="utf-8"))
        # One calendar for the whole build: no query per date.
        self.calendar = WorkingCalendar.for_years(2021, 2027)

    # bodies -------------------------------------------------------------------------

    def build_bodies(self) -> None:
        for spec in BODIES:
            body = Body(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent=self.bodies.get(spec.parent) if spec.parent else None,
                **CONTACTS.get(spec.code, {}),
            )
            if spec.kind == BodyKind.TOWNSHIP:
                # No legal deadline for 乡镇(街道): the county sets 20 January.
                body.report_deadline_month, body.report_deadline_day = 1, 20
            self.bodies[spec.code] = services.body_save(actor=self.actor, body=body)

    # applicants ---------------------------------------------------------------------

    def build_applicants(self) -> None:
        people = []
        for n in range(1, 241):
            surname = SURNAMES[n % len(SURNAMES)]
            people.append(
                Applicant(
                    kind=ApplicantKind.NATURAL_PERSON,
                    name=f"{surname}示例{n:03d}",
                    id_number=f"620600DEMO{n:06d}",
                    contact=f"演示电话 0935-000{n:04d}",
                )
            )
        companies = [
            Applicant(
                kind=ApplicantKind.COMMERCIAL_ENTERPRISE,
                name=name,
                id_number=f"91620600DEMO{n:06d}",
            )
            for n, name in enumerate(COMPANIES, 1)
        ]
        research = [
            Applicant(
                kind=ApplicantKind.RESEARCH_INSTITUTION, name=name, id_number=f"12620600DEMO{n:06d}"
            )
            for n, name in enumerate(RESEARCH, 1)
        ]
        for applicant in people + companies + research:
            services.record_save(actor=self.actor, instance=applicant)
        self.applicants = {
            ApplicantKind.NATURAL_PERSON: people,
            ApplicantKind.COMMERCIAL_ENTERPRISE: companies,
            ApplicantKind.RESEARCH_INSTITUTION: research,
        }

    def pick_applicant(self, kind: str) -> Applicant:
        pool = self.applicants[kind]
        # A few frequent applicants, as every office knows them.
        if kind == ApplicantKind.NATURAL_PERSON and self.rng.random() < 0.15:
            return pool[self.rng.randrange(5)]
        return pool[self.rng.randrange(len(pool))]

    # requests -----------------------------------------------------------------------

    def working_days(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        days = []
        day = start
        while day <= end:
            if self.calendar.is_working_day(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days

    def pick_body(self) -> Body:
        specs = [spec for spec in BODIES if spec.weight]
        spec = self.rng.choices(specs, weights=[s.weight for s in specs])[0]
        return self.bodies[spec.code]

    def create_request(
        self, slot: Slot, received: datetime.date, last_day: datetime.date
    ) -> InformationRequest:
        """A request received on ``received`` that ends as ``slot`` says, concluded by
        ``last_day`` (a still-open slot is concluded early the next year)."""
        rng = self.rng
        channel = rng.choices(
            [
                Channel.INTERNET,
                Channel.IN_PERSON,
                Channel.POST,
                Channel.EMAIL,
                Channel.ORDINARY_LETTER,
                Channel.FAX,
            ],
            weights=[60, 15, 14, 6, 3, 2],
        )[0]
        fields: dict = {
            "applicant": self.pick_applicant(slot.kind),
            "applicant_kind": slot.kind,
            "channel": channel,
            "received_on": received,
            "content": rng.choice(CONTENTS),
        }
        consultation = None
        if slot.result == Result.OTHER_NO_CORRECTION:
            notice = self.calendar.add_working_days(received, 3)
            fields |= {
                "correction_notice_on": notice,
                "correction_deadline": self.calendar.add_working_days(notice, 10),
                "concluded_on": self.calendar.add_working_days(notice, 12),
            }
        elif slot.result is None:
            # Open at the end of the year; concluded early next year.
            fields |= {
                "concluded_on": self.calendar.add_working_days(received, 12),
                "result": Result.GRANTED,
            }
        else:
            draw = rng.random()
            if draw < 0.08:  # 补正, then answered
                notice = self.calendar.add_working_days(received, 2)
                corrected = self.calendar.add_working_days(notice, 4)
                fields |= {
                    "correction_notice_on": notice,
                    "correction_deadline": self.calendar.add_working_days(notice, 10),
                    "correction_received_on": corrected,
                    "concluded_on": self.calendar.add_working_days(corrected, rng.randint(5, 12)),
                }
            elif draw < 0.14 or slot.result == Result.PARTIALLY_GRANTED:  # 征求意见
                sent = self.calendar.add_working_days(received, 3)
                answered = self.calendar.add_working_days(sent, rng.randint(4, 9))
                consultation = (rng.choice(CONSULTED), sent, answered)
                fields["concluded_on"] = self.calendar.add_working_days(answered, 3)
            elif draw < 0.18:  # 延期
                decided = self.calendar.add_working_days(received, 15)
                fields |= {
                    "extension_days": 15,
                    "extension_decided_on": decided,
                    "extension_approver": "政务公开办主任（演示）",
                    "extension_reason": "申请内容涉及档案较多，需调阅整理",
                    "concluded_on": self.calendar.add_working_days(received, 28),
                }
            else:
                fields["concluded_on"] = self.calendar.add_working_days(
                    received, rng.randint(2, 15)
                )
        if slot.result is not None:
            fields["result"] = slot.result
            assert fields["concluded_on"] <= last_day, (
                "a concluded demo request must end within its year"
            )
        request = services.request_create(actor=self.actor, body=self.pick_body(), **fields)
        if consultation:
            party, sent, answered = consultation
            services.consultation_save(
                actor=self.actor,
                consultation=Consultation(
                    request=request, party=party, sent_on=sent, answered_on=answered
                ),
            )
        return request

    def build_requests(self, year: int, slots: list[Slot]) -> None:
        year_end = datetime.date(year, 12, 31)
        concluded = [s for s in slots if s.result is not None]
        still_open = [s for s in slots if s.result is None]
        # Concluded ones are received early enough to end within the year.
        days = self.working_days(datetime.date(year, 1, 3), datetime.date(year, 11, 15))
        self.rng.shuffle(concluded)
        for slot in concluded:
            self.create_request(slot, self.rng.choice(days), year_end)
        late = self.working_days(datetime.date(year, 12, 18), datetime.date(year, 12, 29))
        for slot in still_open:
            self.create_request(slot, self.rng.choice(late), year_end)

    def build_current_year(self, today: datetime.date) -> None:
        """The current year up to ``today``: requests answered (received until six weeks
        before ``today``) and a clerk's worklist of open ones — in time, in consultation,
        extended, waiting for the applicant's 补正 or fee, and overdue."""
        answered = self.working_days(CURRENT_YEAR_START, today - datetime.timedelta(days=42))
        results, weights = zip(*CURRENT_YEAR_RESULTS, strict=True)
        for received in answered[::2]:
            kind = (
                ApplicantKind.COMMERCIAL_ENTERPRISE
                if self.rng.random() < 0.04
                else ApplicantKind.NATURAL_PERSON
            )
            result = self.rng.choices(results, weights=weights)[0]
            self.create_request(Slot(kind, result), received, today)

        recent = self.working_days(today - datetime.timedelta(days=90), today)

        def received(working_days_ago: int) -> datetime.date:
            return recent[-1 - working_days_ago]

        for ago in (0, 1, 3, 4, 7, 11):  # in time
            self.open_request(received(ago))
        request = self.open_request(received(6))  # a third party is consulted
        services.consultation_save(
            actor=self.actor,
            consultation=Consultation(
                request=request,
                party=CONSULTED[0],
                sent_on=self.calendar.add_working_days(received(6), 2),
            ),
        )
        for ago in (24, 27):  # extended by 15 working days, still in time
            day = received(ago)
            self.open_request(
                day,
                extension_days=15,
                extension_decided_on=self.calendar.add_working_days(day, 18),
                extension_approver="政务公开办主任（演示）",
                extension_reason="申请内容涉及档案较多，需调阅整理",
            )
        for ago in (5, 9, 16):  # 补正 asked for, not yet received
            notice = self.calendar.add_working_days(received(ago), 2)
            self.open_request(
                received(ago),
                correction_notice_on=notice,
                correction_deadline=self.calendar.add_working_days(notice, 10),
            )
        for ago in (8, 13):  # a fee notified, not yet paid
            notice = self.calendar.add_working_days(received(ago), 3)
            self.open_request(
                received(ago),
                fee_method=FeeMethod.PER_PAGE,
                fee_amount=Decimal("420.00"),
                fee_notice_on=notice,
                fee_due_on=self.calendar.add_working_days(notice, 20),
            )
        for ago in (23, 29, 41):  # past their 20 working days
            self.open_request(received(ago))

    def open_request(self, received: datetime.date, **fields) -> InformationRequest:
        kind = ApplicantKind.NATURAL_PERSON
        return services.request_create(
            actor=self.actor,
            body=self.pick_body(),
            applicant=self.pick_applicant(kind),
            applicant_kind=kind,
            channel=self.rng.choice([Channel.INTERNET, Channel.INTERNET, Channel.IN_PERSON]),
            received_on=received,
            content=self.rng.choice(CONTENTS),
            **fields,
        )

    # appeals ------------------------------------------------------------------------

    def build_appeals(self, today: datetime.date | None) -> None:
        """The appeal cases of 2022–2025 and, with ``today``, one case of the current year
        decided and one still pending."""
        cases = [
            # 2022: one lawsuit still pending at the end of 2022, decided (upheld) in 2023.
            (
                "wuwei-zrzyj",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2022〕11号",
                "2022-03-14",
                "2022-05-10",
                AppealResult.UPHELD,
            ),
            (
                "liangzhou",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2022〕27号",
                "2022-06-02",
                "2022-07-29",
                AppealResult.CORRECTED,
            ),
            (
                "minqin-zrzyj",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2022〕40号",
                "2022-08-15",
                "2022-10-12",
                AppealResult.UPHELD,
            ),
            (
                "wuwei-zjj",
                AppealKind.LITIGATION_DIRECT,
                "（2022）甘0602行初58号",
                "2022-11-08",
                "2023-03-20",
                AppealResult.UPHELD,
            ),
        ]
        # 2023, from the published table 四: reconsideration 3 upheld + 7 corrected, lawsuits
        # 2 upheld (one filed in 2022, above) + 1 corrected, nothing pending at the year end.
        bodies_2023 = [
            "wuwei-zrzyj",
            "wuwei-zjj",
            "liangzhou-zrzyj",
            "liangzhou",
            "minqin-zrzyj",
            "gulang-zjj",
            "tianzhu-zrzyj",
            "wuwei-rsj",
            "gulang",
            "liangzhou-zjj",
        ]
        for n, code in enumerate(bodies_2023):
            result = AppealResult.UPHELD if n < 3 else AppealResult.CORRECTED
            filed = datetime.date(2023, 2 + n, 6)
            cases.append(
                (
                    code,
                    AppealKind.RECONSIDERATION,
                    f"武政复决字〔2023〕{12 + n * 7}号",
                    filed.isoformat(),
                    (filed + datetime.timedelta(days=55)).isoformat(),
                    result,
                )
            )
        cases += [
            (
                "liangzhou-zrzyj",
                AppealKind.LITIGATION_DIRECT,
                "（2023）甘0602行初21号",
                "2023-04-11",
                "2023-08-30",
                AppealResult.UPHELD,
            ),
            (
                "minqin",
                AppealKind.LITIGATION_DIRECT,
                "（2023）甘0621行初9号",
                "2023-06-19",
                "2023-11-02",
                AppealResult.CORRECTED,
            ),
            # 2024 (invented)
            (
                "wuwei-zrzyj",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2024〕8号",
                "2024-03-04",
                "2024-04-26",
                AppealResult.UPHELD,
            ),
            (
                "gulang-zjj",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2024〕19号",
                "2024-05-13",
                "2024-07-08",
                AppealResult.CORRECTED,
            ),
            (
                "liangzhou",
                AppealKind.LITIGATION_AFTER_RECONSIDERATION,
                "（2024）甘0602行初33号",
                "2024-07-22",
                "2024-11-15",
                AppealResult.UPHELD,
            ),
            # 2025 (invented): the last one is still pending at the end of 2025.
            (
                "wuwei-zrzyj",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2025〕6号",
                "2025-03-10",
                "2025-05-06",
                AppealResult.UPHELD,
            ),
            (
                "minqin-zrzyj",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2025〕17号",
                "2025-05-19",
                "2025-07-14",
                AppealResult.CORRECTED,
            ),
            (
                "wuwei-zjj",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2025〕31号",
                "2025-08-04",
                "2025-09-26",
                AppealResult.UPHELD,
            ),
            (
                "liangzhou-zrzyj",
                AppealKind.LITIGATION_DIRECT,
                "（2025）甘0602行初17号",
                "2025-04-21",
                "2025-09-12",
                AppealResult.UPHELD,
            ),
            (
                "gulang-zjj",
                AppealKind.RECONSIDERATION,
                "武政复决字〔2025〕48号",
                "2025-11-24",
                "2026-01-19",
                AppealResult.UPHELD,
            ),
        ]
        if today is not None:
            filed = today - datetime.timedelta(days=24)
            cases += [
                (
                    "wuwei-rsj",
                    AppealKind.RECONSIDERATION,
                    "武政复决字〔2026〕9号",
                    "2026-03-16",
                    "2026-05-11",
                    AppealResult.UPHELD,
                ),
                (
                    "tianzhu-zrzyj",
                    AppealKind.RECONSIDERATION,
                    f"武政复决字〔{filed.year}〕{filed.timetuple().tm_yday // 7 + 20}号",
                    filed.isoformat(),
                    None,
                    None,
                ),
            ]
        for code, kind, number, filed, concluded, result in cases:
            services.appeal_save(
                actor=self.actor,
                case=AppealCase(
                    body=self.bodies[code],
                    kind=kind,
                    case_number=number,
                    filed_on=datetime.date.fromisoformat(filed),
                    concluded_on=datetime.date.fromisoformat(concluded) if concluded else None,
                    result=result or "",
                ),
            )

    # register -----------------------------------------------------------------------

    def build_register(self, today: datetime.date | None) -> None:
        """The register of 2018–2025 and, with ``today``, a document of the current year."""
        rules = [
            ("武威市城市市容和环境卫生管理办法", "武威市人民政府令第1号", "2018-06-20"),
            ("武威市天梯山石窟保护条例实施办法", "武威市人民政府令第3号", "2020-09-15"),
            ("武威市城市绿化管理办法", "武威市人民政府令第5号", "2022-04-28"),
            ("武威市居住区停车设施建设管理办法", "武威市人民政府令第6号", "2023-08-10"),
            ("武威市城市供水用水管理办法", "武威市人民政府令第7号", "2024-06-18"),
            ("武威市物业管理办法", "武威市人民政府令第8号", "2025-05-20"),
        ]
        for title, number, issued in rules:
            services.document_save(
                actor=self.actor,
                document=Document(
                    body=self.bodies["wuwei"],
                    kind=DocumentKind.RULE,
                    title=title,
                    number=number,
                    issued_on=datetime.date.fromisoformat(issued),
                ),
            )
        issuers = [
            "wuwei",
            "wuwei-zfb",
            "wuwei-zrzyj",
            "wuwei-zjj",
            "wuwei-rsj",
            "liangzhou",
            "minqin",
            "gulang",
            "tianzhu",
        ]
        # 24 in force at the end of 2022 (two older ones repealed before), 2 issued in 2023,
        # 3 issued and 1 repealed in 2024, 2 issued and 1 repealed in 2025 (when two more
        # reach the end of their five years of validity: 2025 states 现行有效 2 fewer).
        plan = [(2019 + n % 4, None) for n in range(24)] + [
            (2021, "2022-09-30"),
            (2020, "2021-12-31"),
        ]
        plan += [(2023, None), (2023, None), (2024, None), (2024, None), (2024, None)]
        plan += [(2025, None), (2025, None)]
        if today is not None:
            plan.append((CURRENT_YEAR_START.year, None))
        for n, (year, repealed) in enumerate(plan):
            code = issuers[n % len(issuers)]
            issued = datetime.date(year, 1 + (n * 5) % 12, 5 + n % 20)
            repeal_on = datetime.date.fromisoformat(repealed) if repealed else None
            if n == 3:  # repealed in 2024
                repeal_on = datetime.date(2024, 10, 31)
            elif n == 1:  # repealed in 2025
                repeal_on = datetime.date(2025, 6, 30)
            if year == CURRENT_YEAR_START.year:  # early in the year, before any load day
                issued = CURRENT_YEAR_START + datetime.timedelta(days=40)
            services.document_save(
                actor=self.actor,
                document=Document(
                    body=self.bodies[code],
                    kind=DocumentKind.NORMATIVE,
                    title=f"{self.bodies[code].name}关于规范有关事项的通知（{n + 1}）",
                    number=f"{code.split('-')[0]}规〔{year}〕{n + 1}号",
                    issued_on=issued,
                    effective_on=issued + datetime.timedelta(days=30),
                    repealed_on=repeal_on,
                    valid_until=datetime.date(year + 5, 12, 31) if n % 3 == 0 else None,
                ),
            )

    # yearly figures -----------------------------------------------------------------

    def build_figures(self) -> None:
        specs = list(BODIES)
        channel_split = (
            (FigureItem.WEBSITE, 55),
            (FigureItem.NEW_MEDIA, 30),
            (FigureItem.GAZETTE, 2),
            (FigureItem.BULLETIN_BOARD, 10),
            (FigureItem.OTHER_CHANNEL, 3),
        )
        for year in FIGURE_YEARS:
            weights = [max(spec.weight, 1) for spec in specs]
            per_body: dict[str, dict[str, Decimal]] = {spec.code: {} for spec in specs}
            for item, total in DECISIONS[year].items():
                if item == "fees":
                    cents = _split(int(total * 10000), weights)
                    shares = [Decimal(c) / 10000 for c in cents]
                else:
                    shares = [Decimal(x) for x in _split(total, weights)]
                for spec, share in zip(specs, shares, strict=True):
                    per_body[spec.code][item] = share
            for item, totals in (
                (FigureItem.POLICY_INTERPRETATION, INTERPRETATIONS),
                (FigureItem.RESPONSE, RESPONSES),
            ):
                for spec, share in zip(specs, _split(totals[year], weights), strict=True):
                    per_body[spec.code][item] = Decimal(share)
            for spec in specs:
                items = int(spec.items * ITEM_GROWTH[year])
                parts = _split(items, [w for _, w in channel_split])
                for (item, _weight), part in zip(channel_split, parts, strict=True):
                    per_body[spec.code][item] = Decimal(part)
            for spec in specs:
                for item, value in per_body[spec.code].items():
                    services.figure_set(
                        actor=self.actor,
                        body=self.bodies[spec.code],
                        year=year,
                        item=item,
                        value=value,
                        source="演示数据"
                        if year != 2023
                        else "武威市2023年政府信息公开工作年度报告（演示分配到各机构）",
                    )

    # users --------------------------------------------------------------------------

    def build_users(self) -> dict[str, str]:
        User = get_user_model()
        passwords = {}
        for username, (code, role) in DEMO_USERS.items():
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(username, password=password, is_staff=True)
            services.membership_save(
                actor=self.actor,
                membership=Membership(user=user, body=self.bodies[code], role=role),
            )
            passwords[username] = password
        return passwords


def load_demo(*, actor=None, today: datetime.date, current_year: bool = True) -> dict[str, str]:
    """Build the demo as it stands on ``today``; returns the demo users' passwords. Refuses
    when it is already there, and before ``EARLIEST_LOAD_DAY``.

    ``current_year=False`` leaves out the records of the current year (received, filed or
    issued from 1 January 2026), whose dates follow ``today``: the rest does not depend on
    the day it is loaded."""
    if today < EARLIEST_LOAD_DAY:
        raise DemoTooEarly(
            _("演示数据的2025年度报告于2026年3月底前发布，须在%(day)s或以后载入。")
            % {"day": EARLIEST_LOAD_DAY.isoformat()}
        )
    if Body.objects.filter(code=ROOT_CODE).exists():
        raise DemoAlreadyLoaded(ROOT_CODE)
    from reports import demo_reports

    builder = DemoBuilder(actor=actor)
    with transaction.atomic():
        builder.build_bodies()
        builder.build_applicants()
        builder.build_requests(2022, SLOTS_2022)
        builder.build_requests(2023, SLOTS_2023)
        builder.build_requests(2024, SLOTS_2024)
        builder.build_requests(2025, SLOTS_2025)
        if current_year:
            builder.build_current_year(today)
        builder.build_appeals(today if current_year else None)
        builder.build_register(today if current_year else None)
        builder.build_figures()
        passwords = builder.build_users()
        demo_reports.build_reports(builder)
    return passwords


def demo_counts() -> dict[str, int]:
    return {
        "bodies": Body.objects.count(),
        "requests": InformationRequest.objects.count(),
        "appeals": AppealCase.objects.count(),
        "documents": Document.objects.count(),
    }
