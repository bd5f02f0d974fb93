"""The audit trail: who acted is kept by name, nobody erases a row, users are deactivated
instead of deleted, account and personal-data exports leave rows, publishers read the rows
of their reports, and a command without ``--user`` names the operating-system account."""

from __future__ import annotations

import getpass
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from rest_framework.authtoken.models import Token

from disclosure import services
from disclosure.access import audit_visible_to
from disclosure.models import AuditEntry, Body, InformationRequest, Membership
from disclosure.vocab import AuditAction, Role
from reports.services import report_draft_for
from tests.disclosure.admin_helpers import county_world
from tests.disclosure.import_helpers import BODY_HEADER, xlsx
from tests.factories import BodyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def superuser(username: str = "root-admin"):
    return UserFactory(username=username, is_superuser=True, first_name="小明", last_name="王")


# --- who acted ------------------------------------------------------------------------------


def test_a_row_keeps_the_actors_username_and_chinese_name():
    body = BodyFactory()
    actor = UserFactory(username="wangxm", first_name="小明", last_name="王")

    entry = services.audit_record(actor=actor, obj=body, action=AuditAction.UPDATE)

    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_username, entry.actor_name) == (
        actor.pk,
        "wangxm",
        "王小明",
    )
    assert entry.actor_display == "王小明（wangxm）"


def test_a_user_who_acted_cannot_be_deleted_and_the_row_still_names_them():
    body = BodyFactory()
    actor = UserFactory(username="leaver")
    services.audit_record(actor=actor, obj=body, action=AuditAction.UPDATE)

    with pytest.raises(ProtectedError), transaction.atomic():
        actor.delete()

    assert AuditEntry.objects.get().actor_username == "leaver"


def test_a_row_of_the_system_says_so():
    entry = services.audit_record(actor=None, obj=BodyFactory(), action=AuditAction.UPDATE)
    assert (entry.actor_username, entry.actor_display) == ("", "系统")


# --- nobody erases a row ----------------------------------------------------------------------


