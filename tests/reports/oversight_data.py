"""A county's subtree with reports in every state, for the oversight tests.

测试县人民政府 (government: 31 March) with 教育局 (published in time, repeating last year's
narrative), 卫健局 (published 5 days late, then corrected), 民政局 (nothing, 91 days
overdue on 2024-05-01), 财政局 (an imported original), 测试镇 (a township without a
deadline), a department abolished in June 2023 and one established in 2024 (neither
listed for 2023). The county itself has a draft."""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass

from disclosure.models import Body
from disclosure.vocab import BodyKind, Role
from reports.document import canonical_sha256
from reports.format import DATA_DIR
from reports.models import Report, ReportStatus, ReportVersion, Scope
from tests.factories import BodyFactory, MembershipFactory, UserFactory

DEMO = json.loads((DATA_DIR / "demo-wuwei-2023.json").read_text(encoding="utf-8"))
TODAY = datetime.date(2024, 5, 1)
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@dataclass
class County:
    county: Body
    education: Body
    health: Body
    civil: Body
    finance: Body
    town: Body
    publisher: object
    outsider: object


def document_of(body: Body, year: int, **changes) -> dict:
    document = copy.deepcopy(DEMO)
    document.update(body=body.code, body_name=body.name, year=year, scope=Scope.OWN)
    document.update(changes)
    return document


def publish(body: Body, year: int, day: datetime.date, *, number: int = 1, **changes):
    report, _ = Report.objects.get_or_create(
        body=body, year=year, defaults={"scope": Scope.OWN, "status": ReportStatus.PUBLISHED}
    )
    published_at = datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)
    document = document_of(
        body, year, version=number, published_at=published_at.isoformat(), **changes
    )
    document["sha256"] = canonical_sha256(document)
    return ReportVersion.objects.create(
        report=report,
        number=number,
        document=document,
        sha256=document["sha256"],
        published_at=published_at,
    )


def make_county() -> County:
    county = BodyFactory(code="county", name="测试县人民政府", kind=BodyKind.GOVERNMENT)
    education = BodyFactory(code="edu", name="测试县教育局", parent=county)
    health = BodyFactory(code="health", name="测试县卫健局", parent=county)
    civil = BodyFactory(code="civil", name="测试县民政局", parent=county)
    finance = BodyFactory(code="finance", name="测试县财政局", parent=county)
    town = BodyFactory(code="town", name="测试镇人民政府", kind=BodyKind.TOWNSHIP, parent=county)
    BodyFactory(
        code="gone",
        name="测试县已撤销局",
        parent=county,
        abolished_on=datetime.date(2023, 6, 30),
    )
    BodyFactory(
        code="new", name="测试县新设局", parent=county, established_on=datetime.date(2024, 2, 1)
    )
    elsewhere = BodyFactory(code="elsewhere", name="外县人民政府", kind=BodyKind.GOVERNMENT)

    publish(education, 2022, datetime.date(2023, 1, 10))
    publish(education, 2023, datetime.date(2024, 1, 20))  # the same narrative as 2022
    publish(health, 2023, datetime.date(2024, 2, 5))
    publish(
        health,
        2023,
        datetime.date(2024, 3, 1),
        number=2,
        narrative={"overview": "本局全年共收到申请若干件。"},
    )
    imported = document_of(finance, 2023)
    imported["requests"]["rows"]["new_received"]["total"] = None
    Report.objects.create(
        body=finance,
        year=2023,
        scope=Scope.OWN,
        status=ReportStatus.IMPORTED,
        imported_document=imported,
    )
    Report.objects.create(body=county, year=2023, scope=Scope.ALL, overview="本县高度重视。")

    publisher = UserFactory(username="county-publisher")
    MembershipFactory(user=publisher, body=county, role=Role.PUBLISH)
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, body=elsewhere, role=Role.PUBLISH)
    return County(county, education, health, civil, finance, town, publisher, outsider)
