from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("政府信息公开管理系统")
admin.site.site_title = _("政府信息公开管理")
admin.site.index_title = _("工作台")

urlpatterns = [
    path("admin/disclosure/import/", include("disclosure.import_urls")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("reports.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
