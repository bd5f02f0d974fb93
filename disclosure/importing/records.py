"""Applying one parsed row to the records, through the services.

Each ``import_*`` function matches the row to an existing record by the sheet's key, sets
the fields the row's columns name (a blank cell clears; a column left out of the sheet
leaves its field alone), and saves through ``disclosure.services`` only when something
differs, so an identical row leaves no save and no audit row. It returns the outcome
(``"created"``, ``"updated"`` or ``"unchanged"``) with the record's primary key, or raises
``RowRefused`` / ``ValidationError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from disclosure import access, services
from disclosure.importing import values
from disclosure.importing.columns import (
    APPEALS,
    BODIES,
    BODY_CODE,
    DOCUMENTS,
    FIGURES,
    REQUESTS,
    SheetSpec,
)
from disclosure.importing.parsing import Row
from disclosure.importing.results import Problem
from disclosure.models import (
    AppealCase,
    Applicant,
    Body,
    Consultation,
    Document,
    InformationRequest,
    YearlyFigure,
)
from disclosure.vocab import FigureItem, Role

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# A voided record keeps its key: an identical row passes over it, a different one is refused.
VOIDED_MESSAGE = _lazy("该记录已作废，不能通过导入修改；请从台账中删去这一行或在管理后台处理。")


class RowRefused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def refuse(row: Row, column: str, message) -> RowRefused:
    return RowRefused([row.problem(column, str(message))])


@dataclass
class Context:
    """What the rows of one file share: who imports, where they may write, and the bodies
    met so far (by code)."""

    actor: object | None
    # Ids of the bodies the actor holds 录入 on; None: no limit (superuser, command line).
    editable: set[int] | None
    bodies: dict[str, Body] = field(default_factory=dict)
    # Codes whose 机构 row was refused: a later row naming them is told so.
    failed_codes: set[str] = field(default_factory=set)
    # Codes of the file's 机构 sheet: a parent named before its own row is told so.
    sheet_codes: set[str] = field(default_factory=set)

    @classmethod
    def for_actor(cls, actor) -> Context:
        if actor is None or actor.is_superuser:
            return cls(actor=actor, editable=None)
        editable = set(access.bodies_with_role(actor, Role.EDIT).values_list("pk", flat=True))
        return cls(actor=actor, editable=editable)

    def may_edit(self, body: Body) -> bool:
        return self.editable is None or body.pk in self.editable

    def body(self, row: Row, column: str = BODY_CODE, *, editing: bool = True) -> Body:
        """The body a row names in ``column``; with ``editing`` the actor must hold 录入
        on it."""
        code = row[column]
        body = self.bodies.get(code)
        if body is None:
            body = Body.objects.filter(code=code).first()
        if body is None:
            if code in self.failed_codes:
                raise refuse(
                    row, column, _("机构“%(code)s”在“机构”表中的行有错误。") % {"code": code}
                )
            if code in self.sheet_codes:
                raise refuse(
                    row,
                    column,
                    _("机构“%(code)s”在“机构”表中位于本行之后：请把上级机构的行放在前面。")
                    % {"code": code},
                )
            raise refuse(row, column, _("没有机构代码为“%(code)s”的机构。") % {"code": code})
        self.bodies[code] = body
        if editing:
            self.check_editable(row, column, body)
        return body

    def check_editable(self, row: Row, column: str, body: Body) -> None:
        if not self.may_edit(body):
            raise refuse(
                row,
                column,
                _("您没有机构“%(name)s”（%(code)s）的录入权限。")
                % {"name": body.name, "code": body.code},
            )


def _blank_for(model: type[models.Model], name: str) -> object:
    model_field = model._meta.get_field(name)
    return "" if isinstance(model_field, models.CharField | models.TextField) else None


def plain_fields(row: Row, spec: SheetSpec, model: type[models.Model], skip: set[str]) -> dict:
    """Model field -> value for the row's columns that map straight onto a field."""
    wanted: dict[str, object] = {}
    for name, value in row.values.items():
        target = spec.by_name[name].field
        if not target or target in skip:
            continue
        wanted[target] = _blank_for(model, target) if value is None else value
    return wanted


def assign(instance: models.Model, wanted: dict[str, object]) -> bool:
    """Set the fields that differ; True when any did."""
    changed = False
    for name, value in wanted.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


