"""Bulk export: every published version of every report of a body's subtree for a year, in
one zip (``CODE-YEAR-vN.EXT`` per version, and ``index.csv``), as a background job.

The set of versions is the one the public API lists (``reports.public.published_versions``).
A version's stored PDF is copied as it is; every other file (Word, spreadsheet, JSON, a PDF
with ``render``, a version without a stored file) is rendered from the version's document, in
parallel: the job fans out into parts of a few bodies each, which any worker takes. The finish
step streams the files into the zip on disk; nothing holds more than one file in memory."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.admin.export import BOM, safe_cell
from disclosure.jobs.registry import FanOut, JobKind, JobRefused, Outcome
from disclosure.jobs.services import job_enqueue, work_folder
from disclosure.models import Body
from reports import exports
from reports.models import ReportVersion
from reports.public import published_versions

EXPORT = "reports_export"
KIND = JobKind(
    EXPORT,
    gettext_lazy("批量导出年度报告"),
    run="reports.bulk_export:plan_export",
    part="reports.bulk_export:render_part",
    finish="reports.bulk_export:assemble_export",
)
FORMATS = ("pdf", "docx", "xlsx", "json")
# Files that are already compressed are stored in the zip as they are.
STORED_FORMATS = {"pdf", "docx", "xlsx"}
# Bodies per part: at most 4 (a part is then a few seconds of rendering, and a province of
# 3,149 bodies makes 788 parts), fewer for a small subtree so that every worker gets parts.
BODIES_PER_PART = 4
PARTS_AT_LEAST = 16
INDEX_NAME = "index.csv"
INDEX_HEADER = (
    "机构代码",
    "机构名称",
    "年度",
    "版本",
    "发布时间",
    "文件名",
    "文件 SHA-256",
    "报告文档 SHA-256",
)
COPY_BLOCK = 1 << 20
METADATA_BATCH = 500


def export_enqueue(*, actor, body: Body, year: int, fmt: str = "pdf", render: bool = False):
    """Queue the export of ``body``'s subtree for ``year`` (``render``: PDFs rendered again
    instead of the stored ones)."""
    return job_enqueue(
        actor=actor,
        kind=EXPORT,
        body=body,
        year=year,
        params={"format": fmt, "render": bool(render) and fmt == "pdf"},
    )


def subtree_versions(body: Body, year: int) -> QuerySet[ReportVersion]:
    """The published versions of the reports of ``body`` and the bodies below it for
    ``year``, in tree order then version order."""
    return (
        published_versions()
        .filter(report__year=year, report__body__path__startswith=body.path)
        .order_by("report__body__path", "number")
    )


def zip_name(body: Body, year: int, fmt: str) -> str:
    return f"{body.code}-{year}-{fmt}.zip"


def entry_name(code: str, year: int, number: int, fmt: str) -> str:
    return exports.filename({"body": code, "year": year, "version": number}, fmt)


def _rendered_name(job_id: int, version_id: int, fmt: str) -> str:
    return f"{work_folder(job_id)}{version_id}.{exports.FORMATS[fmt].extension}"


def _plan_name(job_id: int) -> str:
    return f"{work_folder(job_id)}plan.json"


# --- the steps ----------------------------------------------------------------------------


def plan_export(job, progress):
    """Which versions go in, which of them are rendered, in parts of a few bodies."""
    fmt, render = job.params["format"], job.params["render"]
    rows = list(subtree_versions(job.body, job.year).values_list("pk", "report__body_id", "pdf"))
    if not rows:
        raise JobRefused(
            _("%(body)s 及其下级机构没有 %(year)s 年度已发布的年度报告。")
            % {"body": job.body.name, "year": job.year}
        )
    plan = [[pk, fmt != "pdf" or render or not pdf] for pk, _body, pdf in rows]
    _save(_plan_name(job.pk), json.dumps(plan).encode())
    progress.set(0, len(rows), _("共 %(count)s 份报告") % {"count": len(rows)})
    bodies: dict[int, list[int]] = {}
    for (pk, body_id, _pdf), (_pk, rendered) in zip(rows, plan, strict=True):
        if rendered:
            bodies.setdefault(body_id, []).append(pk)
    if not bodies:
        return assemble_export(job, progress)
    groups = list(bodies.values())
    size = min(BODIES_PER_PART, max(1, len(groups) // PARTS_AT_LEAST))
    return FanOut(
        parts=[
            {"versions": [pk for group in groups[i : i + size] for pk in group]}
            for i in range(0, len(groups), size)
        ]
    )


def render_part(job, params: dict, progress) -> None:
    """Render the part's versions into the job's work folder, one at a time."""
    fmt = job.params["format"]
    versions = (
        published_versions()
        .filter(pk__in=params["versions"])
        .select_related("report__body")
        .order_by("pk")
    )
    for version in versions.iterator(chunk_size=20):
        name = _rendered_name(job.pk, version.pk, fmt)
        default_storage.delete(name)  # a part run again replaces its files
        _save(name, exports.render(version.document, fmt))
        progress.advance(1, _("已生成 %(name)s") % {"name": entry_name(*_names(version), fmt)})


def _names(version: ReportVersion) -> tuple[str, int, int]:
    return version.report.body.code, version.report.year, version.number


def assemble_export(job, progress) -> Outcome:
    """Stream every file into the zip (stored PDFs straight from storage), then the index."""
    fmt = job.params["format"]
    with default_storage.open(_plan_name(job.pk), "rb") as handle:
        plan = json.load(handle)
    compress = zipfile.ZIP_STORED if fmt in STORED_FORMATS else zipfile.ZIP_DEFLATED
    output = tempfile.NamedTemporaryFile(suffix=".zip", delete=False)
    index = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
    count = 0
    with output, index, zipfile.ZipFile(output, "w", allowZip64=True) as archive:
        writer = csv.writer(index)
        index.write(BOM)
        writer.writerow(INDEX_HEADER)
        for version, rendered in _in_order(plan):
            code, year, number = _names(version)
            name = entry_name(code, year, number, fmt)
            source = _rendered_name(job.pk, version.pk, fmt) if rendered else version.pdf.name
            with default_storage.open(source, "rb") as handle:
                digest = _add(archive, name, handle, version.published_at, compress)
            published = timezone.localtime(version.published_at)
            writer.writerow(
                [
                    safe_cell(cell)
                    for cell in (
                        code,
                        version.report.body.name,
                        year,
                        number,
                        published.isoformat(timespec="seconds"),
                        name,
                        digest,
                        version.sha256,
                    )
                ]
            )
            count += 1
            if not rendered:
                progress.advance(1, _("已复制 %(name)s") % {"name": name})
        index.seek(0)
        _add(archive, INDEX_NAME, _Encoded(index), timezone.now(), zipfile.ZIP_DEFLATED)
    return Outcome(
        file=Path(output.name),
        filename=zip_name(job.body, job.year, fmt),
        result={
            "count": count,
            "lines": [
                _(
                    "%(body)s 及其下级机构 %(year)s 年度：%(count)s 份已发布的年度报告（%(format)s），另附索引 index.csv。"
                )
                % {"body": job.body.name, "year": job.year, "count": count, "format": fmt}
            ],
        },
    )


def _in_order(plan: list[list]) -> Iterator[tuple[ReportVersion, bool]]:
    """The planned versions in plan order, read in batches without their documents."""
    rows = iter(plan)
    while batch := list(islice(rows, METADATA_BATCH)):
        found = (
            published_versions()
            .filter(pk__in=[pk for pk, _rendered in batch])
            .select_related("report__body")
            .defer("document", "acknowledgements")
            .in_bulk()
        )
        for pk, rendered in batch:
            if pk not in found:
                raise JobRefused(_("导出期间有报告版本被删除，请重新导出。"))
            yield found[pk], rendered


class _Encoded(io.RawIOBase):
    """A text file read back as UTF-8 bytes, block by block."""

    def __init__(self, text) -> None:
        self.text = text

    def read(self, size: int = -1) -> bytes:
        return self.text.read(COPY_BLOCK if size < 0 else size).encode("utf-8")


def _add(archive: zipfile.ZipFile, name: str, source, when: datetime.datetime, compress) -> str:
    """Copy ``source`` into the zip block by block; returns the SHA-256 of its bytes."""
    stamp = timezone.localtime(when).timetuple()[:6]
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    digest = hashlib.sha256()
    with archive.open(info, "w", force_zip64=True) as target:
        while block := source.read(COPY_BLOCK):
            digest.update(block)
            target.write(block)
    return digest.hexdigest()


def _save(name: str, content: bytes) -> None:
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        raise RuntimeError(f"{name} was stored as {saved}")
