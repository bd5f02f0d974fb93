"""A small tree for the API tests: a city with two sibling counties, and users holding
memberships in county A only."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from disclosure.models import Body
from disclosure.vocab import BodyKind, Role
from tests.factories import BodyFactory, MembershipFactory, UserFactory


@dataclass
class Tree:
    city: Body
    county_a: Body
    county_b: Body
    department_a: Body


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db) -> Tree:
    city = BodyFactory(code="city", name="某市人民政府", kind=BodyKind.GOVERNMENT)
    county_a = BodyFactory(
        code="county-a", name="甲县人民政府", kind=BodyKind.GOVERNMENT, parent=city
    )
    county_b = BodyFactory(
        code="county-b", name="乙县人民政府", kind=BodyKind.GOVERNMENT, parent=city
    )
    department_a = BodyFactory(code="county-a-edu", name="甲县教育局", parent=county_a)
    return Tree(city, county_a, county_b, department_a)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def editor(tree):
    """录入 at county A (and so its departments)."""
    return MembershipFactory(
        user=UserFactory(username="editor-a"), body=tree.county_a, role=Role.EDIT
    ).user


@pytest.fixture
def viewer(tree):
    return MembershipFactory(
        user=UserFactory(username="viewer-a"), body=tree.county_a, role=Role.VIEW
    ).user


@pytest.fixture
def identity_editor(editor):
    editor.user_permissions.add(
        Permission.objects.get(
            codename="view_applicant_identity", content_type__app_label="disclosure"
        )
    )
    return type(editor).objects.get(pk=editor.pk)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def api(editor) -> APIClient:
    return client_for(editor)


@pytest.fixture
def token_client(editor) -> APIClient:
    token = Token.objects.create(user=editor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
