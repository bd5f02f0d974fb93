"""Appeal cases, the register of documents, and the yearly figures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from disclosure import services
from disclosure.api.base import RecordViewSet, VoidMixin, record_schema
from disclosure.api_filters import AppealFilter, DocumentFilter, FigureFilter
from disclosure.models import AppealCase, Document, YearlyFigure
from disclosure.serializers import (
    AppealSerializer,
    DocumentSerializer,
    FigureSerializer,
    FigureUpdateSerializer,
)


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


@record_schema("年度数据", FigureSerializer, update_serializer=FigureUpdateSerializer)
class FigureViewSet(VoidMixin, RecordViewSet):
    model = YearlyFigure
    serializer_class = FigureSerializer
    filterset_class = FigureFilter
    search_fields = ["source"]
    ordering_fields = ["year", "item", "value", "updated_at"]
    ordering = ["-year", "body__path", "item"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return FigureUpdateSerializer
        return FigureSerializer

    def perform_update(self, serializer: FigureSerializer) -> None:
        # Read-only on update: a value sent anyway must be the stored one.
        instance = serializer.instance
        stored = {"body": instance.body.code, "year": instance.year, "item": instance.item}
        for name, value in stored.items():
            if name in self.request.data and self.request.data[name] != value:
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
