"""Factories for tests. They write rows directly (fast set-up); behaviour under test goes
through the services."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from disclosure.models import (
    AppealCase,
    Applicant,
    Body,
    Document,
    InformationRequest,
    Membership,
    YearlyFigure,
    child_path,
)
from disclosure.validators import resident_id_check_digit
from disclosure.vocab import (
    AppealKind,
    ApplicantKind,
    BodyKind,
    Channel,
    DocumentKind,
    FigureItem,
    Role,
)


def resident_id(first17: str) -> str:
    """A 居民身份证 number from its first 17 digits, with its check digit."""
    return first17 + resident_id_check_digit(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("pass-1234")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    code = factory.Sequence(lambda n: f"body{n}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = BodyKind.DEPARTMENT
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        body = super()._create(model_class, *args, **kwargs)
        parent_path = body.parent.path if body.parent_id else "/"
        body.path = child_path(parent_path, body.pk)
        body.depth = body.path.count("/") - 2
        Body.objects.filter(pk=body.pk).update(path=body.path, depth=body.depth)
        return body


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    body = factory.SubFactory(BodyFactory)
    role = Role.EDIT


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    kind = ApplicantKind.NATURAL_PERSON
    name = factory.Sequence(lambda n: f"申请人{n}")
    # Numbers that pass the GB 11643 check digit, as a real 居民身份证 number does.
    id_number = factory.Sequence(lambda n: resident_id(f"62010119900101{n % 1000:03d}"))


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationRequest

    body = factory.SubFactory(BodyFactory)
    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    applicant_kind = ApplicantKind.NATURAL_PERSON
    channel = Channel.INTERNET
    received_on = datetime.date(2023, 3, 1)
    content = "申请公开某项政府信息"


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppealCase

    body = factory.SubFactory(BodyFactory)
    kind = AppealKind.RECONSIDERATION
    case_number = factory.Sequence(lambda n: f"（2023）复字第{n}号")
    filed_on = datetime.date(2023, 5, 1)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    body = factory.SubFactory(BodyFactory)
    kind = DocumentKind.NORMATIVE
    title = factory.Sequence(lambda n: f"关于某事项的规定{n}")
    number = factory.Sequence(lambda n: f"测政发〔2023〕{n}号")
    issued_on = datetime.date(2023, 6, 1)


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyFigure

    body = factory.SubFactory(BodyFactory)
    year = 2023
    item = FigureItem.LICENSING
    value = 0
