"""``GET /api/v1/oversight/``: parameters, refusals and the OpenAPI description (the demo
test, ``tests/demo/test_oversight_demo.py``, checks the lines)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.reports.oversight_data import make_county

pytestmark = pytest.mark.django_db

URL = "/api/v1/oversight/"


@pytest.fixture
def county():
    return make_county()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_one_unpaginated_list(county):
    response = client_for(county.publisher).get(URL, {"body": "county", "year": 2023})
    assert response.status_code == 200
    entries = response.json()
    assert [entry["body"] for entry in entries] == [
        "county",
        "edu",
        "health",
        "civil",
        "finance",
        "town",
    ]
    health = entries[2]
    assert (health["status"], health["published_on"], health["days_late"]) == (
        "published",
        "2024-02-05",
        5,
    )
    assert entries[1]["repeated_share"] == 100.0


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"year": 2023}, "body", "请用 body 参数指定机构代码（如 body=wuwei）。"),
        ({"body": "county"}, "year", "请用 year 参数指定报告年度（如 year=2023）。"),
        ({"body": "county", "year": "二〇二三"}, "year", "年度须为四位数字的年份（如 2023）。"),
        ({"body": "county", "year": 1999}, "year", "年度须在 2021 至 2099 之间。"),
    ],
)
def test_bad_parameters_are_named_in_chinese(county, params, field, message):
    response = client_for(county.publisher).get(URL, params)
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_refusals(county):
    assert client_for(county.outsider).get(URL, {"body": "county", "year": 2023}).status_code == 403
    assert client_for(county.publisher).get(URL, {"body": "no", "year": 2023}).status_code == 404
    assert APIClient().get(URL, {"body": "county", "year": 2023}).status_code in (401, 403)


def test_documented_in_the_openapi_schema(county):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/oversight/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"body", "year"}
    assert set(operation["responses"]) == {"200", "400", "403", "404"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
