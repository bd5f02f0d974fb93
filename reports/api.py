"""Report endpoints: a draft's document and findings for staff (any scope), and the published
versions for everyone (read-only, throttled)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosure.api import ApiMixin, ApiPagination, PublicRateThrottle
from disclosure.api.base import LIST_ERRORS, THROTTLED
from disclosure.api_filters import BooleanFilter, StrictFilterSet, SubtreeFilter, YearFilter
from disclosure.models import Body
from disclosure.validators import BODY_CODE_SCHEMA, REPORT_YEAR
from reports.figures import NARRATIVE_KEYS
from reports.models import COVER_FIELDS, Report, ReportStatus, ReportVersion
from reports.narrative import NarrativeError
from reports.public import published_versions
from reports.selectors import (
    ReportCheck,
    oversight_body,
    oversight_lines,
    report_check,
    report_document,
)
from reports.serializers import (
    OversightEntrySerializer,
    OversightQuerySerializer,
    PublicVersionSerializer,
    StaffReportQuerySerializer,
    StaffReportSerializer,
)

CODE_PARAMETER = OpenApiParameter(
    "code",
    BODY_CODE_SCHEMA,
    OpenApiParameter.PATH,
    description=_("机构代码（如 wuwei）"),
)
YEAR_PARAMETER = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": REPORT_YEAR.first, "maximum": REPORT_YEAR.last},
    OpenApiParameter.PATH,
    description=_("报告年度（%(first)s 至 %(last)s）")
    % {"first": REPORT_YEAR.first, "last": REPORT_YEAR.last},
)
NUMBER_PARAMETER = OpenApiParameter(
    "number",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.PATH,
    description=_("版本号（第几版，从 1 起）"),
)


def draft_preview(body: Body, year: int, scope: str | None) -> tuple[dict, ReportCheck]:
    """The document of the body's report for ``year`` as it stands now, in ``scope``
    (default: the stored report's scope, else the body's default scope), and its check.

    Nothing is saved: looking at another scope does not change the report (a scope change is
    a deliberate, audited edit through ``reports.services.report_save``)."""
    stored = Report.objects.filter(body=body, year=year).select_related("body").first()
    if stored is not None and scope in (None, stored.scope):
        report = stored
    else:
        report = Report.new_draft(body=body, year=year, scope=scope)
        if stored is not None and stored.status != ReportStatus.IMPORTED:
            for field in (*NARRATIVE_KEYS, *COVER_FIELDS):
                setattr(report, field, getattr(stored, field))
    try:
        document = report_document(report)
    except NarrativeError as error:
        raise ValidationError({"narrative": error.problems}) from error
    return document, report_check(report, document)


class StaffReportView(ApiMixin, APIView):
    """A body's report for a year as drafted from the records now, with the checks' findings."""

    @extend_schema(
        summary=_("年度报告草稿（表格和检查结果）"),
        tags=[_("年度报告")],
        description=_(
            "按当前记录生成某机构某年度的年度报告文档（表格和正文），并给出勾稽关系等检查结果；"
            "不保存任何内容，换一个统计范围查看也不改变报告。须对该机构有查看权限。"
        ),
        parameters=[
            CODE_PARAMETER,
            YEAR_PARAMETER,
            OpenApiParameter(
                "scope",
                str,
                enum=["own", "level", "all"],
                required=False,
                description=_(
                    "统计范围：own 本机关，level 本级，all 全域；默认为报告已设定的范围，"
                    "尚无报告时人民政府为全域、其他机关为本机关。"
                ),
            ),
        ],
        responses={
            200: StaffReportSerializer,
            400: OpenApiResponse(
                description=_("统计范围或年度无效，或报告正文引用了未知的占位符。")
            ),
            404: OpenApiResponse(description=_("机构不存在或不在您的权限范围内。")),
        },
    )
    def get(self, request: Request, code: str, year: int) -> Response:
        body = Body.objects.visible_to(request.user).filter(code=code).first()
        if body is None:
            raise Http404(_("机构不存在或不在您的权限范围内。"))
        try:
            REPORT_YEAR(year)
        except DjangoValidationError as error:
            raise ValidationError({"year": error.messages}) from None
        query = StaffReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        document, check = draft_preview(body, year, query.validated_data.get("scope"))
        comparison = check.comparison
        return Response(
            {
                "report": document,
                "findings": [finding.to_dict() for finding in check.findings],
                "comparison": comparison.to_dict() if comparison is not None else None,
            }
        )


class PublicVersionFilter(StrictFilterSet):
    body = SubtreeFilter(prefix="report__body__", label=_("机构代码（含下级机构）"))
    year = YearFilter(field_name="report__year", label=_("年度"), years=REPORT_YEAR)
    latest = BooleanFilter(method="filter_latest", label=_("仅最新版本"))

    class Meta:
        model = ReportVersion
        fields: list[str] = []

    def filter_latest(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        newer = ReportVersion.objects.filter(
            report=OuterRef("report"), number__gt=OuterRef("number")
        )
        return qs.filter(~Exists(newer)) if value else qs.filter(Exists(newer))


class PublicMixin(ApiMixin):
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    serializer_class = PublicVersionSerializer

    def base_queryset(self) -> QuerySet[ReportVersion]:
        return published_versions().select_related("report__body")


@extend_schema(
    summary=_("已发布的年度报告版本"),
    tags=[_("已发布的年度报告")],
    description=_(
        "全部已发布的年度报告版本，按年度从新到旧；草稿和未发布的更正不会出现。无需登录（限流）。"
    ),
    auth=[],
    responses={
        200: PublicVersionSerializer(many=True),
        **LIST_ERRORS,
        429: THROTTLED,
    },
)
class PublicVersionListView(PublicMixin, generics.ListAPIView):
    """Every published version, newest year first; drafts do not exist here."""

    filterset_class = PublicVersionFilter
    pagination_class = ApiPagination
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]

    def get_queryset(self) -> QuerySet[ReportVersion]:
        return self.base_queryset().order_by("-report__year", "report__body__path", "-number")


@extend_schema(
    summary=_("某机构某年度报告的最新发布版本"),
    tags=[_("已发布的年度报告")],
    description=_(
        "某机构某年度报告最新发布的版本：冻结的报告文档（report.schema.json）及各格式的下载地址。"
        "无需登录（限流）。"
    ),
    parameters=[CODE_PARAMETER, YEAR_PARAMETER],
    auth=[],
    responses={
        200: PublicVersionSerializer,
        404: OpenApiResponse(description=_("未发布。")),
        429: THROTTLED,
    },
)
class PublicLatestVersionView(PublicMixin, generics.RetrieveAPIView):
    def get_object(self) -> ReportVersion:
        version = (
            self.base_queryset()
            .filter(report__body__code=self.kwargs["code"], report__year=self.kwargs["year"])
            .order_by("-number")
            .first()
        )
        if version is None:
            raise Http404(_("该年度报告尚未发布。"))
        return version


@extend_schema(
    summary=_("某机构某年度报告的指定发布版本"),
    tags=[_("已发布的年度报告")],
    description=_("某机构某年度报告的指定版本；已被更正的旧版本也始终可以读取。无需登录（限流）。"),
    parameters=[CODE_PARAMETER, YEAR_PARAMETER, NUMBER_PARAMETER],
    auth=[],
    responses={
        200: PublicVersionSerializer,
        404: OpenApiResponse(description=_("未发布。")),
        429: THROTTLED,
    },
)
class PublicVersionView(PublicMixin, generics.RetrieveAPIView):
    def get_object(self) -> ReportVersion:
        version = (
            self.base_queryset()
            .filter(
                report__body__code=self.kwargs["code"],
                report__year=self.kwargs["year"],
                number=self.kwargs["number"],
            )
            .first()
        )
        if version is None:
            raise Http404(_("该版本不存在或尚未发布。"))
        return version


class OversightView(ApiMixin, APIView):
    """Every body of a subtree with its report's state for a year (年报督查), unpaginated."""

    @extend_schema(
        summary=_("年报督查：下级机构年度报告情况"),
        tags=[_("年度报告")],
        description=_(
            "某机构及其全部下级机构（该年12月31日存在的机构，含本机构）某年度的年度报告情况："
            "发布截止日期、状态（未编制、草稿、已发布、已导入）、逾期天数、核查错误和警告数、"
            "正文重复率和主要数据。不分页：一次返回全部机构，按机构树顺序。"
            "须通过机构成员身份可以查看该机构。"
        ),
        parameters=[
            OpenApiParameter(
                "body",
                CODE_PARAMETER.type,
                required=True,
                description=_("机构代码（如 wuwei），含其下级机构"),
            ),
            OpenApiParameter(
                "year", YEAR_PARAMETER.type, required=True, description=YEAR_PARAMETER.description
            ),
        ],
        responses={
            200: OversightEntrySerializer(many=True),
            400: OpenApiResponse(description=_("参数缺失或无效：{参数名: [中文说明]}。")),
            403: OpenApiResponse(description=_("未登录，或成员身份不包括该机构。")),
            404: OpenApiResponse(description=_("机构代码不存在。")),
        },
    )
    def get(self, request: Request) -> Response:
        query = OversightQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        body = oversight_body(request.user, query.validated_data["body"])
        lines = oversight_lines(
            body, query.validated_data["year"], today=timezone.localdate(), details=False
        )
        return Response([line.as_json() for line in lines])
