"""The public site: published report versions only (see ``reports.public``).

Published versions are immutable, so a report page's content and every download are
rendered once and kept in the cache under the version's id and SHA-256 (and the language,
for pages). A cached report page costs one indexed query: the one that finds which version
the URL names.
"""

from __future__ import annotations

from django import forms
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.connection import ConnectionProxy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from disclosure.models import Body
from disclosure.vocab import BodyKind
from reports import charts, exports, public
from reports import format as fmt
from reports.models import Scope

CACHE_TIMEOUT = 60 * 60 * 24 * 7
# Per process (the "pages" cache, see config/settings.py): the keys name immutable content.
cache = ConnectionProxy(caches, "pages")
PAGE_SIZE = 50
TEXT_SIZE_COOKIE = "text_size"
TEXT_SIZES = ("large", "normal")


# Word and spreadsheet files are saved; the PDF, CSV and JSON open in the browser.
ATTACHMENT_FORMATS = frozenset({"docx", "xlsx"})


class ReportSearchForm(forms.Form):
    q = forms.CharField(label=_("机构名称"), max_length=100, required=False)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)
    body = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [(year, year) for year in years]


def home(request: HttpRequest) -> HttpResponse:
    years = public.published_years()
    form = ReportSearchForm(request.GET or None, years=years)
    search, year, under = "", None, None
    if form.is_bound and form.is_valid():
        search = form.cleaned_data["q"].strip()
        year = form.cleaned_data["year"]
        if form.cleaned_data["body"]:
            under = public.browsable_body(form.cleaned_data["body"])
    invalid = form.is_bound and not form.is_valid()
    page = None
    if not invalid:
        reports = public.report_list(search=search, year=year, under=under)
        page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "invalid": invalid,
        "page": page,
        "under": under,
        "trail": public.ancestors(under) if under else [],
        "children": public.child_bodies(under),
        "search": search,
        "year": year,
        "years": years,
    }
    return render(request, "reports/home.html", context, status=400 if invalid else 200)


def _body_content(body: Body) -> dict:
    figures = public.key_figures(body)
    context = {
        "body": body,
        "trail": public.ancestors(body),
        "kind_label": BodyKind(body.kind).label,
        "reports": public.body_reports(body),
        "figures": figures,
        "chart": charts.year_over_year(figures),
        "children": public.child_bodies(body),
    }
    return {"title": body.name, "html": render_to_string("reports/_body_content.html", context)}


def body_detail(request: HttpRequest, code: str) -> HttpResponse:
    body = public.public_body(code)
    key = f"reports:body:{body.pk}:{body.stamp}:{get_language()}"
    content = cache.get(key)
    if content is None:
        content = _body_content(body)
        cache.set(key, content, CACHE_TIMEOUT)
    return render(request, "reports/body.html", {"page": _page(content)})


def _report_content(ref: public.VersionRef) -> dict:
    """Title and HTML of a version's page content (no per-request parts: those live in the
    base template), rendered on a cache miss."""
    version = public.version_detail(ref)
    document = version.document
    body = version.report.body
    history = public.version_history(version)
    figures = public.key_figures(body, until=ref.year)
    # body_name is optional in the schema; the body's current name stands in without it.
    body_name = document.get("body_name") or body.name
    title = _("%(body)s%(year)s年政府信息公开工作年度报告") % {
        "body": body_name,
        "year": ref.year,
    }
    context = {
        "title": title,
        "version": version,
        "document": document,
        "narrative": document.get("narrative", {}),
        "body": body,
        "body_name": body_name,
        "scope_label": Scope(document["scope"]).label,
        "sections": [
            (section, document.get("narrative", {}).get(section.key, ""))
            for section in fmt.SECTIONS
        ],
        "history": history,
        "latest": history[0],
        "is_latest": history[0].number == version.number,
        "figures": figures,
        "charts": {
            "results": charts.results_by_group(document),
            "applicants": charts.applicants_by_type(document),
            "years": charts.year_over_year(figures),
        },
        # The PDF is the file stored at publication; a version without one offers none.
        "downloads": [
            (key, export.label)
            for key, export in exports.FORMATS.items()
            if key != "pdf" or ref.pdf
        ],
        "subordinates": (
            public.subordinate_reports(body, ref.year) if body.kind == BodyKind.GOVERNMENT else []
        ),
    }
    return {"title": str(title), "html": render_to_string("reports/_report_content.html", context)}


def _page(content: dict) -> dict[str, str | SafeString]:
    """A cached page content for the base template: the HTML is our own template's output."""
    return {"title": content["title"], "html": mark_safe(content["html"])}


def report_detail(
    request: HttpRequest, code: str, year: int, number: int | None = None
) -> HttpResponse:
    ref = public.resolve_version(code=code, year=year, number=number)
    key = f"reports:page:{ref.id}:{ref.sha256}:{ref.stamp}:{get_language()}"
    content = cache.get(key)
    if content is None:
        content = _report_content(ref)
        cache.set(key, content, CACHE_TIMEOUT)
    return render(request, "reports/report.html", {"page": _page(content)})


def _download(ref: public.VersionRef, kind: str) -> tuple[str, bytes]:
    """A version's Content-Disposition in a format and its rendering (empty for the PDF,
    served from storage), rendered once and then read from the cache."""
    key = f"reports:download:{ref.id}:{ref.sha256}:{kind}"
    cached = cache.get(key)
    if cached is None:
        document = public.version_document(ref)
        cached = (
            exports.disposition(document, kind, as_attachment=kind in ATTACHMENT_FORMATS),
            b"" if kind == "pdf" else exports.render(document, kind),
        )
        cache.set(key, cached, CACHE_TIMEOUT)
    return cached


def report_download(
    request: HttpRequest, code: str, year: int, kind: str, number: int | None = None
) -> HttpResponse:
    """A version's PDF (the file stored at publication) or its Word, spreadsheet, CSV or
    JSON rendering; without ``number``, the latest version's."""
    ref = public.resolve_version(code=code, year=year, number=number)
    content_type = exports.FORMATS[kind].content_type
    etag = f'"{ref.sha256}-{kind}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    if kind == "pdf" and not ref.pdf:
        raise Http404("this version has no stored PDF")
    disposition, data = _download(ref, kind)
    if kind == "pdf":
        response = FileResponse(default_storage.open(ref.pdf, "rb"), content_type=content_type)
    else:
        response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["ETag"] = etag
    # A version never changes; "latest" may gain a correction.
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if number is not None else "public, max-age=300"
    )
    if kind in {"csv", "json"}:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def text_size(request: HttpRequest) -> HttpResponse:
    """Switch the larger-text reading mode (a cookie the base template reads; no script)."""
    size = request.GET.get("size", "")
    if size not in TEXT_SIZES:
        raise Http404("unknown text size")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        TEXT_SIZE_COOKIE, size, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True
    )
    return response
