"""Review: a list filter given a value no record can have answers an empty list, never a
500 (issue 8's "never a 500 for bad input" holds for the staff admin too)."""

from __future__ import annotations

import datetime

import pytest

from disclosure.vocab import FigureItem
from tests.disclosure.admin_helpers import county_world
from tests.factories import AppealFactory, FigureFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/admin/disclosure/informationrequest/"


@pytest.fixture
def world():
    return county_world()


def listed(client, url: str, params: dict) -> list:
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_year_filter_takes_the_year_of_receipt(client, world):
    client.force_login(world.clerk)
    assert listed(client, REQUESTS, {"year": "2025"}) == [world.request_a]


@pytest.mark.parametrize("year", ["99999", "0", "-5", "abc"])
def test_a_year_no_date_can_hold_lists_nothing(client, world, year):
    client.force_login(world.clerk)
    assert listed(client, REQUESTS, {"year": year}) == []


def test_an_appeal_year_no_date_can_hold_lists_nothing(client, world):
    AppealFactory(body=world.county_a, filed_on=datetime.date(2025, 5, 6))
    client.force_login(world.clerk)
    assert listed(client, "/admin/disclosure/appealcase/", {"year": "99999"}) == []


@pytest.mark.parametrize("url", [REQUESTS, "/admin/disclosure/membership/"])
def test_a_body_filter_of_non_ascii_digits_lists_nothing(client, world, url):
    client.force_login(world.clerk)
    assert listed(client, url, {"body": "²"}) == []


def test_the_body_tree_filter_of_non_ascii_digits_lists_nothing(client, world):
    client.force_login(world.clerk)
    assert listed(client, "/admin/disclosure/body/", {"subtree": "²"}) == []


def test_a_figure_year_of_non_ascii_digits_lists_nothing(client, world):
    figure = FigureFactory(body=world.county_a, year=2025, item=FigureItem.PENALTY)
    client.force_login(world.clerk)
    assert listed(client, "/admin/disclosure/yearlyfigure/", {"year": "2025"}) == [figure]
    assert listed(client, "/admin/disclosure/yearlyfigure/", {"year": "²"}) == []
