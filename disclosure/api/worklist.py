"""The clerk's worklist (工作台) as data: ``GET /api/v1/worklist/``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosure import worklist
from disclosure.api.base import ApiMixin
from disclosure.selectors import user_worklist
from disclosure.serializers.fields import today


class WorklistRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(label=_("申请编号"))
    body = serializers.CharField(source="body.code", label=_("机构代码"))
    received_on = serializers.DateField(label=_("收到申请日期"))
    due_date = serializers.DateField(label=_("答复期限"), allow_null=True)


class WorklistCategorySerializer(serializers.Serializer):
    label = serializers.CharField()
    description = serializers.CharField()
    count = serializers.IntegerField()
    requests = WorklistRequestSerializer(many=True)


WorklistSerializer = inline_serializer(
    "Worklist",
    {
        "date": serializers.DateField(),
        "categories": inline_serializer(
            "WorklistCategories",
            {key: WorklistCategorySerializer() for key in worklist.CATEGORIES},
        ),
    },
)


class WorklistView(ApiMixin, APIView):
    """The requests that need someone today, for the bodies the user's memberships reach:
    the same categories and counts as the admin's 工作台."""

    permission_classes = [IsAdminUser]

    @extend_schema(
        summary=_("工作台"),
        tags=[_("工作台")],
        description=_(
            "您所属机构及其下级机构今天需要处理的申请，按类别（逾期未办结 overdue、"
            "%(days)s个工作日内到期 due_soon、补正期限已过未补正 correction_lapsed、"
            "征求意见逾期未答复 consultation_unanswered、已办结未存答复书 no_reply_on_file、"
            "延期决定晚于答复期限 extension_late）给出件数 count 和最先的 %(limit)s 件"
            "（id、申请编号 reference、机构代码 body、收到申请日期 received_on、答复期限 due_date）。"
            "仅限工作人员。"
        )
        % {"days": worklist.DUE_SOON_WORKING_DAYS, "limit": worklist.LIST_LIMIT},
        responses={
            200: WorklistSerializer,
            403: OpenApiResponse(description=_("未登录，或不是工作人员。")),
        },
    )
    def get(self, request: Request) -> Response:
        day = today()
        entries = user_worklist(request.user, day)
        return Response(
            {
                "date": day,
                "categories": {
                    entry.key: WorklistCategorySerializer(
                        {
                            "label": entry.label,
                            "description": entry.description,
                            "count": entry.count,
                            "requests": entry.requests,
                        }
                    ).data
                    for entry in entries
                },
            }
        )
