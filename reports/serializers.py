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
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.format import SCHEMA_PATH
from reports.models import ComparisonSource, ReportVersion, Scope

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


@cache
def document_openapi_schema() -> dict:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        schema = json.load(handle)
    return _to_openapi(schema, schema.get("$defs", {}))


@extend_schema_field(document_openapi_schema())
class ReportDocumentField(serializers.JSONField):
    """A report document of report.schema.json, passed through unchanged."""


class FindingSerializer(serializers.Serializer):
    """``Finding.to_dict()``: one result of the report checks."""

    rule = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])
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


class DownloadsSerializer(serializers.Serializer):
    pdf = serializers.URLField()
    docx = serializers.URLField()
    xlsx = serializers.URLField()
    csv = serializers.URLField()
    json = serializers.URLField()


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
