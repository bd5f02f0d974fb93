"""The models' own rules: clean(), the database constraints that mirror it, days left and
the chainable read rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure.models import (
    AppealCase,
    Attachment,
    Body,
    BodyScopedQuerySet,
    Consultation,
    Document,
    InformationRequest,
    Membership,
    YearlyFigure,
)
from disclosure.vocab import (
    AppealResult,
    AttachmentKind,
    BodyKind,
    FigureItem,
    Result,
    Role,
)
from tests.factories import (
    AppealFactory,
    BodyFactory,
    DocumentFactory,
    FigureFactory,
    MembershipFactory,
    RequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def refused_by_database(save) -> bool:
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        return True
    return False


# --- bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "month", "day", "deadline"),
    [
        (BodyKind.DEPARTMENT, None, None, D(2026, 1, 31)),
        (BodyKind.GOVERNMENT, None, None, D(2026, 3, 31)),
        (BodyKind.TOWNSHIP, 1, 15, D(2026, 1, 15)),
        (BodyKind.OTHER, None, None, None),
    ],
)
def test_report_deadline_by_kind(kind, month, day, deadline):
    body = Body(kind=kind, report_deadline_month=month, report_deadline_day=day)
    assert body.report_deadline(2025) == deadline


def test_report_deadline_needs_month_and_day_together():
    body = BodyFactory.build(kind=BodyKind.TOWNSHIP, report_deadline_month=1)
    with pytest.raises(ValidationError) as refused:
        body.full_clean(exclude=["path", "depth"])
    assert refused.value.message_dict == {
        "report_deadline_day": ["年度报告截止月和日须同时填写或同时留空。"]
    }


def test_report_deadline_must_be_a_real_date():
    body = BodyFactory.build(report_deadline_month=2, report_deadline_day=30)
    with pytest.raises(ValidationError) as refused:
        body.full_clean(exclude=["path", "depth"])
    assert refused.value.message_dict == {"report_deadline_day": ["年度报告截止日期不是有效日期。"]}


def test_database_refuses_abolition_before_establishment():
    body = BodyFactory(established_on=D(2020, 1, 1))
    body.abolished_on = D(2019, 12, 31)
    assert refused_by_database(body.save)


def test_subtree_and_visibility_follow_the_path(tree_of_three):
    city, county, sibling = tree_of_three
    assert set(Body.objects.subtree_of(county)) == {county}
    assert set(Body.objects.subtree_of(city)) == {city, county, sibling}
    viewer = MembershipFactory(body=county, role=Role.VIEW).user
    assert set(Body.objects.visible_to(viewer)) == {county}
    assert set(Body.objects.with_role(viewer, Role.EDIT)) == set()
    assert set(Body.objects.with_role(viewer, Role.VIEW)) == {county}


def test_existing_on_respects_establishment_and_abolition():
    old = BodyFactory(abolished_on=D(2023, 6, 30))
    new = BodyFactory(established_on=D(2023, 7, 1))
    always = BodyFactory()
    assert set(Body.objects.existing_on(D(2023, 6, 30))) == {old, always}
    assert set(Body.objects.existing_on(D(2023, 7, 1))) == {new, always}


def test_existing_between_keeps_bodies_that_existed_on_any_day_of_the_period():
    gone_before = BodyFactory(abolished_on=D(2022, 12, 31))
    gone_on_first_day = BodyFactory(abolished_on=D(2023, 1, 1))
    new_on_last_day = BodyFactory(established_on=D(2023, 12, 31))
    new_after = BodyFactory(established_on=D(2024, 1, 1))
    always = BodyFactory()
    assert set(Body.objects.existing_between(D(2023, 1, 1), D(2023, 12, 31))) == {
        gone_on_first_day,
        new_on_last_day,
        always,
    }
    assert {gone_before, new_after}.isdisjoint(
        Body.objects.existing_between(D(2023, 1, 1), D(2023, 12, 31))
    )


@pytest.fixture
def tree_of_three():
    city = BodyFactory(code="city")
    return city, BodyFactory(code="county", parent=city), BodyFactory(code="sib", parent=city)


# --- requests: rules and constraints ------------------------------------------------------------


def test_result_without_conclusion_is_refused_by_clean_and_database():
    request = RequestFactory.build(body=BodyFactory(), reference="x", result=Result.GRANTED)
    with pytest.raises(ValidationError):
        request.full_clean()
    assert refused_by_database(request.save)


def test_conclusion_before_receipt_is_refused_by_the_database():
    request = RequestFactory.build(
        body=BodyFactory(), concluded_on=D(2023, 2, 1), result=Result.GRANTED
    )
    assert refused_by_database(request.save)


def test_withdrawal_must_conclude_as_other_other_in_the_database():
    request = RequestFactory.build(
        body=BodyFactory(),
        withdrawn_on=D(2023, 3, 5),
        concluded_on=D(2023, 3, 5),
        result=Result.GRANTED,
    )
    assert refused_by_database(request.save)


def test_references_are_unique_per_body_in_the_database():
    body = BodyFactory()
    RequestFactory(body=body, reference="2023-0001")
    assert refused_by_database(lambda: RequestFactory(body=body, reference="2023-0001"))
    assert not refused_by_database(lambda: RequestFactory(reference="2023-0001"))


def test_extension_days_outside_one_to_twenty_are_refused_by_the_database():
    request = RequestFactory.build(
        body=BodyFactory(), extension_days=21, extension_decided_on=D(2023, 3, 20)
    )
    assert refused_by_database(request.save)


def test_extension_needs_its_decision_date():
    request = RequestFactory.build(body=BodyFactory(), reference="x", extension_days=5)
    with pytest.raises(ValidationError) as refused:
        request.full_clean()
    assert refused.value.message_dict == {"extension_decided_on": ["延期须填写批准日期。"]}


def test_consultation_answer_before_sending_is_refused_by_the_database():
    consultation = Consultation(
        request=RequestFactory(), party="甲", sent_on=D(2023, 3, 5), answered_on=D(2023, 3, 4)
    )
    assert refused_by_database(consultation.save)


# --- requests: days left (the status is disclosure.clock's: tests/disclosure/test_clock.py) ---


def test_days_left_count_to_the_due_date_and_go_negative_after_it():
    request = RequestFactory(received_on=D(2025, 9, 30), due_date=D(2025, 11, 4))
    assert request.days_left_on(D(2025, 11, 1)) == 3
    assert request.days_left_on(D(2025, 11, 6)) == -2


def test_a_concluded_request_has_no_days_left():
    request = RequestFactory(
        received_on=D(2025, 9, 30),
        due_date=D(2025, 11, 4),
        concluded_on=D(2025, 11, 10),
        result=Result.GRANTED,
    )
    assert request.days_left_on(D(2025, 11, 10)) is None


# --- requests: read rules --------------------------------------------------------------------------


def test_received_between_includes_both_ends():
    inside = {
        RequestFactory(received_on=D(2025, 1, 1)),
        RequestFactory(received_on=D(2025, 12, 31)),
    }
    RequestFactory(received_on=D(2024, 12, 31))
    RequestFactory(received_on=D(2026, 1, 1))
    assert (
        set(InformationRequest.objects.received_between(D(2025, 1, 1), D(2025, 12, 31))) == inside
    )


def test_concluded_in_counts_by_conclusion_year():
    crossing = RequestFactory(
        received_on=D(2024, 12, 31), concluded_on=D(2025, 1, 1), result=Result.GRANTED
    )
    assert list(InformationRequest.objects.concluded_in(2025)) == [crossing]
    assert list(InformationRequest.objects.concluded_in(2024)) == []


def test_open_on_a_day_excludes_requests_concluded_by_then():
    crossing = RequestFactory(
        received_on=D(2024, 12, 31), concluded_on=D(2025, 1, 1), result=Result.GRANTED
    )
    assert list(InformationRequest.objects.open_on(D(2024, 12, 31))) == [crossing]
    assert list(InformationRequest.objects.open_on(D(2025, 1, 1))) == []


def test_voided_requests_are_not_active():
    RequestFactory(voided_at=timezone.now())
    kept = RequestFactory()
    assert list(InformationRequest.objects.active()) == [kept]


@pytest.mark.parametrize("factory", [RequestFactory, AppealFactory])
def test_open_during_a_year_is_opened_by_its_end_and_not_concluded_before_its_start(factory):
    opened = "received_on" if factory is RequestFactory else "filed_on"
    result = Result.GRANTED if factory is RequestFactory else AppealResult.UPHELD

    def case(start, concluded=None):
        return factory(
            **{opened: start}, concluded_on=concluded, result=result if concluded else ""
        )

    counted = {
        case(D(2024, 12, 1)),  # carried over, still open
        case(D(2024, 12, 1), D(2025, 1, 1)),  # carried over, concluded on the first day
        case(D(2025, 12, 31)),  # opened on the last day
        case(D(2025, 3, 1), D(2026, 2, 1)),  # carried forward
    }
    case(D(2024, 12, 1), D(2024, 12, 31))  # concluded the day before
    case(D(2026, 1, 1))  # opened the day after
    model = factory._meta.model
    assert set(model.objects.open_during(2025)) == counted


# --- appeals, register, figures ---------------------------------------------------------------------


def test_case_numbers_are_unique_per_kind():
    AppealFactory(kind="reconsideration", case_number="（2023）1号")
    assert refused_by_database(
        lambda: AppealFactory(kind="reconsideration", case_number="（2023）1号")
    )
    assert not refused_by_database(
        lambda: AppealFactory(kind="litigation_direct", case_number="（2023）1号")
    )


def test_appeal_linked_request_must_be_of_the_same_body():
    case = AppealFactory.build(body=BodyFactory(), request=RequestFactory())
    with pytest.raises(ValidationError) as refused:
        case.full_clean()
    assert refused.value.message_dict == {"request": ["关联申请须为同一机构的申请。"]}


def test_document_repealed_before_issue_is_refused_by_the_database():
    document = DocumentFactory.build(body=BodyFactory(), repealed_on=D(2023, 5, 1))
    assert refused_by_database(document.save)


def test_fractional_counts_are_refused_but_fees_keep_four_decimals():
    assert refused_by_database(lambda: FigureFactory(item=FigureItem.PENALTY, value=Decimal("1.5")))
    fee = FigureFactory(item=FigureItem.FEES, value=Decimal("12.3456"))
    assert YearlyFigure.objects.get(pk=fee.pk).value == Decimal("12.3456")


def test_negative_figures_are_refused_by_the_database():
    assert refused_by_database(lambda: FigureFactory(item=FigureItem.FEES, value=Decimal("-1")))


def test_figures_are_unique_per_body_year_and_item():
    figure = FigureFactory(item=FigureItem.WEBSITE, value=5)
    assert refused_by_database(
        lambda: FigureFactory(body=figure.body, year=figure.year, item=FigureItem.WEBSITE, value=6)
    )


def test_superuser_sees_all_bodies_and_inactive_user_none():
    BodyFactory()
    assert Body.objects.visible_to(UserFactory(is_superuser=True)).count() == 1
    assert Body.objects.visible_to(UserFactory(is_superuser=True, is_active=False)).count() == 0


# --- visibility: one rule on a shared queryset ----------------------------------------------------


def _one_row_per_county(model, county_a, county_b):
    """A row of ``model`` in county A's subtree and one in county B."""
    if model is Membership:
        return (
            MembershipFactory(body=county_a, role=Role.VIEW),
            MembershipFactory(body=county_b, role=Role.VIEW),
        )
    if model in (Consultation, Attachment):
        extra = {"party": "第三方", "sent_on": D(2023, 3, 2)}
        if model is Attachment:
            extra = {"kind": AttachmentKind.REPLY, "file": "attachments/reply.pdf"}
        return tuple(
            model.objects.create(request=RequestFactory(body=body), **extra)
            for body in (county_a, county_b)
        )
    factory = {
        InformationRequest: RequestFactory,
        AppealCase: AppealFactory,
        Document: DocumentFactory,
        YearlyFigure: FigureFactory,
    }[model]
    return factory(body=county_a), factory(body=county_b)


