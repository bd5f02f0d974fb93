"""The idle timeout of admin sessions (``SESSION_IDLE_TIMEOUT_MINUTES``)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client(clock):
    client = Client()
    client.force_login(UserFactory(username="clerk"))
    return client


def test_a_session_unused_for_thirty_minutes_must_log_in_again(client, clock):
    assert client.get("/admin/").status_code == 200
    clock.shift(datetime.timedelta(minutes=30))
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert "已超过 30 分钟未操作，为安全起见已自动退出，请重新登录。" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_session_unused_since_login_times_out_too(client, clock):
    clock.shift(datetime.timedelta(minutes=30))
    assert client.get("/admin/").status_code == 302
    assert SESSION_KEY not in client.session


def test_a_session_in_use_stays_open(client, clock):
    for _ in range(4):
        assert client.get("/admin/").status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
    assert client.get("/admin/").status_code == 200


def test_the_timeout_is_a_setting(client, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    assert client.get("/admin/").status_code == 200
    clock.shift(datetime.timedelta(minutes=4, seconds=59))
    assert client.get("/admin/").status_code == 200
    clock.shift(datetime.timedelta(minutes=5))
    assert client.get("/admin/").status_code == 302
