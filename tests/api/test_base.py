"""the API's errors are Chinese (issue 8) also for a record it does not find and for
a body it cannot parse; DRF and Django answered those in English."""

from __future__ import annotations

import pytest

from disclosure.models import InformationRequest
from tests.factories import AppealFactory, DocumentFactory, FigureFactory, RequestFactory

NOT_FOUND = {"detail": "记录不存在或不在您的权限范围内。"}


@pytest.mark.parametrize("url", ["requests", "bodies", "appeals", "documents", "figures"])
def test_an_unknown_record_is_404_in_chinese(api, tree, url):
    response = api.get(f"/api/v1/{url}/999999/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_sibling_countys_records_are_404_in_chinese_for_every_action(api, tree):
    request = RequestFactory(body=tree.county_b)
    urls = [
        ("get", f"/api/v1/requests/{request.pk}/"),
        ("patch", f"/api/v1/requests/{request.pk}/"),
        ("post", f"/api/v1/requests/{request.pk}/void/"),
        ("get", f"/api/v1/appeals/{AppealFactory(body=tree.county_b).pk}/"),
        ("post", f"/api/v1/documents/{DocumentFactory(body=tree.county_b).pk}/void/"),
        ("patch", f"/api/v1/figures/{FigureFactory(body=tree.county_b).pk}/"),
    ]
    answers = [
        (getattr(api, method)(url, {"reason": "误录"}, format="json").json())
        for method, url in urls
    ]
    assert answers == [NOT_FOUND] * len(urls)
    request.refresh_from_db()
    assert request.voided_at is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{bad", "JSON 格式错误（第 1 行第 2 列）。"),
        ('{\n  "content": NaN}', "“NaN”不是 JSON 中的数值。"),
        ("[" * 200_000 + "]" * 200_000, "嵌套的层数过多。"),  # was a 500 (RecursionError)
        ('{"content": "申请"}'.encode("gbk"), "内容不是 UTF-8 编码的文本。"),
    ],
    ids=["malformed", "nan", "nested-too-deep", "gbk"],
)
def test_a_body_that_cannot_be_parsed_is_400_in_chinese_with_its_reason(api, tree, body, reason):
    response = api.post("/api/v1/requests/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": f"请求内容无法解析：{reason}"}
    assert InformationRequest.objects.count() == 0


def test_a_body_over_the_memory_limit_is_413_in_json(api, tree):
    body = '{"content": "%s"}' % ("申" * 1_000_000)  # 3 MB of UTF-8, over Django's 2.5 MB

    response = api.post("/api/v1/requests/", data=body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"detail": "请求内容超过 2.5 MB 的上限。"}
    assert InformationRequest.objects.count() == 0
