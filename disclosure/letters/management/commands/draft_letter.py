"""python manage.py draft_letter --body CODE --reference REF --kind KIND --format docx|pdf
--output PATH [--user USERNAME]"""

from __future__ import annotations

import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from disclosure.letters import services
from disclosure.letters.vocab import LetterFormat, LetterKind
from disclosure.models import InformationRequest
from disclosure.pdf import PdfUnavailable


def _os_account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return ""


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "根据申请记录起草一份文书（草稿），写入 --output 指定的文件，并归入该申请的文书。"
        "不指定 --user 时，以操作系统账号记为起草人。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--body", required=True, help="机构代码")
        parser.add_argument("--reference", required=True, help="申请编号")
        parser.add_argument("--kind", required=True, choices=LetterKind.values, help="文书类型")
        parser.add_argument("--format", required=True, choices=LetterFormat.values)
        parser.add_argument("--output", required=True, help="写入的文件路径")
        parser.add_argument("--user", help="以该用户的身份起草（须有该机构的录入权限）")

    def handle(self, *args, **options) -> None:
        actor = None
        drafter = ""
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(_("没有用户“%(user)s”。") % {"user": options["user"]}) from None
        else:
            drafter = _("系统账号 %(account)s") % {"account": _os_account() or "?"}
        request = (
            InformationRequest.objects.select_related("body", "applicant")
            .filter(body__code=options["body"], reference=options["reference"])
            .first()
        )
        if request is None:
            raise CommandError(
                _("机构“%(body)s”没有编号为“%(reference)s”的申请。")
                % {"body": options["body"], "reference": options["reference"]}
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(_("目录不存在：%(path)s") % {"path": output.parent})
        try:
            letter = services.letter_draft(
                actor=actor,
                request=request,
                kind=options["kind"],
                fmt=options["format"],
                drafter_name=drafter,
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except PdfUnavailable as error:
            raise CommandError(str(error)) from None
        output.write_bytes(services.draft_file(letter, options["format"]))
        self.stdout.write(
            _("已起草%(kind)s（草稿），写入 %(path)s。")
            % {"kind": letter.get_kind_display(), "path": output}
        )
        if letter.blanks:
            self.stdout.write(
                _("待填写：%(blanks)s（补充后重新起草才能签发）。")
                % {"blanks": "、".join(letter.blanks)}
            )
