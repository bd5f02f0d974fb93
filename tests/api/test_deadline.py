from __future__ import annotations

import pytest
from rest_framework.test import APIClient

URL = "/api/v1/deadline/"

EXAMPLE_A_SKIPPED = [
    *({"date": f"2025-10-0{day}", "reason": "国庆节"} for day in range(1, 6)),
    {"date": "2025-10-06", "reason": "中秋节"},  # 中秋 falls inside the 国庆 period in 2025
    {"date": "2025-10-07", "reason": "国庆节"},
    {"date": "2025-10-08", "reason": "国庆节"},
    *(
        {"date": date, "reason": "周末"}
        for date in (
            "2025-10-12",
            "2025-10-18",
            "2025-10-19",
            "2025-10-25",
            "2025-10-26",
            "2025-11-01",
            "2025-11-02",
        )
    ),
]


@pytest.fixture
def client(db) -> APIClient:
    return APIClient()


def test_example_a_without_extension(client):
    response = client.get(f"{URL}?received=2025-09-30")
    assert response.status_code == 200
    assert response.json() == {
        "received": "2025-09-30",
        "due_date": "2025-11-04",
        "extended_due_date": None,
        "skipped": EXAMPLE_A_SKIPPED,
        "warnings": [],
    }


def test_example_e_extension_of_twenty_working_days(client):
    data = client.get(f"{URL}?received=2025-09-30&extension_days=20").json()
    assert (data["due_date"], data["extended_due_date"]) == ("2025-11-04", "2025-12-02")


def test_example_b_labour_day(client):
    assert client.get(f"{URL}?received=2025-04-30").json()["due_date"] == "2025-06-03"


def test_a_year_without_calendar_data_warns(client):
    data = client.get(f"{URL}?received=2031-03-03").json()
    assert data["due_date"] == "2031-03-31"
    assert data["warnings"] == ["2031年节假日安排尚未录入，按周一至周五计算"]


@pytest.mark.parametrize("received", ["2025-13-01", "30/09/2025", "yesterday", "", "0001-01-01"])
def test_malformed_date_is_400_in_chinese(client, received):
    response = client.get(f"{URL}?received={received}")
    assert response.status_code == 400
    assert list(response.json()) == ["received"]
    assert "收到申请日期" in response.json()["received"][0]


def test_missing_date_is_400_in_chinese(client):
    response = client.get(URL)
    assert response.status_code == 400
    assert response.json() == {"received": ["请提供收到申请日期（received=YYYY-MM-DD）。"]}


@pytest.mark.parametrize("days", ["0", "21", "abc", "1.5"])
def test_extension_out_of_range_is_400(client, days):
    response = client.get(f"{URL}?received=2025-09-30&extension_days={days}")
    assert response.status_code == 400
    assert response.json() == {"extension_days": ["延期工作日数须为1至20的整数。"]}


def test_the_calculator_is_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public": "2/min"},
    }
    for _ in range(2):
        assert client.get(f"{URL}?received=2025-09-30").status_code == 200
    response = client.get(f"{URL}?received=2025-09-30")
    assert response.status_code == 429
    assert response.json() == {"detail": "请求已被限流。 预计 60 秒后可用。"}
