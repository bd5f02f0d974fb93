"""Property-based run of the whole API against its own OpenAPI schema (schemathesis 4).

Every operation gets a bounded number of generated requests — valid ones and invalid ones —
sent as a superuser with a token to the WSGI application in-process, under every check
schemathesis has: no server error, every status code and response documented, invalid data
refused (an unknown enum value in a query answers 400), valid data accepted. Valid data may
be refused only by a rule a JSON schema cannot state, and each such rule is listed below by
name (``DOCUMENTED_EXCLUSIONS``) and stated in the schema's descriptions.
Marked slow: it runs in the PostgreSQL pass of CI."""

from __future__ import annotations

import datetime
import re

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import positive_data_acceptance

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

# Rules the server enforces that a JSON schema cannot express, by name: a 400 whose every
# message is one of these may answer schema-valid data. Nothing else may.
DOCUMENTED_EXCLUSIONS = {
    # A record's date (received, concluded, filed, issued…) lies in the past: the schema
    # states the first date and, as its last, 2099-12-31 — "today" moves.
    "a date not after today": re.compile(r"^日期不能晚于今天（\d{4}-\d{2}-\d{2}）。$"),
    # A code or number names a record that exists and that the user may see (a body, a
    # request, an applicant): the schema states the shape of the reference, not the rows.
    "a reference to a record that exists": re.compile(
        r"^(不存在(代码为“.*”的机构|编号为 .* 的申请人?)|该申请没有编号为 .* 的征求意见)。$"
    ),
    # A code or number not already taken (a body's code, a document's 文号 at its body).
    "a code or number not already taken": re.compile(r"^.+已(经)?存在。$"),
    # Fields that go together on one record, stated in each field's description: a result
    # with its conclusion date, a withdrawal's result, both parts of a report deadline, a
    # count of a figure whole, an extension with its approval date, a fee with its method…
    "fields that go together": re.compile(
        "^("
        + "|".join(
            re.escape(message)
            for message in (
                "发出收费通知时须选择收费方式（按件或按量）。",
                "填写延期批准日期时须填写延期工作日数（1至20）。",
                "填写缴费日期前须先填写收费通知日期。",
                "填写补正收到日期前须先填写补正告知日期。",
                "已填写办结日期时必须选择办理结果。",
                "延期须填写批准日期。",
                "申请人类型须与申请人档案一致。",
                "申请撤回的，办理结果为“其他处理：其他”。",
                "申请撤回的，办结日期即撤回日期。",
                "选择办理结果时必须填写办结日期。",
                "关联申请须为同一机构的申请。",
                "已填写审结日期时必须选择结果。",
                "选择结果时必须填写审结日期。",
                "年度报告截止日期不是有效日期。",
                "年度报告截止月和日须同时填写或同时留空。",
                "该项目为件数/条数，须为整数。",
                "承继机构不能是本机构。",
                "上级机构不能是本机构或其下级机构。",
            )
        )
        + ")$"
    ),
    # An ID number checked by its type (id_type): a 居民身份证 number by its GB 11643 shape,
    # check digit and birth date, a 统一社会信用代码 by its GB 32100 alphabet and check
    # character — a rule of one field on another field's value, stated in the description.
    "an ID number checked by its type": re.compile(
        r"^(居民身份证号码|统一社会信用代码)(应为18位|“.*”(的校验码不正确|中的出生日期))"
    ),
    # One date of a record is not before another of the same record (concluded on or after
    # received, a deadline on or after its notice, a document valid until on or after it
    # was issued…).
    "one date not before another": re.compile(r"^\S*(日期|期限|有效期至)\S*不能早于\S+。$"),
}


def _messages(body) -> list[str]:
    if isinstance(body, str):
        return [body]
    if isinstance(body, list):
        return [message for item in body for message in _messages(item)]
    if isinstance(body, dict):
        return [message for value in body.values() for message in _messages(value)]
    return [str(body)]


def refused_by_documented_exclusion(response) -> bool:
    """Whether a 400 names only rules of ``DOCUMENTED_EXCLUSIONS``."""
    if response.status_code != 400:
        return False
    try:
        messages = _messages(response.json())
    except ValueError:
        return False
    return bool(messages) and all(
        any(rule.match(message) for rule in DOCUMENTED_EXCLUSIONS.values()) for message in messages
    )


@schemathesis.check
def valid_data_accepted_but_for_documented_exclusions(ctx, response, case):
    """schemathesis's ``positive_data_acceptance``, except for ``DOCUMENTED_EXCLUSIONS``."""
    if refused_by_documented_exclusion(response):
        return None
    return positive_data_acceptance(ctx, response, case)


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
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_data_accepted_but_for_documented_exclusions],
    )


def test_the_documented_exclusions_match_only_their_rules():
    class Answer:
        status_code = 400

        def __init__(self, body):
            self.body = body

        def json(self):
            return self.body

    assert refused_by_documented_exclusion(
        Answer({"received_on": ["日期不能晚于今天（2026-11-30）。"]})
    )
    assert refused_by_documented_exclusion(
        Answer({"concluded_on": ["办结日期不能早于收到申请日期。"]})
    )
    assert refused_by_documented_exclusion(
        Answer(
            {
                "repealed_on": ["废止日期不能早于发布日期。"],
                "valid_until": ["有效期至不能早于发布日期。"],
            }
        )
    )
    assert not refused_by_documented_exclusion(
        Answer({"received_on": ["日期须在 2008-05-01 至今天之间。"]})
    )
    assert not refused_by_documented_exclusion(
        Answer({"received_on": ["日期不能晚于今天（2026-11-30）。"], "body": ["该字段是必填项。"]})
    )
