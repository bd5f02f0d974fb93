"""The staff admin's own pages: the deadline calculator, and the reorganisation of a body
(调整隶属, 撤销). Thin views: parse a form, call a service or the clock, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from disclosure import access, services
from disclosure.calendar import compute_due
from disclosure.clock import explain
from disclosure.forms import (
    BodyAbolishForm,
    BodyMoveForm,
    DeadlineCalculatorForm,
    PauseFormSet,
)
from disclosure.models import Body
from disclosure.vocab import Role


def deadline_calculator_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Receipt date, 补正, pauses and extension → the due date with its explanation."""
    data = request.GET if "received_on" in request.GET else None
    form = DeadlineCalculatorForm(data)
    consultations = PauseFormSet(data, prefix="consultation")
    fees = PauseFormSet(data, prefix="fee")
    clock = None
    if data is not None and form.is_valid() and consultations.is_valid() and fees.is_valid():
        values = form.cleaned_data
        due = compute_due(
            received_on=values["received_on"],
            correction_notice_on=values["correction_notice_on"],
            correction_received_on=values["correction_received_on"],
            consultations=[pair for pair in (f.pair() for f in consultations) if pair],
            fee_pauses=[pair for pair in (f.pair() for f in fees) if pair],
            extension_days=values["extension_days"],
            extension_decided_on=values["extension_decided_on"],
        )
        clock = explain(due)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("答复期限计算器"),
        "opts": model_admin.model._meta,
        "form": form,
        "consultations": consultations,
        "fees": fees,
        "clock": clock,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/disclosure/deadline_calculator.html", context)


def _editable_body(
    model_admin, request: HttpRequest, object_id: str, *, master: bool = False
) -> Body | HttpResponse:
    """The body of a move or abolition page, ``master``: for a change of its master data
    (``access.can_change_body_master``)."""
    body = model_admin.get_object(request, unquote(object_id))
    if body is None:
        return model_admin._get_obj_does_not_exist_redirect(
            request, model_admin.model._meta, object_id
        )
    if not model_admin.has_change_permission(request, body):
        raise PermissionDenied
    if master and not access.can_change_body_master(request.user, body):
        raise PermissionDenied(
            _("机构的隶属调整和撤销只能由系统管理员或上级机构的审核发布人员办理。")
        )
    return body


def _form_page(model_admin, request, *, body, form, title, intro) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "opts": model_admin.model._meta,
        "object": body,
        "form": form,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/disclosure/object_form.html", context)


def _apply(form, call) -> bool:
    """Run a service; its ValidationError lands on the form instead of a server error."""
    try:
        call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


def body_move_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    body = _editable_body(model_admin, request, object_id, master=True)
    if isinstance(body, HttpResponse):
        return body
    parents = access.bodies_with_role(request.user, Role.PUBLISH).order_by("path")
    form = BodyMoveForm(request.POST or None, body=body, parents=parents)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        if values["new_parent"] is None and not access.may_place_at_top(request.user):
            form.add_error("new_parent", _("只有系统管理员可以把机构调整为最上级机构。"))
        elif _apply(
            form,
            lambda: services.body_move(
                actor=request.user,
                body=body,
                new_parent=values["new_parent"],
                moved_on=values["moved_on"],
                note=values["note"],
            ),
        ):
            messages.success(request, _("“%(body)s”的隶属关系已调整。") % {"body": body})
            return HttpResponseRedirect(reverse("admin:disclosure_body_change", args=[body.pk]))
    return _form_page(
        model_admin,
        request,
        body=body,
        form=form,
        title=_("调整隶属：%(body)s") % {"body": body},
        intro=_(
            "机构连同其全部下级机构自调整日期起隶属新上级机构；此前年度的报告仍按原隶属关系统计。"
        ),
    )


def body_abolish_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    body = _editable_body(model_admin, request, object_id, master=True)
    if isinstance(body, HttpResponse):
        return body
    if body.abolished_on is not None:
        messages.error(request, _("该机构已撤销。"))
        return HttpResponseRedirect(reverse("admin:disclosure_body_change", args=[body.pk]))
    successors = Body.objects.visible_to(request.user).order_by("path")
    form = BodyAbolishForm(request.POST or None, body=body, successors=successors)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        if _apply(
            form,
            lambda: services.body_abolish(
                actor=request.user,
                body=body,
                abolished_on=values["abolished_on"],
                successor=values["successor"],
            ),
        ):
            messages.success(request, _("“%(body)s”已撤销。") % {"body": body})
            return HttpResponseRedirect(reverse("admin:disclosure_body_change", args=[body.pk]))
    return _form_page(
        model_admin,
        request,
        body=body,
        form=form,
        title=_("撤销机构：%(body)s") % {"body": body},
        intro=_("机构不会被删除：撤销日期之后不再统计，其工作由承继机构承担。"),
    )