def test_the_model_refuses_to_change_or_delete_a_row():
    entry = services.audit_record(actor=None, obj=BodyFactory(), action=AuditAction.UPDATE)
    entry.note = "抹去"

    with pytest.raises(PermissionDenied, match="操作记录不能修改或删除"):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).update(note="抹去")
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()

    entry.refresh_from_db()
    assert entry.note == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_an_update_or_delete_in_plain_sql():
    entry = services.audit_record(actor=None, obj=BodyFactory(), action=AuditAction.UPDATE)
    table = AuditEntry._meta.db_table

    for sql in (
        f"UPDATE {table} SET note = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="操作记录不能修改或删除"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])

    assert AuditEntry.objects.filter(pk=entry.pk, note="").exists()


def test_not_even_a_superuser_changes_or_deletes_a_row_in_the_admin(client):
    entry = services.audit_record(actor=None, obj=BodyFactory(), action=AuditAction.UPDATE)
    client.force_login(superuser())
    base = f"/admin/disclosure/auditentry/{entry.pk}"

    page = client.get(f"{base}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"{base}/change/", {"note": "抹去"}).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/disclosure/auditentry/add/").status_code == 403
    listing = client.get("/admin/disclosure/auditentry/")
    assert listing.context["action_form"] is None
    entry.refresh_from_db()
    assert entry.note == ""
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_audit_list_shows_and_searches_the_stored_names(client):
    body = BodyFactory()
    actor = UserFactory(username="zhaoliu", first_name="六", last_name="赵")
    services.audit_record(actor=actor, obj=body, action=AuditAction.UPDATE)
    client.force_login(superuser())

    response = client.get("/admin/disclosure/auditentry/", {"q": "赵六"})

    assert [entry.actor_username for entry in response.context["cl"].result_list] == ["zhaoliu"]
    assert "赵六（zhaoliu）" in response.content.decode()


# --- users are deactivated, never deleted -------------------------------------------------------


def test_the_admin_offers_deactivation_instead_of_deleting_a_user(client):
    admin_user = superuser()
    clerk = UserFactory(username="clerk")
    client.force_login(admin_user)

    assert client.post(f"/admin/auth/user/{clerk.pk}/delete/", {"post": "yes"}).status_code == 403
    actions = dict(client.get("/admin/auth/user/").context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert actions["deactivate"] == "停用所选用户"

    client.post(
        "/admin/auth/user/", {"action": "deactivate", "_selected_action": [clerk.pk, admin_user.pk]}
    )

    clerk.refresh_from_db()
    admin_user.refresh_from_db()
    assert (clerk.is_active, admin_user.is_active) == (False, True)
    entry = AuditEntry.objects.get(action=AuditAction.USER_DEACTIVATE)
    assert (entry.object_id, entry.actor_username, entry.changes) == (
        str(clerk.pk),
        "root-admin",
        {"is_active": [True, False]},
    )


def test_creating_a_user_in_the_admin_is_audited_without_the_password(client):
    client.force_login(superuser())

    client.post(
        "/admin/auth/user/add/",
        {
            "username": "newclerk",
            "password1": "Gansu-Wuwei-2026!",
            "password2": "Gansu-Wuwei-2026!",
            "usable_password": "true",
        },
    )

    entry = AuditEntry.objects.get(action=AuditAction.USER_CREATE)
    assert entry.object_repr == "newclerk"
    assert entry.changes["username"] == [None, "newclerk"]
    assert "Gansu-Wuwei" not in str(entry.changes) and "password" not in entry.changes


def test_a_change_of_groups_and_permissions_names_them(client):
    admin_user = superuser()
    clerk = UserFactory(username="clerk", email="")
    group = Group.objects.create(name="统计员")
    identity = Permission.objects.get(codename="view_auditentry")
    client.force_login(admin_user)

    response = client.post(
        f"/admin/auth/user/{clerk.pk}/change/",
        {
            "username": "clerk",
            "is_active": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "user_permissions": [identity.pk],
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            "initial-date_joined_0": "2026-01-05",
            "initial-date_joined_1": "09:00:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action=AuditAction.USER_CHANGE)
    assert entry.changes["groups"] == [[], ["统计员"]]
    assert entry.changes["user_permissions"] == [[], ["disclosure.view_auditentry"]]


def test_a_group_change_and_deletion_are_audited(client):
    client.force_login(superuser())
    identity = Permission.objects.get(codename="view_auditentry")

    client.post("/admin/auth/group/add/", {"name": "身份查看", "permissions": [identity.pk]})
    group = Group.objects.get(name="身份查看")
    client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})

    created, deleted = AuditEntry.objects.order_by("pk").filter(
        action__in=[AuditAction.GROUP_CREATE, AuditAction.GROUP_DELETE]
    )
    assert created.changes == {
        "name": [None, "身份查看"],
        "permissions": [None, ["disclosure.view_auditentry"]],
    }
    assert (deleted.action, deleted.object_repr) == (AuditAction.GROUP_DELETE, "身份查看")
    assert not Group.objects.exists()


def test_password_changes_are_audited_by_whom_never_what(client):
    admin_user = superuser()
    clerk = UserFactory(username="clerk")
    client.force_login(admin_user)

    client.post(
        f"/admin/auth/user/{clerk.pk}/password/",
        {
            "password1": "Another-Strong-Pass-9",
            "password2": "Another-Strong-Pass-9",
            "set_usable_password": "true",
        },
    )
    clerk.refresh_from_db()
    client.force_login(clerk)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": "Another-Strong-Pass-9",
            "new_password1": "Mine-Own-Strong-Pass-7",
            "new_password2": "Mine-Own-Strong-Pass-7",
        },
    )

    assert response.status_code == 302, response
    assert response.url == "/admin/password_change/done/"
    clerk.refresh_from_db()
    assert clerk.check_password("Mine-Own-Strong-Pass-7")
    rows = list(
        AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGE)
        .order_by("pk")
        .values_list("actor_username", "object_id", "note")
    )
    assert rows == [
        ("root-admin", str(clerk.pk), "管理员重设密码。"),
        ("clerk", str(clerk.pk), "本人修改密码。"),
    ]


def test_issuing_and_revoking_an_api_token_is_audited(client):
    client.force_login(superuser())
    clerk = UserFactory(username="clerk")

    client.post("/admin/authtoken/tokenproxy/add/", {"user": clerk.pk})
    token = Token.objects.get(user=clerk)
    client.post(f"/admin/authtoken/tokenproxy/{clerk.pk}/delete/", {"post": "yes"})

    assert not Token.objects.exists()
    rows = list(
        AuditEntry.objects.filter(object_id=str(clerk.pk))
        .order_by("pk")
        .values_list("action", "note")
    )
    assert rows == [
        (AuditAction.TOKEN_CREATE, f"为用户 clerk 签发接口令牌（{token.key[:6]}…）。"),
        (AuditAction.TOKEN_DELETE, f"吊销用户 clerk 的接口令牌（{token.key[:6]}…）。"),
    ]


