"""The report models' read rules."""

from __future__ import annotations

import pytest

from disclosure.models import BodyScopedQuerySet
from disclosure.vocab import Role
from reports.models import Report
from tests.factories import BodyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_reports_are_visible_where_their_body_is(django_assert_num_queries):
    city = BodyFactory(code="city")
    county_a = BodyFactory(code="county-a", parent=city)
    county_b = BodyFactory(code="county-b", parent=city)
    own = Report.objects.create(body=county_a, year=2025)
    sibling = Report.objects.create(body=county_b, year=2025)
    viewer = MembershipFactory(body=county_a, role=Role.VIEW).user
    assert isinstance(Report.objects.all(), BodyScopedQuerySet)
    with django_assert_num_queries(2):
        assert list(Report.objects.visible_to(viewer)) == [own]
    root = UserFactory(username="root", is_superuser=True)
    assert set(Report.objects.visible_to(root)) == {own, sibling}
    assert not Report.objects.visible_to(UserFactory(username="gone", is_active=False)).exists()
