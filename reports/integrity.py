"""Whether published versions are still what was published: each version's document
against its recorded SHA-256, and its stored PDF (present, a PDF, the bytes recorded)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext as _

from reports.document import canonical_sha256
from reports.models import ReportVersion

PDF_MAGIC = b"%PDF-"


def file_sha256(storage: Storage, name: str) -> tuple[str, bytes]:
    """The file's SHA-256 and its first bytes."""
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        head = handle.read(len(PDF_MAGIC))
        digest.update(head)
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest(), head


def version_problems(version: ReportVersion, storage: Storage = default_storage) -> list[str]:
    """What no longer matches in one published version (empty when everything does)."""
    problems = []
    recomputed = canonical_sha256(version.document)
    if recomputed != version.sha256:
        problems.append(
            _("文档的 SHA-256 与发布时记录的不一致（记录 %(stored)s，重算 %(now)s）。")
            % {"stored": version.sha256, "now": recomputed}
        )
    if version.document.get("sha256") != version.sha256:
        problems.append(
            _("文档中记载的 SHA-256（%(inside)s）与发布时记录的（%(stored)s）不一致。")
            % {"inside": version.document.get("sha256"), "stored": version.sha256}
        )
    name = version.pdf.name
    if not name:
        problems.append(_("没有存档的 PDF 文件。"))
        return problems
    if not storage.exists(name):
        problems.append(_("存档的 PDF 文件不存在：%(name)s。") % {"name": name})
        return problems
    digest, head = file_sha256(storage, name)
    if head != PDF_MAGIC:
        problems.append(_("存档的 PDF 文件不是 PDF：%(name)s。") % {"name": name})
    if not version.pdf_sha256:
        problems.append(_("没有记录 PDF 文件的 SHA-256，无法核对：%(name)s。") % {"name": name})
    elif digest != version.pdf_sha256:
        problems.append(
            _(
                "PDF 文件的 SHA-256 与发布时记录的不一致（记录 %(stored)s，现为 %(now)s）：%(name)s。"
            )
            % {"stored": version.pdf_sha256, "now": digest, "name": name}
        )
    return problems


def published_problems(
    storage: Storage = default_storage,
) -> Iterator[tuple[ReportVersion, list[str]]]:
    """Every published version with its problems, in body and year order."""
    versions = ReportVersion.objects.select_related("report__body").order_by(
        "report__body__path", "report__year", "number"
    )
    for version in versions.iterator(chunk_size=100):
        yield version, version_problems(version, storage)
