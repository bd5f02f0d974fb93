"""Serializers of the report API. The document itself is never reshaped: it is passed through
exactly as ``report.schema.json`` has it (and as a published version stores it); the OpenAPI
schema describes it with that same JSON Schema, translated to OpenAPI 3.0."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from disclosure.validators import REPORT_YEAR
from reports.format import SCHEMA_PATH
from reports.models import ComparisonSource, ReportVersion, Scope
from reports.oversight import OversightStatus

DOWNLOAD_FORMATS = ("pdf", "docx", "xlsx", "csv", "json")
ANY_VALUE: dict[str, Any] = {}


def _to_openapi(node: Any, definitions: dict) -> Any:
    """JSON Schema 2020-12 → OpenAPI 3.0 schema object: ``$defs`` references inlined,
    ``["integer", "null"]`` as ``nullable``, ``const`` as a one-value ``enum``."""
    if isinstance(node, list):
        return [_to_openapi(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        return _to_openapi(copy.deepcopy(definitions[name]), definitions)
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in {"$schema", "$id", "$defs", "dependentRequired"}:
            continue
        if key == "type" and isinstance(value, list):
            types = [item for item in value if item != "null"]
            result["type"] = types[0]
            if "null" in value:
                result["nullable"] = True
        elif key == "const":
            result["enum"] = [value]
        elif key == "properties":
            result[key] = {name: _to_openapi(item, definitions) for name, item in value.items()}
        else:
            result[key] = _to_openapi(value, definitions)
    return result


# The API documentation reads in Chinese: the descriptions of report.schema.json (the spec's
# English) as they are shown there, by their place in the schema.
DOCUMENT_DESCRIPTIONS = {
    (): _(
        "年度报告文档：report_tables 的输出、import_report 的输入、JSON 导出、开放数据文件和公开"
        "接口共用这一结构。表格使用 annual_report_format.json 的键名；数量为整数，收费金额以万元"
        "计，最多四位小数。按记录计算的报告没有 null；导入的报告可以用 null 表示原件中留空的"
        "单元格，检查会指出这些单元格。导入时拒绝未知的键。"
    ),
    ("body",): _("机构代码"),
    ("year",): _("报告年度；2021年度起适用2021年版格式"),
    ("scope",): _(
        "统计范围：own 本机关；level 本级（本机关及下级机构，不含下级人民政府及其所属机构）；"
        "all 全域（本机关及全部下级机构）"
    ),
    ("proactive", "fees", "amount_10k_yuan"): _(
        "万元，最多四位小数（由系统以十进制数校验，本结构不校验）"
    ),
    ("version",): _("版本号（仅已发布的文档有）"),
    ("sha256",): _(
        "本文档（不含 sha256 键）规范 JSON 的 SHA-256（十六进制）：键排序，UTF-8 不转义，"
        "分隔符为“,”和“:”，数字按文档中的原样"
    ),
}


@cache
def document_openapi_schema() -> dict:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        schema = json.load(handle)
    result = _to_openapi(schema, schema.get("$defs", {}))
    for path, description in DOCUMENT_DESCRIPTIONS.items():
        node = result
        for name in path:
            node = node["properties"][name]  # a KeyError: the spec moved; update the map
        node["description"] = description
    return result


@extend_schema_field(document_openapi_schema())
class ReportDocumentField(serializers.JSONField):
    """A report document of report.schema.json, passed through unchanged."""


@extend_schema_serializer(
    description=_(
        "一条检查结果：规则、严重程度（error 错误，不能发布；warning 警告，须书面说明后才能"
        "发布）、所在表格的行和列、应为值和实际值、中文说明，以及正文中引用的句子。"
    )
)
class FindingSerializer(serializers.Serializer):
    """``Finding.to_dict()``: one result of the report checks."""

    rule = serializers.CharField()
    severity = serializers.ChoiceField(choices=[("error", _("错误")), ("warning", _("警告"))])
    table = serializers.CharField()
    row = serializers.CharField()
    column = serializers.CharField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)
    actual = serializers.FloatField(allow_null=True)
    message = serializers.CharField()
    quote = serializers.CharField(allow_null=True)


class ComparisonSerializer(serializers.Serializer):
    """``Comparison.to_dict()``: last year's document the cross-year checks compared with."""

    year = serializers.IntegerField(help_text=_("上一年度"))
    scope = serializers.ChoiceField(choices=Scope.choices, help_text=_("统计范围（与本报告相同）"))
    source = serializers.ChoiceField(
        choices=ComparisonSource.choices, help_text=_("比较对象的来源")
    )
    version = serializers.IntegerField(allow_null=True, help_text=_("已发布报告的版本号"))
    description = serializers.CharField(
        help_text=_("比较对象的说明，如“与2024年度已发布报告（全域，第1版）比较”")
    )


