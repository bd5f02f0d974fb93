"""Applying parsed rows to the records, a batch of rows at a time, through the services.

Each importer takes a batch of rows (rows that parsed) and the file's ``Context``. It looks
up the records the batch names (one query per kind of record, not one per row), matches each
row to an existing record by the sheet's key, sets the fields the row's columns name (a blank
cell clears; a column left out of the sheet leaves its field alone), has the services check
each changed record in memory, and writes the batch through the bulk services: an identical
row leaves no write and no audit row. It returns, row by row, ``"created"``, ``"updated"``
or ``"unchanged"`` with the row's record, or the row's problems. The 机构 sheet alone is
written row by row
(``body_save`` keeps the tree's paths; a parent may be a body created a few rows above).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from disclosure import access, services
from disclosure.bulk import build
from disclosure.calendar import WorkingCalendar
from disclosure.importing import values
from disclosure.importing.columns import (
    APPEALS,
    BODIES,
    BODY_CODE,
    DOCUMENTS,
    FIGURES,
    REQUESTS,
    SHEETS,
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

# A row's outcome ("created", "updated", "unchanged") with its record (whose primary key is
# known once the batch is written), or the row's problems.
Outcome = tuple[str, models.Model] | list[Problem]


class RowRefused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def refuse(row: Row, column: str, message) -> RowRefused:
    return RowRefused([row.problem(column, str(message))])


def validation_problems(row: Row, error: ValidationError) -> list[Problem]:
    """The model's own validation (``full_clean`` in the services), by column."""
    spec = SHEETS[row.sheet]
    if not hasattr(error, "error_dict"):
        return [row.problem("", message) for message in error.messages]
    found = []
    for model_field, messages in error.message_dict.items():
        column = "" if model_field == NON_FIELD_ERRORS else spec.column_of(model_field) or ""
        found.extend(row.problem(column, message) for message in messages)
    return found


@dataclass
class Context:
    """What the rows of one file share: who imports, where they may write, the bodies and
    applicants met so far, and one working-day calendar for every request's clock."""

    actor: object | None
    # Ids of the bodies the actor holds 录入 on; None: no limit (superuser, command line).
    editable: set[int] | None
    # Bodies by code, as looked up (None: no such body) or created by the file.
    bodies: dict[str, Body | None] = field(default_factory=dict)
    # Codes whose 机构 row was refused: a later row naming them is told so.
    failed_codes: set[str] = field(default_factory=set)
    # Codes of the file's 机构 sheet: a parent named before its own row is told so.
    sheet_codes: set[str] = field(default_factory=set)
    # Applicants by (name, ID number): (primary key, kind) as looked up or created by the
    # file; None when there is none.
    applicants: dict[tuple[str, str], tuple[int, str] | None] = field(default_factory=dict)
    calendar: WorkingCalendar = field(default_factory=lambda: WorkingCalendar(use_database=True))

    @classmethod
    def for_actor(cls, actor) -> Context:
        if actor is None or actor.is_superuser:
            return cls(actor=actor, editable=None)
        editable = set(access.bodies_with_role(actor, Role.EDIT).values_list("pk", flat=True))
        return cls(actor=actor, editable=editable)

    def may_edit(self, body: Body) -> bool:
        return self.editable is None or body.pk in self.editable

    def refused(self, row: Row) -> None:
        """A row was refused: a body's code is remembered for the rows that name it."""
        if row.sheet == BODIES.name and row.get(BODY_CODE):
            self.failed_codes.add(row[BODY_CODE])

    def load_bodies(self, codes: set[str]) -> None:
        """Look up, in one query, the bodies of ``codes`` not looked up before."""
        missing = {code for code in codes if code and code not in self.bodies}
        if not missing:
            return
        self.bodies.update(dict.fromkeys(missing))
        self.bodies.update({body.code: body for body in Body.objects.filter(code__in=missing)})

    def body(self, row: Row, column: str = BODY_CODE, *, editing: bool = True) -> Body:
        """The body a row names in ``column``; with ``editing`` the actor must hold 录入
        on it."""
        code = row[column]
        self.load_bodies({code})
        body = self.bodies[code]
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

    def load_applicants(self, pairs: set[tuple[str, str]]) -> None:
        """Look up, in one query, the applicants named by (name, ID number) pairs not looked
        up before; the first one recorded wins when several share a pair."""
        missing = {pair for pair in pairs if pair not in self.applicants}
        if not missing:
            return
        self.applicants.update(dict.fromkeys(missing))
        # Names and numbers both: the (name, id_number) index serves the query.
        found = (
            Applicant.objects.filter(
                name__in={name for name, _id_number in missing},
                id_number__in={id_number for _name, id_number in missing},
            )
            .order_by("-pk")
            .values_list("pk", "name", "id_number", "kind")
        )
        for pk, name, id_number, kind in found:
            if (name, id_number) in missing:
                self.applicants[(name, id_number)] = (pk, kind)

    def applicant(self, name: str, id_number: str) -> Applicant | None:
        """The recorded applicant of a (name, ID number) pair, as much of it as a request
        needs (primary key and kind)."""
        self.load_applicants({(name, id_number)})
        known = self.applicants[(name, id_number)]
        if known is None:
            return None
        pk, kind = known
        return build(Applicant, pk=pk, kind=kind, name=name, id_number=id_number)


