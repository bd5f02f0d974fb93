"""The oversight pages of the admin (年报督查): the list of a subtree's reports for a year
with filters, orders and its xlsx export; one body's two years side by side; and the batch
evaluation of uploaded report files (a background job, ``reports.batch``).

Thin views: the forms parse, ``reports.selectors`` reads (``oversight_body`` applies the
memberships: 403 outside them), ``reports.oversight`` computes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.forms import BoundedFileField
from disclosure.models import Body, Membership
from disclosure.validators import REPORT_YEAR
from reports import format as fmt
from reports.batch import MAX_ZIP_BYTES, evaluation_enqueue
from reports.oversight import (
    FINDING_FILTERS,
    SORT_KEYS,
    LineFilter,
    OversightStatus,
    compare_documents,
    filter_lines,
    sort_lines,
)
from reports.oversight_export import oversight_workbook
from reports.selectors import oversight_body, oversight_lines, with_details, year_document

SORT_LABELS = {
    "tree": gettext_lazy("机构顺序"),
    "status": gettext_lazy("状态"),
    "days_late": gettext_lazy("逾期天数"),
    "errors": gettext_lazy("错误数"),
    "warnings": gettext_lazy("警告数"),
    "repeated_share": gettext_lazy("正文重复率"),
}
FINDING_LABELS = {
    "errors": gettext_lazy("有错误"),
    "warnings": gettext_lazy("有警告"),
    "any": gettext_lazy("有错误或警告"),
    "none": gettext_lazy("无问题"),
}
# A province's 3,149 lines are filtered and sorted whole, shown a page at a time (the
# export holds them all).
LINES_PER_PAGE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _default_year(today: datetime.date) -> int:
    """Last year: the reports an office oversees in the first months of a year."""
    return today.year - 1


def _body_choices(user, selected: str = "") -> list[tuple[str, str]]:
    """The bodies whose subtree the user would look over: those she sees with a body under
    them, those of her memberships, and the one chosen (a leaf is read on its parent's page).
    At a province about a hundred, not its three thousand bodies."""
    has_children = Exists(Body.objects.filter(parent=OuterRef("pk")))
    own = Membership.objects.filter(user=user).values("body")
    return [
        (code, "　" * depth + name)
        for code, name, depth in Body.objects.visible_to(user)
        .filter(has_children | Q(pk__in=own) | Q(code=selected))
        .order_by("path")
        .values_list("code", "name", "depth")
    ]


class BodyCodeField(forms.ChoiceField):
    """A select of the bodies the user sees; a code typed into the address is not refused
    here but by the view (``oversight_body``: 404 unknown, 403 beyond the memberships)."""

    def valid_value(self, value) -> bool:
        return bool(value)


class OversightForm(forms.Form):
    body = BodyCodeField(label=gettext_lazy("机构"))
    year = forms.IntegerField(label=gettext_lazy("年度"), validators=[REPORT_YEAR])
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部")), *OversightStatus.choices],
    )
    late = forms.ChoiceField(
        label=gettext_lazy("逾期"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            ("yes", gettext_lazy("逾期")),
            ("no", gettext_lazy("未逾期")),
        ],
    )
    findings = forms.ChoiceField(
        label=gettext_lazy("核查结果"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            *((key, FINDING_LABELS[key]) for key in FINDING_FILTERS),
        ],
    )
    repeated_from = forms.DecimalField(
        label=gettext_lazy("正文重复率不低于（%）"),
        required=False,
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    sort = forms.ChoiceField(label=gettext_lazy("排序"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = _body_choices(user, self.data.get("body", ""))
        self.fields["sort"].choices = [
            choice
            for key in SORT_KEYS
            for choice in (
                (key, _("%(key)s（升序）") % {"key": SORT_LABELS[key]}),
                (f"-{key}", _("%(key)s（降序）") % {"key": SORT_LABELS[key]}),
            )
        ]

    def line_filter(self) -> LineFilter:
        data = self.cleaned_data
        return LineFilter(
            status=data.get("status") or None,
            late={"yes": True, "no": False}.get(data.get("late") or ""),
            findings=data.get("findings") or None,
            repeated_from=data.get("repeated_from"),
        )


def _initial(user, today: datetime.date) -> dict:
    top = Body.objects.visible_to(user).order_by("depth", "path").values_list("code", flat=True)
    return {"body": top.first() or "", "year": _default_year(today), "sort": "tree"}


def oversight(request: HttpRequest) -> HttpResponse:
    """The 年报督查 page (``?export=xlsx``: the same lines as a workbook)."""
    if not Body.objects.visible_to(request.user).exists():
        raise PermissionDenied(_("年报督查需要至少一个机构的成员身份。"))
    today = timezone.localdate()
    data = request.GET if "body" in request.GET else {**_initial(request.user, today)}
    form = OversightForm(data, user=request.user)
    context = {**admin.site.each_context(request), "title": _("年报督查"), "form": form}
    if not form.is_valid():
        return TemplateResponse(request, "admin/reports/oversight.html", context, status=400)
    body = oversight_body(request.user, form.cleaned_data["body"])
    year = form.cleaned_data["year"]
    export = request.GET.get("export") == "xlsx"
    every = oversight_lines(body, year, today=today, details=export)
    lines = sort_lines(filter_lines(every, form.line_filter()), form.cleaned_data["sort"] or "tree")
    if export:
        response = HttpResponse(oversight_workbook(body, year, lines), content_type=XLSX)
        name = f"{body.code}-{year}-oversight.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    query = dict(request.GET.items()) if "body" in request.GET else _initial(request.user, today)
    query.pop("page", None)
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        body=body,
        year=year,
        lines=with_details(list(page.object_list)),
        page=page,
        matching=len(lines),
        total=len(every),
        counts=_counts(every),
        page_url=f"{request.path}?{urlencode(query)}&page=",
        export_url=f"{request.path}?{urlencode({**query, 'export': 'xlsx'})}",
        compare_url=reverse("reports_year_over_year"),
        today=today,
    )
    return TemplateResponse(request, "admin/reports/oversight.html", context)


def _counts(lines) -> dict[str, int]:
    counts = {status: 0 for status in OversightStatus.values}
    for line in lines:
        counts[line.status] += 1
    counts["late"] = sum(1 for line in lines if line.late)
    return counts


class CompareForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("机构代码"), max_length=64)
    year = forms.IntegerField(label=gettext_lazy("年度"), validators=[REPORT_YEAR])


def year_over_year(request: HttpRequest) -> HttpResponse:
    """One body's report for a year beside the year before: every cell with its change, the
    identities that link the two years, and the narrative's repeated and changed passages."""
    form = CompareForm(request.GET)
    if not form.is_valid():
        context = {**admin.site.each_context(request), "title": _("年度对比"), "form": form}
        return TemplateResponse(request, "admin/reports/year_over_year.html", context, status=400)
    body = oversight_body(request.user, form.cleaned_data["body"])
    year = form.cleaned_data["year"]
    after, after_kind = year_document(body, year)
    before, before_kind = year_document(body, year - 1)
    comparison = compare_documents(before, after)
    kinds = {**dict(OversightStatus.choices), "computed": _("按记录计算"), "": _("无")}
    tables = [(fmt.TABLE_LABELS[table], comparison.tables[table]) for table in fmt.TABLE_KEYS]
    context = {
        **admin.site.each_context(request),
        "title": _("%(body)s %(before)s—%(after)s 年度对比")
        % {"body": body.name, "before": year - 1, "after": year},
        "body": body,
        "year": year,
        "previous_year": year - 1,
        "before_kind": kinds[before_kind],
        "after_kind": kinds[after_kind],
        "comparison": comparison,
        "tables": tables,
        "oversight_url": reverse("reports_oversight")
        + "?"
        + urlencode({"body": body.code, "year": year}),
    }
    return TemplateResponse(request, "admin/reports/year_over_year.html", context)


class EvaluationForm(forms.Form):
    body = BodyCodeField(
        label=gettext_lazy("机构"),
        help_text=gettext_lazy(
            "按标题中的名称匹配该机构及其下级机构；匹配不上的文件列出，不猜测。"
        ),
    )
    year = forms.IntegerField(
        label=gettext_lazy("年度"),
        required=False,
        validators=[REPORT_YEAR],
        help_text=gettext_lazy("留空则按各文件标题中的年度。"),
    )
    file = BoundedFileField(
        max_bytes=MAX_ZIP_BYTES,
        label=gettext_lazy("zip 文件"),
        help_text=gettext_lazy(
            "内含 PDF、网页（.html）、Word（.docx）或文本（.txt）格式的年度报告。"
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = _body_choices(user, self.data.get("body", ""))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("请上传 .zip 文件。"))
        return upload


def evaluation(request: HttpRequest) -> HttpResponse:
    """Upload a zip of published reports; a background job reads and checks each file and
    leaves ``evaluation.xlsx`` (``reports.batch``)."""
    if not Body.objects.visible_to(request.user).exists():
        raise PermissionDenied(_("批量评查需要至少一个机构的成员身份。"))
    form = EvaluationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        body = oversight_body(request.user, form.cleaned_data["body"])
        job = evaluation_enqueue(
            actor=request.user,
            body=body,
            year=form.cleaned_data["year"],
            upload=form.cleaned_data["file"],
        )
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
    context = {**admin.site.each_context(request), "title": _("批量评查年度报告"), "form": form}
    return TemplateResponse(request, "admin/reports/evaluation.html", context)
