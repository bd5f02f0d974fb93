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

Bodies. A membership gives no power over the body itself: ``can_change_body_master`` (a
superuser, or a 审核发布 holder on the parent) for ``BODY_MASTER_FIELDS``,
``can_change_body_contact`` (the body's own publishers) for ``BODY_CONTACT_FIELDS``;
``require_body_change`` is what the body services enforce.

The audit trail. ``audit_visible_to`` is the rows a user reads: those of the records they
see, including the records of other apps registered in ``hooks.audit_scopes`` (reports).

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
from django.core.exceptions import ValidationError
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from disclosure import hooks
from disclosure.models import (
    AppealCase,
    Applicant,
    ApplicantAccess,
    Attachment,
    AuditEntry,
    Body,
    Consultation,
    Document,
    InformationRequest,
    Membership,
    YearlyFigure,
)
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


# --- bodies --------------------------------------------------------------------------------
#
# A membership gives no power over the body itself. A body's master data — what it is and
# where it stands in the tree — is decided above it: by a superuser, or by a 审核发布 holder
# on its parent. Its own publishers keep its contact details (and its letter settings). A
# 录入 clerk changes no body at all.

BODY_MASTER_FIELDS = (
    "code",
    "name",
    "kind",
    "parent",
    "established_on",
    "abolished_on",
    "successor",
    "report_deadline_month",
    "report_deadline_day",
)
"""What a body is and where it stands: changed only by ``can_change_body_master``."""

BODY_CONTACT_FIELDS = ("address", "postcode", "phone", "website")
"""What a body's own publishers keep up to date (``can_change_body_contact``)."""


class BodyChangeRefused(ValidationError):
    """A change of a body the user may not make, by field (``body_change_refusals``). A
    ``ValidationError`` so that forms and imports name the field; the API answers it 403."""


def can_change_body_master(user, body: Body) -> bool:
    """Whether ``user`` may change ``body``'s master data (``BODY_MASTER_FIELDS``), create it
    (``body.parent`` set, not yet saved) or abolish it: an active superuser, or a 审核发布
    holder on its parent (``body.parent_id``; a body at the top: superusers only)."""
    if _is_active_superuser(user):
        return True
    return body.parent_id is not None and has_role_at(user, body.parent_id, Role.PUBLISH)


def can_change_body_contact(user, body: Body) -> bool:
    """Whether ``user`` may change ``body``'s contact details: a 审核发布 holder on it (a
    membership on an ancestor reaches it) or an active superuser."""
    return has_role_at(user, body.pk, Role.PUBLISH)


def can_place_body_under(user, parent: Body | None) -> bool:
    """Whether ``user`` may put a body under ``parent`` (None: at the top of the tree)."""
    if parent is None:
        return may_place_at_top(user)
    return _is_active_superuser(user) or has_role_at(user, parent, Role.PUBLISH)


def body_change_refusals(
    user, body: Body, changed: list[str], *, stored_parent_id: int | None, creating: bool
) -> dict[str, str]:
    """The fields of ``changed`` that ``user`` may not change on ``body``, each with the
    Chinese reason. ``stored_parent_id``: the parent as stored (the master rule is judged
    there); ``creating``: a new body (its whole master data is set under its parent)."""
    refusals: dict[str, str] = {}
    judged_at = Body(pk=body.pk, parent_id=stored_parent_id)
    if creating:
        if not can_place_body_under(user, body.parent):
            refusals["parent"] = _(
                "您无权在该上级机构下新增机构：只有系统管理员或上级机构的审核发布人员可以新增下级机构。"
            )
        return refusals
    master_allowed = can_change_body_master(user, judged_at)
    for name in changed:
        label = Body._meta.get_field(name).verbose_name
        if name in BODY_MASTER_FIELDS and not master_allowed:
            refusals[name] = _(
                "您无权修改“%(field)s”：机构的名称、代码、类型、隶属和撤销等基本信息"
                "只能由系统管理员或上级机构的审核发布人员修改。"
            ) % {"field": label}
        elif name == "parent" and not can_place_body_under(user, body.parent):
            refusals[name] = _("您无权把机构调整到该上级机构之下：须在新上级机构具有审核发布权限。")
        elif name in BODY_CONTACT_FIELDS and not can_change_body_contact(user, body):
            refusals[name] = _(
                "您无权修改“%(field)s”：机构的联系信息只能由本机构的审核发布人员修改。"
            ) % {"field": label}
    return refusals


def require_body_change(
    user, body: Body, changed: list[str], *, stored_parent_id: int | None, creating: bool
) -> None:
    """``BodyChangeRefused`` naming each refused field, unless ``user`` may make the change.
    Nobody as ``user`` (a command run on the server, the demo) may make any change."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    refusals = body_change_refusals(
        user, body, changed, stored_parent_id=stored_parent_id, creating=creating
    )
    if refusals:
        raise BodyChangeRefused(refusals)


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


# --- the audit trail -----------------------------------------------------------------------


def audit_visible_to(user) -> QuerySet[AuditEntry]:
    """The audit rows ``user`` reads: those of the records the user sees — the body-scoped
    records, the applicants of ``applicants_visible_to``, and the records other apps register
    (``hooks.audit_scopes``: the annual reports and their readings), so that the publisher
    who published a report reads its trail. A superuser reads every row, including those
    about users, groups, tokens and logins."""
    entries = AuditEntry.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return entries.none()
    if user.is_superuser:
        return entries
    scoped: list[tuple[type, QuerySet]] = [
        (Body, Body.objects.visible_to(user)),
        (InformationRequest, InformationRequest.objects.visible_to(user)),
        (Consultation, Consultation.objects.visible_to(user)),
        (Attachment, Attachment.objects.visible_to(user)),
        (AppealCase, AppealCase.objects.visible_to(user)),
        (Document, Document.objects.visible_to(user)),
        (YearlyFigure, YearlyFigure.objects.visible_to(user)),
        (Membership, Membership.objects.visible_to(user)),
        (Applicant, applicants_visible_to(user)),
        *hooks.audit_scopes.ask(user),
    ]
    types = ContentType.objects.get_for_models(*(model for model, _rows in scoped))
    condition = Q()
    for model, rows in scoped:
        ids = rows.annotate(audit_id=Cast("pk", output_field=CharField())).values("audit_id")
        condition |= Q(content_type=types[model], object_id__in=ids)
    return entries.filter(condition)


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
