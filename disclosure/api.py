"""The staff records API (/api/v1/…) and the public deadline calculator.

Reads go through ``X.objects.visible_to(user)`` — the one visibility rule the admin uses —
so a record outside the user's bodies is a plain 404. Writes need the 录入 role on the
record's body (``Body.objects.with_role(user, "edit")``) and go through
``disclosure.services``, whose ``full_clean()`` gives the admin's validation; its
``ValidationError`` becomes a 400 with the same field-level Chinese messages. Records are
voided with a reason (POST …/{id}/void/), never deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    OpenApiTypes,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView, exception_handler

from disclosure import services
from disclosure.api_filters import (
    AppealFilter,
    BodyFilter,
    DocumentFilter,
    FigureFilter,
    RequestFilter,
)
from disclosure.calendar import compute_due
from disclosure.models import (
    AppealCase,
    Applicant,
    Body,
    Consultation,
    Document,
    InformationRequest,
    YearlyFigure,
)
from disclosure.privacy import can_see_identity
from disclosure.selectors import requests_for_list
from disclosure.serializers import (
    AppealSerializer,
    BodyAbolishSerializer,
    BodyMoveSerializer,
    BodySerializer,
    BodyUpdateSerializer,
    DeadlineQuerySerializer,
    DeadlineSerializer,
    DocumentSerializer,
    FigureSerializer,
    RequestDetailSerializer,
    RequestSerializer,
    VoidSerializer,
)
from disclosure.vocab import Role

# --- shared API plumbing -------------------------------------------------------------------


def validation_error_detail(error: DjangoValidationError) -> dict | list:
    """A model ``ValidationError`` as DRF's field-level error body (``__all__`` becomes
    ``non_field_errors``)."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): [
                str(message) for message in messages
            ]
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in error.messages]}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus Django's ``ValidationError`` as a 400 rather than a 500."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=validation_error_detail(exc))
    return exception_handler(exc, context)


@contextmanager
def service_errors(renames: dict[str, str] | None = None, *, under: str = "") -> Iterator[None]:
    """Turn a service's ``ValidationError`` into the API's 400, naming the API's fields:
    ``renames`` maps a model field to the API field; ``under`` nests every error below one
    API field (a nested record such as ``new_applicant``)."""
    try:
        yield
    except DjangoValidationError as error:
        detail = validation_error_detail(error)
        if renames and isinstance(detail, dict):
            detail = {renames.get(key, key): value for key, value in detail.items()}
        if under:
            detail = {under: detail}
        raise ValidationError(detail=detail) from error


class PublicRateThrottle(SimpleRateThrottle):
    """The "public" rate of ``DEFAULT_THROTTLE_RATES`` per client (user, else address).

    The rate is read when a request arrives rather than when the class is defined, so that a
    change of settings takes effect."""

    scope = "public"

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request: Request, view: APIView) -> str:
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiPagination(PageNumberPagination):
    """Numbered pages with an exact ``count``, so that every row stays reachable to a
    system that pages through a whole list (the admin's estimated counts would cut it off)."""

    page_size_query_param = "page_size"
    max_page_size = 500


