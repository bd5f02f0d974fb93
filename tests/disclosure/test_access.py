"""disclosure.access: role checks, the applicant rule and the masking of personal data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from disclosure import access, services
from disclosure.models import Applicant
from disclosure.vocab import ApplicantKind, Role
from tests.disclosure.admin_helpers import county_world
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
    [
        ("620101199001011237", "620101********1237"),
        ("91620100MA0000000C", "916201********000C"),
        ("E12345678", "*******78"),
        ("1234", "**34"),
    ],
)
def test_mask_id_number_shows_the_first_six_and_the_last_four(number, masked):
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


def identity(user, applicant, **where) -> access.ApplicantIdentity:
    return access.applicant_identity(applicant, clear=access.can_see_identity(user, **where))


def test_a_clerk_sees_in_clear_the_applicant_of_a_request_her_body_handles(world):
    assert access.can_see_identity(world.clerk, body=world.request_a.body)
    assert identity(world.clerk, world.applicant_a, body=world.request_a.body_id) == (
        access.ApplicantIdentity(name="张三丰", id_number="620101199001011237", contact="")
    )
    assert access.can_see_identity(world.clerk, applicant=world.applicant_a)


def test_a_viewer_of_the_same_body_sees_masked_data_only():
    world = county_world(role=Role.VIEW)
    world.applicant_a.contact = "13800001111"
    assert not access.can_see_identity(world.clerk, body=world.county_a)
    assert not access.can_see_identity(world.clerk, applicant=world.applicant_a)
    assert identity(world.clerk, world.applicant_a, body=world.county_a) == (
        access.ApplicantIdentity(name="张**", id_number="620101********1237", contact="******")
    )


def test_a_clerk_does_not_see_the_applicant_of_a_sibling_county(world):
    assert not access.can_see_identity(world.clerk, body=world.county_b)
    assert not access.can_see_identity(world.clerk, applicant=world.applicant_b)


def test_a_clerk_sees_the_applicant_she_entered_before_any_request_names_her(world):
    entered = services.record_save(
        actor=world.clerk,
        instance=Applicant(kind=ApplicantKind.NATURAL_PERSON, name="王五", id_number="E1234567"),
    )
    assert access.can_see_identity(world.clerk, applicant=entered)
    assert set(access.applicants_identified_to(world.clerk)) == {world.applicant_a, entered}


def test_who_sees_identities(world):
    root = UserFactory(username="root", is_superuser=True)
    inactive_root = UserFactory(username="old-root", is_superuser=True, is_active=False)
    assert access.can_see_identity(root, body=world.county_b)
    assert not access.can_see_identity(inactive_root, body=world.county_b)
    assert not access.can_see_identity(AnonymousUser(), body=world.county_a)
    assert not access.can_see_identity(None, body=world.county_a)
    assert not access.can_see_identity(world.clerk)  # no body, no applicant: nothing


def test_a_list_masks_the_id_number_even_for_those_who_see_it(world):
    shown = access.applicant_identity(world.applicant_a, clear=True, listing=True)
    assert (shown.name, shown.id_number) == ("张三丰", "620101********1237")


def test_no_applicant_shows_nothing(world):
    assert access.applicant_identity(None, clear=True) == access.ApplicantIdentity("", "", "")


def test_identity_scope_reads_the_bodies_once(world, django_assert_num_queries):
    scope = access.IdentityScope(world.clerk)
    with django_assert_num_queries(2):  # the memberships, then the bodies
        assert scope.clear_at(world.department_a.pk)
        assert not scope.clear_at(world.county_b.pk)
        assert scope.clear_at(world.county_a.pk)


def test_identity_search_finds_by_name_id_number_or_telephone_only_in_clear(world):
    world.applicant_a.contact = "13800001111"
    world.applicant_a.save()
    world.applicant_b.contact = "13800002222"
    world.applicant_b.save()
    clerk = world.clerk

    def found(term):
        condition = access.identity_search(clerk, term)
        return set(Applicant.objects.filter(condition)) if condition is not None else set()

    assert found("三丰") == {world.applicant_a}
    assert found("620101199001011237") == {world.applicant_a}
    assert found("0000111") == {world.applicant_a}
    # The sibling county's applicant is never confirmed, by any of the three.
    assert found("李四") == found("620201199202025673") == found("0000222") == set()
    viewer = UserFactory(username="viewer")
    MembershipFactory(user=viewer, body=world.county_a, role=Role.VIEW)
    condition = access.identity_search(viewer, "三丰")
    assert not Applicant.objects.filter(condition).exists()
