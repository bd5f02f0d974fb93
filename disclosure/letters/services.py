"""Every write of the letters, each in one transaction with its audit row
(``disclosure.services.audit_record``): drafting (录入), issuing (签发, 审核发布: the 文号
allocated under a row lock, the files frozen), recording service (送达), and the body's
letter settings, result rules and templates (审核发布). Refusals are ``ValidationError``
with Chinese messages naming what is missing, or ``PermissionDenied``; they write nothing."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib

from django.conf import settings as django_settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure import services as records
from disclosure.access import has_role_at, mask_name
from disclosure.letters import content as letter_content
from disclosure.letters import documents, selectors
from disclosure.letters.defaults import DEFAULT_TEMPLATES
from disclosure.letters.models import (
    Letter,
    LetterCounter,
    LetterSettings,
    LetterTemplate,
    RequestLetterFacts,
    ResultRule,
)
from disclosure.letters.vocab import LetterFormat, LetterKind, LetterState, ServiceMethod
from disclosure.models import Body, InformationRequest
from disclosure.vocab import AuditAction, Role


def _require(actor, body, role: str, message: str) -> None:
    # No actor: the system (a command run without --user), as the records' services allow.
    if actor is None:
        return
    if not has_role_at(actor, body, role):
        raise PermissionDenied(message)


# --- templates ---------------------------------------------------------------------------


@transaction.atomic
def national_templates_ensure() -> None:
    """Store the national default of every kind that has none (the data migration does it
    for a new database; a flushed test database is refilled here)."""
    stored = set(LetterTemplate.objects.filter(body__isnull=True).values_list("kind", flat=True))
    with translation.override(django_settings.LANGUAGE_CODE):  # the national texts are Chinese
        for kind, (title, text) in DEFAULT_TEMPLATES.items():
            if kind not in stored:
                LetterTemplate.objects.create(
                    body=None, kind=kind, version=1, title=str(title), text=str(text)
                )


@transaction.atomic
def template_save(*, actor, body: Body | None, kind: str, title: str, text: str) -> LetterTemplate:
    """Save the next version of ``body``'s template of ``kind`` (no body: the national
    default, for superusers). Earlier versions stay: letters drafted from them name them."""
    if body is None:
        if actor is not None and not (actor.is_active and actor.is_superuser):
            raise PermissionDenied(_("只有系统管理员可以修改全国默认模板。"))
    else:
        _require(actor, body, Role.PUBLISH, _("只有该机构的审核发布人员可以修改文书模板。"))
    latest = (
        LetterTemplate.objects.select_for_update()
        .filter(body=body, kind=kind)
        .order_by("-version")
        .first()
    )
    template = LetterTemplate(
        body=body,
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        title=(title or "").strip(),
        text=(text or "").strip(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    records._full_clean(template)
    template.save()
    records.audit_record(
        actor=actor,
        obj=template,
        action=AuditAction.CREATE,
        changes={"version": [latest.version if latest else None, template.version]},
    )
    return template


# --- settings and facts --------------------------------------------------------------------


@transaction.atomic
def letter_settings_save(*, actor, settings: LetterSettings) -> LetterSettings:
    _require(actor, settings.body, Role.PUBLISH, _("只有该机构的审核发布人员可以修改文书设置。"))
    return records.record_save(actor=actor, instance=settings)


@transaction.atomic
def result_rule_save(*, actor, rule: ResultRule) -> ResultRule:
    _require(
        actor, rule.body, Role.PUBLISH, _("只有该机构的审核发布人员可以设置答复依据和救济途径。")
    )
    return records.record_save(actor=actor, instance=rule)


@transaction.atomic
def request_facts_save(*, actor, facts: RequestLetterFacts) -> RequestLetterFacts:
    _require(actor, facts.request.body, Role.EDIT, _("您在该机构没有录入权限。"))
    return records.record_save(actor=actor, instance=facts)


# --- draft ---------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(letter: Letter, content: letter_content.LetterContent, fmt: str) -> None:
    data = documents.render(content, fmt)
    stem = f"{letter.kind}-{letter.pk}-{letter.number and letter.sequence or 'draft'}"
    field = letter.file_for(fmt)
    field.save(f"{stem}.{fmt}", ContentFile(data), save=False)
    setattr(letter, f"{fmt}_sha256", _sha256(data))


@transaction.atomic
def letter_draft(
    *,
    actor,
    request: InformationRequest,
    kind: str,
    fmt: str = LetterFormat.PDF,
    served_letter: Letter | None = None,
    drafter_name: str = "",
    today: datetime.date | None = None,
) -> Letter:
    """A new draft of ``kind`` from the request as it stands, filed on it with the file in
    ``fmt``; marked blanks where the records lack something. Drafting again makes a new
    draft; no letter is ever overwritten."""
    _require(actor, request.body, Role.EDIT, _("您在该机构没有录入权限，不能起草文书。"))
    if request.voided_at is not None:
        raise ValidationError({NON_FIELD_ERRORS: _("已作废的申请不能起草文书。")})
    if kind not in LetterKind.values:
        raise ValidationError({"kind": _("未知的文书类型：%(kind)s") % {"kind": kind}})
    if fmt not in LetterFormat.values:
        raise ValidationError({"format": _("文件格式只能是 pdf 或 docx。")})
    if kind == LetterKind.REPLY and not request.result:
        raise ValidationError(
            {"kind": _("申请尚未办结（未填写办结日期和办理结果），不能起草答复告知书。")}
        )
    if kind == LetterKind.SERVICE_RECEIPT:
        served_letter = served_letter or selectors.latest_served_letter(request)
        if served_letter is None or served_letter.request_id != request.pk:
            raise ValidationError(
                {"served_letter": _("送达回证根据送达记录起草：该申请尚无已登记送达的文书。")}
            )
        if served_letter.state != LetterState.SERVED:
            raise ValidationError({"served_letter": _("所选文书尚未登记送达。")})
    elif served_letter is not None:
        raise ValidationError({"served_letter": _("只有送达回证需要选择送达的文书。")})
    template = selectors.template_for(request.body_id, kind)
    if template is None:
        national_templates_ensure()
        template = selectors.template_for(request.body_id, kind)
    today = today or timezone.localdate()
    sources = selectors.letter_sources(request, today=today, served_letter=served_letter)
    with translation.override(django_settings.LANGUAGE_CODE):  # an official letter is Chinese
        drafted = letter_content.build_content(
            kind=kind, title=template.title, text=template.text, sources=sources, date=today
        )
    user = actor if actor is not None and actor.is_authenticated else None
    letter = Letter(
        request=request,
        body_id=request.body_id,
        kind=kind,
        template=template,
        addressee=drafted.addressee,
        content=drafted.as_json(),
        blanks=list(drafted.blanks),
        served_letter=served_letter,
        drafted_by=user,
        drafter_name=(user.get_username() if user else drafter_name)[:150],
    )
    records._full_clean(letter, exclude=["pdf", "docx"])
    letter.save()
    _store(letter, drafted, fmt)
    letter.save(update_fields=[fmt, f"{fmt}_sha256"])
    records.audit_record(
        actor=actor,
        obj=letter,
        action=AuditAction.LETTER_DRAFT,
        changes={"kind": [None, kind], "template": [None, str(template)]},
        note=_("待填写：%(blanks)s") % {"blanks": "、".join(drafted.blanks)}
        if drafted.blanks
        else "",
    )
    return letter


def draft_file(letter: Letter, fmt: str) -> bytes:
    """A letter's file in ``fmt``: the stored one, or — for a draft drafted in the other
    format — drawn now from the draft's frozen content (a draft's content never changes)."""
    field = letter.file_for(fmt)
    if field:
        with field.open("rb") as stored:
            return stored.read()
    return documents.render(letter_content.LetterContent.from_json(letter.content), fmt)


# --- issue ---------------------------------------------------------------------------------


def issue_problems(letter: Letter, settings: LetterSettings | None) -> list[str]:
    """Why ``letter`` cannot be issued (empty when it can), each naming what is missing."""
    problems = []
    if letter.state != LetterState.DRAFT:
        problems.append(_("该文书已签发（%(number)s），不能再次签发。") % {"number": letter.number})
        return problems
    if letter.blanks:
        problems.append(
            _("文书中仍有待填写事项：%(blanks)s。请补充后重新起草。")
            % {"blanks": "、".join(letter.blanks)}
        )
    missing = []
    if not (getattr(settings, "letter_prefix", "") or "").strip():
        missing.append(str(LetterSettings._meta.get_field("letter_prefix").verbose_name))
    if letter.kind == LetterKind.REPLY:
        for name in ("review_authority", "court"):
            if not (getattr(settings, name, "") or "").strip():
                missing.append(str(LetterSettings._meta.get_field(name).verbose_name))
    if missing:
        problems.append(
            _("本机关的文书设置未填写：%(missing)s。请审核发布人员在“文书设置”中填写后再签发。")
            % {"missing": "、".join(missing)}
        )
    return problems


def _next_sequence(body_id: int, year: int) -> int:
    # get_or_create copes with two first allocations racing; the row lock then serialises
    # every issue of this body and year until the transaction ends: no gap, no duplicate.
    LetterCounter.objects.get_or_create(body_id=body_id, year=year)
    counter = LetterCounter.objects.select_for_update().get(body_id=body_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def letter_issue(*, actor, letter: Letter, today: datetime.date | None = None) -> Letter:
    """签发: a 审核发布 holder approves the draft; the 文号 is allocated, the files frozen
    (PDF and Word, with their SHA-256) and the letter counts as issued."""
    _require(actor, letter.body, Role.PUBLISH, _("只有该机构的审核发布人员可以签发文书。"))
    letter = Letter.objects.select_for_update().select_related("body").get(pk=letter.pk)
    settings = selectors.letter_settings(letter.body_id)
    problems = issue_problems(letter, settings)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    today = today or timezone.localdate()
    letter.year = today.year
    letter.sequence = _next_sequence(letter.body_id, today.year)
    letter.number = letter_content.letter_number(
        settings.letter_prefix.strip(), letter.year, letter.sequence
    )
    letter.state = LetterState.ISSUED
    letter.issued_at = timezone.now()
    letter.issued_by = actor if actor is not None and actor.is_authenticated else None
    with translation.override(django_settings.LANGUAGE_CODE):
        issued_on = letter_content.chinese_date(today)
    issued = dataclasses.replace(
        letter_content.LetterContent.from_json(letter.content),
        number=letter.number,
        date=issued_on,
        draft=False,
    )
    letter.content = issued.as_json()
    for fmt in LetterFormat.values:
        _store(letter, issued, fmt)
    records._full_clean(letter)
    letter.save()
    records.audit_record(
        actor=actor,
        obj=letter,
        action=AuditAction.LETTER_ISSUE,
        changes={"state": [LetterState.DRAFT, LetterState.ISSUED], "number": ["", letter.number]},
    )
    return letter


# --- serve ---------------------------------------------------------------------------------


@transaction.atomic
def letter_serve(
    *,
    actor,
    letter: Letter,
    served_on: datetime.date,
    method: str,
    receiver: str,
    tracking_number: str = "",
) -> Letter:
    """送达: the date, the method (a tracking number for post) and the receiver; the remedy
    periods run from here. A 送达回证 can then be drafted from this record."""
    _require(actor, letter.body, Role.EDIT, _("您在该机构没有录入权限，不能登记送达。"))
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.state == LetterState.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: _("文书签发后才能登记送达。")})
    if letter.state == LetterState.SERVED:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("该文书已于%(on)s登记送达。") % {"on": letter.served_on}}
        )
    errors: dict[str, str] = {}
    if not served_on:
        errors["served_on"] = _("请填写送达日期。")
    elif letter.issued_at and served_on < timezone.localdate(letter.issued_at):
        errors["served_on"] = _("送达日期不能早于签发日期。")
    if method not in ServiceMethod.values:
        errors["service_method"] = _("请选择送达方式（当面、邮寄、电子邮件、网上）。")
    tracking_number = (tracking_number or "").strip()
    if method == ServiceMethod.POST and not tracking_number:
        errors["tracking_number"] = _("邮寄送达须填写邮件单号。")
    if not (receiver or "").strip():
        errors["receiver"] = _("请填写签收人。")
    if errors:
        raise ValidationError(errors)
    letter.state = LetterState.SERVED
    letter.served_on = served_on
    letter.service_method = method
    letter.tracking_number = tracking_number
    letter.receiver = receiver.strip()
    letter.served_by = actor if actor is not None and actor.is_authenticated else None
    records._full_clean(letter)
    letter.save()
    records.audit_record(
        actor=actor,
        obj=letter,
        action=AuditAction.LETTER_SERVE,
        changes={
            "state": [LetterState.ISSUED, LetterState.SERVED],
            "served_on": [None, served_on.isoformat()],
            "service_method": [None, method],
            "receiver": [None, mask_name(letter.receiver)],
        },
    )
    return letter
