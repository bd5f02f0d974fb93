"""Information requests with their consultations, new applicants and the clock."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosure import services
from disclosure.access import IdentityScope, identity_search
from disclosure.api.base import RecordViewSet, VoidMixin, record_schema, service_errors
from disclosure.api_filters import RequestFilter, StrictOrderingFilter
from disclosure.models import Applicant, Consultation, InformationRequest
from disclosure.selectors import requests_for_list
from disclosure.serializers import RequestDetailSerializer, RequestSerializer
from disclosure.vocab import AccessPage


class RequestSearchFilter(SearchFilter):
    """As in the admin: the applicant's name, ID number and telephone find a request only
    where the user sees the applicant in clear, so that search cannot reveal an identity."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        found = super().filter_queryset(request, queryset, view)
        term = " ".join(self.get_search_terms(request))
        by_identity = identity_search(request.user, term, prefix="applicant__")
        if by_identity is not None:
            found = found | queryset.filter(by_identity)
        return found


@record_schema("申请", RequestDetailSerializer, list_serializer=RequestSerializer)
class RequestViewSet(VoidMixin, RecordViewSet):
    model = InformationRequest
    filterset_class = RequestFilter
    filter_backends = [DjangoFilterBackend, RequestSearchFilter, StrictOrderingFilter]
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

    def get_serializer_context(self) -> dict:
        # Who sees which applicant in clear: the bodies read once for the whole page.
        return {
            **super().get_serializer_context(),
            "identity": IdentityScope(self.request.user),
            "listing": self.action == "list",
        }

    def retrieve(self, request: Request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        if instance.applicant_id is not None and IdentityScope(request.user).clear_at(
            instance.body_id
        ):
            services.applicant_access_record(
                user=request.user,
                applicant=instance.applicant,
                page=AccessPage.API_REQUEST,
                request=instance,
            )
        return Response(data)

    def list(self, request: Request, *args, **kwargs) -> Response:
        """A page of requests; a page showing applicants in clear is an export of personal
        data and leaves its audit row (who, which page and filter, how many rows)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        serializer = self.get_serializer(page, many=True)
        scope = serializer.context["identity"]
        shown = {
            row.applicant_id
            for row in page
            if row.applicant_id is not None and scope.clear_at(row.body_id)
        }
        services.record_personal_data_export(
            actor=request.user,
            model=InformationRequest,
            rows=len(page),
            what=_("接口申请列表 %(query)s") % {"query": request.get_full_path()},
            file_format="JSON",
            applicants=len(shown),
        )
        return self.get_paginated_response(serializer.data)

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
