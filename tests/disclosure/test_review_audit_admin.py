"""Review: the audit trail's record-type filter offers the product's records by their Chinese
names, not every content type of the installation (the internal reference counter had no
Chinese name and showed as "reference counter")."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from disclosure import services
from disclosure.admin.system import RecordTypeFilter
from disclosure.models import InformationRequest
from tests.disclosure.admin_helpers import county_world

pytestmark = pytest.mark.django_db

AUDIT = "/admin/disclosure/auditentry/"


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
