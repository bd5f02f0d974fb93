"""Who may see and change what, and what staff see of an applicant: the one home of access.

Every entry point — admin, API, workbook import, report services, exports — asks here.

Roles. A membership gives a user a role (查看 < 录入 < 审核发布) at a body, and through it at
the body's whole subtree; a higher role includes the lower ones; an active superuser holds
every role everywhere. ``bodies_with_role``, ``has_role_at`` and ``has_role_somewhere``
are the three questions; ``Body.objects.with_role`` is their SQL. A new top of the body
tree is for superusers alone (``may_place_at_top``).

Rows. ``X.objects.visible_to(user)`` (``disclosure.models.BodyScopedQuerySet``: a row is
visible where its body is) is the read rule of every body-scoped record; applicants, who
belong to no body, follow ``applicants_visible_to``.

Personal data. ``can_see_identity`` decides whether a user sees applicants' name, ID number
and contact in clear — those who handle the request (录入, 审核发布 at its body) do, 查看 does
not; ``IdentityScope`` asks the same for many rows, ``applicants_identified_to`` is its SQL
for applicants and ``identity_search`` finds applicants by name, ID number or telephone
among them. ``mask_name``, ``mask_id_number`` and ``mask_contact`` mask one datum each
(``IDENTITY_MASKS``: by field); ``applicant_identity`` is what is shown of one applicant.
The audit trail stores the masked values, whoever reads it later.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from disclosure.models import Applicant, ApplicantAccess, AuditEntry, Body, InformationRequest
from disclosure.vocab import Role

# --- roles ---------------------------------------------------------------------------------


def _is_active_superuser(user) -> bool:
    return bool(user is not None and user.is_active and user.is_superuser)


def bodies_with_role(user, role: str, *, memberships_only: bool = False) -> QuerySet[Body]:
    """The bodies where ``user`` holds ``role`` or a higher one. ``memberships_only``: through
    the user's memberships alone, a superuser too (what a reminder names: the bodies she
    answers for, not the whole tree she may open)."""
    return Body.objects.with_role(user, role, memberships_only=memberships_only)


def has_role_at(user, body: Body | int | None, role: str) -> bool:
    """Whether ``user`` holds ``role`` (or a higher one) at ``body`` (a body or its id),
    through a membership on it or on an ancestor. No body: no role."""
    if body is None:
        return False
    if _is_active_superuser(user):
        return True
    body_id = body.pk if isinstance(body, Body) else body
    return bodies_with_role(user, role).filter(pk=body_id).exists()


def has_role_somewhere(user, role: str) -> bool:
    """Whether ``user`` holds ``role`` (or a higher one) at any body."""
    if _is_active_superuser(user):
        return True
    return bodies_with_role(user, role).exists()


def may_place_at_top(user) -> bool:
    """Whether ``user`` may create a body without a parent, or move one to the top of the
    tree: an active superuser only (under a parent, 录入 at the parent decides)."""
    return _is_active_superuser(user)


# --- applicants ----------------------------------------------------------------------------


def applicants_visible_to(user) -> QuerySet[Applicant]:
    """The applicants ``user`` may see and pick: those linked to a request the user can see,
    and those the user entered (an audit row of the applicant names the user as actor).

    The second half is there because an applicant is recorded before the request that names
    her — the request form's "+" opens the applicant form and saves her first — so a clerk
    must be able to pick the applicant she has just entered, though no request links her
    yet. One rule for the admin (lists, forms, autocomplete, audit trail) and the API
    (``applicant_id``); a superuser sees every applicant."""
    applicants = Applicant.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return applicants.none()
    if user.is_superuser:
        return applicants
    requests = InformationRequest.objects.visible_to(user).filter(applicant=OuterRef("pk"))
    return applicants.filter(Exists(requests) | Exists(_entered_by(user)))


# --- personal data -------------------------------------------------------------------------

# The role that shows applicants in clear at a body: those who handle its requests (录入, and
# 审核发布 above it). 查看 sees masked data only.
IDENTITY_ROLE = Role.EDIT
CONTACT_MASK = "******"


def identity_bodies(user) -> QuerySet[Body]:
    """The bodies at whose requests ``user`` sees the applicant in clear."""
    return bodies_with_role(user, IDENTITY_ROLE)


def applicants_identified_to(user) -> QuerySet[Applicant]:
    """The applicants ``user`` sees in clear: those of a request handled by a body of
    ``identity_bodies``, and those the user entered herself (she has just typed them in)."""
    applicants = Applicant.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return applicants.none()
    if user.is_superuser:
        return applicants
    handled = InformationRequest.objects.filter(
        applicant=OuterRef("pk"), body__in=identity_bodies(user)
    )
    return applicants.filter(Exists(handled) | Exists(_entered_by(user)))


def _entered_by(user) -> QuerySet[AuditEntry]:
    """The audit rows naming ``user`` as the one who saved the applicant of ``OuterRef``."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Applicant),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        actor=user,
    )


