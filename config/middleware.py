"""Chinese first: the language is Chinese unless the visitor chose another one; no request
body over the upload limit is read."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

MB = 1024 * 1024


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but a browser's Accept-Language does not switch the
    site (or the staff admin) to English: only the language cookie set by /i18n/setlang/
    does. Official text is Chinese; English is an explicit choice."""

    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class RequestBodyLimitMiddleware:
    """Refuses a request whose body is over ``UPLOAD_MAX_MB`` (413) before any of it is read.

    Django spools an uploaded file to a temporary file however large it is, and only then
    may a form refuse it: without this, one upload could fill the server's disk. Under WSGI
    Django reads no more of a body than its Content-Length declares, so the declared length
    is the whole of what could be read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UPLOAD_MAX_MB * MB
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django's own parser refuses a malformed length (400)
        if declared > limit:
            return _too_large(request, declared, limit)
        return self.get_response(request)


def _too_large(request, declared: int, limit: int) -> HttpResponse:
    message = _("提交的内容约 %(size)s MB，超过了单次上传 %(limit)s MB 的上限，未被接收。") % {
        "size": f"{declared / MB:,.1f}",
        "limit": f"{limit // MB:,}",
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    # Rendered without the request, as the 500 page is: no middleware after this one has
    # run (no user, no session).
    return HttpResponse(render_to_string("413.html", {"message": message}), status=413)
