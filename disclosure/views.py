from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404, HttpRequest

from disclosure.models import Attachment


@staff_member_required
def attachment_download(request: HttpRequest, name: str) -> FileResponse:
    """An attachment's file, for staff who can see its request; never served as plain media
    (答复书 and 送达回证 carry applicants' personal data)."""
    attachment = (
        Attachment.objects.visible_to(request.user)
        .filter(file=f"attachments/{name}")
        .only("file")
        .first()
    )
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=name.rsplit("/", 1)[-1]
    )
