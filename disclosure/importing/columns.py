"""The sheets and columns of the import workbook, exactly as ``import-workbook.md`` has them.

One declaration serves the reader (which columns exist, which are required, how a cell is
parsed), the error messages (which column a model field came from) and the empty template
(header row, drop-down lists, instructions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from disclosure.importing import values
from disclosure.importing.values import CellError
from disclosure.vocab import (
    AppealKind,
    AppealResult,
    ApplicantKind,
    BodyKind,
    Channel,
    DocumentKind,
    FeeMethod,
    FigureItem,
    IdType,
    Result,
)


def labels_of(choices: type[models.TextChoices]) -> dict[str, str]:
    return {str(choice.label): choice.value for choice in choices}


def integer_between(low: int, high: int) -> Callable[[object], int | None]:
    def parse(raw: object) -> int | None:
        number = values.parse_integer(raw)
        if number is not None and not low <= number <= high:
            raise CellError(
                _("应为%(low)s至%(high)s之间的整数，不能是%(number)s。")
                % {"low": low, "high": high, "number": number}
            )
        return number

    return parse


def money(raw: object) -> Decimal | None:
    amount = values.parse_decimal(raw)
    if amount is None:
        return None
    if amount < 0:
        raise CellError(_("金额不能为负数。"))
    if values.decimal_places(amount) > 2:
        raise CellError(_("金额（元）最多两位小数。"))
    return amount


def non_negative(raw: object) -> Decimal | None:
    number = values.parse_decimal(raw)
    if number is not None and number < 0:
        raise CellError(_("数值不能为负数。"))
    return number


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    parse: Callable[[object], object]
    required: bool = False
    # The model field the column writes ("" when the row logic handles it itself).
    field: str = ""
    # Allowed labels, offered as the template's drop-down list.
    choices: tuple[str, ...] = ()
    note: object = ""


def choice_column(name: str, vocabulary, *, required: bool = False, field: str = "", note=""):
    labels = labels_of(vocabulary)
    return ColumnSpec(
        name,
        values.choice_parser(labels),
        required=required,
        field=field,
        choices=tuple(labels),
        note=note,
    )


@dataclass(frozen=True)
class SheetSpec:
    name: str
    key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    # Fields of related records the sheet's rows write (model field -> column).
    aliases: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, ColumnSpec] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {column.name: column for column in self.columns})

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column_of(self, model_field: str) -> str | None:
        if model_field in self.aliases:
            return self.aliases[model_field]
        for column in self.columns:
            if column.field == model_field:
                return column.name
        return None


BODY_CODE = "机构代码"

BODIES = SheetSpec(
    "机构",
    key=(BODY_CODE,),
    columns=(
        ColumnSpec(
            BODY_CODE,
            values.parse_code,
            required=True,
            field="code",
            note=_lazy("字母、数字、-、_；唯一"),
        ),
        ColumnSpec("机构名称", values.parse_text, required=True, field="name"),
        ColumnSpec(
            "上级机构代码",
            values.parse_code,
            field="parent",
            note=_lazy("系统中已有的机构，或本表中位于前面的机构；留空为顶级"),
        ),
        choice_column("机构类型", BodyKind, required=True, field="kind"),
        ColumnSpec("地址", values.parse_text, field="address"),
        ColumnSpec("邮编", values.parse_text, field="postcode"),
        ColumnSpec("电话", values.parse_text, field="phone"),
        ColumnSpec("网站", values.parse_text, field="website"),
    ),
)

REQUESTS = SheetSpec(
    "申请",
    key=(BODY_CODE, "申请编号"),
    columns=(
        ColumnSpec(
            BODY_CODE, values.parse_code, required=True, field="body", note=_lazy("已有机构")
        ),
        ColumnSpec(
            "申请编号",
            values.parse_text,
            required=True,
            field="reference",
            note=_lazy("本机关自己的编号，同一机构内唯一"),
        ),
        ColumnSpec(
            "收到申请日期",
            values.parse_date,
            required=True,
            field="received_on",
            note=_lazy("按《条例》第三十一条确定的收到日期"),
        ),
        choice_column("申请人类型", ApplicantKind, required=True, field="applicant_kind"),
        ColumnSpec(
            "申请人",
            values.parse_text,
            field="applicant",
            note=_lazy("个人信息；与证件号码同时填写时匹配已有申请人"),
        ),
        ColumnSpec("证件号码", values.parse_text, note=_lazy("身份证号或统一社会信用代码")),
        choice_column(
            "证件类型",
            IdType,
            note=_lazy(
                "留空时按证件号码的格式判断：17位数字加一位数字或X为居民身份证，"
                "18位统一社会信用代码字符为统一社会信用代码，其余为其他；"
                "居民身份证须通过 GB 11643 校验并含真实出生日期，统一社会信用代码须通过 GB 32100 校验"
            ),
        ),
        choice_column("申请方式", Channel, required=True, field="channel"),
        ColumnSpec("申请内容", values.parse_text, required=True, field="content"),
        ColumnSpec("补正告知日期", values.parse_date, field="correction_notice_on"),
        ColumnSpec("补正期限", values.parse_date, field="correction_deadline"),
        ColumnSpec("补正收到日期", values.parse_date, field="correction_received_on"),
        ColumnSpec(
            "征求意见开始日期",
            values.parse_date,
            field="consultation",
            note=_lazy("一次征求意见；多次的请在管理后台录入"),
        ),
        ColumnSpec("征求意见结束日期", values.parse_date),
        ColumnSpec(
            "延期天数", integer_between(1, 20), field="extension_days", note=_lazy("1至20个工作日")
        ),
        ColumnSpec("延期批准日期", values.parse_date, field="extension_decided_on"),
        ColumnSpec("延期批准人", values.parse_text, field="extension_approver"),
        ColumnSpec("延期理由", values.parse_text, field="extension_reason"),
        choice_column("收费方式", FeeMethod, field="fee_method"),
        ColumnSpec("收费通知日期", values.parse_date, field="fee_notice_on"),
        ColumnSpec("缴费期限", values.parse_date, field="fee_due_on"),
        ColumnSpec("收费金额(元)", money, field="fee_amount", note=_lazy("最多两位小数")),
        ColumnSpec("缴费日期", values.parse_date, field="fee_paid_on"),
        ColumnSpec(
            "办结日期",
            values.parse_date,
            field="concluded_on",
            note=_lazy("答复书出具之日；留空为在办"),
        ),
        ColumnSpec(
            "办理结果",
            values.parse_result,
            field="result",
            choices=tuple(str(choice.label) for choice in Result),
            note=_lazy("填写办结日期时必填：年度报告表三的结果行名称（可带或不带序号）或键名"),
        ),
    ),
    aliases={
        "sent_on": "征求意见开始日期",
        "answered_on": "征求意见结束日期",
        "name": "申请人",
        "id_number": "证件号码",
        "id_type": "证件类型",
    },
)

APPEALS = SheetSpec(
    "复议诉讼",
    key=("类型", "案号"),
    columns=(
        ColumnSpec(
            BODY_CODE,
            values.parse_code,
            required=True,
            field="body",
            note=_lazy("政府信息公开工作被复议、被诉的机构"),
        ),
        ColumnSpec(
            "案号",
            values.parse_text,
            required=True,
            field="case_number",
            note=_lazy("同一类型内唯一"),
        ),
        choice_column("类型", AppealKind, required=True, field="kind"),
        ColumnSpec("立案日期", values.parse_date, required=True, field="filed_on"),
        ColumnSpec(
            "审结日期", values.parse_date, field="concluded_on", note=_lazy("留空为尚未审结")
        ),
        choice_column("结果", AppealResult, field="result", note=_lazy("填写审结日期时必填")),
        ColumnSpec(
            "关联申请编号",
            values.parse_text,
            field="request",
            note=_lazy("同一机构的申请的申请编号"),
        ),
    ),
)

DOCUMENTS = SheetSpec(
    "规范性文件",
    key=(BODY_CODE, "文号"),
    columns=(
        ColumnSpec(
            BODY_CODE, values.parse_code, required=True, field="body", note=_lazy("制发机构")
        ),
        choice_column("类型", DocumentKind, required=True, field="kind"),
        ColumnSpec("标题", values.parse_text, required=True, field="title"),
        ColumnSpec("文号", values.parse_text, required=True, field="number"),
        ColumnSpec("发布日期", values.parse_date, required=True, field="issued_on"),
        ColumnSpec("施行日期", values.parse_date, field="effective_on"),
        ColumnSpec(
            "废止日期", values.parse_date, field="repealed_on", note=_lazy("废止或宣布失效之日")
        ),
        ColumnSpec(
            "有效期至", values.parse_date, field="valid_until", note=_lazy("有效期的最后一天")
        ),
    ),
)

FIGURES = SheetSpec(
    "年度数据",
    key=(BODY_CODE, "年度", "项目"),
    columns=(
        ColumnSpec(BODY_CODE, values.parse_code, required=True, field="body"),
        ColumnSpec("年度", values.parse_integer, required=True, field="year"),
        choice_column(
            "项目",
            FigureItem,
            required=True,
            field="item",
            note=_lazy("行政事业性收费单位为万元（最多四位小数），其余为整数"),
        ),
        ColumnSpec("数值", non_negative, required=True, field="value", note=_lazy("不小于0")),
        ColumnSpec("来源", values.parse_text, field="source", note=_lazy("数据来源")),
    ),
)

# In the order they are imported: bodies first, so later sheets can name them.
SHEETS: dict[str, SheetSpec] = {
    sheet.name: sheet for sheet in (BODIES, REQUESTS, APPEALS, DOCUMENTS, FIGURES)
}

# The template's own helper sheets: an import of a filled-in template passes over them.
INSTRUCTIONS_SHEET = "填写说明"
LISTS_SHEET = "选项"
TEMPLATE_SHEETS = (INSTRUCTIONS_SHEET, LISTS_SHEET)
