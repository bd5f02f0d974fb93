"""The officials' bulk export page (/admin/reports/export/): every published report of a
subtree for a year as one zip, made by a background job (``reports.bulk_export``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import Body
from reports.bulk_export import FORMATS, export_enqueue
from reports.public import published_years

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "json": "JSON"}


class BulkExportForm(forms.Form):
    body = forms.ModelChoiceField(
        label=gettext_lazy("机构"),
        queryset=Body.objects.none(),
        help_text=gettext_lazy("导出该机构及其全部下级机构的报告。"),
    )
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int)
    format = forms.ChoiceField(
        label=gettext_lazy("格式"), choices=[(key, FORMAT_LABELS[key]) for key in FORMATS]
    )
    render = forms.BooleanField(
        label=gettext_lazy("重新生成 PDF"),
        required=False,
        help_text=gettext_lazy("默认复制发布时保存的 PDF；勾选则按报告文档重新生成（较慢）。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a body whose whole subtree the user sees (the result file's rule).
        self.fields["body"].queryset = Body.objects.visible_to(user).order_by("path")
        self.fields["year"].choices = [(year, year) for year in published_years()]


def bulk_export(request: HttpRequest) -> HttpResponse:
    if not Body.objects.visible_to(request.user).exists():
        raise PermissionDenied(_("批量导出需要至少一个机构的成员身份。"))
    form = BulkExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = export_enqueue(
            actor=request.user,
            body=form.cleaned_data["body"],
            year=form.cleaned_data["year"],
            fmt=form.cleaned_data["format"],
            render=form.cleaned_data["render"],
        )
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
    context = {
        **admin.site.each_context(request),
        "title": _("批量导出年度报告"),
        "form": form,
    }
    return TemplateResponse(request, "admin/reports/bulk_export.html", context)
