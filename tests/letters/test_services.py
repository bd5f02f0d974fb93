"""Draft → issue → serve: who may, what is refused and why (nothing written), the 文号 per
body and year without gaps or duplicates, frozen files, audit rows."""

from __future__ import annotations

import datetime
import hashlib
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from disclosure.letters import selectors, services
from disclosure.letters.models import Letter, LetterCounter, LetterSettings, LetterTemplate
from disclosure.letters.vocab import LetterKind, LetterState, ServiceMethod
from disclosure.models import AuditEntry
from disclosure.vocab import AuditAction, Result
from tests.letters.world import PREFIX, add_facts, concluded, make_request, make_world

pytestmark = pytest.mark.django_db


def _reply(world, result=Result.GRANTED):
    request = concluded(world.body, result)
    add_facts(request, provision_method="随本告知书附送复印件")
    return services.letter_draft(actor=world.clerk, request=request, kind=LetterKind.REPLY)


def _actions(letter) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(letter.pk), action__startswith="letter_")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_draft_records_its_template_version_and_drafter_and_is_audited():
    world = make_world()
    letter = _reply(world)
    national = LetterTemplate.objects.get(body=None, kind=LetterKind.REPLY)
    assert (letter.state, letter.number, letter.sequence) == (LetterState.DRAFT, "", None)
    assert letter.template == national and national.version == 1
    assert letter.drafted_by == world.clerk and letter.drafter_name == "clerk"
    assert letter.pdf and not letter.docx
    assert _actions(letter) == [AuditAction.LETTER_DRAFT]


def test_a_body_template_edit_is_a_new_version_and_new_drafts_use_it():
    world = make_world()
    first = _reply(world)
    national = LetterTemplate.objects.get(body=None, kind=LetterKind.REPLY)
    own = services.template_save(
        actor=world.publisher,
        body=world.body,
        kind=LetterKind.REPLY,
        title="政府信息公开申请答复书",
        text=national.text.replace("特此告知。", "特此告知。如有疑问请致电本机关。"),
    )
    edited = services.template_save(
        actor=world.publisher,
        body=world.body,
        kind=LetterKind.REPLY,
        title="政府信息公开申请答复书",
        text=own.text + "\n{contact}",
    )
    assert (own.version, edited.version) == (1, 2)
    second = services.letter_draft(actor=world.clerk, request=first.request, kind=LetterKind.REPLY)
    assert second.template == edited
    assert second.content["title"] == "政府信息公开申请答复书"
    assert "特此告知。如有疑问请致电本机关。" in second.content["paragraphs"]
    first.refresh_from_db()
    assert first.template == national  # the earlier draft keeps the version it came from


def test_a_department_without_its_own_template_drafts_from_its_countys():
    world = make_world()
    county = world.body.parent
    national = LetterTemplate.objects.get(body=None, kind=LetterKind.REPLY)
    county_template = services.template_save(
        actor=None,
        body=county,
        kind=LetterKind.REPLY,
        title="凉州区政府信息公开申请答复书",
        text=national.text,
    )
    letter = _reply(world)
    assert letter.template == county_template
    assert letter.content["title"] == "凉州区政府信息公开申请答复书"
    # Another kind the county has not written stays national; the body's own comes first.
    assert selectors.template_for(world.body.pk, LetterKind.CORRECTION).body is None
    own = services.template_save(
        actor=world.publisher,
        body=world.body,
        kind=LetterKind.REPLY,
        title="凉州区教育局答复书",
        text=national.text,
    )
    assert selectors.template_for(world.body.pk, LetterKind.REPLY) == own
    assert selectors.template_for(county.pk, LetterKind.REPLY) == county_template


def test_a_template_with_an_unknown_placeholder_or_without_the_basis_is_refused():
    world = make_world()
    with pytest.raises(ValidationError) as refused:
        services.template_save(
            actor=world.publisher,
            body=world.body,
            kind=LetterKind.REPLY,
            title="答复",
            text="{applicant}：\n{reasons}{ruling}\n{remedies}\n{signature}",
        )
    messages = refused.value.message_dict["text"]
    assert "未知的占位符：{signature}" in messages
    assert "模板须包含占位符 {basis}（法律依据（“根据……的规定，”）），不能删去。" in messages
    assert not LetterTemplate.objects.filter(body=world.body).exists()


