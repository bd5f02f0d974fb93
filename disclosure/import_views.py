"""Admin pages of the Excel import: upload and the empty template. Mounted at
/admin/disclosure/import/ and wrapped in ``admin.site.admin_view``.

An upload becomes a background job (``disclosure.background.run_import``, the same service as
the command ``import_records``); the page then follows it at ``?job=<id>``: its progress bar
while it runs, then the result — what changed, or every refused cell."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.background import IMPORT, import_outcome
from disclosure.importing import template_workbook
from disclosure.importing.columns import SHEETS
from disclosure.jobs.selectors import job_for
from disclosure.jobs.services import job_enqueue
from disclosure.models import Body
from disclosure.vocab import Role

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TEMPLATE_FILENAME = "台账导入模板.xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("台账文件"),
        help_text=gettext_lazy(
            "Excel 工作簿（.xlsx），或以 CSV（UTF-8 或 GBK 编码）保存的单张表。"
        ),
    )
    sheet = forms.ChoiceField(
        label=gettext_lazy("表"),
        required=False,
        choices=[("", gettext_lazy("工作簿中的全部表"))] + [(name, name) for name in SHEETS],
        help_text=gettext_lazy("CSV 文件须选择它是哪张表。"),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("只检查，不保存"),
        required=False,
        help_text=gettext_lazy("检查每一行并统计将新增、更新的记录，但不保存。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB。"))
        return upload


def _require_import_right(request: HttpRequest) -> None:
    """The page is for users who may record somewhere; each row is checked on its body.
    A superuser may also start from an empty database (the file's 机构 sheet)."""
    if request.user.is_superuser:
        return
    if not Body.objects.with_role(request.user, Role.EDIT).exists():
        raise PermissionDenied(_("导入台账需要至少一个机构的录入权限。"))


def import_upload(request: HttpRequest) -> HttpResponse:
    _require_import_right(request)
    job = summary = problems = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = job_enqueue(
                actor=request.user,
                kind=IMPORT,
                params={
                    "filename": upload.name,
                    "sheet": form.cleaned_data["sheet"],
                    "dry_run": form.cleaned_data["dry_run"],
                },
                input_file=upload,
            )
            return HttpResponseRedirect(f"{request.path}?job={job.pk}")
    else:
        form = ImportForm()
        if "job" in request.GET:
            job = job_for(request.user, request.GET["job"], kind=IMPORT)
            summary, problems = import_outcome(job)
    context = {
        **admin.site.each_context(request),
        "title": _("导入台账"),
        "form": form,
        "job": job,
        "summary": summary,
        "problems": problems,
        "sheets": SHEETS,
    }
    return TemplateResponse(request, "admin/disclosure/import/upload.html", context)


def import_template(request: HttpRequest) -> HttpResponse:
    _require_import_right(request)
    response = HttpResponse(template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=TEMPLATE_FILENAME
    )
    return response
