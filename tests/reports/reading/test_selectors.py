from __future__ import annotations

import datetime

import pytest

from reports.importing import report_import
from reports.reading.selectors import BodyIndex, KnownBody, previous_document
from tests.factories import BodyFactory
from tests.reports.engine_data import document

pytestmark = pytest.mark.django_db


def known(code, name, established=None, abolished=None):
    return KnownBody(code, name, "government", established, abolished)


def test_a_name_matches_after_nfkc_and_without_spaces():
    index = BodyIndex([known("a", "甘肃（兰州）新区管委会"), known("b", "武威市人民政府")])
    assert [b.code for b in index.named(["甘肃(兰州) 新区管委会"], 2023)] == ["a"]
    assert [b.code for b in index.named(["武威市", "武威市人民政府"], 2023)] == ["b"]
    assert index.named(["武威市凉州区"], 2023) == []


def test_bodies_of_one_name_are_narrowed_to_those_existing_that_year():
    index = BodyIndex(
        [
            known("old", "城关镇人民政府", abolished=datetime.date(2020, 6, 30)),
            known("new", "城关镇人民政府", established=datetime.date(2020, 7, 1)),
            known("other", "城关镇人民政府"),
        ]
    )
    assert [b.code for b in index.named(["城关镇人民政府"], 2019)] == ["old", "other"]
    assert [b.code for b in index.named(["城关镇人民政府"], 2023)] == ["new", "other"]


def test_the_index_is_read_in_one_query(django_assert_num_queries):
    BodyFactory(code="wuwei", name="武威市人民政府")
    with django_assert_num_queries(1):
        index = BodyIndex.load()
    assert index.by_code["wuwei"].name == "武威市人民政府"


def test_previous_document_is_last_years_import_or_latest_version_of_the_same_scope():
    BodyFactory(code="wuwei", name="武威市人民政府")
    last_year = document("wuwei", 2022, "all")
    report_import(actor=None, document=last_year)
    assert previous_document("wuwei", 2023, "all") == last_year
    assert previous_document("wuwei", 2023, "own") is None
    assert previous_document("wuwei", 2024, "all") is None
    assert previous_document("nobody", 2023, "all") is None


def test_previous_document_of_a_published_report_is_its_latest_version():
    from django.utils import timezone

    from reports.models import Report, ReportStatus, ReportVersion

    body = BodyFactory(code="wuwei", name="武威市人民政府")
    report = Report.objects.create(body=body, year=2022, scope="all", status=ReportStatus.PUBLISHED)
    first, second = document("wuwei", 2022, "all"), document("wuwei", 2022, "all")
    second["requests"]["rows"]["carried_forward"]["total"] = 7
    for number, content in ((1, first), (2, second)):
        ReportVersion.objects.create(
            report=report,
            number=number,
            document=content,
            sha256="0" * 64,
            published_at=timezone.now(),
        )
    assert previous_document("wuwei", 2023, "all") == second
    Report.objects.create(body=BodyFactory(code="draft"), year=2022, scope="all")
    assert previous_document("draft", 2023, "all") is None