# --- 机构 -------------------------------------------------------------------------------


Outcome = tuple[str, int]


def import_body(row: Row, context: Context) -> Outcome:
    code = row[BODY_CODE]
    body = Body.objects.filter(code=code).first()
    parent = None
    if row.get("上级机构代码"):
        # A new body is added under its parent, so the actor needs 录入 there.
        parent = context.body(row, "上级机构代码", editing=body is None)
    if body is None:
        if parent is None and context.editable is not None:
            raise refuse(row, "上级机构代码", _("只有系统管理员可以新增顶级机构。"))
        body = Body(code=code, parent=parent)
        assign(body, plain_fields(row, BODIES, Body, skip={"code", "parent"}))
        body = services.body_save(actor=context.actor, body=body)
        if context.editable is not None:
            context.editable.add(body.pk)
        context.bodies[code] = body
        return CREATED, body.pk

    context.check_editable(row, BODY_CODE, body)
    context.bodies[code] = body
    if row.has("上级机构代码") and body.parent_id != (parent.pk if parent else None):
        raise refuse(
            row,
            "上级机构代码",
            _("导入不能变更上级机构：请在管理后台办理机构隶属调整，并注明调整日期。"),
        )
    if not assign(body, plain_fields(row, BODIES, Body, skip={"code", "parent"})):
        return UNCHANGED, body.pk
    services.body_save(actor=context.actor, body=body)
    return UPDATED, body.pk


# --- 申请 -------------------------------------------------------------------------------


def import_request(row: Row, context: Context) -> Outcome:
    body = context.body(row)
    request = (
        InformationRequest.objects.select_related("applicant")
        .filter(body=body, reference=row["申请编号"])
        .first()
    )
    creating = request is None
    if creating:
        request = InformationRequest(body=body, reference=row["申请编号"])

    changed = assign(
        request,
        plain_fields(
            row,
            REQUESTS,
            InformationRequest,
            skip={"body", "reference", "applicant", "consultation"},
        ),
    )
    applicant = _applicant(row, request)
    if applicant is not _KEEP and applicant != request.applicant:
        request.applicant = applicant
        changed = True
    consultations, consultations_changed = _consultations(row, request, creating)
    if not (creating or changed or consultations_changed):
        return UNCHANGED, request.pk
    if request.voided_at is not None:
        raise refuse(row, "申请编号", VOIDED_MESSAGE)
    if isinstance(applicant, Applicant) and applicant.pk is None:
        applicant.kind = request.applicant_kind
        services.record_save(actor=context.actor, instance=applicant)
        request.applicant = applicant
    services.request_save(actor=context.actor, request=request, consultations=consultations)
    return (CREATED if creating else UPDATED), request.pk


_KEEP = object()


def _applicant(row: Row, request: InformationRequest):
    """The applicant the row names: ``_KEEP`` (row says nothing), None, an existing
    Applicant, or an unsaved new one. A column left out keeps the current value."""
    if not (row.has("申请人") or row.has("证件号码")):
        return _KEEP
    current = request.applicant
    if row.has("申请人"):
        name = row.get("申请人") or ""
    else:
        name = current.name if current else ""
    if row.has("证件号码"):
        id_number = row.get("证件号码") or ""
    else:
        id_number = current.id_number if current and current.name == name else ""
    if not name:
        if id_number:
            raise refuse(row, "申请人", _("填写证件号码时须填写申请人姓名或名称。"))
        return None
    if current is not None and (current.name, current.id_number) == (name, id_number):
        return current
    if id_number:
        known = Applicant.objects.filter(name=name, id_number=id_number).order_by("pk").first()
        if known is not None:
            return known
    return Applicant(name=name, id_number=id_number)


# The workbook names no party; the admin shows this until someone fills it in.
IMPORTED_CONSULTATION_PARTY = "（台账未载明征求意见对象）"


