"""A small tree for the API tests: a city with two sibling counties, and users holding
memberships in county A only."""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from disclosure.models import Body
from disclosure.vocab import BodyKind, Role
from reports.document import canonical_sha256
from reports.format import DATA_DIR
from reports.models import Report, ReportStatus, ReportVersion, Scope
from tests.factories import BodyFactory, MembershipFactory, UserFactory


@dataclass
class Tree:
    city: Body
    county_a: Body
    county_b: Body
    department_a: Body


DEMO = json.loads((DATA_DIR / "demo-wuwei-2023.json").read_text(encoding="utf-8"))


def publish(body, year: int, *, number: int = 1, note: str = "") -> ReportVersion:
    """A published version written directly (the publishing service is tested elsewhere)."""
    report, _ = Report.objects.get_or_create(
        body=body, year=year, defaults={"scope": Scope.ALL, "status": ReportStatus.PUBLISHED}
    )
    document = copy.deepcopy(DEMO)
    document.update(
        body=body.code,
        body_name=body.name,
        year=year,
        version=number,
        published_at=f"{year + 1}-01-20T10:00:00+08:00",
        change_note=note,
    )
    document["sha256"] = canonical_sha256(document)
    return ReportVersion.objects.create(
        report=report,
        number=number,
        document=document,
        sha256=document["sha256"],
        published_at=datetime.datetime(year + 1, 1, 20, 2, tzinfo=datetime.UTC),
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    # The throttle counts in the shared cache: a database table, or Redis (REDIS_URL).
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
def publisher(tree):
    """审核发布 at county A: the master data of the bodies below it are theirs."""
    return MembershipFactory(
        user=UserFactory(username="publisher-a"), body=tree.county_a, role=Role.PUBLISH
    ).user


@pytest.fixture
def publisher_api(publisher) -> APIClient:
    return client_for(publisher)


@pytest.fixture
def viewer(tree):
    return MembershipFactory(
        user=UserFactory(username="viewer-a"), body=tree.county_a, role=Role.VIEW
    ).user


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