def test_a_clerk_cannot_edit_templates_and_an_outsider_cannot_draft():
    world = make_world()
    with pytest.raises(PermissionDenied):
        services.template_save(
            actor=world.clerk, body=world.body, kind=LetterKind.RECEIPT, title="x", text="{basis}"
        )
    with pytest.raises(PermissionDenied):
        services.letter_draft(
            actor=world.outsider,
            request=concluded(world.body, Result.GRANTED),
            kind=LetterKind.REPLY,
        )
    assert not Letter.objects.exists()


def test_a_reply_cannot_be_drafted_before_the_request_is_concluded():
    world = make_world()
    with pytest.raises(ValidationError) as refused:
        services.letter_draft(
            actor=world.clerk, request=make_request(world.body), kind=LetterKind.REPLY
        )
    assert refused.value.message_dict["kind"] == [
        "申请尚未办结（未填写办结日期和办理结果），不能起草答复告知书。"
    ]


def test_issuing_allocates_the_number_freezes_both_files_and_is_audited():
    world = make_world()
    letter = services.letter_issue(
        actor=world.publisher, letter=_reply(world), today=datetime.date(2026, 3, 23)
    )
    assert letter.state == LetterState.ISSUED
    assert (letter.year, letter.sequence) == (2026, 1)
    assert letter.number == f"{PREFIX}〔2026〕1号"
    assert letter.issued_by == world.publisher
    assert letter.content["number"] == letter.number
    assert letter.content["date"] == "2026年3月23日" and letter.content["draft"] is False
    for fmt in ("pdf", "docx"):
        data = services.draft_file(letter, fmt)
        assert hashlib.sha256(data).hexdigest() == getattr(letter, f"{fmt}_sha256")
    assert _actions(letter) == [AuditAction.LETTER_DRAFT, AuditAction.LETTER_ISSUE]


def test_numbers_run_per_body_and_year():
    world = make_world()
    numbers = [
        services.letter_issue(actor=world.publisher, letter=_reply(world), today=day).number
        for day in (
            datetime.date(2026, 12, 30),
            datetime.date(2026, 12, 31),
            datetime.date(2027, 1, 4),
        )
    ]
    assert numbers == [f"{PREFIX}〔2026〕1号", f"{PREFIX}〔2026〕2号", f"{PREFIX}〔2027〕1号"]


def test_issuing_a_reply_without_review_authority_is_refused_naming_it():
    world = make_world()
    LetterSettings.objects.filter(body=world.body).update(review_authority="")
    draft = services.letter_draft(
        actor=world.clerk,
        request=concluded(world.body, Result.DENIED_STATE_SECRET),
        kind=LetterKind.REPLY,
    )
    assert draft.blanks == ["行政复议机关"]  # the draft shows the blank; issuing refuses
    with pytest.raises(ValidationError) as refused:
        services.letter_issue(actor=world.publisher, letter=draft)
    assert refused.value.messages == [
        "文书中仍有待填写事项：行政复议机关。请补充后重新起草。",
        "本机关的文书设置未填写：行政复议机关。请审核发布人员在“文书设置”中填写后再签发。",
    ]
    draft.refresh_from_db()
    assert (draft.state, draft.number, draft.docx.name) == (LetterState.DRAFT, "", "")
    assert not LetterCounter.objects.exists()
    assert _actions(draft) == [AuditAction.LETTER_DRAFT]


def test_issuing_without_a_prefix_or_court_names_them():
    world = make_world(settings=False)
    draft = _reply(world)
    with pytest.raises(ValidationError) as refused:
        services.letter_issue(actor=world.publisher, letter=draft)
    assert (
        "本机关的文书设置未填写：文书文号前缀、行政复议机关、管辖人民法院。"
        "请审核发布人员在“文书设置”中填写后再签发。"
    ) in refused.value.messages