@pytest.mark.parametrize(
    "model",
    [
        InformationRequest,
        AppealCase,
        Document,
        YearlyFigure,
        Consultation,
        Attachment,
        Membership,
    ],
)
def test_every_body_scoped_record_is_visible_where_its_body_is(model, django_assert_num_queries):
    city = BodyFactory(code="city")
    county_a = BodyFactory(code="county-a", parent=city)
    county_b = BodyFactory(code="county-b", parent=city)
    department_a = BodyFactory(code="dept-a", parent=county_a)
    row_a, row_b = _one_row_per_county(model, department_a, county_b)
    viewer = MembershipFactory(user=UserFactory(username="viewer"), body=county_a, role=Role.VIEW)
    root = UserFactory(username="root", is_superuser=True)
    old_root = UserFactory(username="old-root", is_superuser=True, is_active=False)
    assert isinstance(model.objects.all(), BodyScopedQuerySet)
    with django_assert_num_queries(2):  # the viewer's memberships, then the rows
        visible = set(model.objects.visible_to(viewer.user))
    assert visible == ({row_a, viewer} if model is Membership else {row_a})
    assert {row_a, row_b} <= set(model.objects.visible_to(root))
    assert not model.objects.visible_to(old_root).exists()
    assert not model.objects.visible_to(AnonymousUser()).exists()


def test_an_absurd_report_deadline_is_a_field_error_not_a_crash():
    from django.core.exceptions import ValidationError

    from disclosure.models import Body

    body = Body(
        code="x", name="某乡", kind="township", report_deadline_month=12, report_deadline_day=10**20
    )
    with pytest.raises(ValidationError) as refusal:
        body.clean()
    assert "report_deadline_day" in refusal.value.message_dict
