"""Review: no applicant identity reaches the public site when a report is published FROM the
records that hold it. (The public-site test seeds applicants after its versions were written
as fixed documents, so nothing there could carry them whatever the product did.)"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from disclosure.models import Applicant
from disclosure.vocab import ApplicantKind, Result
from reports.services import report_draft_for, report_publish, report_save
from tests.factories import RequestFactory
from tests.reports.publishing import CONSISTENT_OVERVIEW, OTHER_MATTERS, PROBLEMS, make_world

pytestmark = pytest.mark.django_db

APPLICANTS = (("欧阳明远", "620102198805054322"), ("司马青云", "91620100MA7ABCDE9H"))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_report_published_from_records_carries_no_applicant_identity(client):
    world = make_world()
    for name, id_number in APPLICANTS:
        applicant = Applicant.objects.create(
            kind=ApplicantKind.NATURAL_PERSON, name=name, id_number=id_number, contact=name
        )
        RequestFactory(
            body=world.education,
            applicant=applicant,
            applicant_kind=ApplicantKind.NATURAL_PERSON,
            content=f"{name}申请公开本人{id_number}相关信息",
            received_on=datetime.date(2023, 6, 1),
            concluded_on=datetime.date(2023, 6, 20),
            result=Result.GRANTED,
        )
    report = report_draft_for(actor=world.editor, body=world.education, year=2023)
    report.overview = CONSISTENT_OVERVIEW.replace("3件", "5件").replace(
        "予以公开1件，占50.0%", "予以公开3件，占75.0%"
    )
    report.problems, report.other_matters = PROBLEMS, OTHER_MATTERS
    report = report_save(actor=world.editor, report=report)
    version = report_publish(
        actor=world.publisher,
        report=report,
        acknowledgements={},
    )
    assert version.document["requests"]["rows"]["new_received"]["total"] == 5

    texts = {}
    for url in ["/", "/?q=教育局", "/reports/edu/", "/reports/edu/2023/", "/reports/edu/2023/v1/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    texts["json"] = client.get("/reports/edu/2023.json").content.decode()
    texts["csv"] = client.get("/reports/edu/2023.csv").content.decode("utf-8-sig")
    word = WordDocument(io.BytesIO(client.get("/reports/edu/2023.docx").content))
    texts["docx"] = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    book = load_workbook(io.BytesIO(client.get("/reports/edu/2023.xlsx").content))
    texts["xlsx"] = "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    pdf = b"".join(client.get("/reports/edu/2023.pdf").streaming_content)
    texts["pdf"] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    texts["api"] = client.get("/api/v1/public/reports/edu/2023/").content.decode()

    # The texts are real: the body's name is in each of them (the CSV has cells only).
    assert [key for key, text in texts.items() if "测试县教育局" not in text] == ["csv"]
    assert "requests,new_received,一、本年新收政府信息公开申请数量,total,总计,5" in texts["csv"]
    leaks = [
        (key, secret)
        for key, text in texts.items()
        for applicant in APPLICANTS
        for secret in applicant
        if secret in text
    ]
    assert leaks == []
