"""The admin's side of ``disclosure.access``: its answers cached for one request, the
visible rows of a page, and the admin classes built on them.

Every body-scoped page asks ``X.objects.visible_to(user)`` for rows and the role checks of
``disclosure.access`` for writes, so the admin, the API and the exports agree. Django's
model permissions are not needed for body-scoped records: a staff user with a membership
can work at once (查看 reads; 录入 and 审核发布 also create and edit); a staff user without one
sees nothing. Superusers see and change everything."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from disclosure import access
from disclosure.models import Applicant, Body, InformationRequest
from disclosure.vocab import Role


def _cache(request: HttpRequest) -> dict:
    cache = getattr(request, "_disclosure_access", None)
    if cache is None:
        cache = {}
        request._disclosure_access = cache
    return cache


def is_autocomplete(request: HttpRequest) -> bool:
    """Whether the request is the admin's autocomplete lookup (it feeds forms that write)."""
    match = request.resolver_match
    return match is not None and match.url_name == "autocomplete"


def has_role_somewhere(request: HttpRequest, role: str) -> bool:
    """``access.has_role_somewhere``, asked once per request."""
    cache = _cache(request)
    key = ("somewhere", str(role))
    if key not in cache:
        cache[key] = access.has_role_somewhere(request.user, role)
    return cache[key]


def has_role_at(request: HttpRequest, body_id: int | None, role: str) -> bool:
    """``access.has_role_at``, asked once per request and body."""
    cache = _cache(request)
    key = ("at", body_id, str(role))
    if key not in cache:
        cache[key] = access.has_role_at(request.user, body_id, role)
    return cache[key]


def visible_body_ids(request: HttpRequest) -> list[int]:
    """The primary keys of ``Body.objects.visible_to(user)``, read once per request."""
    cache = _cache(request)
    if "body_ids" not in cache:
        cache["body_ids"] = list(Body.objects.visible_to(request.user).values_list("pk", flat=True))
    return cache["body_ids"]


def identity_scope(request: HttpRequest) -> access.IdentityScope:
    """``access.IdentityScope`` of the user, built once per request."""
    cache = _cache(request)
    if "identity" not in cache:
        cache["identity"] = access.IdentityScope(request.user)
    return cache["identity"]


def visible_rows(queryset: QuerySet, request: HttpRequest, body_field: str = "body") -> QuerySet:
    """``queryset.visible_to(user)`` — the rule decides — plus the same bodies as a literal
    list of ids: PostgreSQL then reads a county's rows through the body index instead of
    hashing the whole table against the subquery (270 ms → 40 ms on a million requests)."""
    queryset = queryset.visible_to(request.user)
    if request.user.is_superuser:
        return queryset
    return queryset.filter(**{f"{body_field}__in": visible_body_ids(request)})


class BodyScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows belong to a body (``body_field``): visibility and roles come
    from memberships; nothing is deleted (records are voided through the services)."""

    body_field = "body"

    def body_id_of(self, obj) -> int | None:
        target = obj
        parts = self.body_field.split("__")
        for part in parts[:-1]:
            target = getattr(target, part)
        return getattr(target, f"{parts[-1]}_id")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visible_rows(super().get_queryset(request), request, self.body_field)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.VIEW)
        return has_role_at(request, self.body_id_of(obj), Role.VIEW)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.EDIT)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.EDIT)
        if getattr(obj, "voided_at", None) is not None:
            return False
        return has_role_at(request, self.body_id_of(obj), Role.EDIT)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        limited = limited_choices(db_field.related_model, request)
        if limited is not None:
            kwargs["queryset"] = limited
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def limited_choices(model, request: HttpRequest) -> QuerySet | None:
    """The rows a form may point at: bodies where the user enters records, visible requests
    and applicants. None for models the memberships do not govern."""
    if model is Body:
        return access.bodies_with_role(request.user, Role.EDIT).order_by("path")
    if model is InformationRequest:
        return InformationRequest.objects.visible_to(request.user).active()
    if model is Applicant:
        return access.applicants_visible_to(request.user)
    return None


class ScopedInline:
    """Inline rows follow their parent record: visible with it, editable where it is."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)

    def _parent_editable(self, request: HttpRequest, obj) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.EDIT)
        if obj.voided_at is not None:
            return False
        return has_role_at(request, obj.body_id, Role.EDIT)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.VIEW)
        return has_role_at(request, obj.body_id, Role.VIEW)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._parent_editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._parent_editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A mistaken event row is removed through the services (audited; clock recomputed).
        return self._parent_editable(request, obj)
