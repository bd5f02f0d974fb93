"""The public deadline calculator (第三十三条)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosure.api.base import THROTTLED, ApiMixin, PublicRateThrottle
from disclosure.calendar import compute_due
from disclosure.clock import explain
from disclosure.serializers import ClockSerializer, DeadlineQuerySerializer


class DeadlineView(ApiMixin, APIView):
    """The reply deadline of a request received on a date (第三十三条), as the product computes
    and explains it for every request: 20 working days, optionally extended by up to 20 more.
    The answer is a request's ``clock`` (``ClockSerializer``), the explanation the admin shows."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        summary=_("答复期限计算"),
        tags=[_("答复期限")],
        description=_(
            "按《条例》第三十三条计算答复期限：自收到申请之日起20个工作日（跳过法定节假日，"
            "计入调休上班日），经批准可延长不超过20个工作日。与系统为每件申请计算的期限相同，"
            "并逐日说明跳过的日期。无需登录（限流）。"
        ),
        # The query's own serializer: its ranges (``DEADLINE_DATE``, 1–20 days) are stated.
        parameters=[DeadlineQuerySerializer],
        responses={
            200: ClockSerializer,
            400: OpenApiResponse(description=_("日期格式错误或延期天数超出范围。")),
            429: THROTTLED,
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        due = compute_due(
            received_on=query.validated_data["received"],
            extension_days=query.validated_data.get("extension_days"),
        )
        return Response(ClockSerializer(explain(due)).data, status=status.HTTP_200_OK)
