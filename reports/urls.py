from __future__ import annotations

from django.urls import path, register_converter

from . import views


class DownloadFormatConverter:
    regex = "pdf|docx|xlsx|csv|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DownloadFormatConverter, "fmt")

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("display/text-size/", views.text_size, name="text_size"),
    path("reports/<slug:code>/", views.body_detail, name="body"),
    path("reports/<slug:code>/<int:year>/", views.report_detail, name="report"),
    path("reports/<slug:code>/<int:year>/v<int:number>/", views.report_detail, name="version"),
    path("reports/<slug:code>/<int:year>.<fmt:kind>", views.report_download, name="download"),
    path(
        "reports/<slug:code>/<int:year>/v<int:number>.<fmt:kind>",
        views.report_download,
        name="version_download",
    ),
]
