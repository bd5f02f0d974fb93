"""The letters in the admin: on the request's page (its letters with their state, and
起草文书), each letter's page (preview, 签发, 登记送达, downloads), and the body's letter
settings, result rules and templates for its publishers. Every write calls the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.access import bodies_with_role
from disclosure.admin.access import (
    BodyScopedAdmin,
    has_role_at,
    has_role_somewhere,
    visible_rows,
)
from disclosure.admin.base import HistoryMixin
from disclosure.downloads import content_disposition
from disclosure.hooks import AdminLink
from disclosure.letters import basis, documents, selectors, services
from disclosure.letters import content as letter_content
from disclosure.letters.defaults import DEFAULT_TEMPLATES
from disclosure.letters.forms import DraftForm, FactsForm, ServeForm
from disclosure.letters.models import Letter, LetterSettings, LetterTemplate, ResultRule
from disclosure.letters.vocab import LetterFormat, LetterKind, LetterState
from disclosure.models import InformationRequest
from disclosure.vocab import Role


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


# --- on the request's page -----------------------------------------------------------------


def download_links(letter: Letter) -> str:
    return format_html_join(
        " · ",
        '<a href="{}" class="letter-download-{}">{}</a>',
        (
            (reverse("admin:letters_letter_download", args=[letter.pk, fmt]), fmt, label)
            for fmt, label in LetterFormat.choices
        ),
    )


def request_panel(http_request: HttpRequest, obj: InformationRequest) -> list[str]:
    """The request's letters with their state and downloads, on the request's page."""
    if not has_role_at(http_request, obj.body_id, Role.VIEW):
        return []
    letters = list(
        visible_rows(Letter.objects.filter(request=obj), http_request).order_by("drafted_at", "pk")
    )
    rows = [
        {
            "letter": letter,
            "url": reverse("admin:letters_letter_change", args=[letter.pk]),
            "downloads": download_links(letter),
        }
        for letter in letters
    ]
    return [render_to_string("admin/letters/_request_letters.html", {"rows": rows})]


def request_links(http_request: HttpRequest, obj: InformationRequest) -> list[AdminLink]:
    if obj.voided_at is not None or not has_role_at(http_request, obj.body_id, Role.EDIT):
        return []
    return [AdminLink(reverse("admin:letters_letter_draft", args=[obj.pk]), _("起草文书"))]


# --- letters -------------------------------------------------------------------------------


@admin.register(Letter)
class LetterAdmin(HistoryMixin, BodyScopedAdmin):
    list_display = ("__str__", "kind", "state", "request", "body", "drafted_at", "served_on")
    list_filter = ("state", "kind")
    search_fields = ("number", "request__reference")
    list_select_related = ("request", "body")
    change_form_template = "admin/letters/letter/change_form.html"

    class Media:
        css = {"all": ("letters/admin.css",)}

    fields = (
        "request",
        "kind",
        "state",
        "number",
        "addressee",
        "template",
        "drafter_name",
        "drafted_at",
        "issued_by",
        "issued_at",
        "served_on",
        "service_method",
        "tracking_number",
        "receiver",
        "served_letter",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # drafted from a request (起草文书)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a letter changes only through 签发 and 送达

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("draft/<int:request_id>/", view(self.draft_view), name="letters_letter_draft"),
            path("<int:letter_id>/issue/", view(self.issue_view), name="letters_letter_issue"),
            path("<int:letter_id>/serve/", view(self.serve_view), name="letters_letter_serve"),
            path(
                "<int:letter_id>/download/<str:fmt>/",
                view(self.download_view),
                name="letters_letter_download",
            ),
            *super().get_urls(),
        ]

    def _letter(self, request: HttpRequest, letter_id: int) -> Letter:
        letter = (
            visible_rows(Letter.objects.select_related("body", "request"), request)
            .filter(pk=letter_id)
            .first()
        )
        if letter is None:
            raise Http404(_("文书不存在或不在您的权限范围内。"))
        return letter

    def _context(self, request: HttpRequest, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "media": self.media,
            **extra,
        }

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        letter = self._letter(request, int(unquote(object_id)))
        content = letter_content.LetterContent.from_json(letter.content)
        extra_context = {
            **(extra_context or {}),
            "letter": letter,
            "preview": content,
            "downloads": download_links(letter),
            "may_issue": letter.state == LetterState.DRAFT
            and has_role_at(request, letter.body_id, Role.PUBLISH),
            "may_serve": letter.state == LetterState.ISSUED
            and has_role_at(request, letter.body_id, Role.EDIT),
            "may_draft_receipt": letter.state == LetterState.SERVED
            and letter.kind != LetterKind.SERVICE_RECEIPT
            and has_role_at(request, letter.body_id, Role.EDIT),
            "request_url": reverse(
                "admin:disclosure_informationrequest_change", args=[letter.request_id]
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def draft_view(self, request: HttpRequest, request_id: int):
        record = get_object_or_404(
            visible_rows(InformationRequest.objects.select_related("body", "applicant"), request),
            pk=request_id,
        )
        if not has_role_at(request, record.body_id, Role.EDIT) or record.voided_at:
            raise PermissionDenied
        facts = selectors.request_facts(record)
        served = Letter.objects.filter(request=record, state=LetterState.SERVED).exclude(
            kind=LetterKind.SERVICE_RECEIPT
        )
        posted = request.method == "POST"
        form = DraftForm(
            request.POST if posted else None,
            served_letters=served,
            initial={"kind": request.GET.get("kind", LetterKind.REPLY)},
        )
        facts_form = FactsForm(request.POST if posted else None, instance=facts, prefix="facts")
        error_list: list[str] = []
        if posted and form.is_valid() and facts_form.is_valid():
            try:
                if (
                    facts_form.has_changed()
                    or facts.pk is None
                    and any(facts_form.cleaned_data.values())
                ):
                    services.request_facts_save(actor=request.user, facts=facts_form.instance)
                letter = services.letter_draft(
                    actor=request.user,
                    request=record,
                    kind=form.cleaned_data["kind"],
                    fmt=form.cleaned_data["format"],
                    served_letter=form.cleaned_data["served_letter"],
                )
            except ValidationError as error:
                error_list = _errors(error)
            else:
                if letter.blanks:
                    self.message_user(
                        request,
                        _("草稿已生成，仍有待填写事项：%(blanks)s。补充后重新起草才能签发。")
                        % {"blanks": "、".join(letter.blanks)},
                        messages.WARNING,
                    )
                else:
                    self.message_user(request, _("草稿已生成。"), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:letters_letter_change", args=[letter.pk])
                )
        context = self._context(
            request,
            title=_("起草文书：%(reference)s") % {"reference": record.reference},
            record=record,
            form=form,
            facts_form=facts_form,
            error_list=error_list,
            letters=selectors.request_letters(record),
            request_url=reverse("admin:disclosure_informationrequest_change", args=[record.pk]),
        )
        return TemplateResponse(request, "admin/letters/letter/draft.html", context)

    def issue_view(self, request: HttpRequest, letter_id: int):
        letter = self._letter(request, letter_id)
        if not has_role_at(request, letter.body_id, Role.PUBLISH):
            raise PermissionDenied
        problems = services.issue_problems(letter, selectors.letter_settings(letter.body_id))
        if request.method == "POST" and not problems:
            try:
                letter = services.letter_issue(actor=request.user, letter=letter)
            except ValidationError as error:
                problems = _errors(error)
            else:
                self.message_user(
                    request,
                    _("已签发，文号：%(number)s。") % {"number": letter.number},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:letters_letter_change", args=[letter.pk])
                )
        context = self._context(
            request,
            title=_("签发文书"),
            object=letter,
            letter=letter,
            preview=letter_content.LetterContent.from_json(letter.content),
            problems=problems,
        )
        return TemplateResponse(request, "admin/letters/letter/issue.html", context)

    def serve_view(self, request: HttpRequest, letter_id: int):
        letter = self._letter(request, letter_id)
        if not has_role_at(request, letter.body_id, Role.EDIT):
            raise PermissionDenied
        form = ServeForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                services.letter_serve(
                    actor=request.user,
                    letter=letter,
                    served_on=data["served_on"],
                    method=data["service_method"],
                    tracking_number=data["tracking_number"],
                    receiver=data["receiver"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, field_errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, field_errors)
                else:
                    form.add_error(None, error)
            else:
                self.message_user(request, _("已登记送达。"), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:letters_letter_change", args=[letter.pk])
                )
        context = self._context(
            request,
            title=_("登记送达：%(letter)s") % {"letter": letter},
            object=letter,
            form=form,
            intro=_("送达日期即救济期限的起算日。邮寄送达须填写邮件单号。"),
        )
        return TemplateResponse(request, "admin/disclosure/object_form.html", context)

    def download_view(self, request: HttpRequest, letter_id: int, fmt: str):
        letter = self._letter(request, letter_id)
        if fmt not in LetterFormat.values:
            raise Http404
        return letter_file_response(letter, fmt)


def letter_file_response(letter: Letter, fmt: str) -> HttpResponse:
    """The letter's file as a download named after it (the admin and the API)."""
    content = letter_content.LetterContent.from_json(letter.content)
    response = HttpResponse(
        services.draft_file(letter, fmt), content_type=documents.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = content_disposition(
        documents.file_name(content, fmt), fallback=f"letter-{letter.pk}.{fmt}"
    )
    return response


# --- the body's settings, rules and templates ----------------------------------------------


class PublisherScopedAdmin(HistoryMixin, BodyScopedAdmin):
    """A body's letter configuration: visible to its members, changed by its publishers."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.PUBLISH)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.PUBLISH)
        return has_role_at(request, self.body_id_of(obj), Role.PUBLISH)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = bodies_with_role(request.user, Role.PUBLISH).order_by("path")
            return db_field.formfield(**kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("body",) if obj is not None else ()


@admin.register(LetterSettings)
class LetterSettingsAdmin(PublisherScopedAdmin):
    list_display = ("body", "letter_prefix", "review_authority", "court", "letterhead")
    search_fields = ("body__name", "body__code")
    fields = ("body", "letterhead", "letter_prefix", "review_authority", "court", "contact")

    def save_model(self, request: HttpRequest, obj: LetterSettings, form, change: bool) -> None:
        services.letter_settings_save(actor=request.user, settings=obj)


@admin.register(ResultRule)
class ResultRuleAdmin(PublisherScopedAdmin):
    list_display = ("body", "result", "basis")
    list_filter = ("result",)
    fields = ("body", "result", "basis", "remedies", "defaults")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return (*super().get_readonly_fields(request, obj), "defaults")

    @admin.display(description=gettext_lazy("全国默认救济途径"))
    def defaults(self, obj: ResultRule | None) -> str:
        if obj is None or not obj.result:
            return format_html(
                "{}<br>{}",
                _("不予公开、部分公开（复议前置）：") + str(basis.REMEDIES_REVIEW_FIRST),
                _("其他办理结果：") + str(basis.REMEDIES_EITHER),
            )
        return basis.remedies_default(obj.result)

    def save_model(self, request: HttpRequest, obj: ResultRule, form, change: bool) -> None:
        services.result_rule_save(actor=request.user, rule=obj)


@admin.register(LetterTemplate)
class LetterTemplateAdmin(HistoryMixin, admin.ModelAdmin):
    """Templates: the national defaults (read-only but for superusers) and bodies' own.
    Saving never changes a stored version: it saves the next one."""

    list_display = ("__str__", "kind", "body", "version", "title", "created_at")
    list_filter = ("kind",)
    fields = ("body", "kind", "title", "text", "placeholders", "version", "created_by")
    readonly_fields = ("placeholders", "version", "created_by")

    class Media:
        css = {"all": ("letters/admin.css",)}

    def get_queryset(self, request: HttpRequest):
        visible = selectors.templates_visible_to(request.user)
        return super().get_queryset(request).filter(pk__in=visible).select_related("body")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return has_role_somewhere(request, Role.VIEW)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_role_somewhere(request, Role.PUBLISH)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, Role.PUBLISH)
        if obj.body_id is None:
            return request.user.is_active and request.user.is_superuser
        return has_role_at(request, obj.body_id, Role.PUBLISH)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "body", "kind")
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = bodies_with_role(request.user, Role.PUBLISH).order_by("path")
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        kind = request.GET.get("kind")
        if kind in DEFAULT_TEMPLATES:
            title, text = DEFAULT_TEMPLATES[kind]
            initial.setdefault("title", str(title))
            initial.setdefault("text", str(text))
        return initial

    @admin.display(description=gettext_lazy("可用占位符"))
    def placeholders(self, obj=None) -> str:
        return format_html(
            "<ul class='letter-placeholders'>{}</ul>",
            format_html_join(
                "",
                "<li><code>{{{}}}</code> {}</li>",
                ((name, label) for name, label in letter_content.PLACEHOLDERS.items()),
            ),
        )

    def save_model(self, request: HttpRequest, obj: LetterTemplate, form, change: bool) -> None:
        saved = services.template_save(
            actor=request.user,
            body=obj.body,
            kind=obj.kind,
            title=obj.title,
            text=obj.text,
        )
        # The admin's messages and redirect name the version just saved.
        obj.pk, obj.version = saved.pk, saved.version
        obj._state.adding = False
