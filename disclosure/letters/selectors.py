"""Reads of the letters: the template a letter is drafted from, everything a letter is
drafted from (``letter_sources``), a request's letters, and the requests concluded without
an issued reply (the worklist's question)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from disclosure.access import bodies_with_role
from disclosure.calendar import WorkingCalendar
from disclosure.letters.content import Sources
from disclosure.letters.models import (
    Letter,
    LetterSettings,
    LetterTemplate,
    RequestLetterFacts,
    ResultRule,
)
from disclosure.letters.vocab import LetterKind, LetterState
from disclosure.models import Body, InformationRequest
from disclosure.vocab import Role

# 第三十二条: a third party answers within 15 working days; the disclosure waits as long.
CONSULTATION_WORKING_DAYS = 15


def template_for(body_id: int | None, kind: str) -> LetterTemplate | None:
    """The latest version of the nearest template of ``kind``: the body's own, else its
    nearest ancestor's (a county's departments write as the county's office set it out),
    else the national default (None only before the national defaults are stored)."""
    chain = []  # the body, then its ancestors nearest first
    if body_id is not None:
        body = Body.objects.only("path").get(pk=body_id)
        chain = [body_id, *reversed(body.ancestor_ids)]
    latest: dict[int | None, LetterTemplate] = {}
    for template in LetterTemplate.objects.filter(
        Q(body_id__in=chain) | Q(body__isnull=True), kind=kind
    ).order_by("-version"):
        latest.setdefault(template.body_id, template)
    return next((latest[owner] for owner in [*chain, None] if owner in latest), None)


def templates_visible_to(user) -> QuerySet[LetterTemplate]:
    """The templates ``user`` may read: the national defaults, those of the bodies she sees,
    and those of the bodies above her memberships (the ones her letters inherit)."""
    if user.is_active and user.is_superuser:
        return LetterTemplate.objects.all()
    above = {
        ancestor
        for body in bodies_with_role(user, Role.VIEW, memberships_only=True).only("path")
        for ancestor in body.ancestor_ids
    }
    return LetterTemplate.objects.filter(
        Q(body__isnull=True) | Q(body__in=bodies_with_role(user, Role.VIEW)) | Q(body_id__in=above)
    )


def letter_settings(body_id: int) -> LetterSettings | None:
    return LetterSettings.objects.filter(body_id=body_id).first()


def request_facts(request: InformationRequest) -> RequestLetterFacts:
    """The request's letter facts as stored, or new and empty."""
    return RequestLetterFacts.objects.filter(request=request).first() or RequestLetterFacts(
        request=request
    )


def letter_sources(
    request: InformationRequest,
    *,
    today: datetime.date,
    served_letter: Letter | None = None,
) -> Sources:
    """Everything a letter of ``request`` is drafted from, read in a few queries."""
    consultations = list(request.consultations.order_by("-sent_on", "-pk"))
    latest = consultations[0] if consultations else None
    dates = [today] + ([latest.sent_on] if latest else [])
    calendar = WorkingCalendar.for_dates(*dates)
    rule = (
        ResultRule.objects.filter(body_id=request.body_id, result=request.result).first()
        if request.result
        else None
    )
    return Sources(
        request=request,
        settings=letter_settings(request.body_id),
        facts=RequestLetterFacts.objects.filter(request=request).first(),
        rule=rule,
        consultation_party=latest.party if latest else "",
        consultation_reply_by=(
            calendar.add_working_days(latest.sent_on, CONSULTATION_WORKING_DAYS) if latest else None
        ),
        third_party_consulted=bool(consultations),
        disclose_on=calendar.add_working_days(today, CONSULTATION_WORKING_DAYS),
        served_letter=served_letter,
    )


def request_letters(request: InformationRequest) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(request=request)
        .select_related("template")
        .order_by("drafted_at", "pk")
    )


def latest_served_letter(request: InformationRequest) -> Letter | None:
    """The letter a 送达回证 is drafted for by default: the last one served."""
    return (
        Letter.objects.filter(request=request, state=LetterState.SERVED)
        .exclude(kind=LetterKind.SERVICE_RECEIPT)
        .order_by("-served_on", "-pk")
        .first()
    )


def reply_issued() -> Q:
    """A 答复告知书 of the request has been issued (or issued and served)."""
    return Q(
        Exists(
            Letter.objects.filter(request=OuterRef("pk"), kind=LetterKind.REPLY).exclude(
                state=LetterState.DRAFT
            )
        )
    )


def requests_without_issued_reply(queryset: QuerySet[InformationRequest]) -> QuerySet:
    """The requests of ``queryset`` concluded without an issued 答复告知书: active, concluded,
    not withdrawn (a withdrawal ends a request without a reply), no reply issued or served.
    One query (``Exists``), chainable with the worklist's own filters."""
    return queryset.filter(
        voided_at__isnull=True, concluded_on__isnull=False, withdrawn_on__isnull=True
    ).exclude(reply_issued())