def can_see_identity(user, *, body: Body | int | None = None, applicant=None) -> bool:
    """Whether ``user`` sees an applicant's name, ID number and contact in clear.

    The one rule: an active user holding 录入 or 审核发布 at the body handling the request
    (``body``: on a request's page, in its lists and exports); on an applicant's own page
    (``applicant``), at the body of any of her requests, or the user entered her. An active
    superuser sees every applicant; 查看 sees masked data only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if body is not None:
        return has_role_at(user, body, IDENTITY_ROLE)
    if applicant is not None and applicant.pk is not None:
        return applicants_identified_to(user).filter(pk=applicant.pk).exists()
    return False


class IdentityScope:
    """``can_see_identity(user, body=…)`` for the many rows of a list or an export: the
    bodies are read once (one query), then each row is a set lookup."""

    def __init__(self, user) -> None:
        self.user = user
        self._everywhere = bool(
            user is not None and user.is_authenticated and user.is_active and user.is_superuser
        )
        self._body_ids: set[int] | None = None

    @property
    def body_ids(self) -> set[int]:
        if self._body_ids is None:
            active = self.user is not None and self.user.is_authenticated and self.user.is_active
            self._body_ids = (
                set(identity_bodies(self.user).values_list("pk", flat=True)) if active else set()
            )
        return self._body_ids

    def clear_at(self, body_id: int | None) -> bool:
        if self._everywhere:
            return True
        return body_id is not None and body_id in self.body_ids

    @property
    def everywhere(self) -> bool:
        """An active superuser: every applicant in clear, without a query."""
        return self._everywhere


def access_log_visible_to(user) -> QuerySet[ApplicantAccess]:
    """Who opened which applicant's full record: for the publishers (审核发布) of the body the
    record was opened through, and its subtree; a superuser reads every row."""
    rows = ApplicantAccess.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return rows.none()
    if user.is_superuser:
        return rows
    return rows.filter(body__in=bodies_with_role(user, Role.PUBLISH))


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; an organisation keeps its first two characters."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) <= 4:
        return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"
    return name[:2] + "*" * (len(name) - 2)


def mask_id_number(number: str) -> str:
    """620102199001011234 → 620102********1234: the first 6 characters (the issuing region)
    and the last 4 stay; a number of 10 characters or fewer keeps only its last two."""
    number = (number or "").strip()
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * (len(number) - 2) + number[-2:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_contact(contact: str) -> str:
    """Any contact → ``******``; none → "". A contact is free text (a telephone number, an
    e-mail or a postal address) with no part that is safe to show: the ends of a telephone
    number beside a masked name narrow a person down. The fixed mask does not even tell
    its length."""
    return CONTACT_MASK if (contact or "").strip() else ""


IDENTITY_MASKS = {"name": mask_name, "id_number": mask_id_number, "contact": mask_contact}
IDENTITY_FIELDS = tuple(IDENTITY_MASKS)


@dataclass(frozen=True)
class ApplicantIdentity:
    """What a user sees of an applicant: the model's field names, in clear or masked."""

    name: str
    id_number: str
    contact: str


def applicant_identity(
    applicant: Applicant | None, *, clear: bool, listing: bool = False
) -> ApplicantIdentity:
    """The applicant's name, ID number and contact, in clear when ``clear`` (the answer of
    ``can_see_identity`` or ``IdentityScope.clear_at``), else masked; all empty when there is
    no applicant. A list (``listing``) masks the ID number for everyone: a list is read over
    a shoulder and printed, and the record's own page shows the number to those who may
    see it."""
    if applicant is None:
        return ApplicantIdentity("", "", "")
    return ApplicantIdentity(
        name=applicant.name if clear else mask_name(applicant.name),
        id_number=(
            applicant.id_number if clear and not listing else mask_id_number(applicant.id_number)
        ),
        contact=applicant.contact if clear else mask_contact(applicant.contact),
    )


def identity_search(user, term: str, *, prefix: str = "") -> Q | None:
    """The rows (applicants; requests with ``prefix="applicant__"``) whose applicant's name
    contains ``term``, whose ID number is ``term`` or whose contact (a telephone number)
    contains it — among the applicants ``user`` sees in clear, so that a search never
    confirms an identity the page masks. None when the user sees no applicant in clear."""
    term = (term or "").strip()
    if not term or user is None or not user.is_authenticated or not user.is_active:
        return None
    matches = (
        Q(**{f"{prefix}name__icontains": term})
        | Q(**{f"{prefix}id_number__in": {term, term.upper()}})
        | Q(**{f"{prefix}contact__icontains": term})
    )
    if user.is_superuser:
        return matches
    if prefix:
        return matches & Q(body__in=identity_bodies(user))
    return matches & Q(pk__in=applicants_identified_to(user).values("pk"))
