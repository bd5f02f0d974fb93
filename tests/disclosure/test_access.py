"""disclosure.access: role checks, the applicant rule and the masking of personal data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from disclosure import access, services
from disclosure.models import Applicant
from disclosure.vocab import ApplicantKind, Role
from tests.disclosure.admin_helpers import county_world, grant_identity
from tests.factories import ApplicantFactory, MembershipFactory, RequestFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return county_world(role=Role.EDIT)


# --- roles ---------------------------------------------------------------------------------


def test_a_role_reaches_the_subtree_and_not_the_siblings(world):
    clerk = world.clerk
    assert access.has_role_at(clerk, world.county_a, Role.EDIT)
    assert access.has_role_at(clerk, world.department_a.pk, Role.EDIT)
    assert not access.has_role_at(clerk, world.county_b, Role.VIEW)
    assert not access.has_role_at(clerk, world.city, Role.VIEW)


def test_a_higher_role_includes_the_lower_ones_only(world):
    clerk = world.clerk
    assert access.has_role_at(clerk, world.county_a, Role.VIEW)
    assert access.has_role_at(clerk, world.county_a, Role.EDIT)
    assert not access.has_role_at(clerk, world.county_a, Role.PUBLISH)
    assert access.has_role_somewhere(clerk, Role.EDIT)
    assert not access.has_role_somewhere(clerk, Role.PUBLISH)


def test_bodies_with_role_are_the_memberships_subtrees(world):
    publisher = UserFactory(username="publisher")
    MembershipFactory(user=publisher, body=world.county_b, role=Role.PUBLISH)
    MembershipFactory(user=publisher, body=world.department_a, role=Role.VIEW)
    assert set(access.bodies_with_role(publisher, Role.VIEW)) == {
        world.county_b,
        world.department_a,
    }
    assert set(access.bodies_with_role(publisher, Role.PUBLISH)) == {world.county_b}


def test_no_body_means_no_role_even_for_a_superuser(world):
    assert not access.has_role_at(world.clerk, None, Role.VIEW)
    assert not access.has_role_at(UserFactory(is_superuser=True), None, Role.VIEW)


def test_an_active_superuser_holds_every_role_without_a_query(world, django_assert_num_queries):
    root = UserFactory(username="root", is_superuser=True)
    with django_assert_num_queries(0):
        assert access.has_role_at(root, world.county_b, Role.PUBLISH)
        assert access.has_role_somewhere(root, Role.PUBLISH)


def test_inactive_and_anonymous_users_hold_no_role(world):
    world.clerk.is_active = False
    inactive_root = UserFactory(username="old-root", is_superuser=True, is_active=False)
    for user in (world.clerk, inactive_root, AnonymousUser()):
        assert not access.has_role_at(user, world.county_a, Role.VIEW)
        assert not access.has_role_somewhere(user, Role.VIEW)
        assert not access.bodies_with_role(user, Role.VIEW).exists()


def test_a_members_role_check_costs_two_queries(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # the memberships, then the body
        assert access.has_role_at(world.clerk, world.department_a, Role.EDIT)


def test_only_an_active_superuser_places_a_body_at_the_top(world):
    publisher = UserFactory(username="publisher")
    MembershipFactory(user=publisher, body=world.city, role=Role.PUBLISH)
    assert access.may_place_at_top(UserFactory(username="root", is_superuser=True))
    assert not access.may_place_at_top(publisher)
    assert not access.may_place_at_top(
        UserFactory(username="gone", is_superuser=True, is_active=False)
    )
    assert not access.may_place_at_top(AnonymousUser())


# --- applicants ----------------------------------------------------------------------------


def test_applicants_of_visible_requests_are_visible_and_others_are_not(world):
    assert set(access.applicants_visible_to(world.clerk)) == {world.applicant_a}


def test_an_applicant_the_user_entered_is_visible_before_any_request_names_her(world):
    entered = services.record_save(
        actor=world.clerk,
        instance=Applicant(kind=ApplicantKind.NATURAL_PERSON, name="王五", id_number="123"),
    )
    other_clerk = UserFactory(username="clerk-b")
    MembershipFactory(user=other_clerk, body=world.county_b, role=Role.EDIT)
    assert set(access.applicants_visible_to(world.clerk)) == {world.applicant_a, entered}
    assert set(access.applicants_visible_to(other_clerk)) == {world.applicant_b}


def test_an_applicant_linked_only_to_a_sibling_request_stays_hidden(world):
    shared = ApplicantFactory(name="赵六")
    RequestFactory(body=world.county_b, applicant=shared)
    assert shared not in access.applicants_visible_to(world.clerk)


def test_superusers_see_every_applicant_and_anonymous_users_none(world):
    unlinked = ApplicantFactory(name="孙七")
    root = UserFactory(username="root", is_superuser=True)
    assert set(access.applicants_visible_to(root)) == {
        world.applicant_a,
        world.applicant_b,
        unlinked,
    }
    assert not access.applicants_visible_to(AnonymousUser()).exists()
    assert not access.applicants_visible_to(None).exists()


# --- personal data -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("某某科技有限公司", "某某******"),
        ("王", "*"),
        ("", ""),
    ],
)
def test_mask_name(name, masked):
    assert access.mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [("620101199001011234", "6201**********1234"), ("123456789", "1234*6789"), ("1234", "**34")],
)
def test_mask_id_number(number, masked):
    assert access.mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("contact", "masked"),
    [("13800001111", "******"), ("甘肃省武威市凉州区某路1号", "******"), ("a@b.cn", "******")],
)
def test_mask_contact_shows_no_part_and_no_length(contact, masked):
    assert access.mask_contact(contact) == masked


def test_an_empty_contact_stays_empty():
    assert access.mask_contact("") == ""
    assert access.mask_contact("  ") == ""


def test_identity_is_masked_without_the_permission(world):
    applicant = ApplicantFactory(name="张三", id_number="620101199001011234", contact="13800001111")
    assert access.applicant_identity(world.clerk, applicant) == access.ApplicantIdentity(
        name="张*", id_number="6201**********1234", contact="******"
    )


def test_identity_is_clear_with_the_permission(world):
    grant_identity(world.clerk)
    clerk = type(world.clerk).objects.get(pk=world.clerk.pk)
    applicant = ApplicantFactory(name="张三", id_number="620101199001011234", contact="13800001111")
    assert access.can_see_identity(clerk)
    assert access.applicant_identity(clerk, applicant) == access.ApplicantIdentity(
        name="张三", id_number="620101199001011234", contact="13800001111"
    )


def test_who_sees_identities(world):
    root = UserFactory(username="root", is_superuser=True)
    inactive_root = UserFactory(username="old-root", is_superuser=True, is_active=False)
    assert access.can_see_identity(root)
    assert not access.can_see_identity(inactive_root)
    assert not access.can_see_identity(world.clerk)
    assert not access.can_see_identity(AnonymousUser())
    assert not access.can_see_identity(None)


def test_no_applicant_shows_nothing(world):
    assert access.applicant_identity(world.clerk, None) == access.ApplicantIdentity("", "", "")


def test_identity_search_fields_only_for_those_who_see_identities(world):
    root = UserFactory(username="root", is_superuser=True)
    assert access.identity_search_fields(world.clerk, "applicant__") == ()
    assert access.identity_search_fields(root, "applicant__") == (
        "applicant__name",
        "=applicant__id_number",
    )
