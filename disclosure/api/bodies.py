"""Bodies: never deleted; a reorganisation is a dated move or an abolition, as in the admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from disclosure import services
from disclosure.access import may_place_at_top
from disclosure.api.base import (
    CHANGE_RESPONSES,
    RecordViewSet,
    record_schema,
    require_edit,
    service_errors,
)
from disclosure.api_filters import BodyFilter
from disclosure.models import Body
from disclosure.serializers import (
    BodyAbolishSerializer,
    BodyMoveSerializer,
    BodySerializer,
    BodyUpdateSerializer,
)


@record_schema(
    "机构",
    BodySerializer,
    voidable=False,
    note="机构不会被删除：机构改革时调整隶属（…/move/），或撤销并指定承继机构（…/abolish/）。",
)
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
            if not may_place_at_top(self.request.user):
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
        tags=["机构"],
        description=_(
            "自 moved_on 起，本机构及其下级机构隶属于 new_parent；此前年度的报告仍按原隶属统计。"
        ),
        request=BodyMoveSerializer,
        responses={200: BodySerializer, **CHANGE_RESPONSES},
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
            if not may_place_at_top(request.user):
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
        tags=["机构"],
        description=_(
            "机构自 abolished_on 起撤销（记录保留，不会删除），其职责由承继机构 successor 承接。"
        ),
        request=BodyAbolishSerializer,
        responses={200: BodySerializer, **CHANGE_RESPONSES},
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
