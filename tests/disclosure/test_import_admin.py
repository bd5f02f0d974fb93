"""The admin's import pages and the memberships they respect."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse

from disclosure.import_views import ImportForm, record_links
from disclosure.importing import limits
from disclosure.models import AuditEntry, Body, InformationRequest
from disclosure.selectors import record_history
from disclosure.vocab import BodyKind, Role
from tests.disclosure.import_helpers import (
    BODY_HEADER,
    REQUEST_HEADER,
    Raw,
    bomb,
    crafted_xlsx,
    xlsx,
)
from tests.factories import BodyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/disclosure/import/"
TEMPLATE_URL = "/admin/disclosure/import/template.xlsx"


@pytest.fixture
def counties():
    city = BodyFactory(code="city", kind=BodyKind.GOVERNMENT)
    return (
        BodyFactory(code="east", parent=city, kind=BodyKind.GOVERNMENT),
        BodyFactory(code="west", parent=city, kind=BodyKind.GOVERNMENT),
    )


def editor_of(body, role=Role.EDIT):
    user = UserFactory()
    MembershipFactory(user=user, body=body, role=role)
    return user


def records_audited() -> int:
    """Audit rows of records (the import job's own rows aside)."""
    return AuditEntry.objects.exclude(content_type__app_label="jobs").count()


def upload(client, content: bytes, name: str = "台账.xlsx", **data):
    """Upload, run the import job it queues (eagerly, as the transaction commits), and
    follow the redirect to the page that shows the job's result."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            UPLOAD_URL, {"file": SimpleUploadedFile(name, content), **data}, format="multipart"
        )
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def request_row(code: str, reference: str) -> list:
    return [code, reference, "2023-03-01", "自然人", None, None, "当面", "内容", None, None]


def test_the_urls_are_where_the_admin_links_to():
    assert reverse("disclosure_import:upload") == UPLOAD_URL
    assert reverse("disclosure_import:template") == TEMPLATE_URL


def test_the_upload_page_looks_like_the_admin(client, counties):
    client.force_login(editor_of(counties[0]))

    response = client.get(UPLOAD_URL)

    assert response.status_code == 200
    assert response.context["site_header"] == "政府信息公开管理系统"
    assert TEMPLATE_URL in response.content.decode()


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(UPLOAD_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", [UPLOAD_URL, TEMPLATE_URL])
def test_a_user_without_the_recording_role_is_refused(client, counties, url):
    client.force_login(editor_of(counties[0], role=Role.VIEW))

    assert client.get(url).status_code == 403


def test_an_editor_imports_into_their_body_with_their_name_in_the_history(client, counties):
    east, _west = counties
    user = editor_of(east)
    client.force_login(user)

    response = upload(client, xlsx({"申请": [REQUEST_HEADER, request_row("east", "E-1")]}))

    assert response.status_code == 200
    assert response.context["problems"] is None
    assert response.context["summary"].sheets[0].created == 1
    request = InformationRequest.objects.get()
    assert request.body == east
    assert record_history(request).get().actor == user


def test_a_row_for_a_body_outside_the_memberships_refuses_the_file(client, counties):
    east, west = counties
    client.force_login(editor_of(east))
    content = xlsx(
        {"申请": [REQUEST_HEADER, request_row("east", "E-1"), request_row("west", "W-1")]}
    )

    response = upload(client, content)

    problems = response.context["problems"]
    assert [(p.sheet, p.line, p.column) for p in problems] == [("申请", 3, "机构代码")]
    assert problems[0].message == f"您没有机构“{west.name}”（west）的录入权限。"
    assert InformationRequest.objects.count() == 0
    assert records_audited() == 0


def test_a_publisher_may_add_a_body_under_their_own_but_not_at_the_top(client, counties):
    # A body's master data are set by the publishers above it (access.can_change_body_master).
    east, _west = counties
    client.force_login(editor_of(east, Role.PUBLISH))
    content = xlsx(
        {
            "机构": [
                BODY_HEADER,
                ["east-edu", "东县教育局", "east", "政府部门"],
                ["province", "某省人民政府", None, "人民政府"],
            ]
        }
    )

    response = upload(client, content)

    assert [(p.line, p.column) for p in response.context["problems"]] == [(3, "上级机构代码")]
    assert not Body.objects.filter(code__in=["east-edu", "province"]).exists()


def test_the_result_page_lists_the_bad_rows(client, counties):
    client.force_login(editor_of(counties[0]))
    content = xlsx(
        {
            "申请": [
                REQUEST_HEADER,
                request_row("east", "E-1")[:2] + ["明天"] + request_row("east", "E-1")[3:],
            ]
        }
    )

    response = upload(client, content)

    page = response.content.decode()
    assert "文件未导入：发现 1 处错误" in page
    assert "<td>申请</td>" in page and "<td>2</td>" in page and "<td>收到申请日期</td>" in page


def test_the_dry_run_box_saves_nothing(client, counties):
    client.force_login(editor_of(counties[0]))

    response = upload(
        client, xlsx({"申请": [REQUEST_HEADER, request_row("east", "E-1")]}), dry_run="on"
    )

    assert response.context["summary"].created == 1
    assert InformationRequest.objects.count() == 0


def test_the_template_downloads_as_a_workbook(client, counties):
    client.force_login(editor_of(counties[0]))

    response = client.get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "申请" in workbook.sheetnames


def test_a_publisher_may_update_their_own_bodys_contact_under_a_parent_they_cannot_edit(
    client, counties
):
    east, _west = counties
    client.force_login(editor_of(east, Role.PUBLISH))
    content = xlsx({"机构": [BODY_HEADER, ["east", east.name, "city", "人民政府", "东县路1号"]]})

    response = upload(client, content)

    assert response.context["problems"] is None
    name = east.name
    east.refresh_from_db()
    assert (east.name, east.address) == (name, "东县路1号")


def test_an_editor_may_not_change_their_own_body(client, counties):
    # A membership gives no power over the body itself: a 录入 clerk changes no body.
    east, _west = counties
    client.force_login(editor_of(east))
    content = xlsx(
        {"机构": [BODY_HEADER, ["east", "东县人民政府（改）", "city", "人民政府", "东县路1号"]]}
    )

    response = upload(client, content)

    assert [(p.line, p.column) for p in response.context["problems"]] == [
        (2, "机构名称"),
        (2, "地址"),
    ]
    name = east.name
    east.refresh_from_db()
    assert (east.name, east.address) == (name, "")


def test_a_superuser_fills_an_empty_database_from_the_upload_page(client):
    client.force_login(UserFactory(is_superuser=True))
    content = xlsx({"机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]]})

    response = upload(client, content)

    assert response.context["summary"].sheets[0].created == 1
    assert Body.objects.get().code == "city"


def test_the_link_partials_point_at_the_upload_page():
    assert UPLOAD_URL in render_to_string("admin/disclosure/import/_link.html")
    assert UPLOAD_URL in render_to_string("admin/disclosure/import/_tool_row.html")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/disclosure/informationrequest/",
        "/admin/disclosure/appealcase/",
        "/admin/disclosure/document/",
        "/admin/disclosure/yearlyfigure/",
        "/admin/disclosure/body/",
    ],
)
def test_the_import_is_linked_from_the_home_page_and_every_list_it_fills(client, counties, url):
    client.force_login(editor_of(counties[0]))
    page = client.get(url).content.decode()
    assert f'href="{UPLOAD_URL}"' in page
    client.force_login(editor_of(counties[0], role=Role.VIEW))
    page = client.get(url).content.decode()
    assert f'href="{UPLOAD_URL}"' not in page


def test_the_result_links_to_the_records_created_and_changed(client, counties):
    east, _west = counties
    client.force_login(editor_of(east))
    upload(client, xlsx({"申请": [REQUEST_HEADER, request_row("east", "E-1")]}))
    changed = request_row("east", "E-1")
    changed[7] = "更正后的内容"
    content = xlsx(
        {"申请": [REQUEST_HEADER, changed, request_row("east", "E-2"), request_row("east", "E-3")]}
    )

    response = upload(client, content)

    by_reference = dict(InformationRequest.objects.values_list("reference", "pk"))
    [row] = response.context["summary_rows"]
    changelist = "/admin/disclosure/informationrequest/"
    assert row["created_links"] == [
        ("查看", f"{changelist}?id__in={by_reference['E-2']},{by_reference['E-3']}")
    ]
    assert row["updated_links"] == [("查看", f"{changelist}?id__in={by_reference['E-1']}")]
    listed = client.get(row["created_links"][0][1])
    assert listed.status_code == 200
    assert sorted(r.reference for r in listed.context["cl"].result_list) == ["E-2", "E-3"]


def test_a_dry_run_links_to_nothing(client, counties):
    client.force_login(editor_of(counties[0]))
    response = upload(
        client, xlsx({"申请": [REQUEST_HEADER, request_row("east", "E-1")]}), dry_run="on"
    )
    assert response.context["summary_rows"][0]["created_links"] == []
    assert 'class="import-records"' not in response.content.decode()


def test_many_records_are_linked_in_parts_that_keep_the_address_short():
    links = record_links("申请", list(range(1, 451)))
    assert [label for label, _url in links] == ["第1–200条", "第201–400条", "第401–450条"]
    assert all(len(url) < 4000 for _label, url in links)
    assert links[2][1].endswith("?id__in=" + ",".join(str(n) for n in range(401, 451)))


def test_a_bomb_is_refused_on_the_upload_page(client, counties):
    client.force_login(editor_of(counties[0]))

    response = upload(client, bomb())

    assert response.status_code == 200
    assert [(p.sheet, p.line, p.column) for p in response.context["problems"]] == [("", None, "")]
    assert "文件解压后超过 200 MB" in response.content.decode()
    # Nothing recorded but the job itself (queued, started, failed).
    assert (
        list(AuditEntry.objects.exclude(content_type__model="job").values_list("action", flat=True))
        == []
    )
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "job_enqueue",
        "job_start",
        "job_fail",
    }


def test_a_crafted_cell_is_named_on_the_upload_page(client, counties):
    client.force_login(editor_of(counties[0]))
    row = request_row("east", "E-1") + [Raw('<c r="K2"><v>NaN</v></c>')]

    response = upload(client, crafted_xlsx([REQUEST_HEADER + ["延期天数"], row]))

    assert response.status_code == 200
    assert [(p.sheet, p.line, p.column, p.message) for p in response.context["problems"]] == [
        ("申请", 2, "延期天数", "无法读取该单元格：其内容不是有效的数字、日期或文本。")
    ]
    assert "<td>延期天数</td>" in response.content.decode()
    assert InformationRequest.objects.count() == 0


def test_an_upload_over_the_cap_is_a_form_error(client, counties, monkeypatch):
    assert ImportForm.base_fields["file"].max_bytes == limits.MAX_FILE_BYTES
    monkeypatch.setattr(ImportForm.base_fields["file"], "max_bytes", limits.MB)
    client.force_login(editor_of(counties[0]))

    response = upload(client, b"\0" * (limits.MB + 1))

    assert response.context["form"].errors == {
        "file": ["文件“台账.xlsx”约 1.0 MB，超过 1 MB 的上限。"]
    }
    assert response.context["problems"] is None
