"""manage.py draft_letter: writes the draft's file and files it on the request."""

from __future__ import annotations

import getpass

import pytest
from django.core.management import CommandError, call_command

from disclosure.letters.models import Letter
from disclosure.vocab import Result
from tests.letters.world import add_facts, concluded, docx_text, make_world, pdf_text

pytestmark = pytest.mark.django_db


def test_draft_letter_writes_the_file_and_records_the_os_account(tmp_path, capsys):
    world = make_world()
    request = concluded(world.body, Result.DENIED_STATE_SECRET)
    output = tmp_path / "reply.docx"
    call_command(
        "draft_letter",
        body="lz-edu",
        reference=request.reference,
        kind="reply",
        format="docx",
        output=str(output),
    )
    text = docx_text(output.read_bytes())
    assert "第十四条、第三十六条第（三）项" in text and "草稿" in text
    letter = Letter.objects.get(request=request)
    assert letter.drafted_by is None
    assert letter.drafter_name == f"系统账号 {getpass.getuser()}"
    assert "已起草答复告知书（草稿）" in capsys.readouterr().out


def test_draft_letter_as_a_user_names_the_blanks(tmp_path, capsys):
    world = make_world(settings=False)
    request = concluded(world.body, Result.GRANTED)
    add_facts(request, provision_method="当场提供")
    output = tmp_path / "reply.pdf"
    call_command(
        "draft_letter",
        "--body=lz-edu",
        f"--reference={request.reference}",
        "--kind=reply",
        "--format=pdf",
        f"--output={output}",
        "--user=clerk",
    )
    assert "【待填写：行政复议机关】" in pdf_text(output.read_bytes())
    assert Letter.objects.get().drafted_by == world.clerk
    assert "待填写：行政复议机关、管辖人民法院" in capsys.readouterr().out


def test_draft_letter_refuses_an_unknown_request_or_a_user_without_the_role(tmp_path):
    world = make_world()
    request = concluded(world.body, Result.GRANTED)
    with pytest.raises(CommandError, match="没有编号为“NOPE”的申请"):
        call_command(
            "draft_letter",
            body="lz-edu",
            reference="NOPE",
            kind="reply",
            format="pdf",
            output=str(tmp_path / "x.pdf"),
        )
    with pytest.raises(CommandError, match="没有录入权限"):
        call_command(
            "draft_letter",
            body="lz-edu",
            reference=request.reference,
            kind="reply",
            format="pdf",
            output=str(tmp_path / "x.pdf"),
            user=world.outsider.username,
        )
    assert not Letter.objects.exists() and not (tmp_path / "x.pdf").exists()
