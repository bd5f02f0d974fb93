"""The REST API under /api/: the v1 endpoints, the OpenAPI schema and its Swagger UI."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from disclosure import api as records
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

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