class StaffReportSerializer(serializers.Serializer):
    report = ReportDocumentField()
    findings = FindingSerializer(many=True)
    comparison = ComparisonSerializer(
        allow_null=True,
        help_text=_(
            "跨年度核对（上年结转、现行有效件数）所比较的上一年度数据；为 null 时未作跨年度核对"
        ),
    )


class StaffReportQuerySerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=Scope.choices,
        required=False,
        label=_("统计范围"),
        error_messages={"invalid_choice": _("统计范围须为 own、level 或 all。")},
    )

    def to_internal_value(self, data):
        # ``?scope=`` is no scope (DRF would read it as absent).
        if data.get("scope") == "":
            raise serializers.ValidationError({"scope": [_("统计范围须为 own、level 或 all。")]})
        return super().to_internal_value(data)


class DownloadsSerializer(serializers.Serializer):
    pdf = serializers.URLField()
    docx = serializers.URLField()
    xlsx = serializers.URLField()
    csv = serializers.URLField()
    json = serializers.URLField()


@extend_schema_serializer(description=_("一个已发布版本：冻结的报告文档及各格式的下载地址。"))
class PublicVersionSerializer(serializers.Serializer):
    """A published version: its frozen document and where to download it."""

    report = ReportDocumentField(source="document")
    downloads = serializers.SerializerMethodField()

    @extend_schema_field(DownloadsSerializer)
    def get_downloads(self, version: ReportVersion) -> dict[str, str]:
        request = self.context["request"]
        report = version.report
        return {
            fmt: request.build_absolute_uri(
                reverse(
                    "reports:version_download",
                    args=[report.body.code, report.year, version.number, fmt],
                )
            )
            for fmt in DOWNLOAD_FORMATS
        }


class OversightQuerySerializer(serializers.Serializer):
    body = serializers.CharField(
        label=_("机构代码"),
        max_length=64,
        error_messages={
            "required": _("请用 body 参数指定机构代码（如 body=wuwei）。"),
            "blank": _("请用 body 参数指定机构代码（如 body=wuwei）。"),
            "max_length": _("机构代码过长。"),
        },
    )
    year = serializers.IntegerField(
        label=_("年度"),
        validators=[REPORT_YEAR],
        error_messages={
            "required": _("请用 year 参数指定报告年度（如 year=2023）。"),
            "invalid": _("年度须为四位数字的年份（如 2023）。"),
        },
    )


class OversightFiguresSerializer(serializers.Serializer):
    new_received = serializers.IntegerField(allow_null=True, label=_("新收申请"))
    results_total = serializers.IntegerField(allow_null=True, label=_("办理结果总计"))
    reconsideration = serializers.IntegerField(allow_null=True, label=_("行政复议"))
    litigation = serializers.IntegerField(allow_null=True, label=_("行政诉讼"))
    corrected = serializers.IntegerField(allow_null=True, label=_("被纠错"))


class OversightEntrySerializer(serializers.Serializer):
    """One body's line of the oversight list (documentation only: the view returns
    ``OversightLine.as_json``)."""

    body = serializers.CharField(help_text=_("机构代码"))
    body_name = serializers.CharField(help_text=_("机构名称"))
    deadline = serializers.DateField(
        allow_null=True,
        help_text=_(
            "发布截止日期：部门次年1月31日，政府次年3月31日，其他机构按本级政府设定；未设定为 null。"
        ),
    )
    status = serializers.ChoiceField(
        choices=OversightStatus.choices,
        help_text=_("none 未编制；draft 草稿；published 已发布；imported 已导入的历史报告。"),
    )
    published_on = serializers.DateField(
        allow_null=True, help_text=_("首次发布日期（导入的报告：原件所载发布日期）。")
    )
    days_late = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "已发布：首次发布晚于截止日期的天数（0 为按期）；未发布：截止日期已过的天数；"
            "尚未到期、无截止日期或导入的原件未载发布日期时为 null。"
        ),
    )
    errors = serializers.IntegerField(help_text=_("核查错误数"))
    warnings = serializers.IntegerField(help_text=_("核查警告数"))
    repeated_share = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "正文重复率（%）：数字替换后与本机关上一年度正文相同的句子所占字数比例；"
            "本年或上年没有正文时为 null。"
        ),
    )
    figures = OversightFiguresSerializer(
        allow_null=True, help_text=_("主要数据；未编制时为 null。")
    )
