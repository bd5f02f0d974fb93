"""Evaluating a batch of published reports at once (批量评查): every file of a folder or a
zip read by ``reports.reading`` (PDF, web page, Word, text), matched to a body by the name
its title prints (a name that matches no body, or several, is listed, never guessed),
checked, and written to a workbook — sheet ``汇总`` with one row per file, and a sheet of
every finding. A file that cannot be read is a row with its reason; the batch goes on.

The same from the admin: a zip uploaded as a background job (``EVALUATE``). A zip is opened
under the zip-bomb rule of the workbook import (``disclosure.importing.archive.
check_directory``, the caps of ``disclosure.importing.limits``); a Word file in it is checked
by its reader, as a Word file read alone is (``reports.reading.readers.word.check_parts``).

The narrative's repeated share compares each report with the same body's narrative of the
year before: a report of that year in the same batch, else the body's published (latest
version) or imported report in the product."""

from __future__ import annotations

import logging
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from disclosure.importing import limits
from disclosure.importing.archive import Unreadable, check_directory
from disclosure.jobs.registry import JobKind, JobRefused, Outcome
from disclosure.jobs.services import job_enqueue
from disclosure.models import Body
from disclosure.spreadsheets import ensure_no_formulas, safe_value
from disclosure.validators import file_too_large
from reports.models import Report, ReportStatus
from reports.oversight import finding_place, repetition
from reports.reading.errors import ReadingError
from reports.reading.reader import read_report
from reports.reading.selectors import BodyIndex
from reports.selectors import latest_documents

logger = logging.getLogger(__name__)

EVALUATE = "reports_evaluate"
KIND = JobKind(EVALUATE, gettext_lazy("批量评查年度报告"), run="reports.batch:run_evaluation")
# The uploaded zip; each file in it is held to the single upload's cap.
MAX_ZIP_BYTES = 200 * limits.MB
MAX_REPORT_BYTES = limits.MAX_FILE_BYTES
SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "核查结果"
WORKBOOK_NAME = "evaluation.xlsx"
# UTF-8 file names in a zip (bit 11 of the flags); without it Windows tools wrote GBK.
UTF8_NAMES = 0x800

Progress = Callable[[int, int, str], None]


class BatchRefused(Exception):
    """The batch as a whole cannot be read (not a folder or zip, a zip bomb); ``str()`` is
    the reason in Chinese."""


@dataclass
class FileResult:
    file: str
    status: str = ""
    body: str = ""
    body_name: str = ""
    printed_name: str = ""
    year: int | None = None
    repairs: int = 0
    unresolved: int = 0
    findings: list = field(default_factory=list)
    repeated_share: Decimal | None = None
    reason: str = ""
    narrative: dict | None = None

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


STATUS_READ = gettext_lazy("已读取")
STATUS_READ_ERRORS = gettext_lazy("已读取，有错误")
STATUS_UNMATCHED = gettext_lazy("未匹配机构")
STATUS_AMBIGUOUS = gettext_lazy("机构名称不唯一")
STATUS_UNREADABLE = gettext_lazy("无法读取")


# --- the files of a batch ---------------------------------------------------------------


