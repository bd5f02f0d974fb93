"""The letters in the staff API (/api/v1/requests/{id}/letters/…): list and draft, one
letter, issue, serve, and the downloads. Reads follow ``visible_to(user)`` — a request or
letter outside the user's bodies is a plain 404 — and writes call the services, whose
refusals become 400 (``ValidationError``) or 403 (``PermissionDenied``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosure.api.base import ERROR_RESPONSES, NOT_FOUND, ApiMixin, service_errors
from disclosure.letters import selectors, services
from disclosure.letters.admin import letter_file_response
from disclosure.letters.forms import FACT_FIELDS
from disclosure.letters.models import Letter, RequestLetterFacts
from disclosure.letters.vocab import LetterFormat, LetterKind, ServiceMethod
from disclosure.models import InformationRequest

TAGS = [str(_("文书"))]
REQUEST_ID = OpenApiParameter(
    "request_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("申请的 id")
)
LETTER_ID = OpenApiParameter(
    "letter_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("文书的 id")
)
FORMAT = OpenApiParameter(
    "fmt",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=LetterFormat.values,
    description=_("文件格式：pdf 或 docx"),
)
SCOPE = _(
    "仅限您所属机构及其下级机构的申请；其他机构的申请和文书一律答复 404。"
    "文书含申请人真实姓名和地址，仅供机关工作人员使用。"
)


def letter_schema(summary, description, *, letter: bool = True, **kwargs):
    parameters = [REQUEST_ID, LETTER_ID] if letter else [REQUEST_ID]
    return extend_schema(
        summary=summary,
        description=format_lazy("{}{}", description, SCOPE),
        tags=TAGS,
        parameters=[*parameters, *kwargs.pop("parameters", [])],
        **kwargs,
    )


class LetterSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    template_body = serializers.IntegerField(source="template.body_id", read_only=True)
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "request",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "number",
            "addressee",
            "blanks",
            "template_version",
            "template_body",
            "drafter_name",
            "drafted_at",
            "issued_at",
            "served_on",
            "service_method",
            "tracking_number",
            "receiver",
            "served_letter",
            "downloads",
        ]
        read_only_fields = fields

    def get_downloads(self, letter: Letter) -> dict[str, str]:
        return {
            fmt: reverse("api:request-letter-download", args=[letter.request_id, letter.pk, fmt])
            for fmt in LetterFormat.values
        }


class FactsSerializer(serializers.ModelSerializer):
    """What the letters of a request need and the records lack (文书所需事项)."""

    class Meta:
        model = RequestLetterFacts
        fields = list(FACT_FIELDS)


class DraftInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LetterKind.choices)
    format = serializers.ChoiceField(choices=LetterFormat.choices, default=LetterFormat.PDF)
    served_letter_id = serializers.IntegerField(required=False, allow_null=True)
    facts = FactsSerializer(
        required=False,
        help_text=_("可选：先保存这些文书所需事项（只改给出的字段），再起草。"),
    )


class ServeInput(serializers.Serializer):
    served_on = serializers.DateField()
    service_method = serializers.ChoiceField(choices=ServiceMethod.choices)
    tracking_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    receiver = serializers.CharField(max_length=200)


# Ids beyond the database's integers are no row (SQLite would overflow on the foreign key).
MAX_ID = 2**63 - 1


def _request(user, request_id: int) -> InformationRequest:
    if request_id > MAX_ID:
        raise NotFound(NOT_FOUND)
    record = (
        InformationRequest.objects.visible_to(user)
        .select_related("body", "applicant")
        .filter(pk=request_id)
        .first()
    )
    if record is None:
        raise NotFound(NOT_FOUND)
    return record


def _letter(user, request_id: int, letter_id: int) -> Letter:
    if max(request_id, letter_id) > MAX_ID:
        raise NotFound(NOT_FOUND)
    letter = (
        Letter.objects.visible_to(user)
        .select_related("body", "template", "request")
        .filter(pk=letter_id, request_id=request_id)
        .first()
    )
    if letter is None:
        raise NotFound(NOT_FOUND)
    return letter


def _refused(error: DjangoPermissionDenied) -> PermissionDenied:
    return PermissionDenied(str(error) or _("您没有该操作的权限。"))


class LetterListView(ApiMixin, APIView):
    @letter_schema(
        _("申请的文书"),
        _("该申请的全部文书（草稿、已签发、已送达），按起草时间排列。"),
        letter=False,
        responses={200: LetterSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, request_id: int) -> Response:
        record = _request(request.user, request_id)
        letters = Letter.objects.filter(request=record).select_related("template")
        return Response(LetterSerializer(letters.order_by("drafted_at", "pk"), many=True).data)

    @letter_schema(
        _("起草文书"),
        _(
            "根据申请记录起草一份文书（kind：文书类型；format：文件格式，默认 pdf），归入该申请。"
            "记录缺少的事项在草稿中显示为【待填写：…】并列在 blanks 中，补充后重新起草才能签发。"
            "答复告知书须申请已办结；送达回证根据已登记的送达起草（served_letter_id，默认最近一份）。"
            "须在申请所属机构具有“录入”角色。"
        ),
        letter=False,
        request=DraftInput,
        responses={201: LetterSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, request_id: int) -> Response:
        record = _request(request.user, request_id)
        data = DraftInput(data=request.data)
        data.is_valid(raise_exception=True)
        facts = data.validated_data.get("facts")
        if facts:
            _save_facts(request.user, record, facts)
        served = None
        if data.validated_data.get("served_letter_id"):
            served = _letter(request.user, record.pk, data.validated_data["served_letter_id"])
        try:
            with service_errors({"served_letter": "served_letter_id"}):
                letter = services.letter_draft(
                    actor=request.user,
                    request=record,
                    kind=data.validated_data["kind"],
                    fmt=data.validated_data["format"],
                    served_letter=served,
                )
        except DjangoPermissionDenied as error:
            raise _refused(error) from error
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)


def _save_facts(user, record: InformationRequest, values: dict) -> RequestLetterFacts:
    facts = selectors.request_facts(record)
    for name, value in values.items():
        setattr(facts, name, value)
    try:
        with service_errors(under="facts"):
            return services.request_facts_save(actor=user, facts=facts)
    except DjangoPermissionDenied as error:
        raise _refused(error) from error


class LetterFactsView(ApiMixin, APIView):
    @letter_schema(
        _("文书所需事项"),
        _("该申请的文书所需事项（记录中没有、起草文书时需要的内容），未保存过的全部为空。"),
        letter=False,
        responses={200: FactsSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, request_id: int) -> Response:
        record = _request(request.user, request_id)
        return Response(FactsSerializer(selectors.request_facts(record)).data)

    @letter_schema(
        _("修改文书所需事项"),
        _("只修改给出的字段；须在申请所属机构具有“录入”角色。"),
        letter=False,
        request=FactsSerializer,
        responses={200: FactsSerializer, **ERROR_RESPONSES},
    )
    def patch(self, request: Request, request_id: int) -> Response:
        record = _request(request.user, request_id)
        data = FactsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return Response(
            FactsSerializer(_save_facts(request.user, record, data.validated_data)).data
        )


class LetterDetailView(ApiMixin, APIView):
    @letter_schema(
        _("文书详情"),
        _("一份文书的状态、文号、待填写事项、送达记录和下载地址。"),
        responses={200: LetterSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, request_id: int, letter_id: int) -> Response:
        return Response(LetterSerializer(_letter(request.user, request_id, letter_id)).data)


class LetterIssueView(ApiMixin, APIView):
    @letter_schema(
        _("签发文书"),
        _(
            "审核发布人员签发草稿：按机构和年度分配文号（连续、不重号），PDF 和 Word 文件定稿。"
            "草稿仍有待填写事项，或本机关未设置文书文号前缀（答复告知书还有行政复议机关、"
            "管辖人民法院）时拒绝，并写明缺少什么。"
        ),
        request=None,
        responses={200: LetterSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, request_id: int, letter_id: int) -> Response:
        letter = _letter(request.user, request_id, letter_id)
        try:
            with service_errors():
                letter = services.letter_issue(actor=request.user, letter=letter)
        except DjangoPermissionDenied as error:
            raise _refused(error) from error
        return Response(LetterSerializer(letter).data)


class LetterServeView(ApiMixin, APIView):
    @letter_schema(
        _("登记送达"),
        _(
            "登记已签发文书的送达：送达日期、方式（当面、邮寄须填邮件单号、电子邮件、网上）和签收人。"
            "救济期限自送达之日起算。须具有“录入”角色。"
        ),
        request=ServeInput,
        responses={200: LetterSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, request_id: int, letter_id: int) -> Response:
        letter = _letter(request.user, request_id, letter_id)
        data = ServeInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            with service_errors():
                letter = services.letter_serve(
                    actor=request.user,
                    letter=letter,
                    served_on=values["served_on"],
                    method=values["service_method"],
                    tracking_number=values.get("tracking_number", ""),
                    receiver=values["receiver"],
                )
        except DjangoPermissionDenied as error:
            raise _refused(error) from error
        return Response(LetterSerializer(letter).data)


class LetterDownloadView(ApiMixin, APIView):
    @letter_schema(
        _("下载文书文件"),
        _("文书的 PDF 或 Word 文件：已签发的为定稿文件，草稿标有“草稿”。"),
        parameters=[FORMAT],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ): OpenApiTypes.BINARY,
            404: ERROR_RESPONSES[404],
        },
    )
    def get(self, request: Request, request_id: int, letter_id: int, fmt: str):
        if fmt not in LetterFormat.values:
            raise NotFound(_("文件格式只能是 pdf 或 docx。"))
        return letter_file_response(_letter(request.user, request_id, letter_id), fmt)


urlpatterns = [
    path(
        "requests/<int:request_id>/letter-facts/",
        LetterFactsView.as_view(),
        name="request-letter-facts",
    ),
    path(
        "requests/<int:request_id>/letters/",
        LetterListView.as_view(),
        name="request-letters",
    ),
    path(
        "requests/<int:request_id>/letters/<int:letter_id>/",
        LetterDetailView.as_view(),
        name="request-letter",
    ),
    path(
        "requests/<int:request_id>/letters/<int:letter_id>/issue/",
        LetterIssueView.as_view(),
        name="request-letter-issue",
    ),
    path(
        "requests/<int:request_id>/letters/<int:letter_id>/serve/",
        LetterServeView.as_view(),
        name="request-letter-serve",
    ),
    path(
        "requests/<int:request_id>/letters/<int:letter_id>/download/<str:fmt>/",
        LetterDownloadView.as_view(),
        name="request-letter-download",
    ),
]
