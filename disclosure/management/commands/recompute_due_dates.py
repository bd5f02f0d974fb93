"""Recompute the stored reply clocks, e.g. after upgrading the holiday package."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from disclosure.models import InformationRequest
from disclosure.selectors import open_requests
from disclosure.services import as_os_account, requests_recompute_clocks


class Command(BaseCommand):
    help = "重新计算在办申请的答复期限（例如升级节假日数据包之后）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="包括已办结的申请（默认只计算在办申请）。作废的申请不计算。",
        )

    @as_os_account
    def handle(self, *args, **options) -> None:
        if options["all"]:
            queryset = InformationRequest.objects.active()
        else:
            queryset = open_requests()
        seen, changed = requests_recompute_clocks(
            queryset=queryset, note="重新计算答复期限（recompute_due_dates）"
        )
        self.stdout.write(f"已重新计算 {seen} 件申请的答复期限，其中 {changed} 件有变化。")