class ApiMixin:
    """JSON errors for everything, Django's ``ValidationError`` included. Token first, so
    that a request without credentials is answered 401 with ``WWW-Authenticate: Token``."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_exception_handler(self):
        return api_exception_handler


def can_edit(user, body: Body) -> bool:
    return Body.objects.with_role(user, Role.EDIT).filter(pk=body.pk).exists()


def require_edit(user, body: Body | None) -> None:
    if body is None or not can_edit(user, body):
        raise PermissionDenied(_("您在该机构没有录入权限。"))


ERROR_RESPONSES = {
    400: OpenApiResponse(
        description=_("校验错误：{字段名: [中文说明]}，非字段错误在 non_field_errors。")
    ),
    403: OpenApiResponse(description=_("未登录，或在该机构没有录入权限。")),
    404: OpenApiResponse(description=_("记录不存在或不在您的权限范围内。")),
}


def record_schema(noun: str, serializer, *, voidable: bool = True):
    """The OpenAPI description of a record viewset: its actions and their error answers."""
    read = {403: ERROR_RESPONSES[403], 404: ERROR_RESPONSES[404]}
    actions = {
        "list": extend_schema(summary=f"{noun}列表"),
        "retrieve": extend_schema(summary=f"{noun}详情", responses={200: serializer, **read}),
        "create": extend_schema(
            summary=f"新增{noun}", responses={201: serializer, **ERROR_RESPONSES}
        ),
        "update": extend_schema(
            summary=f"修改{noun}", responses={200: serializer, **ERROR_RESPONSES}
        ),
        "partial_update": extend_schema(
            summary=f"修改{noun}（部分字段）", responses={200: serializer, **ERROR_RESPONSES}
        ),
    }
    if voidable:
        actions["void"] = extend_schema(
            summary=f"作废{noun}（代替删除）",
            request=VoidSerializer,
            responses={200: serializer, **ERROR_RESPONSES},
        )
    return extend_schema_view(**actions)


class RecordViewSet(
    ApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve, create and update; no DELETE (records are voided instead)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    pagination_class = ApiPagination
    model: type[Model]
    select_related: tuple[str, ...] = ("body",)
    # Model field → API field, where a service's error names a field the API calls otherwise.
    error_renames: dict[str, str] = {}

    def get_queryset(self) -> QuerySet:
        return self.model.objects.visible_to(self.request.user).select_related(*self.select_related)

    def get_serializer_context(self) -> dict:
        # The published reports counting a record are named for one record, not in lists.
        return {**super().get_serializer_context(), "with_published": self.action != "list"}

    # Writes: build the unsaved instance from the parsed data, check the role on its body
    # (before and after the change), and hand it to the service.

    def apply(self, instance: Model, data: dict) -> Model:
        for name, value in data.items():
            setattr(instance, name, value)
        return instance

    def perform_create(self, serializer: serializers.ModelSerializer) -> None:
        data = dict(serializer.validated_data)
        instance = self.model()
        extra = self.pop_extra(data)
        self.apply(instance, data)
        require_edit(self.request.user, instance.body)
        with transaction.atomic(), service_errors(self.error_renames):
            serializer.instance = self.save(instance, extra)

    def perform_update(self, serializer: serializers.ModelSerializer) -> None:
        instance = serializer.instance
        require_edit(self.request.user, instance.body)
        data = dict(serializer.validated_data)
        extra = self.pop_extra(data)
        self.apply(instance, data)
        require_edit(self.request.user, instance.body)
        with transaction.atomic(), service_errors(self.error_renames):
            serializer.instance = self.save(instance, extra)

    def pop_extra(self, data: dict) -> dict:
        """Data that is not a model field (nested records), handled by ``save``."""
        return {}

    def save(self, instance: Model, extra: dict) -> Model:
        raise NotImplementedError


class VoidMixin:
    """POST …/{id}/void/ with a reason: the record stays, marked void, and counts nowhere."""

    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str | None = None) -> Response:
        instance = self.get_object()
        require_edit(request.user, instance.body)
        form = VoidSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with service_errors({"void_reason": "reason"}):
            instance = self.void_record(instance, form.validated_data["reason"])
        return Response(self.get_serializer(instance).data)

    def void_record(self, instance: Model, reason: str) -> Model:
        raise NotImplementedError


# --- bodies --------------------------------------------------------------------------------


@record_schema("机构", BodySerializer, voidable=False)
class BodyViewSet(RecordViewSet):
    """Bodies are never deleted: a reorganisation sets the abolition date and successor."""

    model = Body
    serializer_class = BodySerializer
    filterset_class = BodyFilter
    select_related = ("parent", "successor")
    search_fields = ["code", "name"]
    ordering_fields = ["path", "code", "name", "kind", "depth"]
    ordering = ["path"]

    def perform_create(self, serializer: BodySerializer) -> None:
        instance = self.apply(Body(), dict(serializer.validated_data))
        if instance.parent is None:
            if not self.request.user.is_superuser:
                raise PermissionDenied(_("只有系统管理员可以新增顶级机构。"))
        else:
            require_edit(self.request.user, instance.parent)
        with service_errors():
            serializer.instance = services.body_save(actor=self.request.user, body=instance)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return BodyUpdateSerializer
        return BodySerializer

    def perform_update(self, serializer: BodySerializer) -> None:
        instance = serializer.instance
        require_edit(self.request.user, instance)
        self.apply(instance, dict(serializer.validated_data))
        with service_errors():
            serializer.instance = services.body_save(actor=self.request.user, body=instance)

    @extend_schema(
        summary=_("调整机构隶属（机构改革）"),
        request=BodyMoveSerializer,
        responses={200: BodySerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        """The body and its subtree belong under ``new_parent`` from ``moved_on``; reports of
        earlier years keep counting them under the old parent."""
        body = self.get_object()
        require_edit(request.user, body)
        form = BodyMoveSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        new_parent = form.validated_data["new_parent"]
        if new_parent is None:
            if not request.user.is_superuser:
                raise PermissionDenied(_("只有系统管理员可以把机构调整为最上级机构。"))
        else:
            require_edit(request.user, new_parent)
            if new_parent.path.startswith(body.path):
                raise ValidationError({"new_parent": [_("上级机构不能是本机构或其下级机构。")]})
        with service_errors():
            services.body_move(
                actor=request.user,
                body=body,
                new_parent=new_parent,
                moved_on=form.validated_data["moved_on"],
                note=form.validated_data["note"],
            )
        return Response(
            BodySerializer(self.get_object(), context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary=_("撤销机构"),
        request=BodyAbolishSerializer,
        responses={200: BodySerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def abolish(self, request: Request, pk: str | None = None) -> Response:
        """The body ends on ``abolished_on`` (it is never deleted); its successor takes over."""
        body = self.get_object()
        require_edit(request.user, body)
        form = BodyAbolishSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        successor = form.validated_data["successor"]
        if successor is not None and successor.pk == body.pk:
            raise ValidationError({"successor": [_("承继机构不能是本机构。")]})
        with service_errors():
            body = services.body_abolish(
                actor=request.user,
                body=body,
                abolished_on=form.validated_data["abolished_on"],
                successor=successor,
            )
        return Response(BodySerializer(body, context=self.get_serializer_context()).data)


# --- requests ------------------------------------------------------------------------------


class RequestSearchFilter(SearchFilter):
    """As in the admin: the applicant's name and ID number are searched only for users who
    may see them, so that search cannot reveal an identity."""

    def get_search_fields(self, view: APIView, request: Request) -> list[str]:
        fields = list(super().get_search_fields(view, request))
        if can_see_identity(request.user):
            fields += ["applicant__name", "=applicant__id_number"]
        return fields


@record_schema("申请", RequestDetailSerializer)
class RequestViewSet(VoidMixin, RecordViewSet):
    model = InformationRequest
    filterset_class = RequestFilter
    filter_backends = [DjangoFilterBackend, RequestSearchFilter, OrderingFilter]
    select_related = ("body", "applicant")
    search_fields = ["^reference", "content", "body__name"]
    ordering_fields = ["received_on", "due_date", "concluded_on", "reference", "updated_at"]
    ordering = ["-received_on", "-pk"]
    # A consultation's own fields (its dates) are reported under "consultations".
    error_renames = {
        "applicant": "applicant_id",
        "party": "consultations",
        "sent_on": "consultations",
        "answered_on": "consultations",
    }

    def get_queryset(self) -> QuerySet:
        return requests_for_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return RequestSerializer
        return RequestDetailSerializer

    def pop_extra(self, data: dict) -> dict:
        return {
            "consultations": data.pop("consultations", None),
            "new_applicant": data.pop("new_applicant", None),
        }

    def save(self, instance: InformationRequest, extra: dict) -> InformationRequest:
        actor = self.request.user
        if extra["new_applicant"] is not None:
            with service_errors(under="new_applicant"):
                instance.applicant = services.record_save(
                    actor=actor, instance=Applicant(**extra["new_applicant"])
                )
        consultations = None
        if extra["consultations"] is not None:
            consultations = self.consultations(instance, extra["consultations"])
        saved = services.request_save(actor=actor, request=instance, consultations=consultations)
        return self.get_queryset().get(pk=saved.pk)

    def consultations(self, instance: InformationRequest, items: list[dict]) -> list:
        """The request's complete list of consultations: an item with the ``id`` of a stored
        one changes it, an item without ``id`` adds one; stored ones left out are removed."""
        stored = {c.pk: c for c in instance.consultations.all()} if instance.pk else {}
        result = []
        for index, item in enumerate(items):
            item = dict(item)
            pk = item.pop("id", None)
            if pk is None:
                result.append(Consultation(**item))
                continue
            if pk not in stored:
                raise ValidationError(
                    {
                        "consultations": {
                            index: {"id": [_("该申请没有编号为 %(pk)s 的征求意见。") % {"pk": pk}]}
                        }
                    }
                )
            result.append(self.apply(stored[pk], item))
        return result

    def void_record(self, instance: InformationRequest, reason: str) -> InformationRequest:
        services.request_void(actor=self.request.user, request=instance, reason=reason)
        return self.get_queryset().get(pk=instance.pk)


# --- appeals, documents, yearly figures ----------------------------------------------------


@record_schema("行政复议、行政诉讼案件", AppealSerializer)
class AppealViewSet(VoidMixin, RecordViewSet):
    model = AppealCase
    serializer_class = AppealSerializer
    filterset_class = AppealFilter
    select_related = ("body", "request")
    search_fields = ["case_number", "body__name"]
    ordering_fields = ["filed_on", "concluded_on", "case_number", "updated_at"]
    ordering = ["-filed_on", "-pk"]

    def save(self, instance: AppealCase, extra: dict) -> AppealCase:
        return services.appeal_save(actor=self.request.user, case=instance)

    def void_record(self, instance: AppealCase, reason: str) -> AppealCase:
        return services.appeal_void(actor=self.request.user, case=instance, reason=reason)


@record_schema("规章和行政规范性文件", DocumentSerializer)
class DocumentViewSet(VoidMixin, RecordViewSet):
    model = Document
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    search_fields = ["title", "number"]
    ordering_fields = ["issued_on", "effective_on", "repealed_on", "number", "updated_at"]
    ordering = ["-issued_on", "pk"]

    def save(self, instance: Document, extra: dict) -> Document:
        return services.document_save(actor=self.request.user, document=instance)

    def void_record(self, instance: Document, reason: str) -> Document:
        return services.document_void(actor=self.request.user, document=instance, reason=reason)


@record_schema("年度数据", FigureSerializer)
class FigureViewSet(VoidMixin, RecordViewSet):
    model = YearlyFigure
    serializer_class = FigureSerializer
    filterset_class = FigureFilter
    search_fields = ["source"]
    ordering_fields = ["year", "item", "value", "updated_at"]
    ordering = ["-year", "body__path", "item"]

    def perform_update(self, serializer: FigureSerializer) -> None:
        instance = serializer.instance
        data = serializer.validated_data
        for name in ("body", "year", "item"):
            if name in data and data[name] != getattr(instance, name):
                raise ValidationError(
                    {name: [_("年度数据的机构、年度和项目不能修改；请作废后重新录入。")]}
                )
        super().perform_update(serializer)

    def save(self, instance: YearlyFigure, extra: dict) -> YearlyFigure:
        return services.figure_set(
            actor=self.request.user,
            body=instance.body,
            year=instance.year,
            item=instance.item,
            value=instance.value,
            source=instance.source,
        )

    def void_record(self, instance: YearlyFigure, reason: str) -> YearlyFigure:
        return services.figure_void(actor=self.request.user, figure=instance, reason=reason)


# --- the deadline calculator (public) ------------------------------------------------------


class DeadlineView(ApiMixin, APIView):
    """The reply deadline of a request received on a date (第三十三条), as the product computes
    it for every request: 20 working days, optionally extended by up to 20 more."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        summary=_("答复期限计算"),
        parameters=[
            OpenApiParameter(
                "received",
                OpenApiTypes.DATE,
                required=True,
                description=_("收到申请日期（YYYY-MM-DD）"),
            ),
            OpenApiParameter(
                "extension_days",
                OpenApiTypes.INT,
                required=False,
                description=_("延期工作日数（1至20）"),
            ),
        ],
        responses={
            200: DeadlineSerializer,
            400: OpenApiResponse(description=_("日期格式错误或延期天数超出范围。")),
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        extension_days = query.validated_data.get("extension_days")
        due = compute_due(
            received_on=query.validated_data["received"], extension_days=extension_days
        )
        return Response(
            {
                "received": due.received_on.isoformat(),
                "due_date": due.base_due_date.isoformat(),
                "extended_due_date": (
                    due.extended_due_date.isoformat() if due.extended_due_date else None
                ),
                "skipped": [
                    {"date": day.date.isoformat(), "reason": day.reason} for day in due.skipped
                ],
                "warnings": list(due.warnings),
            },
            status=status.HTTP_200_OK,
        )
