"""First start: an `admin` superuser and, on an empty database, the demo data."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from disclosure.models import Body
from disclosure.services import as_os_account


class Command(BaseCommand):
    help = "创建管理员账号 admin；数据库为空时载入演示数据。"

    @as_os_account
    def handle(self, *args, **options) -> None:
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            try:
                validate_password(password, User(username="admin"))
            except ValidationError as error:
                raise CommandError(
                    "ADMIN_PASSWORD 不符合密码规则：" + "".join(error.messages)
                ) from error
            User.objects.create_superuser("admin", "", password)
            shown = "（取自 ADMIN_PASSWORD）" if os.environ.get("ADMIN_PASSWORD") else password
            self.stdout.write(self.style.SUCCESS(f"管理员 admin 的密码：{shown}（仅显示这一次）"))
        if not Body.objects.exists():
            call_command("load_demo", stdout=self.stdout)
        self.stdout.write("管理后台：/admin/   公开页面：/   API 文档：/api/docs/")
