"""The one home of the value rules: each rule once, with one message, and that message at
every entry point — the admin (a form post), the API, the workbook import and the report
import — with nothing saved on a refusal."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from rest_framework.test import APIClient

from disclosure import validators
from disclosure.importing import Problem, WorkbookRejected, records_import
from disclosure.models import (
    AuditEntry,
    Body,
    CalendarDay,
    Consultation,
    Document,
    InformationRequest,
    YearlyFigure,
)
from disclosure.models.fields import DateField
from disclosure.vocab import ApplicantKind, BodyKind, CalendarDayKind, Channel
from reports.models import Report
from tests.disclosure.admin_helpers import county_world
from tests.disclosure.import_helpers import (
    BODY_HEADER,
    FIGURE_HEADER,
    REQUEST_HEADER,
    csv_text,
    xlsx,
)
from tests.disclosure.test_models import refused_by_database
from tests.factories import BodyFactory, DocumentFactory, RequestFactory, UserFactory
from tests.reports.engine_data import seed_document

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# Every entry point below runs on 10 November 2025.
on_a_fixed_day = pytest.mark.time_machine(
    datetime.datetime(2025, 11, 10, 10, 0, tzinfo=SHANGHAI), tick=False
)
TOMORROW = "2025-11-11"

# The shared messages, as an official reads them.
AFTER_TODAY = "日期不能晚于今天（2025-11-10）。"
REPORT_YEARS = "年度须在 2021 至 2099 之间。"
FIGURE_YEARS = "年度须在 2008 至 2099 之间。"
BAD_CODE = "机构代码只能包含字母、数字、“-”和“_”。"


def messages(validator, value) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        validator(value)
    return refused.value.messages


# --- the rules ---------------------------------------------------------------------------------


@on_a_fixed_day
def test_a_record_date_runs_from_the_regulation_to_today():
    validators.RECORD_DATE(D(2008, 5, 1))
    validators.RECORD_DATE(D(2025, 11, 10))
    assert messages(validators.RECORD_DATE, D(2025, 11, 11)) == [AFTER_TODAY]
    assert messages(validators.RECORD_DATE, D(2008, 4, 30)) == ["日期须在 2008-05-01 至今天之间。"]


def test_today_is_read_when_validating_not_when_the_module_was_loaded(time_machine):
    time_machine.move_to(datetime.datetime(2025, 11, 10, 10, 0, tzinfo=SHANGHAI), tick=False)
    assert messages(validators.RECORD_DATE, D(2025, 11, 11)) == [AFTER_TODAY]
    time_machine.move_to(datetime.datetime(2025, 11, 11, 10, 0, tzinfo=SHANGHAI), tick=False)
    validators.RECORD_DATE(D(2025, 11, 11))


def test_within_one_day_today_is_the_day_the_block_began_on(time_machine):
    time_machine.move_to(datetime.datetime(2025, 11, 10, 23, 59, tzinfo=SHANGHAI), tick=False)
    with validators.one_day() as day:
        assert day == D(2025, 11, 10)
        time_machine.move_to(datetime.datetime(2025, 11, 11, 0, 1, tzinfo=SHANGHAI), tick=False)
        assert validators.today() == D(2025, 11, 10)
        assert messages(validators.RECORD_DATE, D(2025, 11, 11)) == [AFTER_TODAY]
    assert validators.today() == D(2025, 11, 11)
    validators.RECORD_DATE(D(2025, 11, 11))


def test_a_deadline_may_lie_in_the_future_up_to_2099():
    validators.DEADLINE_DATE(D(2099, 12, 31))
    expected = ["日期须在 2008-05-01 至 2099-12-31 之间。"]
    assert messages(validators.DEADLINE_DATE, D(2100, 1, 1)) == expected
    assert messages(validators.DEADLINE_DATE, D(2008, 4, 30)) == expected


@on_a_fixed_day
def test_the_register_reaches_back_to_1949():
    validators.ISSUE_DATE(D(1949, 10, 1))
    validators.REGISTER_DATE(D(2099, 12, 31))
    assert messages(validators.ISSUE_DATE, D(1949, 9, 30)) == ["日期须在 1949-10-01 至今天之间。"]
    assert messages(validators.ISSUE_DATE, D(2025, 11, 11)) == [AFTER_TODAY]
    assert messages(validators.REGISTER_DATE, D(2100, 1, 1)) == [
        "日期须在 1949-10-01 至 2099-12-31 之间。"
    ]


@pytest.mark.parametrize("year", [2020, 2100, 0, 99999])
def test_a_report_year_runs_from_the_current_format_to_2099(year):
    assert messages(validators.REPORT_YEAR, year) == [REPORT_YEARS]


@pytest.mark.parametrize("year", [2007, 2100])
def test_a_figure_year_runs_from_2008_to_2099(year):
    assert messages(validators.FIGURE_YEAR, year) == [FIGURE_YEARS]


@pytest.mark.parametrize("code", ["bad code", "甲县", "a/b", "county\x00a", "city\n", ""])
def test_a_body_code_is_letters_digits_dash_and_underscore(code):
    assert messages(validators.validate_body_code, code) == [BAD_CODE]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "“2026-02-30”不是有效日期。"),
        ("2026/2/30", "“2026/2/30”不是有效日期。"),
        ("2025-13-01", "“2025-13-01”不是有效日期。"),
        ("2026年2月30日", "“2026年2月30日”不是有效日期。"),
        ("yesterday", "“yesterday”不是日期，请按 YYYY-MM-DD 填写，例如 2025-09-30。"),
        ("2025/09/30", "“2025/09/30”不是日期，请按 YYYY-MM-DD 填写，例如 2025-09-30。"),
    ],
)
def test_a_text_that_is_not_a_date_says_which_way_it_is_wrong(text, message):
    assert validators.date_text_error(text).messages == [message]


def test_every_model_of_the_product_refuses_nul_in_its_text():
    ours = [
        model
        for label in ("disclosure", "reports", "jobs")
        for model in apps.get_app_config(label).get_models()
    ]
    assert [model for model in ours if not issubclass(model, validators.NulFreeModel)] == []


def test_every_date_field_of_both_apps_says_not_a_date_in_the_shared_words():
    dates = {
        f"{model.__name__}.{field.name}": field
        for label in ("disclosure", "reports")
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
    }
    assert len(dates) == 26
    assert [name for name, field in dates.items() if not isinstance(field, DateField)] == []


def test_every_static_bound_of_a_field_is_also_a_database_constraint():
    """The CheckConstraints are written beside the fields: they must hold the same bounds."""
    missing = []
    for label in ("disclosure", "reports"):
        for model in apps.get_app_config(label).get_models():
            checked = {
                child
                for constraint in model._meta.constraints
                if isinstance(constraint, models.CheckConstraint)
                for child in constraint.condition.children
            }
            for field in model._meta.concrete_fields:
                for rule in field.validators:
                    if isinstance(rule, validators.DateRange):
                        wanted = rule.condition(field.name).children
                    elif isinstance(rule, validators.YearRange):
                        wanted = rule.check(field.name, "-").condition.children
                    else:
                        continue
                    missing += [f"{model.__name__}: {c}" for c in wanted if c not in checked]
    assert missing == []


@pytest.mark.django_db
def test_a_nul_character_is_refused_in_any_text_field_by_name():
    request = RequestFactory.build(body=BodyFactory(), content="内容\x00", reply_summary="\x00")
    with pytest.raises(ValidationError) as refused:
        request.full_clean(exclude=["reference"])
    assert refused.value.message_dict == {
        "content": ["不能包含空字符（NUL）。"],
        "reply_summary": ["不能包含空字符（NUL）。"],
    }


# --- the database holds the static bounds --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (InformationRequest, "received_on", D(2008, 4, 30)),
        (InformationRequest, "received_on", D(2100, 1, 1)),
        (InformationRequest, "fee_due_on", D(2100, 1, 1)),
        (Document, "issued_on", D(1949, 9, 30)),
        (Document, "valid_until", D(2100, 1, 1)),
    ],
)
def test_the_database_refuses_a_date_outside_its_static_bounds(model, field, value):
    row = RequestFactory() if model is InformationRequest else DocumentFactory()
    assert refused_by_database(lambda: model.objects.filter(pk=row.pk).update(**{field: value}))
    assert getattr(model.objects.get(pk=row.pk), field) != value


@pytest.mark.django_db
def test_the_database_refuses_a_year_outside_its_range():
    body = BodyFactory()
    assert refused_by_database(lambda: Report.objects.create(body=body, year=2100))
    assert refused_by_database(
        lambda: YearlyFigure.objects.create(body=body, year=2007, item="licensing", value=1)
    )
    assert not Report.objects.exists() and not YearlyFigure.objects.exists()


# --- the admin ------------------------------------------------------------------------------------


def request_form(body: Body, *, applicant=None, consultations: int = 0, **overrides) -> dict:
    data = {
        "body": str(body.pk),
        "applicant": str(applicant.pk) if applicant else "",
        "applicant_kind": ApplicantKind.NATURAL_PERSON,
        "channel": Channel.INTERNET,
        "received_on": "2025-09-30",
        "content": "申请公开2024年财政预算",
    }
    for prefix, total in (("consultations", consultations), ("attachments", 0)):
        data |= {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


def saved_rows() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Body, InformationRequest, YearlyFigure, Report, AuditEntry)
    )


@pytest.mark.django_db
@on_a_fixed_day
def test_admin_refuses_a_receipt_date_after_today(admin_client):
    body = BodyFactory()
    before = saved_rows()
    response = admin_client.post(
        "/admin/disclosure/informationrequest/add/", request_form(body, received_on=TOMORROW)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"received_on": [AFTER_TODAY]}
    assert saved_rows() == before


@pytest.mark.django_db
def test_admin_says_an_impossible_date_is_not_a_date(admin_client):
    body = BodyFactory()
    before = saved_rows()
    response = admin_client.post(
        "/admin/disclosure/informationrequest/add/",
        request_form(body, received_on="2025-02-30", concluded_on="2025/2/29"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "received_on": ["“2025-02-30”不是有效日期。"],
        "concluded_on": ["“2025/2/29”不是有效日期。"],
    }
    assert saved_rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["2100", "2020", "99999"])
def test_admin_refuses_a_report_year_outside_the_range(admin_client, year):
    body = BodyFactory()
    before = saved_rows()
    response = admin_client.post(
        "/admin/reports/report/add/", {"body": body.pk, "year": year, "scope": "own"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"year": [REPORT_YEARS]}
    assert saved_rows() == before


@pytest.mark.django_db
def test_admin_refuses_a_malformed_body_code(admin_client):
    before = saved_rows()
    response = admin_client.post(
        "/admin/disclosure/body/add/",
        {
            "code": "wu wei",
            "name": "武威市人民政府",
            "kind": BodyKind.GOVERNMENT,
            "moves-TOTAL_FORMS": "0",
            "moves-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"code": [BAD_CODE]}
    assert saved_rows() == before


# --- the API --------------------------------------------------------------------------------------


@pytest.fixture
def api(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=UserFactory(username="root", is_superuser=True))
    return client


@on_a_fixed_day
def test_api_refuses_a_receipt_date_after_today(api):
    body = BodyFactory(code="county")
    before = saved_rows()
    response = api.post(
        "/api/v1/requests/",
        {
            "body": body.code,
            "applicant_kind": ApplicantKind.NATURAL_PERSON,
            "channel": Channel.INTERNET,
            "received_on": TOMORROW,
            "content": "申请公开2024年财政预算",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"received_on": [AFTER_TODAY]}
    assert saved_rows() == before


@pytest.mark.parametrize("year", [2100, 2007, 99999])
def test_api_refuses_a_figure_year_outside_the_range(api, year):
    body = BodyFactory(code="county")
    before = saved_rows()
    response = api.post(
        "/api/v1/figures/",
        {"body": body.code, "year": year, "item": "licensing", "value": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"year": [FIGURE_YEARS]}
    assert saved_rows() == before


def test_api_refuses_a_report_year_outside_the_range(api):
    body = BodyFactory(code="county")
    response = api.get(f"/api/v1/reports/{body.code}/2100/")
    assert response.status_code == 400
    assert response.json() == {"year": [REPORT_YEARS]}
    assert not Report.objects.exists()


def test_api_refuses_a_malformed_body_code(api):
    before = saved_rows()
    response = api.post(
        "/api/v1/bodies/",
        {"code": "wu wei", "name": "武威市人民政府", "kind": BodyKind.GOVERNMENT},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"code": [BAD_CODE]}
    assert saved_rows() == before


# --- the workbook import ---------------------------------------------------------------------------


def rejected(sheets: dict) -> list[Problem]:
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=xlsx(sheets))
    return refused.value.problems


@pytest.mark.django_db
@on_a_fixed_day
def test_workbook_import_refuses_a_receipt_date_after_today():
    BodyFactory(code="city")
    before = saved_rows()
    row = ["city", "A-1", TOMORROW, "自然人", None, None, "互联网", "内容", None, None]
    assert rejected({"申请": [REQUEST_HEADER, row]}) == [
        Problem("申请", 2, "收到申请日期", AFTER_TODAY)
    ]
    assert saved_rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2100, 2007, 99999])
def test_workbook_import_refuses_a_figure_year_outside_the_range(year):
    BodyFactory(code="city")
    before = saved_rows()
    row = ["city", year, "行政许可", 3, None]
    assert rejected({"年度数据": [FIGURE_HEADER, row]}) == [
        Problem("年度数据", 2, "年度", FIGURE_YEARS)
    ]
    assert saved_rows() == before


@pytest.mark.django_db
def test_workbook_import_refuses_a_malformed_body_code():
    before = saved_rows()
    row = ["wu wei", "武威市人民政府", None, "人民政府", None, None, None, None]
    assert rejected({"机构": [BODY_HEADER, row]}) == [Problem("机构", 2, "机构代码", BAD_CODE)]
    assert saved_rows() == before


@pytest.mark.django_db
def test_workbook_import_refuses_a_nul_character_before_looking_the_row_up():
    # The key cells are looked up before full_clean: PostgreSQL would fail on the NUL.
    BodyFactory(code="city")
    before = saved_rows()
    row = ["city", "A-\x001", "2025-03-03", "自然人", None, None, "互联网", "内容", None, None]
    content = csv_text([REQUEST_HEADER, row]).encode("utf-8")
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="申请.csv", content=content, sheet="申请")
    assert refused.value.problems == [Problem("申请", 2, "申请编号", "不能包含空字符（NUL）。")]
    assert saved_rows() == before


# --- the report import ------------------------------------------------------------------------------


def import_report(tmp_path, **changes) -> str:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(seed_document() | changes, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(path))
    return str(refused.value)


@pytest.mark.django_db
@on_a_fixed_day
def test_report_import_refuses_a_publication_after_today(tmp_path):
    before = saved_rows()
    provenance = {"version": 1, "published_at": f"{TOMORROW}T09:00:00+08:00", "sha256": "0" * 64}
    assert import_report(tmp_path, **provenance) == f"文档有误：\npublished_at：{AFTER_TODAY}"
    assert saved_rows() == before


@pytest.mark.django_db
def test_report_import_refuses_a_year_outside_the_range(tmp_path):
    before = saved_rows()
    assert import_report(tmp_path, year=2100) == f"文档有误：\nyear：{REPORT_YEARS}"
    assert saved_rows() == before


@pytest.mark.django_db
def test_report_import_refuses_a_malformed_body_code(tmp_path):
    before = saved_rows()
    assert import_report(tmp_path, body="wu wei") == f"文档有误：\nbody：{BAD_CODE}"
    assert saved_rows() == before


# --- one rule, however a record is written -------------------------------------------------------


@pytest.mark.django_db
@on_a_fixed_day
def test_a_consultation_and_a_calendar_day_keep_their_own_ranges():
    request = RequestFactory()
    with pytest.raises(ValidationError) as refused:
        Consultation(request=request, party="第三方", sent_on=D(2025, 11, 11)).full_clean()
    assert refused.value.message_dict == {"sent_on": [AFTER_TODAY]}
    # A calendar override is not a record: any date the clock may count over.
    CalendarDay(date=D(2030, 1, 1), kind=CalendarDayKind.HOLIDAY, name="元旦").full_clean()


# a mistyped year (9999) in the admin's request form or in an imported workbook is
# refused by name; it used to overflow the working-day calendar (a 500, or a traceback from
# the import). Every entry point now refuses it by the model's rule: a request's dates run from
# 2008-05-01 to today (``disclosure.validators.RECORD_DATE``).

ON_2025_11_10 = pytest.mark.time_machine(
    datetime.datetime(2025, 11, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
    tick=False,
)

REQUEST_ADD = "/admin/disclosure/informationrequest/add/"


@pytest.fixture
def clerk_client(client):
    world = county_world()
    client.force_login(world.clerk)
    client.world = world
    return client


@pytest.mark.django_db
@ON_2025_11_10
def test_a_receipt_date_in_year_9999_is_a_field_error(clerk_client):
    before = (InformationRequest.objects.count(), AuditEntry.objects.count())
    response = clerk_client.post(
        REQUEST_ADD,
        request_form(
            clerk_client.world.department_a,
            applicant=clerk_client.world.applicant_a,
            received_on="9999-12-31",
        ),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"received_on": [AFTER_TODAY]}
    assert (InformationRequest.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
@ON_2025_11_10
def test_a_consultation_sent_in_year_9999_is_a_field_error(clerk_client):
    before = (InformationRequest.objects.count(), AuditEntry.objects.count())
    data = request_form(
        clerk_client.world.department_a,
        applicant=clerk_client.world.applicant_a,
        consultations=1,
        **{"consultations-0-party": "第三方企业", "consultations-0-sent_on": "9999-12-30"},
    )
    response = clerk_client.post(REQUEST_ADD, data)
    assert response.status_code == 200
    [consultations] = [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is Consultation
    ]
    assert consultations.formset.errors == [{"sent_on": [AFTER_TODAY]}]
    assert (InformationRequest.objects.count(), AuditEntry.objects.count()) == before
    assert Consultation.objects.count() == 0


@pytest.mark.django_db
@ON_2025_11_10
def test_the_last_days_of_the_ranges_still_save(clerk_client):
    data = request_form(
        clerk_client.world.department_a,
        applicant=clerk_client.world.applicant_a,
        received_on="2025-11-10",
        correction_notice_on="2025-11-10",
        correction_deadline="2099-12-31",
    )
    response = clerk_client.post(REQUEST_ADD, data)
    assert response.status_code == 302
    saved = InformationRequest.objects.get(content="申请公开2024年财政预算")
    assert (saved.received_on, saved.correction_deadline) == (
        datetime.date(2025, 11, 10),
        datetime.date(2099, 12, 31),
    )


@pytest.mark.django_db
@ON_2025_11_10
def test_an_imported_receipt_date_in_year_9999_names_its_cell_and_imports_nothing():
    content = xlsx(
        {
            "机构": [BODY_HEADER, ["city", "某市人民政府", None, "人民政府"]],
            "申请": [
                REQUEST_HEADER,
                ["city", "A-1", "2023-03-01", "自然人", None, None, "互联网", "内容一", None, None],
                ["city", "A-2", "9999-12-31", "自然人", None, None, "互联网", "内容二", None, None],
            ],
        }
    )
    with pytest.raises(WorkbookRejected) as refused:
        records_import(actor=None, filename="台账.xlsx", content=content)
    assert refused.value.problems == [Problem("申请", 3, "收到申请日期", AFTER_TODAY)]
    assert Body.objects.count() == 0
    assert InformationRequest.objects.count() == 0
    assert AuditEntry.objects.count() == 0
