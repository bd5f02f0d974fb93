"""Property-based run of the whole API against its own OpenAPI schema (schemathesis 4).

Every operation gets a bounded number of generated requests, sent as a superuser with a token
to the WSGI application in-process; no response may be a server error or break the schema.
Marked slow: it runs in the PostgreSQL pass of CI."""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from disclosure import services
from disclosure.models import Consultation, InformationRequest
from disclosure.vocab import AppealKind, ApplicantKind, Channel, FigureItem
from tests.api.conftest import publish
from tests.factories import AppealFactory, DocumentFactory, UserFactory

pytestmark = pytest.mark.slow


@pytest.fixture
def _in_test_transaction():
    """Keep the test's database connection across requests, as Django's test client does:
    the WSGI handler would otherwise close it after every response."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(tree, settings):
    """Records of every kind, so that reads return real rows."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public": "100000/min"},
    }
    root = UserFactory(username="schema-root", is_superuser=True)
    request = services.request_save(
        actor=root,
        request=InformationRequest(
            body=tree.county_a,
            applicant_kind=ApplicantKind.NATURAL_PERSON,
            channel=Channel.INTERNET,
            received_on=datetime.date(2025, 6, 2),
            content="申请公开某项目的环评报告",
        ),
        consultations=[
            Consultation(party="某公司", sent_on=datetime.date(2025, 6, 10), answered_on=None)
        ],
    )
    AppealFactory(body=tree.county_a, kind=AppealKind.LITIGATION_DIRECT, request=request)
    DocumentFactory(body=tree.department_a)
    services.figure_set(
        actor=root, body=tree.county_a, year=2025, item=FigureItem.FEES, value="1.5"
    )
    publish(tree.county_a, 2023)
    return Token.objects.create(user=root).key


@pytest.fixture
def api_schema(seeded, _in_test_transaction):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_answers_as_its_schema_says(case, seeded):
    case.call_and_validate(
        headers={"Authorization": f"Token {seeded}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
