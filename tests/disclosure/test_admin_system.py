from __future__ import annotations

import datetime

import pytest

from disclosure import services
from disclosure.models import AuditEntry
from disclosure.vocab import AuditAction, Result
from tests.disclosure.admin_helpers import change_rows, county_world

pytestmark = pytest.mark.django_db

AUDIT = "/admin/disclosure/auditentry/"


@pytest.fixture
def concluded():
    """The county world after its clerk concluded request A (granted on 2025-03-20)."""
    world = county_world()
    services.request_conclude(
        actor=world.clerk,
        request=world.request_a,
        concluded_on=datetime.date(2025, 3, 20),
        result=Result.GRANTED,
    )
    return world


def test_the_audit_list_filters_and_shows_actions_by_their_chinese_labels(client, concluded):
    client.force_login(concluded.clerk)
    response = client.get(AUDIT)
    assert response.status_code == 200
    [actions] = [spec for spec in response.context["cl"].filter_specs if spec.title == "操作"]
    offered = [choice["display"] for choice in actions.choices(response.context["cl"])][1:]
    assert offered == [str(label) for label in AuditAction.labels]
    assert "办结" in offered and "conclude" not in offered
    page = response.content.decode()
    assert '<td class="field-action">办结</td>' in page
    assert ">conclude<" not in page

    filtered = client.get(AUDIT, {"action__exact": AuditAction.CONCLUDE})
    assert [entry.action for entry in filtered.context["cl"].result_list] == ["conclude"]


def test_an_audit_row_shows_its_changes_in_words(client, concluded):
    entry = AuditEntry.objects.get(action=AuditAction.CONCLUDE)
    client.force_login(concluded.clerk)
    page = client.get(f"{AUDIT}{entry.pk}/change/").content.decode()
    assert change_rows(page) == [
        ("办结日期", "—", "2025-03-20"),
        ("办理结果", "—", "予以公开"),
        ("延期前答复期限", "—", "2025-03-31"),
    ]
    assert "granted" not in page and "concluded_on" not in page
