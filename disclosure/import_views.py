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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from disclosure.admin.access import has_role_somewhere
from disclosure.background import IMPORT, import_outcome
from disclosure.downloads import content_disposition
from disclosure.forms import BoundedFileField
from disclosure.importing import ImportSummary, limits, template_workbook
from disclosure.importing.columns import APPEALS, BODIES, DOCUMENTS, FIGURES, REQUESTS, SHEETS
from disclosure.jobs.selectors import job_for
from disclosure.jobs.services import job_enqueue
from disclosure.models import AppealCase, Body, Document, InformationRequest, YearlyFigure
from disclosure.vocab import Role

TEMPLATE_FILENAME = "台账导入模板.xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The admin list that shows each sheet's records.
SHEET_MODELS = {
    BODIES.name: Body,
    REQUESTS.name: InformationRequest,
    APPEALS.name: AppealCase,
    DOCUMENTS.name: Document,
    FIGURES.name: YearlyFigure,
}
# Records per link to a list filtered by their ids: the address stays well within the
# request-line limit of a web server (gunicorn's is 4094 bytes).
IDS_PER_LINK = 200


class ImportForm(forms.Form):
    file = BoundedFileField(
        max_bytes=limits.MAX_FILE_BYTES,
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


def may_import(request: HttpRequest) -> bool:
    """The page is for users who may record somewhere; each row is checked on its body.
    A superuser may also start from an empty database (the file's 机构 sheet). Asked through
    the admin's per-request cache: the lists that link to the import ask the same question."""
    return has_role_somewhere(request, Role.EDIT)


def _require_import_right(request: HttpRequest) -> None:
    if not may_import(request):
        raise PermissionDenied(_("导入台账需要至少一个机构的录入权限。"))


def record_links(sheet: str, ids: list[int]) -> list[tuple[str, str]]:
    """Links to the admin list of ``sheet``'s records filtered to ``ids``: one link, or one
    per ``IDS_PER_LINK`` records labelled with their rows' range."""
    if not ids:
        return []
    opts = SHEET_MODELS[sheet]._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    chunks = [ids[start : start + IDS_PER_LINK] for start in range(0, len(ids), IDS_PER_LINK)]
    links = []
    for index, chunk in enumerate(chunks):
        first = index * IDS_PER_LINK + 1
        label = (
            pgettext("link to records", "查看")
            if len(chunks) == 1
            else _("第%(first)s–%(last)s条") % {"first": first, "last": first + len(chunk) - 1}
        )
        links.append((label, f"{url}?id__in={','.join(str(pk) for pk in chunk)}"))
    return links


def _summary_rows(summary: ImportSummary) -> list[dict]:
    """Each sheet's counts, with links to what it created and changed (not after a dry run:
    nothing was saved)."""
    return [
        {
            "sheet": sheet,
            "created_links": []
            if summary.dry_run
            else record_links(sheet.sheet, sheet.created_ids),
            "updated_links": []
            if summary.dry_run
            else record_links(sheet.sheet, sheet.updated_ids),
        }
        for sheet in summary.sheets
    ]


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
        "summary_rows": _summary_rows(summary) if summary is not None else [],
        "problems": problems,
        "sheets": SHEETS,
    }
    return TemplateResponse(request, "admin/disclosure/import/upload.html", context)


def import_template(request: HttpRequest) -> HttpResponse:
    _require_import_right(request)
    response = HttpResponse(template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(
        TEMPLATE_FILENAME, fallback="import-template.xlsx"
    )
    return response
