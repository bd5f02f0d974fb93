from __future__ import annotations

import datetime

import pytest

from disclosure.models import Body, BodyMove
from disclosure.tree import bodies_in_scope, tree_on, year_tree
from disclosure.vocab import BodyKind
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """市政府 → 教育局 → 直属学校(其他); 市政府 → 县政府 → 县财政局, 镇; 镇 → 村委(其他)."""
    city = BodyFactory(code="city", kind=BodyKind.GOVERNMENT)
    education = BodyFactory(code="edu", kind=BodyKind.DEPARTMENT, parent=city)
    school = BodyFactory(code="school", kind=BodyKind.OTHER, parent=education)
    county = BodyFactory(code="county", kind=BodyKind.GOVERNMENT, parent=city)
    finance = BodyFactory(code="finance", kind=BodyKind.DEPARTMENT, parent=county)
    town = BodyFactory(code="town", kind=BodyKind.TOWNSHIP, parent=county)
    office = BodyFactory(code="office", kind=BodyKind.OTHER, parent=city)
    return {b.code: b for b in (city, education, school, county, finance, town, office)}


def codes(ids: list[int]) -> list[str]:
    names = dict(Body.objects.values_list("pk", "code"))
    return [names[pk] for pk in ids]


def test_own_is_the_body_alone_without_a_query(city, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bodies_in_scope(city["city"], 2023, "own") == [city["city"].pk]


def test_all_is_the_whole_subtree_body_first(city):
    assert codes(bodies_in_scope(city["city"], 2023, "all")) == [
        "city",
        "county",
        "finance",
        "town",
        "edu",
        "school",
        "office",
    ]


def test_level_leaves_out_subordinate_governments_and_townships(city):
    assert codes(bodies_in_scope(city["city"], 2023, "level")) == [
        "city",
        "edu",
        "school",
        "office",
    ]


def test_level_of_a_county_stops_at_its_townships(city):
    assert codes(bodies_in_scope(city["county"], 2023, "level")) == ["county", "finance"]


def test_two_queries_whatever_the_number_of_bodies(city, django_assert_num_queries):
    for n in range(20):
        BodyFactory(code=f"extra{n}", kind=BodyKind.DEPARTMENT, parent=city["county"])
    with django_assert_num_queries(2):
        assert len(bodies_in_scope(city["city"], 2023, "all")) == 27


def test_a_body_moved_after_the_year_counts_under_its_old_parent(city):
    # Moved from the county to the city on 1 March 2024; Body.parent is the new parent.
    finance = city["finance"]
    Body.objects.filter(pk=finance.pk).update(parent=city["city"])
    BodyMove.objects.create(
        body=finance,
        old_parent=city["county"],
        new_parent=city["city"],
        moved_on=datetime.date(2024, 3, 1),
    )
    assert "finance" in codes(bodies_in_scope(city["county"], 2023, "all"))
    assert "finance" not in codes(bodies_in_scope(city["county"], 2024, "all"))
    assert "finance" in codes(bodies_in_scope(city["city"], 2024, "level"))


def test_a_body_moved_during_the_year_counts_under_its_parent_on_31_december(city):
    finance = city["finance"]
    Body.objects.filter(pk=finance.pk).update(parent=city["city"])
    BodyMove.objects.create(
        body=finance,
        old_parent=city["county"],
        new_parent=city["city"],
        moved_on=datetime.date(2023, 7, 1),
    )
    assert "finance" not in codes(bodies_in_scope(city["county"], 2023, "all"))
    assert "finance" in codes(bodies_in_scope(city["city"], 2023, "level"))
    assert tree_on(datetime.date(2023, 6, 30)).parent_of(finance.pk) == city["county"].pk


def test_moves_are_undone_in_order(city):
    finance = city["finance"]
    # county → city on 1 March 2023, city → education on 1 March 2024 (parent today).
    Body.objects.filter(pk=finance.pk).update(parent=city["edu"])
    BodyMove.objects.create(
        body=finance,
        old_parent=city["county"],
        new_parent=city["city"],
        moved_on=datetime.date(2023, 3, 1),
    )
    BodyMove.objects.create(
        body=finance,
        old_parent=city["city"],
        new_parent=city["edu"],
        moved_on=datetime.date(2024, 3, 1),
    )
    assert tree_on(datetime.date(2022, 12, 31)).parent_of(finance.pk) == city["county"].pk
    assert year_tree(2023).parent_of(finance.pk) == city["city"].pk
    assert year_tree(2024).parent_of(finance.pk) == city["edu"].pk


def test_a_body_abolished_in_the_year_is_in_that_year_only(city):
    BodyFactory(
        code="bureau",
        kind=BodyKind.DEPARTMENT,
        parent=city["city"],
        abolished_on=datetime.date(2023, 5, 31),
    )
    assert "bureau" in codes(bodies_in_scope(city["city"], 2023, "all"))
    assert "bureau" not in codes(bodies_in_scope(city["city"], 2024, "all"))


def test_a_body_established_later_is_not_in_the_year(city):
    BodyFactory(
        code="new",
        kind=BodyKind.DEPARTMENT,
        parent=city["city"],
        established_on=datetime.date(2024, 1, 1),
    )
    assert "new" not in codes(bodies_in_scope(city["city"], 2023, "all"))
    assert "new" in codes(bodies_in_scope(city["city"], 2024, "all"))