def _consultations(row: Row, request: InformationRequest, creating: bool):
    """The request's consultations after the row (None: leave them alone), and whether
    that is a change. The row's two dates describe the request's first consultation."""
    if not (row.has("征求意见开始日期") or row.has("征求意见结束日期")):
        return None, False
    sent_on = row.get("征求意见开始日期")
    answered_on = row.get("征求意见结束日期")
    if answered_on and not sent_on:
        raise refuse(row, "征求意见开始日期", _("填写征求意见结束日期时须填写开始日期。"))
    existing = [] if creating else list(request.consultations.order_by("sent_on", "pk"))
    if sent_on is None:
        if not existing:
            return None, False
        if len(existing) > 1:
            raise refuse(
                row,
                "征求意见开始日期",
                _("该申请有多次征求意见，不能通过导入清除：请在管理后台修改。"),
            )
        return [], True
    if existing:
        first = existing[0]
        if (first.sent_on, first.answered_on) == (sent_on, answered_on):
            return None, False
        first.sent_on, first.answered_on = sent_on, answered_on
        return existing, True
    consultation = Consultation(
        party=IMPORTED_CONSULTATION_PARTY, sent_on=sent_on, answered_on=answered_on
    )
    return [consultation], True


# --- 复议诉讼 ---------------------------------------------------------------------------


def import_appeal(row: Row, context: Context) -> Outcome:
    body = context.body(row)
    case = AppealCase.objects.filter(kind=row["类型"], case_number=row["案号"]).first()
    creating = case is None
    if creating:
        case = AppealCase(kind=row["类型"], case_number=row["案号"])
    elif case.body_id != body.pk:
        context.check_editable(row, BODY_CODE, case.body)
    wanted = plain_fields(row, APPEALS, AppealCase, skip={"body", "kind", "case_number", "request"})
    wanted["body_id"] = body.pk
    if row.has("关联申请编号"):
        wanted["request_id"] = _linked_request(row, body)
    if not assign(case, wanted) and not creating:
        return UNCHANGED, case.pk
    if case.voided_at is not None:
        raise refuse(row, "案号", VOIDED_MESSAGE)
    services.appeal_save(actor=context.actor, case=case)
    return (CREATED if creating else UPDATED), case.pk


def _linked_request(row: Row, body: Body) -> int | None:
    reference = row.get("关联申请编号")
    if reference is None:
        return None
    pk = (
        InformationRequest.objects.filter(body=body, reference=reference)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        raise refuse(
            row,
            "关联申请编号",
            _("机构“%(code)s”没有申请编号为“%(reference)s”的申请。")
            % {"code": body.code, "reference": reference},
        )
    return pk


# --- 规范性文件 -------------------------------------------------------------------------


def import_document(row: Row, context: Context) -> Outcome:
    body = context.body(row)
    document = Document.objects.filter(body=body, number=row["文号"]).first()
    creating = document is None
    if creating:
        document = Document(body=body, number=row["文号"])
    if not assign(document, plain_fields(row, DOCUMENTS, Document, skip={"body", "number"})):
        if not creating:
            return UNCHANGED, document.pk
    if document.voided_at is not None:
        raise refuse(row, "文号", VOIDED_MESSAGE)
    services.document_save(actor=context.actor, document=document)
    return (CREATED if creating else UPDATED), document.pk


# --- 年度数据 ---------------------------------------------------------------------------


def import_figure(row: Row, context: Context) -> Outcome:
    body = context.body(row)
    year, item, value = row["年度"], row["项目"], row["数值"]
    if item == FigureItem.FEES:
        if values.decimal_places(value) > 4:
            raise refuse(row, "数值", _("行政事业性收费以万元为单位，最多四位小数。"))
    elif value != value.to_integral_value():
        raise refuse(row, "数值", _("该项目为件数/条数，须为整数。"))
    figure = YearlyFigure.objects.filter(body=body, year=year, item=item).first()
    if figure is None:
        source = row.get("来源") or ""
    else:
        source = (row.get("来源") or "") if row.has("来源") else figure.source
        if figure.value == value and figure.source == source:
            return UNCHANGED, figure.pk
        if figure.voided_at is not None:
            # figure_set would restore it; an import must not undo someone's voiding.
            raise refuse(row, "数值", VOIDED_MESSAGE)
    saved = services.figure_set(
        actor=context.actor, body=body, year=year, item=item, value=value, source=source
    )
    return (CREATED if figure is None else UPDATED), saved.pk


IMPORTERS = {
    BODIES.name: import_body,
    REQUESTS.name: import_request,
    APPEALS.name: import_appeal,
    DOCUMENTS.name: import_document,
    FIGURES.name: import_figure,
}
