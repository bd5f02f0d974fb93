"""Admin pages for the Excel import, mounted at /admin/disclosure/import/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from disclosure import import_views

app_name = "disclosure_import"
urlpatterns = [
    path("", admin.site.admin_view(import_views.import_upload), name="upload"),
    path(
        "template.xlsx",
        admin.site.admin_view(import_views.import_template),
        name="template",
    ),
]
