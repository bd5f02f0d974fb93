"""Published report versions for the public-site tests, written directly from the seed
document (the shape the publishing service freezes), and the bodies they belong to."""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from disclosure.models import Body
from disclosure.vocab import BodyKind
from reports.document import canonical_sha256
from reports.models import Report, ReportStatus, ReportVersion
from tests.factories import BodyFactory

SEED = Path(__file__).resolve().parents[2] / "reports" / "data" / "demo-wuwei-2023.json"


def seed_document() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def publish(
    report: Report,
    document: dict,
    *,
    number: int,
    change_note: str = "",
    pdf: bytes | None = None,
    day: datetime.date = datetime.date(2024, 2, 21),
) -> ReportVersion:
    published_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    frozen = copy.deepcopy(document)
    frozen.update(
        body=report.body.code,
        body_name=report.body.name,
        year=report.year,
        scope=report.scope,
        version=number,
        published_at=published_at.isoformat(),
        change_note=change_note,
    )
    frozen["sha256"] = canonical_sha256(frozen)
    version = ReportVersion(
        report=report,
        number=number,
        document=frozen,
        sha256=frozen["sha256"],
        published_at=published_at,
        change_note=change_note,
    )
    if pdf is not None:
        version.pdf.save("report.pdf", ContentFile(pdf), save=False)
    version.save()
    return version


def with_requests(document: dict, *, received: int, granted: int, unable: int) -> dict:
    """A copy of ``document`` whose table 三 holds a small consistent set of 自然人 figures."""
    changed = copy.deepcopy(document)
    rows = changed["requests"]["rows"]
    for row in rows.values():
        for column in row:
            row[column] = 0
    figures = {
        "new_received": received,
        "granted": granted,
        "unable_not_held": unable,
        "results_total": granted + unable,
        "carried_forward": received - granted - unable,
    }
    for key, value in figures.items():
        rows[key]["natural_person"] = value
        rows[key]["total"] = value
    return changed


@dataclass
class Site:
    city: Body
    department: Body
    county: Body
    hidden: Body
    city_2023: Report
    city_2022: Report
    county_2023: Report
    draft_2023: Report
    v1: ReportVersion
    v2: ReportVersion
    v2022: ReportVersion
    county_v1: ReportVersion


def build_site(*, pdf: bytes | None = None) -> Site:
    """武威市 (2022 v1; 2023 v1 and its correction v2, a further correction being drafted),
    凉州区 2023 v1 under it, a department with a draft only, and a body with nothing."""
    city = BodyFactory(code="wuwei", name="武威市人民政府", kind=BodyKind.GOVERNMENT)
    department = BodyFactory(code="wuwei-jyj", name="武威市教育局", parent=city)
    county = BodyFactory(
        code="liangzhou", name="凉州区人民政府", kind=BodyKind.GOVERNMENT, parent=city
    )
    hidden = BodyFactory(
        code="minqin", name="民勤县人民政府", kind=BodyKind.GOVERNMENT, parent=city
    )
    seed = seed_document()

    city_2022 = Report.objects.create(
        body=city, year=2022, scope="all", status=ReportStatus.PUBLISHED
    )
    v2022 = publish(
        city_2022,
        with_requests(seed, received=120, granted=70, unable=48),
        number=1,
        pdf=pdf,
        day=datetime.date(2023, 3, 20),
    )
    # 2023: published, corrected, and a further correction in draft (status back to draft).
    city_2023 = Report.objects.create(body=city, year=2023, scope="all", status=ReportStatus.DRAFT)
    version_1 = copy.deepcopy(seed)
    v1 = publish(city_2023, version_1, number=1, pdf=pdf)
    version_2 = copy.deepcopy(seed)
    version_2["narrative"]["overview"] = version_2["narrative"]["overview"].replace(
        "占63.9%", "占63.8%"
    )
    v2 = publish(
        city_2023,
        version_2,
        number=2,
        change_note="更正总体情况中予以公开及部分公开的占比。",
        pdf=pdf,
        day=datetime.date(2024, 3, 1),
    )
    county_2023 = Report.objects.create(
        body=county, year=2023, scope="all", status=ReportStatus.PUBLISHED
    )
    county_v1 = publish(
        county_2023, with_requests(seed, received=40, granted=30, unable=10), number=1, pdf=pdf
    )
    draft_2023 = Report.objects.create(
        body=department, year=2023, scope="own", status=ReportStatus.DRAFT
    )
    return Site(
        city=city,
        department=department,
        county=county,
        hidden=hidden,
        city_2023=city_2023,
        city_2022=city_2022,
        county_2023=county_2023,
        draft_2023=draft_2023,
        v1=v1,
        v2=v2,
        v2022=v2022,
        county_v1=county_v1,
    )
