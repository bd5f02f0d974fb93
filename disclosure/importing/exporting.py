"""The request list as the import workbook's 申请 sheet: the same sheet name and columns
(``columns.REQUESTS``), values as the import reads them, so that a file exported and
imported again changes nothing.

Applicants appear in clear where the reader may see them (``access.IdentityScope``: those
who handle the request) and masked elsewhere; a file with any masked applicant says so in
its first row, above the header, which is also what keeps the import from reading it (a
masked name would become a new applicant). A request with several consultations exports its
first; the import leaves the others alone.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from disclosure.access import IdentityScope, applicant_identity, identity_bodies
from disclosure.importing.columns import REQUESTS
from disclosure.models import Consultation, InformationRequest
from disclosure.spreadsheets import safe_value
from disclosure.vocab import RESULT_FORMAT_LABELS

NOT_FOR_IMPORT = "本文件中部分申请人信息已隐去，仅供查阅，不能用于重新导入。"


@dataclass
class ExportedWorkbook:
    content: bytes
    rows: int = 0
    # Whether any applicant was masked (then the file is not for re-import).
    masked: bool = False
    # The applicants written in clear, for the access log: applicant id -> (request id,
    # body id) of the last request naming her.
    shown: dict[int, tuple[int, int]] = field(default_factory=dict)


def _row(request: InformationRequest, scope: IdentityScope) -> tuple[dict[str, object], bool]:
    """The row of ``request`` by column, and whether its applicant is masked."""
    applicant = request.applicant
    clear = scope.clear_at(request.body_id)
    shown = applicant_identity(applicant, clear=clear)
    consultations = list(request.consultations.all())
    first = consultations[0] if consultations else None
    values = {
        "机构代码": request.body.code,
        "申请编号": request.reference,
        "收到申请日期": request.received_on,
        "申请人类型": request.get_applicant_kind_display(),
        "申请人": shown.name,
        "证件号码": shown.id_number,
        "证件类型": applicant.get_id_type_display() if applicant and applicant.id_type else "",
        "申请方式": request.get_channel_display(),
        "申请内容": request.content,
        "补正告知日期": request.correction_notice_on,
        "补正期限": request.correction_deadline,
        "补正收到日期": request.correction_received_on,
        "征求意见开始日期": first.sent_on if first else None,
        "征求意见结束日期": first.answered_on if first else None,
        "延期天数": request.extension_days,
        "延期批准日期": request.extension_decided_on,
        "延期批准人": request.extension_approver,
        "延期理由": request.extension_reason,
        "收费方式": request.get_fee_method_display() if request.fee_method else "",
        "收费通知日期": request.fee_notice_on,
        "缴费期限": request.fee_due_on,
        "收费金额(元)": request.fee_amount,
        "缴费日期": request.fee_paid_on,
        "办结日期": request.concluded_on,
        # The row label as the national format prints it: the import reads it back.
        "办理结果": RESULT_FORMAT_LABELS.get(request.result, "") if request.result else "",
    }
    return values, applicant is not None and not clear


def export_queryset(queryset: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    """What a row reads, fetched up front: body, applicant, consultations in order."""
    return (
        queryset.select_related("body", "applicant")
        .prefetch_related(None)  # a list's own prefetches give way to this one
        .prefetch_related(
            Prefetch("consultations", queryset=Consultation.objects.order_by("sent_on", "pk"))
        )
        .order_by("body__code", "received_on", "pk")
    )


def requests_workbook(queryset: QuerySet[InformationRequest], user) -> ExportedWorkbook:
    """The 申请 sheet of the requests of ``queryset`` as ``user`` may read them, streamed
    (a write-only workbook: every text goes through ``safe_value``, so no cell is a
    formula)."""
    scope = IdentityScope(user)
    result = ExportedWorkbook(content=b"")
    # Known before the first row is written: the warning goes above the header.
    result.masked = not scope.everywhere and (
        queryset.filter(applicant__isnull=False).exclude(body__in=identity_bodies(user)).exists()
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(REQUESTS.name)
    names = [column.name for column in REQUESTS.columns]
    for index, name in enumerate(names, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(name) + 4)
    if result.masked:
        warning = WriteOnlyCell(sheet, _(NOT_FOR_IMPORT))
        warning.font = Font(bold=True, color="BA2121")
        sheet.append([warning])
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for request in export_queryset(queryset).iterator(chunk_size=2000):
        values, masked = _row(request, scope)
        if request.applicant_id is not None and not masked:
            result.shown[request.applicant_id] = (request.pk, request.body_id)
        sheet.append([_cell(sheet, values[name]) for name in names])
        result.rows += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    result.content = buffer.getvalue()
    return result


def _cell(sheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return safe_value(value)
