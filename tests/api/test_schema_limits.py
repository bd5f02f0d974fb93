"""The OpenAPI schema states the limits the server enforces (``BoundedAutoSchema``), and the
server refuses what the schema says is invalid: an unknown enum value, a boolean other than
true/false, an empty typed parameter or an oversized page answer 400, not a filter dropped."""

from __future__ import annotations

import datetime
import re

import pytest
from rest_framework.test import APIClient

from disclosure.api.schema import date_pattern
from disclosure.models import Document
from tests.factories import DocumentFactory, RequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(db):
    return APIClient().get("/api/schema/?format=json").json()


def component(schema, name: str) -> dict:
    return schema["components"]["schemas"][name]["properties"]


def test_record_dates_state_their_range(schema):
    received = component(schema, "RequestDetailRequest")["received_on"]
    assert received["format"] == "date"
    assert received["x-date-range"] == {"minimum": "2008-05-01", "maximum": "today"}
    assert "2008-05-01 至今天" in received["description"]
    issued = component(schema, "DocumentRequest")["issued_on"]
    assert issued["x-date-range"] == {"minimum": "1949-10-01", "maximum": "today"}


def test_the_date_pattern_admits_exactly_the_range():
    pattern = re.compile(date_pattern(datetime.date(2008, 5, 1), datetime.date(2099, 12, 31)))
    admitted = ["2008-05-01", "2008-12-31", "2009-01-01", "2026-02-28", "2099-12-31"]
    refused = ["2008-04-30", "2007-12-31", "2100-01-01", "1999-06-01", "2026-13-01", "2026-1-1"]
    assert [bool(pattern.match(text)) for text in admitted] == [True] * len(admitted)
    assert [bool(pattern.match(text)) for text in refused] == [False] * len(refused)


def test_years_extension_days_and_pages_state_their_bounds(schema):
    assert {
        key: component(schema, "FigureRequest")["year"][key] for key in ("minimum", "maximum")
    } == {"minimum": 2008, "maximum": 2099}
    deadline = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/deadline/"]["get"]["parameters"]
    }
    assert (deadline["extension_days"]["minimum"], deadline["extension_days"]["maximum"]) == (1, 20)
    assert deadline["received"]["x-date-range"] == {
        "minimum": "2008-05-01",
        "maximum": "2099-12-31",
    }
    listing = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/requests/"]["get"]["parameters"]
    }
    assert listing["page"]["minimum"] == 1
    assert (listing["page_size"]["minimum"], listing["page_size"]["maximum"]) == (1, 500)
    assert (listing["year"]["minimum"], listing["year"]["maximum"]) == (2008, 2099)
    assert "bogus" not in listing["status"]["enum"]


def test_every_answer_is_documented(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/requests/"]["get"]["responses"]) == {"200", "400", "404"}
    assert set(paths["/api/v1/requests/{id}/"]["patch"]["responses"]) == {
        "200",
        "400",
        "403",
        "404",
        "409",
        "412",
        "413",
    }
    assert "429" in paths["/api/v1/public/reports/"]["get"]["responses"]
    assert "429" in paths["/api/v1/deadline/"]["get"]["responses"]
    assert list(paths["/api/v1/bodies/"]["post"]["requestBody"]["content"]) == ["application/json"]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "bogus"},
        {"result": "granted_everything"},
        {"voided": "null"},
        {"overdue": "yes"},
        {"year": ""},
        {"year": "1999"},
        {"page_size": "501"},
        {"page_size": "0"},
        {"applicant": "0"},
    ],
)
def test_an_invalid_query_value_answers_400_naming_the_parameter(api, tree, query):
    RequestFactory(body=tree.county_a)
    response = api.get("/api/v1/requests/", query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_an_unknown_ordering_answers_400_naming_the_fields(api, tree):
    response = api.get("/api/v1/requests/", {"ordering": "-received_on,applicant__name"})
    assert response.status_code == 400
    assert "received_on" in response.json()["ordering"][0]
    assert api.get("/api/v1/requests/", {"ordering": "-received_on,reference"}).status_code == 200


def test_an_empty_page_number_is_no_page(api, tree):
    assert api.get("/api/v1/requests/", {"page": ""}).status_code == 404


def test_a_voided_record_answers_409_and_stays_as_voided(api, tree):
    document = DocumentFactory(body=tree.county_a)
    url = f"/api/v1/documents/{document.pk}/"
    assert api.post(f"{url}void/", {"reason": "重复"}, format="json").status_code == 200

    again = api.post(f"{url}void/", {"reason": "再次"}, format="json")
    changed = api.patch(url, {"title": "改"}, format="json")

    assert (again.status_code, changed.status_code) == (409, 409)
    assert again.json() == {"non_field_errors": ["已作废的记录不能修改。"]}
    stored = Document.objects.get(pk=document.pk)
    assert (stored.void_reason, stored.title) == ("重复", document.title)


def test_a_number_where_a_text_belongs_is_refused(api, tree):
    response = api.post(
        "/api/v1/figures/",
        {"body": "county-a", "year": 2025, "item": "licensing", "value": 3, "source": 12},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"source": ["须为文本（JSON 字符串）。"]}


def test_form_encoded_bodies_are_refused(api, tree):
    response = api.post("/api/v1/figures/", {"body": "county-a"})  # multipart
    assert response.status_code == 415
