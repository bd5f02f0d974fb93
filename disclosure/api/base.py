"""Shared plumbing of the API: JSON errors, service errors as 400s, the public throttle,
pagination, the role check, and the record viewset every register builds on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import (
    APIException,
    NotFound,
    ParseError,
    PermissionDenied,
    ValidationError,
)
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView, exception_handler

from disclosure import concurrency
from disclosure.access import BodyChangeRefused, has_role_at
from disclosure.models import Body
from disclosure.parsers import BodyTooLarge, UnparsableBody
from disclosure.serializers import VoidSerializer
from disclosure.services import RecordVoided
from disclosure.vocab import Role


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
    """DRF's handler, plus Django's ``ValidationError`` as a 400 rather than a 500, a body
    too large for ``DATA_UPLOAD_MAX_MEMORY_SIZE`` as a 413 in JSON, and a body that cannot be
    parsed named in Chinese (DRF's "JSON parse error - …" is English)."""
    if isinstance(exc, BodyChangeRefused):
        exc = PermissionDenied(detail=validation_error_detail(exc))
    elif isinstance(exc, RecordVoided):
        exc = Conflict(detail=validation_error_detail(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=validation_error_detail(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    if isinstance(exc, ParseError) and not isinstance(exc, UnparsableBody):
        exc = ParseError(_("请求内容无法解析，请检查格式（如 JSON）是否正确。"))
    return exception_handler(exc, context)


@contextmanager
def service_errors(renames: dict[str, str] | None = None, *, under: str = "") -> Iterator[None]:
    """Turn a service's ``ValidationError`` into the API's 400, naming the API's fields:
    ``renames`` maps a model field to the API field; ``under`` nests every error below one
    API field (a nested record such as ``new_applicant``)."""
    try:
        yield
    except (BodyChangeRefused, RecordVoided):
        raise  # a 403 and a 409, by ``api_exception_handler``
    except DjangoValidationError as error:
        detail = validation_error_detail(error)
        if renames and isinstance(detail, dict):
            detail = {renames.get(key, key): value for key, value in detail.items()}
        if under:
            detail = {under: detail}
        raise ValidationError(detail=detail) from error


class PreconditionFailed(APIException):
    """412: the record changed since the client read it (``If-Match`` names another
    version); nothing was written."""

    status_code = 412
    default_detail = _("记录已被修改，请重新读取后再修改。")
    default_code = "precondition_failed"


class Conflict(APIException):
    """409: the record's state refuses the change (a voided record); nothing was written."""

    status_code = 409
    default_detail = _("记录的状态不允许此操作。")
    default_code = "conflict"


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
    invalid_page_message = _("页码超出范围。")

    def get_page_size(self, request: Request) -> int:
        """``page_size`` from 1 to ``max_page_size``; another value is a 400 (DRF would
        quietly serve a page of another size)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("每页条数须为 1 至 %(max)s 的整数。") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def paginate_queryset(self, queryset, request: Request, view=None):
        # ``?page=`` is no page number (DRF would serve the first page).
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(self.invalid_page_message)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """The page is counted from 1 (a page past the last answers 404); a page holds 1 to
        ``max_page_size`` rows."""
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": str(_("页码，从 1 开始；超出最后一页时返回 404。")),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": str(_("每页条数（1 至 %(max)s，默认 %(default)s）"))
                % {"max": self.max_page_size, "default": api_settings.PAGE_SIZE},
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class ApiMixin:
    """JSON errors for everything, Django's ``ValidationError`` included. Token first, so
    that a request without credentials is answered 401 with ``WWW-Authenticate: Token``."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_exception_handler(self):
        return api_exception_handler


def require_edit(user, body: Body | None) -> None:
    """The API's 403 unless ``user`` holds 录入 at ``body`` (``access.has_role_at``)."""
    if not has_role_at(user, body, Role.EDIT):
        raise PermissionDenied(_("您在该机构没有录入权限。"))


NOT_FOUND = _("记录不存在或不在您的权限范围内。")

WRITES = ("POST", "PUT", "PATCH")

ERROR_RESPONSES = {
    400: OpenApiResponse(
        description=_("校验错误：{字段名: [中文说明]}，非字段错误在 non_field_errors。")
    ),
    403: OpenApiResponse(description=_("未登录，或在该机构没有录入权限。")),
    404: OpenApiResponse(description=NOT_FOUND),
}

CHANGE_RESPONSES = {
    **ERROR_RESPONSES,
    409: OpenApiResponse(description=_("记录已作废（或机构已撤销），不能修改或再次作废、撤销。")),
    412: OpenApiResponse(
        description=_(
            "If-Match 所列版本不是记录的当前版本：记录在您读取之后已被他人修改，"
            "detail 说明由谁、于何时修改；本次修改没有保存。"
        )
    ),
}
"""What a change of a stored record answers besides its success."""

THROTTLED = OpenApiResponse(
    description=_("请求过于频繁（公开接口按客户端限流），请稍后再试；Retry-After 给出等待秒数。")
)


LIST_ERRORS = {
    400: OpenApiResponse(
        description=_("筛选条件无效（如不在可选值之内的取值）：{参数名: [中文说明]}。")
    ),
    404: OpenApiResponse(description=_("页码超出范围（page 大于最后一页）。")),
}
"""What a list answers besides its page: a filter refused, a page past the last."""


def record_schema(
    noun: str,
    serializer,
    *,
    list_serializer=None,
    update_serializer=None,
    voidable: bool = True,
    note: str = "",
):
    """The OpenAPI description of a record viewset: its actions (summaries and descriptions
    in Chinese, ``note`` added to each) and their error answers."""
    read = {403: ERROR_RESPONSES[403], 404: ERROR_RESPONSES[404]}
    write = "须在记录所属机构（修改时为修改前后的机构）具有“录入”角色；校验与管理后台相同。"
    versioned = (
        "请求头 If-Match 可附上读取记录时响应头 ETag 的值：记录在此之后已被修改时返回 412，"
        "不覆盖他人的修改；不附 If-Match 时照常保存。"
    )

    def described(text: str) -> str:
        return f"{text}{note}"

    tags = [noun]  # the documentation groups the operations by record, in Chinese
    update_request = {"request": update_serializer} if update_serializer else {}

    actions = {
        "list": extend_schema(
            summary=f"{noun}列表",
            tags=tags,
            description=described(
                f"您有权查看的{noun}（您所属机构及其下级机构的），可筛选、搜索、排序，分页返回。"
            ),
            responses={200: (list_serializer or serializer)(many=True), **LIST_ERRORS},
        ),
        "retrieve": extend_schema(
            summary=f"{noun}详情",
            tags=tags,
            description=described(f"一条{noun}。"),
            responses={200: serializer, **read},
        ),
        "create": extend_schema(
            summary=f"新增{noun}",
            tags=tags,
            description=described(f"新增一条{noun}。{write}"),
            responses={201: serializer, **ERROR_RESPONSES},
        ),
        "update": extend_schema(
            summary=f"修改{noun}",
            tags=tags,
            description=described(f"修改一条{noun}（提交全部字段）。{write}{versioned}"),
            **update_request,
            responses={200: serializer, **CHANGE_RESPONSES},
        ),
        "partial_update": extend_schema(
            summary=f"修改{noun}（部分字段）",
            tags=tags,
            description=described(f"修改一条{noun}的部分字段。{write}{versioned}"),
            **update_request,
            responses={200: serializer, **CHANGE_RESPONSES},
        ),
    }
    if voidable:
        actions["void"] = extend_schema(
            summary=f"作废{noun}（代替删除）",
            tags=tags,
            description=described(
                f"作废一条{noun}，代替删除：须填写作废原因；记录保留并标为已作废，"
                "此后不计入任何统计。"
            ),
            request=VoidSerializer,
            responses={200: serializer, **CHANGE_RESPONSES},
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

    def get_object(self) -> Model:
        # Django's get_object_or_404 says "No InformationRequest matches the given query."
        try:
            obj = super().get_object()
        except Http404:
            raise NotFound(NOT_FOUND) from None
        if self.request.method in WRITES and not getattr(self, "_version_checked", False):
            # A write names the version it read in If-Match: refused (412) when the record
            # has changed since, nothing written. The row stays locked until the write ends.
            # Checked once: a view reading the record again after its write (a body's move)
            # reads the new version.
            self._version_checked = True
            try:
                concurrency.require_version(
                    self.model,
                    obj.pk,
                    concurrency.versions_in(self.request.headers.get("If-Match")),
                )
            except concurrency.StaleEdit as stale:
                raise PreconditionFailed(str(stale)) from None
        return obj

    def dispatch(self, request, *args, **kwargs):
        # A write is one transaction: the version checked is the version overwritten.
        if request.method in WRITES:
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        """Every single record the API returns carries its version as ``ETag``."""
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            self.action != "list"
            and response.status_code in (200, 201)
            and isinstance(data, dict)
            and "id" in data
        ):
            version = concurrency.stored_version(self.model, data["id"])
            if version is not None:
                response["ETag"] = concurrency.etag(version)
        return response

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
