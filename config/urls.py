from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from disclosure.accounts.forms import AdminLoginForm
from disclosure.accounts.views import password_change
from disclosure.views import attachment_download
from reports import admin_oversight
from reports.admin_views import bulk_export

admin.site.site_header = _("政府信息公开管理系统")
admin.site.site_title = _("政府信息公开管理")
admin.site.index_title = _("工作台")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("admin/disclosure/import/", include("disclosure.import_urls")),
    path("admin/reports/export/", admin.site.admin_view(bulk_export), name="reports_bulk_export"),
    path(
        "admin/reports/oversight/",
        admin.site.admin_view(admin_oversight.oversight),
        name="reports_oversight",
    ),
    path(
        "admin/reports/oversight/compare/",
        admin.site.admin_view(admin_oversight.year_over_year),
        name="reports_year_over_year",
    ),
    path(
        "admin/reports/oversight/evaluate/",
        admin.site.admin_view(admin_oversight.evaluation),
        name="reports_evaluation",
    ),
    path("admin/security/", include("disclosure.accounts.urls")),
    # Before the admin's own: a password changed there leaves an audit row.
    path(
        "admin/password_change/",
        admin.site.admin_view(password_change),
        name="admin_password_change",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("config.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Uploaded files are never public media: attachments go through a permission check, and
    # published PDFs are served by the public views.
    path(
        f"{settings.MEDIA_URL.strip('/')}/attachments/<path:name>",
        attachment_download,
        name="attachment_download",
    ),
    path("", include("reports.urls")),
]