@functools.cache
def _blank_for(model: type[models.Model], name: str) -> object:
    model_field = model._meta.get_field(name)
    return "" if isinstance(model_field, models.CharField | models.TextField) else None


def plain_fields(row: Row, spec: SheetSpec, model: type[models.Model], skip: set[str]) -> dict:
    """Model field -> value for the row's columns that map straight onto a field."""
    targets = _plain_targets(spec.name, model, frozenset(skip))
    wanted: dict[str, object] = {}
    for name, value in row.values.items():
        if name in targets:
            target, blank = targets[name]
            wanted[target] = blank if value is None else value
    return wanted


@functools.cache
def _plain_targets(sheet: str, model: type[models.Model], skip: frozenset) -> dict:
    """Column -> (model field, the field's blank value), for the columns of a sheet that
    map straight onto a field."""
    return {
        column.name: (column.field, _blank_for(model, column.field))
        for column in SHEETS[sheet].columns
        if column.field and column.field not in skip
    }


def differs(instance: models.Model, wanted: dict[str, object]) -> bool:
    return any(getattr(instance, name) != value for name, value in wanted.items())


def assign(instance: models.Model, wanted: dict[str, object]) -> bool:
    """Set the fields that differ; True when any did."""
    changed = False
    for name, value in wanted.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _each_row(rows: list[Row], plan: Callable[[Row], Outcome]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for row in rows:
        try:
            outcomes.append(plan(row))
        except RowRefused as refused:
            outcomes.append(refused.problems)
        except ValidationError as error:
            outcomes.append(validation_problems(row, error))
    return outcomes


def _any_of(groups: dict, lookup: Callable[[object, set], Q]) -> Q | None:
    """One condition for the keys of a batch, grouped (a body and its numbers, …)."""
    condition = None
    for group, keys in groups.items():
        term = lookup(group, keys)
        condition = term if condition is None else condition | term
    return condition


# --- 机构 -------------------------------------------------------------------------------


def import_bodies(rows: list[Row], context: Context) -> list[Outcome]:
    context.load_bodies(
        {row[BODY_CODE] for row in rows} | {row.get("上级机构代码") for row in rows}
    )

    def plan(row: Row) -> Outcome:
        # A savepoint per row: a refused row leaves nothing behind for the next rows.
        with transaction.atomic():
            return _import_body(row, context)

    return _each_row(rows, plan)


def _import_body(row: Row, context: Context) -> tuple[str, Body]:
    code = row[BODY_CODE]
    body = context.bodies.get(code)
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
        return CREATED, body

    context.check_editable(row, BODY_CODE, body)
    if row.has("上级机构代码") and body.parent_id != (parent.pk if parent else None):
        raise refuse(
            row,
            "上级机构代码",
            _("导入不能变更上级机构：请在管理后台办理机构隶属调整，并注明调整日期。"),
        )
    if not assign(body, plain_fields(row, BODIES, Body, skip={"code", "parent"})):
        return UNCHANGED, body
    services.body_save(actor=context.actor, body=body)
    return UPDATED, body


# --- 申请 -------------------------------------------------------------------------------


def import_requests(rows: list[Row], context: Context) -> list[Outcome]:
    context.load_bodies({row[BODY_CODE] for row in rows})
    stored = _stored_requests(rows, context)
    context.load_applicants(
        {
            (row["申请人"], row["证件号码"])
            for row in rows
            if row.get("申请人") and row.get("证件号码")
        }
    )
    # Applicants first named in this batch, by (name, ID number): later rows share them.
    new_applicants: dict[tuple[str, str], Applicant] = {}
    writes: list[services.RequestWrite] = []

    def plan(row: Row) -> Outcome:
        outcome, request, write = _plan_request(row, context, stored, new_applicants)
        if write is not None:
            writes.append(write)
        return outcome, request

    outcomes = _each_row(rows, plan)
    services.requests_save_bulk(actor=context.actor, writes=writes)
    for pair, applicant in new_applicants.items():
        context.applicants[pair] = (applicant.pk, applicant.kind)
    return outcomes


def _stored_requests(rows: list[Row], context: Context) -> dict[tuple, InformationRequest]:
    """The recorded requests the rows name, by (body id, reference), with their applicant
    and consultations."""
    references: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        body = context.bodies.get(row[BODY_CODE])
        if body is not None:
            references[body.pk].add(row["申请编号"])
    condition = _any_of(references, lambda body_id, refs: Q(body_id=body_id, reference__in=refs))
    if condition is None:
        return {}
    found = (
        InformationRequest.objects.filter(condition)
        .select_related("applicant")
        .prefetch_related(
            Prefetch("consultations", queryset=Consultation.objects.order_by("sent_on", "pk"))
        )
    )
    return {(request.body_id, request.reference): request for request in found}


def _plan_request(
    row: Row,
    context: Context,
    stored: dict[tuple, InformationRequest],
    new_applicants: dict[tuple[str, str], Applicant],
) -> tuple[str, InformationRequest, services.RequestWrite | None]:
    body = context.body(row)
    request = stored.get((body.pk, row["申请编号"]))
    creating = request is None
    if creating:
        request = build(InformationRequest, body=body, reference=row["申请编号"])
        consultations: list[Consultation] = []
    else:
        request.body = body
        consultations = list(request.consultations.all())

    wanted = plain_fields(
        row, REQUESTS, InformationRequest, skip={"body", "reference", "applicant", "consultation"}
    )
    applicant = _applicant(row, request, context, new_applicants)
    applicant_changed = applicant is not _KEEP and applicant != request.applicant
    consultation_change = _consultation_change(row, consultations)
    if not (creating or differs(request, wanted) or applicant_changed or consultation_change):
        return UNCHANGED, request, None
    if request.voided_at is not None:
        raise refuse(row, "申请编号", VOIDED_MESSAGE)
    # The values the audit row compares with, taken before the row changes anything.
    write = services.RequestWrite(request) if creating else services.RequestWrite.loaded(request)
    assign(request, wanted)
    if applicant_changed:
        request.applicant = applicant
    if consultation_change is not None:
        consultations = consultation_change(write)
    new_applicant = isinstance(applicant, Applicant) and applicant.pk is None
    if new_applicant and applicant.kind == "":
        applicant.kind = request.applicant_kind
        services.record_check(applicant)
    services.request_check(
        request,
        actor=context.actor,
        old=write.old,
        consultations=consultations,
        calendar=context.calendar,
    )
    if new_applicant and applicant.id_number:
        new_applicants.setdefault((applicant.name, applicant.id_number), applicant)
    return (CREATED if creating else UPDATED), request, write


_KEEP = object()


def _applicant(
    row: Row,
    request: InformationRequest,
    context: Context,
    new_applicants: dict[tuple[str, str], Applicant],
):
    """The applicant the row names: ``_KEEP`` (row says nothing), None, a recorded
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
        known = new_applicants.get((name, id_number)) or context.applicant(name, id_number)
        if known is not None:
            return known
    # A blank or absent 证件类型 is read from the number's form (Applicant.clean), which
    # also checks a 居民身份证 or 统一社会信用代码 number; its error names 证件号码.
    return build(Applicant, name=name, id_number=id_number, id_type=row.get("证件类型") or "")


# The workbook names no party; the admin shows this until someone fills it in.
IMPORTED_CONSULTATION_PARTY = "（台账未载明征求意见对象）"


def _consultation_change(
    row: Row, stored: list[Consultation]
) -> Callable[[services.RequestWrite], list[Consultation]] | None:
    """How the row changes the request's consultations, or None when it leaves them as
    they are. The change, applied to the request's write, notes what to create, update or
    delete and returns the consultations after it. The row's two dates describe the
    request's first consultation; a sheet without those columns leaves them alone."""
    if not (row.has("征求意见开始日期") or row.has("征求意见结束日期")):
        return None
    sent_on = row.get("征求意见开始日期")
    answered_on = row.get("征求意见结束日期")
    if answered_on and not sent_on:
        raise refuse(row, "征求意见开始日期", _("填写征求意见结束日期时须填写开始日期。"))
    if sent_on is None:
        if not stored:
            return None
        if len(stored) > 1:
            raise refuse(
                row,
                "征求意见开始日期",
                _("该申请有多次征求意见，不能通过导入清除：请在管理后台修改。"),
            )

        def clear(write: services.RequestWrite) -> list[Consultation]:
            write.stale = stored
            return []

        return clear
    if stored:
        first = stored[0]
        if (first.sent_on, first.answered_on) == (sent_on, answered_on):
            return None

        def update(write: services.RequestWrite) -> list[Consultation]:
            write.consultations = [services.Write.loaded(first)]
            first.sent_on, first.answered_on = sent_on, answered_on
            return stored

        return update

    def create(write: services.RequestWrite) -> list[Consultation]:
        consultation = Consultation(
            party=IMPORTED_CONSULTATION_PARTY, sent_on=sent_on, answered_on=answered_on
        )
        write.consultations = [services.Write(consultation)]
        return [consultation]

    return create


# --- 复议诉讼 ---------------------------------------------------------------------------


def import_appeals(rows: list[Row], context: Context) -> list[Outcome]:
    context.load_bodies({row[BODY_CODE] for row in rows})
    numbers: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        numbers[row["类型"]].add(row["案号"])
    condition = _any_of(numbers, lambda kind, cases: Q(kind=kind, case_number__in=cases))
    stored = {
        (case.kind, case.case_number): case
        for case in AppealCase.objects.filter(condition).select_related("body")
    }
    linked = _linked_requests(rows, context)
    writes: list[services.Write] = []

    def plan(row: Row) -> Outcome:
        body = context.body(row)
        case = stored.get((row["类型"], row["案号"]))
        creating = case is None
        if creating:
            case = AppealCase(kind=row["类型"], case_number=row["案号"])
            write = services.Write(case)
        else:
            if case.body_id != body.pk:
                context.check_editable(row, BODY_CODE, case.body)
            write = services.Write.loaded(case)
        changed = assign(
            case,
            plain_fields(row, APPEALS, AppealCase, skip={"body", "kind", "case_number", "request"}),
        )
        if case.body_id != body.pk:
            case.body = body
            changed = True
        if row.has("关联申请编号"):
            request = _linked_request(row, body, linked)
            if case.request_id != (request.pk if request else None):
                case.request = request
                changed = True
        return _queued(row, write, writes, creating=creating, changed=changed, key="案号")

    outcomes = _each_row(rows, plan)
    services.records_save_bulk(actor=context.actor, writes=writes)
    return outcomes


def _queued(
    row: Row, write: services.Write, writes: list, *, creating: bool, changed: bool, key: str
) -> Outcome:
    """A planned register row: unchanged, or checked and queued for the bulk write; a voided
    record is not written again (the refusal names the row's key column)."""
    record = write.instance
    if not changed and not creating:
        return UNCHANGED, record
    if record.voided_at is not None:
        raise refuse(row, key, VOIDED_MESSAGE)
    services.record_check(record, old=write.old)
    writes.append(write)
    return (CREATED if creating else UPDATED), record


def _linked_requests(rows: list[Row], context: Context) -> dict[tuple, InformationRequest]:
    references: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        body = context.bodies.get(row[BODY_CODE])
        if body is not None and row.get("关联申请编号"):
            references[body.pk].add(row["关联申请编号"])
    condition = _any_of(references, lambda body_id, refs: Q(body_id=body_id, reference__in=refs))
    if condition is None:
        return {}
    found = InformationRequest.objects.filter(condition).only("pk", "body_id", "reference")
    return {(request.body_id, request.reference): request for request in found}


def _linked_request(row: Row, body: Body, linked: dict[tuple, InformationRequest]):
    reference = row.get("关联申请编号")
    if reference is None:
        return None
    request = linked.get((body.pk, reference))
    if request is None:
        raise refuse(
            row,
            "关联申请编号",
            _("机构“%(code)s”没有申请编号为“%(reference)s”的申请。")
            % {"code": body.code, "reference": reference},
        )
    return request


# --- 规范性文件 -------------------------------------------------------------------------


def import_documents(rows: list[Row], context: Context) -> list[Outcome]:
    context.load_bodies({row[BODY_CODE] for row in rows})
    numbers: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        body = context.bodies.get(row[BODY_CODE])
        if body is not None:
            numbers[body.pk].add(row["文号"])
    condition = _any_of(numbers, lambda body_id, found: Q(body_id=body_id, number__in=found))
    stored = (
        {(d.body_id, d.number): d for d in Document.objects.filter(condition)} if condition else {}
    )
    writes: list[services.Write] = []

    def plan(row: Row) -> Outcome:
        body = context.body(row)
        document = stored.get((body.pk, row["文号"]))
        creating = document is None
        if creating:
            document = Document(body=body, number=row["文号"])
            write = services.Write(document)
        else:
            document.body = body
            write = services.Write.loaded(document)
        changed = assign(document, plain_fields(row, DOCUMENTS, Document, skip={"body", "number"}))
        return _queued(row, write, writes, creating=creating, changed=changed, key="文号")

    outcomes = _each_row(rows, plan)
    services.records_save_bulk(actor=context.actor, writes=writes)
    return outcomes


# --- 年度数据 ---------------------------------------------------------------------------


def import_figures(rows: list[Row], context: Context) -> list[Outcome]:
    context.load_bodies({row[BODY_CODE] for row in rows})
    items: dict[tuple[int, int], set[str]] = defaultdict(set)
    for row in rows:
        body = context.bodies.get(row[BODY_CODE])
        if body is not None:
            items[(body.pk, row["年度"])].add(row["项目"])
    condition = _any_of(
        items, lambda body_year, found: Q(body_id=body_year[0], year=body_year[1], item__in=found)
    )
    stored = (
        {(f.body_id, f.year, f.item): f for f in YearlyFigure.objects.filter(condition)}
        if condition
        else {}
    )
    writes: list[services.Write] = []

    def plan(row: Row) -> Outcome:
        body = context.body(row)
        year, item, value = row["年度"], row["项目"], row["数值"]
        if item == FigureItem.FEES:
            if values.decimal_places(value) > 4:
                raise refuse(row, "数值", _("行政事业性收费以万元为单位，最多四位小数。"))
        elif value != value.to_integral_value():
            raise refuse(row, "数值", _("该项目为件数/条数，须为整数。"))
        figure = stored.get((body.pk, year, item))
        if figure is None:
            source = row.get("来源") or ""
            figure = YearlyFigure(body=body, year=year, item=item)
            write = services.Write(figure)
        else:
            source = (row.get("来源") or "") if row.has("来源") else figure.source
            if figure.value == value and figure.source == source:
                return UNCHANGED, figure
            if figure.voided_at is not None:
                # figure_set would restore it; an import must not undo someone's voiding.
                raise refuse(row, "数值", VOIDED_MESSAGE)
            figure.body = body
            write = services.Write.loaded(figure)
        services.figure_assign(figure, value=value, source=source)
        services.record_check(figure, old=write.old)
        writes.append(write)
        return (CREATED if write.old is None else UPDATED), figure

    outcomes = _each_row(rows, plan)
    services.records_save_bulk(actor=context.actor, writes=writes)
    return outcomes


IMPORTERS: dict[str, Callable[[list[Row], Context], list[Outcome]]] = {
    BODIES.name: import_bodies,
    REQUESTS.name: import_requests,
    APPEALS.name: import_appeals,
    DOCUMENTS.name: import_documents,
    FIGURES.name: import_figures,
}
