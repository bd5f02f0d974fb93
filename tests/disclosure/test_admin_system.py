from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from disclosure import services
from disclosure.admin.system import RecordTypeFilter
from disclosure.models import AuditEntry, InformationRequest
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


# the audit trail's record-type filter offers the product's records by their Chinese
# names, not every content type of the installation (the internal reference counter had no
# Chinese name and showed as "reference counter").


def record_type_labels(response) -> list[str]:
    [spec] = [s for s in response.context["cl"].filter_specs if isinstance(s, RecordTypeFilter)]
    return [label for _pk, label in spec.lookup_choices]


def test_the_record_type_filter_offers_the_products_records_in_chinese(client):
    world = county_world()
    client.force_login(world.clerk)
    response = client.get(AUDIT)
    assert response.status_code == 200
    assert record_type_labels(response) == [
        "年度报告 | 年度报告",
        "年度报告 | 报告版本",
        "年度报告 | 读取的报告文件",
        "政府信息公开台账 | 年度数据",
        "政府信息公开台账 | 征求意见",
        "政府信息公开台账 | 政府信息公开申请",
        "政府信息公开台账 | 机构",
        "政府信息公开台账 | 机构成员",
        "政府信息公开台账 | 机构隶属调整",
        "政府信息公开台账 | 申请人",
        "政府信息公开台账 | 节假日安排",
        "政府信息公开台账 | 行政复议、行政诉讼案件",
        "政府信息公开台账 | 规章和行政规范性文件",
        "政府信息公开台账 | 附件",
    ]
    assert "reference counter" not in response.content.decode()


def test_filtering_by_a_record_type_lists_only_its_rows(client):
    world = county_world()
    request_entry = services.audit_record(actor=None, obj=world.request_a, action="change")
    services.audit_record(actor=None, obj=world.department_a, action="change")
    client.force_login(world.clerk)
    kind = ContentType.objects.get_for_model(InformationRequest)
    response = client.get(AUDIT, {"content_type__id__exact": kind.pk})
    assert list(response.context["cl"].result_list) == [request_entry]
