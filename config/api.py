"""The REST API under /api/: the v1 endpoints, the OpenAPI schema and its Swagger UI."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, ResolverMatch, include, path, re_path, resolve
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from disclosure import api as records
from disclosure.letters import api as letters
from reports import api as reports

app_name = "api"

router = DefaultRouter()
router.register("bodies", records.BodyViewSet, basename="body")
router.register("requests", records.RequestViewSet, basename="request")
router.register("appeals", records.AppealViewSet, basename="appeal")
router.register("documents", records.DocumentViewSet, basename="document")
router.register("figures", records.FigureViewSet, basename="figure")

v1 = [
    path("deadline/", records.DeadlineView.as_view(), name="deadline"),
    path("worklist/", records.WorklistView.as_view(), name="worklist"),
    path("oversight/", reports.OversightView.as_view(), name="oversight"),
    *letters.urlpatterns,
    path(
        "reports/<slug:code>/<int:year>/",
        reports.StaffReportView.as_view(),
        name="staff-report",
    ),
    path("public/reports/", reports.PublicVersionListView.as_view(), name="public-reports"),
    path(
        "public/reports/<slug:code>/<int:year>/",
        reports.PublicLatestVersionView.as_view(),
        name="public-report",
    ),
    path(
        "public/reports/<slug:code>/<int:year>/v<int:number>/",
        reports.PublicVersionView.as_view(),
        name="public-report-version",
    ),
    *router.urls,
]


def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Unknown paths under /api/ answer JSON too. A path that only lacks its trailing slash
    is redirected for GET, as ``APPEND_SLASH`` would do without this catch-all."""
    if request.method in ("GET", "HEAD") and not request.path_info.endswith("/"):
        match = resolve_or_none(request.path_info + "/")
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return JsonResponse({"detail": _("接口不存在。")}, status=404)


def resolve_or_none(path_info: str) -> ResolverMatch | None:
    try:
        return resolve(path_info)
    except Resolver404:
        return None


urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<rest>.*)$", not_found),
]