def test_only_a_publisher_issues_and_only_once():
    world = make_world()
    draft = _reply(world)
    with pytest.raises(PermissionDenied):
        services.letter_issue(actor=world.clerk, letter=draft)
    issued = services.letter_issue(actor=world.publisher, letter=draft)
    with pytest.raises(ValidationError) as refused:
        services.letter_issue(actor=world.publisher, letter=issued)
    assert refused.value.messages == [f"该文书已签发（{issued.number}），不能再次签发。"]
    assert LetterCounter.objects.get().last == 1


def test_service_is_recorded_once_with_a_tracking_number_for_post():
    world = make_world()
    draft = _reply(world)
    with pytest.raises(ValidationError):
        services.letter_serve(
            actor=world.clerk,
            letter=draft,
            served_on=datetime.date(2026, 3, 24),
            method=ServiceMethod.IN_PERSON,
            receiver="张三丰",
        )
    issued = services.letter_issue(actor=world.publisher, letter=draft)
    with pytest.raises(ValidationError) as refused:
        services.letter_serve(
            actor=world.clerk,
            letter=issued,
            served_on=timezone.localdate(issued.issued_at),
            method=ServiceMethod.POST,
            receiver="张三丰",
        )
    assert refused.value.message_dict == {"tracking_number": ["邮寄送达须填写邮件单号。"]}
    served = services.letter_serve(
        actor=world.clerk,
        letter=issued,
        served_on=timezone.localdate(issued.issued_at),
        method=ServiceMethod.POST,
        tracking_number="EMS1234567890",
        receiver="张三丰",
    )
    assert (served.state, served.tracking_number) == (LetterState.SERVED, "EMS1234567890")
    entry = AuditEntry.objects.get(action=AuditAction.LETTER_SERVE)
    assert entry.changes["receiver"] == [None, "张**"]  # personal data masked in the trail
    assert _actions(served)[-1] == AuditAction.LETTER_SERVE


def test_requests_concluded_without_an_issued_reply(django_assert_num_queries):
    world = make_world()
    open_request = make_request(world.body)
    unanswered = concluded(world.body, Result.GRANTED)
    drafted = concluded(world.body, Result.GRANTED)
    answered = concluded(world.body, Result.GRANTED)
    withdrawn = make_request(
        world.body,
        withdrawn_on=datetime.date(2026, 3, 9),
        concluded_on=datetime.date(2026, 3, 9),
        result=Result.OTHER_OTHER,
    )
    for request in (drafted, answered):
        add_facts(request, provision_method="随本告知书附送复印件")
    services.letter_draft(actor=world.clerk, request=drafted, kind=LetterKind.REPLY)
    reply = services.letter_draft(actor=world.clerk, request=answered, kind=LetterKind.REPLY)
    services.letter_issue(actor=world.publisher, letter=reply)
    from disclosure.models import InformationRequest

    with django_assert_num_queries(1):
        found = list(selectors.requests_without_issued_reply(InformationRequest.objects.all()))
    assert set(found) == {unanswered, drafted}
    assert open_request not in found and withdrawn not in found


@pytest.mark.django_db(transaction=True)
def test_letters_issued_at_once_get_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises writers")
    world = make_world()
    drafts = [_reply(world) for _ in range(6)]
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def issue(letter: Letter) -> None:
        try:
            barrier.wait()
            services.letter_issue(actor=world.publisher, letter=letter)
        except BaseException as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(letter,)) for letter in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(Letter.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5, 6]
    assert LetterCounter.objects.get().last == 6


def test_an_issued_reply_takes_the_request_off_the_worklist():
    """The 工作台's "concluded without a reply" counts a reply issued here as on file, like an
    uploaded 答复书; a draft does not."""
    from disclosure import worklist
    from disclosure.models import InformationRequest

    world = make_world()
    drafted = _reply(world)
    issued = _reply(world)
    services.letter_issue(actor=world.publisher, letter=issued)
    day = worklist.work_day(datetime.date(2026, 4, 1))

    [entry] = worklist.worklist(
        InformationRequest.objects.all(), day, keys=[worklist.NO_REPLY_ON_FILE]
    )

    assert (entry.count, [request.pk for request in entry.requests]) == (1, [drafted.request_id])
