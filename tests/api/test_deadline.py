from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from disclosure.clock import explain, request_due
from disclosure.serializers import ClockSerializer
from tests.factories import RequestFactory

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


EXAMPLE_A_COUNTED = [
    {"date": date, "number": number, "note": "调休上班" if date == "2025-10-11" else ""}
    for number, date in enumerate(
        [
            "2025-10-09",
            "2025-10-10",
            "2025-10-11",
            *(f"2025-10-{day}" for day in (13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 27, 28)),
            *(f"2025-10-{day}" for day in (29, 30, 31)),
            "2025-11-03",
            "2025-11-04",
        ],
        start=1,
    )
]


def test_example_a_without_extension(client):
    response = client.get(f"{URL}?received=2025-09-30")
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "received": "2025-09-30",
        "start": "2025-09-30",
        "due_date": "2025-11-04",
        "base_due_date": "2025-11-04",
        "extended_due_date": None,
        "skipped": EXAMPLE_A_SKIPPED,
        "counted": EXAMPLE_A_COUNTED,
        "notes": [{"date": "2025-10-11", "number": 3, "note": "调休上班"}],
        "warnings": [],
        "alerts": [],
        "extension_late": False,
        "correction_notice_late": False,
        "paused_days": 0,
        "explanation": data["explanation"],
    }
    assert data["explanation"][:2] == ["2025-09-30 起算日（不计入）", "2025-10-01 不计：国庆节"]
    assert "2025-10-11 第3个工作日（调休上班）" in data["explanation"]


def test_the_calculator_explains_as_a_requests_clock_does(client):
    request = RequestFactory(received_on=datetime.date(2025, 9, 30))
    clock = ClockSerializer(explain(request_due(request))).data
    assert client.get(f"{URL}?received=2025-09-30").json() == clock


def test_example_e_extension_of_twenty_working_days(client):
    data = client.get(f"{URL}?received=2025-09-30&extension_days=20").json()
    assert (data["base_due_date"], data["extended_due_date"]) == ("2025-11-04", "2025-12-02")
    assert data["due_date"] == "2025-12-02"


@pytest.mark.parametrize("received", ["2025-12-01", "2099-12-31"])
def test_a_receipt_date_yet_to_come_is_computed(client, received):
    # Not a record: people ask "if I send it tomorrow".
    assert client.get(f"{URL}?received={received}").status_code == 200


def test_example_b_labour_day(client):
    assert client.get(f"{URL}?received=2025-04-30").json()["due_date"] == "2025-06-03"


def test_a_year_without_calendar_data_warns(client):
    data = client.get(f"{URL}?received=2031-03-03").json()
    assert data["due_date"] == "2031-03-31"
    assert data["warnings"] == ["2031年节假日安排尚未录入，按周一至周五计算"]


@pytest.mark.parametrize(
    ("received", "message"),
    [
        ("2025-13-01", "“2025-13-01”不是有效日期。"),
        ("2026-02-30", "“2026-02-30”不是有效日期。"),
        ("30/09/2025", "“30/09/2025”不是日期，请按 YYYY-MM-DD 填写，例如 2025-09-30。"),
        ("yesterday", "“yesterday”不是日期，请按 YYYY-MM-DD 填写，例如 2025-09-30。"),
        ("", "请按 YYYY-MM-DD 填写日期，例如 2025-09-30。"),
        ("0001-01-01", "日期须在 2008-05-01 至 2099-12-31 之间。"),
        ("2008-04-30", "日期须在 2008-05-01 至 2099-12-31 之间。"),
        ("2100-01-01", "日期须在 2008-05-01 至 2099-12-31 之间。"),
    ],
)
def test_malformed_date_is_400_in_chinese(client, received, message):
    response = client.get(f"{URL}?received={received}")
    assert response.status_code == 400
    assert response.json() == {"received": [message]}


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