def _zip_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & UTF8_NAMES:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _skipped(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def zip_files(handle) -> Iterator[tuple[str, bytes | str]]:
    """(name, bytes) per file of a zip, or (name, reason) for a file too large to read;
    ``BatchRefused`` for a damaged zip or a zip bomb (before anything is decompressed)."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BatchRefused(_("无法读取该文件：它不是有效的 zip 文件。")) from None
    with archive:
        try:
            check_directory(archive)
        except Unreadable as error:
            raise BatchRefused(str(error)) from None
        for info in sorted(archive.infolist(), key=_zip_name):
            name = _zip_name(info)
            if info.is_dir() or _skipped(name):
                continue
            if info.file_size > MAX_REPORT_BYTES:
                yield (
                    name,
                    file_too_large(PurePosixPath(name).name, info.file_size, MAX_REPORT_BYTES),
                )
                continue
            try:
                yield name, archive.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                yield name, _("zip 文件中的这一文件已损坏，无法解压。")


def folder_files(folder: Path) -> Iterator[tuple[str, bytes | str]]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if _skipped(name):
            continue
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            yield name, file_too_large(path.name, size, MAX_REPORT_BYTES)
            continue
        yield name, path.read_bytes()


def batch_files(path: Path) -> tuple[int, Iterator[tuple[str, bytes | str]]]:
    """The number of files and the files of a folder or a zip file."""
    if path.is_dir():
        names = [
            p
            for p in path.rglob("*")
            if p.is_file() and not _skipped(p.relative_to(path).as_posix())
        ]
        return len(names), folder_files(path)
    if not path.is_file():
        raise BatchRefused(_("找不到文件或文件夹 %(path)s。") % {"path": path})
    handle = path.open("rb")
    try:
        with zipfile.ZipFile(handle) as archive:
            count = sum(
                1 for i in archive.infolist() if not i.is_dir() and not _skipped(_zip_name(i))
            )
    except (zipfile.BadZipFile, OSError):
        handle.close()
        raise BatchRefused(
            _("%(path)s 不是文件夹，也不是有效的 zip 文件。") % {"path": path.name}
        ) from None
    handle.seek(0)
    return count, zip_files(handle)


# --- reading and checking ---------------------------------------------------------------


def _read_one(
    name: str, content: bytes | str, *, year: int | None, bodies: BodyIndex
) -> FileResult:
    result = FileResult(file=name)
    if isinstance(content, str):
        result.status, result.reason = str(STATUS_UNREADABLE), content
        return result
    try:
        reading = read_report(content, PurePosixPath(name).name, year=year, bodies=bodies)
    except ReadingError as error:
        result.status, result.reason = str(STATUS_UNREADABLE), str(error)
        return result
    except Exception as error:  # noqa: BLE001
        # A reader failing on a file it should have refused by name: the batch goes on (a
        # hundred files are not lost to one), the row says so and the log keeps the trace.
        logger.exception("reading %s failed", name)
        result.status = str(STATUS_UNREADABLE)
        result.reason = _("读取时出错（%(error)s），请单独用 read_report 检查该文件。") % {
            "error": type(error).__name__
        }
        return result
    document = reading.document
    result.year = document["year"]
    result.printed_name = reading.printed_name
    result.body = document["body"]
    result.body_name = document.get("body_name") or ""
    result.repairs = len(reading.repairs)
    result.unresolved = len(reading.unresolved)
    result.findings = list(reading.findings)
    result.narrative = document.get("narrative")
    if reading.body_matched:
        result.status = str(STATUS_READ_ERRORS if reading.has_errors else STATUS_READ)
    elif len(reading.candidates) > 1:
        result.status = str(STATUS_AMBIGUOUS)
        result.reason = _("标题中的“%(name)s”对应多个机构：%(codes)s；未作匹配。") % {
            "name": reading.printed_name,
            "codes": "、".join(body.code for body in reading.candidates),
        }
    else:
        result.status = str(STATUS_UNMATCHED)
        result.reason = (
            _("标题中的“%(name)s”不是本系统（所选范围内）的机构名称；未作匹配。")
            % {"name": reading.printed_name}
            if reading.printed_name
            else _("找不到报告标题，无法按名称匹配机构。")
        )
    return result


def _product_narratives(wanted: set[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    """The narratives of the product's published (latest version) or imported reports for
    (body code, year) pairs: two queries."""
    if not wanted:
        return {}
    codes = {code for code, _year in wanted}
    years = {year for _code, year in wanted}
    reports = Report.objects.filter(body__code__in=codes, year__in=years).values_list(
        "pk", "body__code", "year", "status", "imported_document"
    )
    found: dict[tuple[str, int], dict] = {}
    published: dict[int, tuple[str, int]] = {}
    for pk, code, year, status, imported in reports:
        if (code, year) not in wanted:
            continue
        if status == ReportStatus.IMPORTED:
            found[(code, year)] = (imported or {}).get("narrative") or {}
        else:
            published[pk] = (code, year)
    for report_id, document in latest_documents(list(published)).items():
        found[published[report_id]] = document.get("narrative") or {}
    return found


def _repeated_shares(results: list[FileResult]) -> None:
    in_batch = {(r.body, r.year): r.narrative for r in results if r.body and r.narrative}
    wanted = {
        (r.body, r.year - 1)
        for r in results
        if r.body and r.year and (r.body, r.year - 1) not in in_batch
    }
    earlier = {**_product_narratives(wanted), **in_batch}
    for result in results:
        if result.body and result.year and result.narrative:
            found = repetition(result.narrative, earlier.get((result.body, result.year - 1)))
            result.repeated_share = found.share if found is not None else None


def evaluate(
    files: Iterator[tuple[str, bytes | str]],
    *,
    total: int,
    year: int | None = None,
    within: Body | None = None,
    progress: Progress | None = None,
) -> list[FileResult]:
    """Read and check every file; ``within``: match names only to that body's subtree."""
    bodies = BodyIndex.load()
    if within is not None:
        codes = set(Body.objects.subtree_of(within).values_list("code", flat=True))
        bodies = BodyIndex([body for body in bodies.by_code.values() if body.code in codes])
    results = []
    for done, (name, content) in enumerate(files, start=1):
        results.append(_read_one(name, content, year=year, bodies=bodies))
        if progress is not None:
            progress(done, total, _("已读取 %(name)s") % {"name": name})
    _repeated_shares(results)
    return results


# --- the workbook ----------------------------------------------------------------------


def evaluation_workbook(results: list[FileResult]) -> Workbook:
    workbook = Workbook()
    summary = workbook.active
    summary.title = SUMMARY_SHEET
    header = (
        _("文件"),
        _("机构代码"),
        _("机构名称"),
        _("标题中的名称"),
        _("年度"),
        _("状态"),
        _("修复"),
        _("无法确定"),
        _("错误"),
        _("警告"),
        _("正文重复率（%）"),
        _("说明"),
    )
    summary.append([safe_value(str(cell)) for cell in header])
    for r in results:
        summary.append(
            [
                safe_value(cell)
                for cell in (
                    r.file,
                    r.body,
                    r.body_name,
                    r.printed_name,
                    r.year,
                    r.status,
                    r.repairs if r.status != STATUS_UNREADABLE else None,
                    r.unresolved if r.status != STATUS_UNREADABLE else None,
                    r.errors if r.status != STATUS_UNREADABLE else None,
                    r.warnings if r.status != STATUS_UNREADABLE else None,
                    float(r.repeated_share) if r.repeated_share is not None else None,
                    r.reason,
                )
            ]
        )
    findings = workbook.create_sheet(FINDINGS_SHEET)
    findings.append(
        [
            safe_value(str(cell))
            for cell in (
                _("文件"),
                _("机构代码"),
                _("级别"),
                _("规则"),
                _("位置"),
                _("应为"),
                _("实际"),
                _("说明"),
                _("引文"),
            )
        ]
    )
    for r in results:
        for finding in r.findings:
            findings.append(
                [
                    safe_value(cell)
                    for cell in (
                        r.file,
                        r.body,
                        _("错误") if finding.is_error else _("警告"),
                        finding.rule,
                        finding_place(finding),
                        finding.expected,
                        finding.actual,
                        finding.message,
                        finding.quote or "",
                    )
                ]
            )
    for sheet in (summary, findings):
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 36
    ensure_no_formulas(workbook)
    return workbook


def summary_lines(results: list[FileResult]) -> list[str]:
    read = sum(1 for r in results if r.body)
    unreadable = sum(1 for r in results if r.status == STATUS_UNREADABLE)
    return [
        _(
            "共 %(total)s 个文件：%(read)s 个已读取并匹配机构，%(unmatched)s 个未匹配机构，"
            "%(unreadable)s 个无法读取。"
        )
        % {
            "total": len(results),
            "read": read,
            "unmatched": len(results) - read - unreadable,
            "unreadable": unreadable,
        }
    ]


# --- the background job ----------------------------------------------------------------


def evaluation_enqueue(*, actor, body: Body, year: int | None, upload):
    """Queue the evaluation of an uploaded zip, names matched within ``body``'s subtree."""
    return job_enqueue(
        actor=actor,
        kind=EVALUATE,
        body=body,
        year=year,
        params={"filename": upload.name},
        input_file=upload,
        input_name=upload.name,
    )


def run_evaluation(job, progress) -> Outcome:
    with job.input_file.open("rb") as stored:
        handle = tempfile.SpooledTemporaryFile(max_size=16 * limits.MB)
        while block := stored.read(limits.MB):
            handle.write(block)
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            total = sum(
                1 for i in archive.infolist() if not i.is_dir() and not _skipped(_zip_name(i))
            )
    except (zipfile.BadZipFile, OSError):
        raise JobRefused(_("无法读取该文件：它不是有效的 zip 文件。")) from None
    handle.seek(0)
    progress.set(0, total, _("共 %(count)s 个文件") % {"count": total})
    try:
        results = evaluate(
            zip_files(handle), total=total, year=job.year, within=job.body, progress=progress.set
        )
    except BatchRefused as refused:
        raise JobRefused(str(refused)) from None
    output = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    with output:
        evaluation_workbook(results).save(output)
    return Outcome(
        file=Path(output.name),
        filename=WORKBOOK_NAME,
        result={"count": len(results), "lines": summary_lines(results)},
    )