def test_granting_and_removing_a_membership_is_audited(client):
    world = county_world()
    client.force_login(superuser())
    newcomer = UserFactory(username="newcomer")

    client.post(
        "/admin/disclosure/membership/add/",
        {"user": newcomer.pk, "body": world.county_b.pk, "role": Role.VIEW},
    )
    membership = Membership.objects.get(user=newcomer)
    client.post(f"/admin/disclosure/membership/{membership.pk}/delete/", {"post": "yes"})

    kind = ContentType.objects.get_for_model(Membership)
    assert list(
        AuditEntry.objects.filter(content_type=kind, object_id=str(membership.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [AuditAction.CREATE, AuditAction.DELETE]


# --- exports of personal data ------------------------------------------------------------------


def test_the_workbook_action_on_selected_rows_leaves_a_row_with_who_what_and_how_many(client):
    world = county_world()
    client.force_login(world.clerk)

    client.post(
        "/admin/disclosure/informationrequest/",
        {"action": "export_workbook", "_selected_action": [world.request_a.pk]},
    )

    entry = AuditEntry.objects.get(action=AuditAction.PERSONAL_DATA_EXPORT)
    assert entry.actor_username == "clerk-a"
    assert entry.object_repr == "政府信息公开申请（导入模板格式）"
    assert entry.changes == {"rows": 1, "applicants": 1, "format": "xlsx"}
    assert (
        entry.note
        == "导出政府信息公开申请（导入模板格式），1 行（xlsx），含 1 名申请人的身份信息。"
    )


def test_an_api_page_of_requests_in_clear_is_an_audited_export(client):
    world = county_world()
    client.force_login(world.clerk)

    assert client.get("/api/v1/requests/").status_code == 200

    entry = AuditEntry.objects.get(action=AuditAction.PERSONAL_DATA_EXPORT)
    assert entry.changes == {"rows": 1, "applicants": 1, "format": "JSON"}
    assert entry.object_repr == "接口申请列表 /api/v1/requests/"


def test_an_api_page_with_identities_masked_is_not_counted_as_an_export(client):
    world = county_world()
    viewer = UserFactory(username="viewer-a")
    MembershipFactory(user=viewer, body=world.county_a, role=Role.VIEW)
    client.force_login(viewer)

    assert client.get("/api/v1/requests/").json()["count"] == 1
    assert not AuditEntry.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT).exists()


def test_export_rows_are_read_by_superusers_only():
    world = county_world()
    services.record_personal_data_export(
        actor=world.clerk,
        model=InformationRequest,
        rows=3,
        what="政府信息公开申请",
        file_format="xlsx",
        applicants=2,
    )
    assert not audit_visible_to(world.clerk).filter(action=AuditAction.PERSONAL_DATA_EXPORT)
    assert (
        audit_visible_to(superuser()).filter(action=AuditAction.PERSONAL_DATA_EXPORT).count() == 1
    )


# --- publishers read the trail of their reports --------------------------------------------------


def test_a_publisher_reads_the_audit_rows_of_the_reports_within_their_memberships(client):
    world = county_world()
    publisher = UserFactory(username="publisher-a")
    MembershipFactory(user=publisher, body=world.county_a, role=Role.PUBLISH)
    outsider = UserFactory(username="publisher-b")
    MembershipFactory(user=outsider, body=world.county_b, role=Role.PUBLISH)
    report = report_draft_for(actor=publisher, body=world.county_a, year=2025)

    client.force_login(publisher)
    listing = client.get("/admin/disclosure/auditentry/")
    mine = [entry.object_repr for entry in listing.context["cl"].result_list]
    client.force_login(outsider)
    theirs = [
        entry.object_repr
        for entry in client.get("/admin/disclosure/auditentry/").context["cl"].result_list
    ]

    assert str(report) in mine
    assert str(report) not in theirs


# --- commands name the operating-system account ----------------------------------------------


def test_import_records_without_user_names_the_operating_system_account(tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx({"机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]]}))

    call_command("import_records", str(path), stdout=io.StringIO())

    entry = AuditEntry.objects.get(object_id=str(Body.objects.get().pk))
    account = getpass.getuser()
    assert (entry.actor_id, entry.actor_username) == (None, f"os:{account}")
    assert entry.actor_display == f"操作系统账户 {account}"


def test_import_records_with_user_names_the_user(tmp_path):
    user = superuser("importer")
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx({"机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]]}))

    call_command("import_records", str(path), "--user", "importer", stdout=io.StringIO())

    entry = AuditEntry.objects.get(object_id=str(Body.objects.get().pk))
    assert (entry.actor_id, entry.actor_username) == (user.pk, "importer")


def test_outside_a_command_a_row_without_a_user_names_no_os_account():
    with services.os_account() as account:
        inside = services.audit_record(actor=None, obj=BodyFactory(), action=AuditAction.UPDATE)
    outside = services.audit_record(actor=None, obj=BodyFactory(), action=AuditAction.UPDATE)
    assert (inside.actor_username, outside.actor_username) == (f"os:{account}", "")
