from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.models import Body, BodyMove
from disclosure.vocab import (
    AppealKind,
    AppealResult,
    ApplicantKind,
    BodyKind,
    DocumentKind,
    FigureItem,
    Result,
)
from reports import format as fmt
from reports.models import Report, ReportStatus, ReportVersion, Scope
from reports.selectors import (
    comparison_for,
    compute_tables,
    computed_document,
    findings_for_report,
    report_check,
    report_document,
    report_sources,
)
from tests.factories import (
    AppealFactory,
    BodyFactory,
    DocumentFactory,
    FigureFactory,
    RequestFactory,
)
from tests.reports.engine_data import document, tables

pytestmark = pytest.mark.django_db

D = datetime.date
NATURAL = ApplicantKind.NATURAL_PERSON
COMPANY = ApplicantKind.COMMERCIAL_ENTERPRISE
LAWYER = ApplicantKind.LEGAL_SERVICE_ORG


def concluded(body, received_on, concluded_on, result, kind=NATURAL, **fields):
    return RequestFactory(
        body=body,
        applicant_kind=kind,
        received_on=received_on,
        concluded_on=concluded_on,
        result=result,
        **fields,
    )


@pytest.fixture
def bureau():
    return BodyFactory(code="bureau", kind=BodyKind.DEPARTMENT)


def test_received_31_december_and_concluded_1_january_is_carried(bureau):
    concluded(bureau, D(2022, 12, 31), D(2023, 1, 1), Result.GRANTED)
    assert (
        compute_tables(bureau, 2022, Scope.OWN)["requests"]
        == tables({("new_received", NATURAL): 1, ("carried_forward", NATURAL): 1})["requests"]
    )
    assert (
        compute_tables(bureau, 2023, Scope.OWN)["requests"]
        == tables({("carried_over", NATURAL): 1, ("granted", NATURAL): 1})["requests"]
    )


def test_a_request_open_for_two_year_ends_is_carried_twice(bureau):
    concluded(bureau, D(2022, 11, 1), D(2024, 2, 1), Result.UNABLE_NOT_HELD)
    assert (
        compute_tables(bureau, 2023, Scope.OWN)["requests"]
        == tables({("carried_over", NATURAL): 1, ("carried_forward", NATURAL): 1})["requests"]
    )
    assert (
        compute_tables(bureau, 2024, Scope.OWN)["requests"]
        == tables({("carried_over", NATURAL): 1, ("unable_not_held", NATURAL): 1})["requests"]
    )


def test_partly_withheld_request_counts_once_as_partially_granted(bureau):
    concluded(bureau, D(2023, 3, 1), D(2023, 3, 20), Result.PARTIALLY_GRANTED, kind=COMPANY)
    assert (
        compute_tables(bureau, 2023, Scope.OWN)["requests"]
        == tables({("new_received", COMPANY): 1, ("partially_granted", COMPANY): 1})["requests"]
    )


def test_withdrawal_is_other_other_on_the_withdrawal_date(bureau):
    concluded(
        bureau, D(2023, 12, 20), D(2024, 1, 3), Result.OTHER_OTHER, withdrawn_on=D(2024, 1, 3)
    )
    assert (
        compute_tables(bureau, 2023, Scope.OWN)["requests"]
        == tables({("new_received", NATURAL): 1, ("carried_forward", NATURAL): 1})["requests"]
    )
    assert (
        compute_tables(bureau, 2024, Scope.OWN)["requests"]
        == tables({("carried_over", NATURAL): 1, ("other_other", NATURAL): 1})["requests"]
    )


def test_voided_records_count_nowhere(bureau):
    voided = {"voided_at": timezone.now(), "void_reason": "录入错误"}
    concluded(bureau, D(2023, 3, 1), D(2023, 3, 5), Result.GRANTED, **voided)
    RequestFactory(body=bureau, received_on=D(2023, 12, 30), **voided)
    AppealFactory(body=bureau, filed_on=D(2023, 5, 1), **voided)
    DocumentFactory(body=bureau, issued_on=D(2023, 5, 1), **voided)
    FigureFactory(body=bureau, year=2023, item=FigureItem.LICENSING, value=9, **voided)
    assert compute_tables(bureau, 2023, Scope.OWN) == tables()


def test_a_year_of_requests_gives_the_exact_table(bureau):
    concluded(bureau, D(2022, 12, 31), D(2023, 1, 1), Result.GRANTED)
    concluded(bureau, D(2022, 11, 1), D(2024, 2, 1), Result.UNABLE_NOT_HELD)
    RequestFactory(body=bureau, received_on=D(2023, 12, 31))
    concluded(bureau, D(2023, 12, 31), D(2024, 1, 2), Result.GRANTED, kind=COMPANY)
    concluded(bureau, D(2023, 3, 1), D(2023, 3, 20), Result.PARTIALLY_GRANTED, kind=COMPANY)
    concluded(bureau, D(2023, 3, 1), D(2023, 3, 5), Result.OTHER_OTHER, withdrawn_on=D(2023, 3, 5))
    concluded(bureau, D(2023, 5, 1), D(2023, 12, 31), Result.DENIED_STATE_SECRET, kind=LAWYER)
    concluded(bureau, D(2021, 5, 1), D(2022, 12, 31), Result.GRANTED)  # before the year
    RequestFactory(body=bureau, received_on=D(2024, 1, 1))  # after the year
    assert (
        compute_tables(bureau, 2023, Scope.OWN)["requests"]
        == tables(
            {
                ("new_received", NATURAL): 2,
                ("new_received", COMPANY): 2,
                ("new_received", LAWYER): 1,
                ("carried_over", NATURAL): 2,
                ("granted", NATURAL): 1,
                ("partially_granted", COMPANY): 1,
                ("denied_state_secret", LAWYER): 1,
                ("other_other", NATURAL): 1,
                ("carried_forward", NATURAL): 2,
                ("carried_forward", COMPANY): 1,
            }
        )["requests"]
    )


def test_appeals_spanning_years_are_pending_then_counted_by_result(bureau):
    AppealFactory(
        body=bureau,
        filed_on=D(2022, 10, 1),
        concluded_on=D(2023, 2, 1),
        result=AppealResult.CORRECTED,
    )
    AppealFactory(
        body=bureau,
        filed_on=D(2023, 11, 1),
        concluded_on=D(2024, 1, 10),
        result=AppealResult.UPHELD,
    )
    AppealFactory(body=bureau, kind=AppealKind.LITIGATION_DIRECT, filed_on=D(2023, 12, 31))
    AppealFactory(
        body=bureau,
        kind=AppealKind.LITIGATION_AFTER_RECONSIDERATION,
        filed_on=D(2023, 1, 5),
        concluded_on=D(2023, 6, 1),
        result=AppealResult.OTHER,
    )
    AppealFactory(
        body=bureau,
        filed_on=D(2021, 1, 1),
        concluded_on=D(2022, 1, 1),
        result=AppealResult.UPHELD,
    )
    AppealFactory(body=bureau, filed_on=D(2024, 1, 1))
    assert (
        compute_tables(bureau, 2022, Scope.OWN)["appeals"]
        == tables(appeals={("reconsideration", "pending"): 1, ("reconsideration", "upheld"): 1})[
            "appeals"
        ]
    )
    assert (
        compute_tables(bureau, 2023, Scope.OWN)["appeals"]
        == tables(
            appeals={
                ("reconsideration", "corrected"): 1,
                ("reconsideration", "pending"): 1,
                ("litigation_direct", "pending"): 1,
                ("litigation_after_reconsideration", "other"): 1,
            }
        )["appeals"]
    )
    assert (
        compute_tables(bureau, 2024, Scope.OWN)["appeals"]
        == tables(
            appeals={
                ("reconsideration", "upheld"): 1,
                ("reconsideration", "pending"): 1,
                ("litigation_direct", "pending"): 1,
            }
        )["appeals"]
    )


def test_documents_issued_repealed_and_in_force(bureau):
    rules, normative = DocumentKind.RULE, DocumentKind.NORMATIVE
    DocumentFactory(body=bureau, kind=rules, issued_on=D(2023, 2, 1))
    DocumentFactory(body=bureau, kind=rules, issued_on=D(2019, 2, 1))
    DocumentFactory(body=bureau, kind=normative, issued_on=D(2020, 1, 1), repealed_on=D(2023, 6, 1))
    DocumentFactory(
        body=bureau, kind=normative, issued_on=D(2020, 1, 1), repealed_on=D(2023, 12, 31)
    )
    DocumentFactory(
        body=bureau, kind=normative, issued_on=D(2021, 1, 1), valid_until=D(2023, 12, 31)
    )
    DocumentFactory(
        body=bureau, kind=normative, issued_on=D(2021, 1, 1), valid_until=D(2023, 6, 30)
    )
    DocumentFactory(
        body=bureau, kind=normative, issued_on=D(2023, 12, 31), repealed_on=D(2024, 1, 5)
    )
    DocumentFactory(body=bureau, kind=normative, issued_on=D(2024, 1, 1))
    proactive = compute_tables(bureau, 2023, Scope.OWN)["proactive"]
    assert proactive["rules"] == {"issued": 1, "repealed": 0, "in_force": 2}
    assert proactive["normative_documents"] == {"issued": 1, "repealed": 2, "in_force": 2}


def test_decisions_and_fees_come_from_the_yearly_figures(bureau):
    FigureFactory(body=bureau, year=2023, item=FigureItem.LICENSING, value=421808)
    FigureFactory(body=bureau, year=2023, item=FigureItem.PENALTY, value=3)
    FigureFactory(body=bureau, year=2023, item=FigureItem.FEES, value=Decimal("1.2345"))
    FigureFactory(body=bureau, year=2023, item=FigureItem.WEBSITE, value=100)
    FigureFactory(body=bureau, year=2022, item=FigureItem.ENFORCEMENT, value=7)
    proactive = compute_tables(bureau, 2023, Scope.OWN)["proactive"]
    assert proactive["licensing"] == {"decisions": 421808}
    assert proactive["penalty"] == {"decisions": 3}
    assert proactive["enforcement"] == {"decisions": 0}
    assert proactive["fees"] == {"amount_10k_yuan": Decimal("1.2345")}
    assert str(proactive["fees"]["amount_10k_yuan"]) == "1.2345"


@pytest.fixture
def tree():
    """City government → department → its unit; city → county government → its department
    and a township; every body with its own records."""
    city = BodyFactory(code="city", kind=BodyKind.GOVERNMENT)
    department = BodyFactory(code="dept", kind=BodyKind.DEPARTMENT, parent=city)
    unit = BodyFactory(code="unit", kind=BodyKind.OTHER, parent=department)
    county = BodyFactory(code="county", kind=BodyKind.GOVERNMENT, parent=city)
    county_dept = BodyFactory(code="county_dept", kind=BodyKind.DEPARTMENT, parent=county)
    town = BodyFactory(code="town", kind=BodyKind.TOWNSHIP, parent=county)
    bodies = [city, department, unit, county, county_dept, town]
    for index, body in enumerate(bodies, start=1):
        for _n in range(index):
            concluded(body, D(2023, 2, index), D(2023, 3, 1), Result.GRANTED)
        RequestFactory(body=body, received_on=D(2023, 12, index), applicant_kind=COMPANY)
        AppealFactory(body=body, filed_on=D(2023, 4, index))
        DocumentFactory(body=body, issued_on=D(2023, 6, index))
        FigureFactory(body=body, item=FigureItem.FEES, value=Decimal("0.0001") * index)
        FigureFactory(body=body, item=FigureItem.PENALTY, value=10 * index)
    return {body.code: body for body in bodies}


def _sum(parts: list[dict]) -> dict:
    total = tables()
    for part in parts:
        for table in fmt.TABLE_KEYS:
            for row, column in fmt.cells(table):
                fmt.table_rows(total, table)[row][column] += fmt.cell(part, table, row, column)
    return total


def test_all_roll_up_of_a_three_level_tree_is_the_sum_of_its_parts(tree):
    parts = [compute_tables(body, 2023, Scope.OWN) for body in tree.values()]
    rolled = compute_tables(tree["city"], 2023, Scope.ALL)
    assert rolled == _sum(parts)
    assert rolled["requests"]["rows"]["granted"]["total"] == 21
    assert rolled["proactive"]["fees"]["amount_10k_yuan"] == Decimal("0.0021")


def test_level_leaves_out_subordinate_governments(tree):
    parts = [compute_tables(tree[code], 2023, Scope.OWN) for code in ("city", "dept", "unit")]
    rolled = compute_tables(tree["city"], 2023, Scope.LEVEL)
    assert rolled == _sum(parts)
    assert rolled["requests"]["rows"]["granted"]["total"] == 6


def test_a_body_moved_by_a_reorganisation_counts_where_it_stood_on_31_december(tree):
    county_dept = tree["county_dept"]
    Body.objects.filter(pk=county_dept.pk).update(parent=tree["city"])
    BodyMove.objects.create(
        body=county_dept,
        old_parent=tree["county"],
        new_parent=tree["city"],
        moved_on=D(2024, 1, 1),
    )
    county_2023 = compute_tables(tree["county"], 2023, Scope.ALL)
    assert county_2023["requests"]["rows"]["granted"]["total"] == 4 + 5 + 6
    city_level_2023 = compute_tables(tree["city"], 2023, Scope.LEVEL)
    assert city_level_2023["requests"]["rows"]["granted"]["total"] == 6
    # In 2024 it is a city department: its records stay with it.
    concluded(county_dept, D(2024, 2, 1), D(2024, 2, 2), Result.GRANTED)
    city_level_2024 = compute_tables(tree["city"], 2024, Scope.LEVEL)
    assert city_level_2024["requests"]["rows"]["granted"]["total"] == 1


def _import(body, year, scope, doc):
    return Report.objects.create(
        body=body, year=year, scope=scope, status=ReportStatus.IMPORTED, imported_document=doc
    )


def test_imported_own_figures_stand_in_for_a_body_without_records():
    city = BodyFactory(code="city", kind=BodyKind.GOVERNMENT)
    old = BodyFactory(code="old", kind=BodyKind.DEPARTMENT, parent=city)
    concluded(city, D(2022, 3, 1), D(2022, 3, 2), Result.GRANTED)
    _import(
        old,
        2022,
        Scope.OWN,
        document(
            "old",
            2022,
            requests={("new_received", NATURAL): 4, ("granted", NATURAL): 4},
            proactive={("fees", "amount_10k_yuan"): Decimal("1.5")},
        ),
    )
    rolled = compute_tables(city, 2022, Scope.ALL)
    assert rolled["requests"]["rows"]["new_received"]["total"] == 5
    assert rolled["requests"]["rows"]["granted"]["total"] == 5
    assert rolled["proactive"]["fees"]["amount_10k_yuan"] == Decimal("1.5000")
    sources = report_sources(city, 2022, Scope.ALL)
    assert sources.imported == (old.pk,)
    assert sources.empty == ()


def test_imported_figures_are_ignored_when_the_body_has_records():
    body = BodyFactory(code="b", kind=BodyKind.DEPARTMENT)
    concluded(body, D(2022, 3, 1), D(2022, 3, 2), Result.GRANTED)
    _import(body, 2022, Scope.OWN, document("b", 2022, requests={("granted", NATURAL): 9}))
    assert compute_tables(body, 2022, Scope.OWN)["requests"]["rows"]["granted"]["total"] == 1
    assert report_sources(body, 2022, Scope.OWN).imported == ()


def test_imported_level_and_all_reports_are_never_summed():
    city = BodyFactory(code="city", kind=BodyKind.GOVERNMENT)
    county = BodyFactory(code="county", kind=BodyKind.GOVERNMENT, parent=city)
    _import(
        county, 2022, Scope.ALL, document("county", 2022, "all", requests={("granted", NATURAL): 9})
    )
    assert compute_tables(city, 2022, Scope.ALL) == tables()
    sources = report_sources(city, 2022, Scope.ALL)
    assert sources.imported == ()
    assert sources.empty == (city.pk, county.pk)


def test_report_sources_names_bodies_that_contributed_nothing(tree):
    quiet = BodyFactory(code="quiet", kind=BodyKind.DEPARTMENT, parent=tree["city"])
    sources = report_sources(tree["city"], 2023, Scope.ALL)
    assert sources.empty == (quiet.pk,)
    assert [body.code for body in sources.bodies(sources.empty)] == ["quiet"]


def test_own_report_takes_five_queries(tree, django_assert_num_queries):
    with django_assert_num_queries(5):
        compute_tables(tree["city"], 2023, Scope.OWN)


def test_roll_up_query_count_does_not_grow_with_bodies_or_records(tree, django_assert_num_queries):
    with django_assert_num_queries(7):
        compute_tables(tree["city"], 2023, Scope.ALL)
    for n in range(15):
        body = BodyFactory(code=f"more{n}", kind=BodyKind.DEPARTMENT, parent=tree["county"])
        concluded(body, D(2023, 5, 1), D(2023, 5, 2), Result.REJECTED_DUPLICATE)
        AppealFactory(body=body, filed_on=D(2023, 5, 3))
    with django_assert_num_queries(7):
        compute_tables(tree["city"], 2023, Scope.ALL)


def test_roll_up_with_imports_takes_one_more_query(tree, django_assert_num_queries):
    old = BodyFactory(code="old", kind=BodyKind.DEPARTMENT, parent=tree["city"])
    _import(old, 2023, Scope.OWN, document("old", 2023, requests={("granted", NATURAL): 2}))
    with django_assert_num_queries(8):
        rolled = compute_tables(tree["city"], 2023, Scope.ALL)
    assert rolled["requests"]["rows"]["granted"]["total"] == 23


def test_blanks_of_an_imported_own_report_count_nothing_and_are_named():
    city = BodyFactory(code="city", kind=BodyKind.GOVERNMENT)
    old = BodyFactory(code="old", kind=BodyKind.DEPARTMENT, parent=city)
    doc = document("old", 2022, requests={("granted", NATURAL): 4})
    doc["requests"]["rows"]["granted"]["total"] = None
    _import(old, 2022, Scope.OWN, doc)
    rolled = compute_tables(city, 2022, Scope.ALL)
    assert rolled["requests"]["rows"]["granted"]["natural_person"] == 4
    assert rolled["requests"]["rows"]["granted"]["total"] == 4
    assert report_sources(city, 2022, Scope.ALL).imported_blanks == (
        (old.pk, "requests", "granted", "total"),
    )


_dates = st.dates(min_value=D(2021, 6, 1), max_value=D(2024, 6, 30))


@st.composite
def _request_dates(draw):
    received = draw(_dates)
    concluded = draw(st.one_of(st.none(), st.dates(min_value=received, max_value=D(2024, 12, 31))))
    kind = draw(st.sampled_from(list(ApplicantKind.values)))
    result = draw(st.sampled_from(list(Result.values)))
    voided = draw(st.booleans())
    return received, concluded, kind, result, voided


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(_request_dates(), max_size=12))
def test_tables_balance_and_carry_over_for_any_records(bureau, records):
    from disclosure.models import InformationRequest

    InformationRequest.objects.all().delete()
    for received, concluded_on, kind, result, voided in records:
        RequestFactory(
            body=bureau,
            received_on=received,
            applicant_kind=kind,
            concluded_on=concluded_on,
            result=result if concluded_on else "",
            withdrawn_on=concluded_on if concluded_on and result == Result.OTHER_OTHER else None,
            voided_at=timezone.now() if voided else None,
        )
    years = {
        year: compute_tables(bureau, year, Scope.OWN)["requests"]["rows"]
        for year in (2022, 2023, 2024)
    }
    for year, rows in years.items():
        for column in fmt.REQUEST_COLUMN_KEYS:
            assert (
                rows["new_received"][column] + rows["carried_over"][column]
                == rows["results_total"][column] + rows["carried_forward"][column]
            )
            if year + 1 in years:
                assert rows["carried_forward"][column] == years[year + 1]["carried_over"][column]
    active = [r for r in records if not r[4]]
    assert years[2023]["new_received"]["total"] == sum(r[0].year == 2023 for r in active)


# --- a report's document and what its cross-year checks compare with ------------------------

WRITTEN = {"overview": "总体情况。", "problems": "存在的问题。", "other_matters": "其他事项。"}


def test_report_document_computes_the_tables_and_resolves_the_narrative(bureau):
    concluded(bureau, D(2023, 3, 1), D(2023, 3, 9), Result.GRANTED)
    RequestFactory(body=bureau, received_on=D(2023, 12, 30))
    FigureFactory(body=bureau, year=2023, item=FigureItem.FEES, value=Decimal("2.5000"))
    report = Report(
        body=bureau, year=2023, scope=Scope.OWN, overview="收到申请{requests.new_received}件。"
    )
    doc = report_document(report)
    assert doc["requests"]["rows"]["new_received"]["total"] == 2
    assert doc["requests"]["rows"]["carried_forward"]["total"] == 1
    assert doc["proactive"]["fees"] == {"amount_10k_yuan": 2.5}
    assert doc["narrative"]["overview"] == "收到申请2件。"
    assert "narrative" not in report_document(report, include_narrative=False)


@pytest.fixture
def city_with_documents():
    """A city government with 4 行政规范性文件 of its own and a department with 24, all in
    force since 2020 (本机关 4, 全域 28 in 2024 and 2025), and a request each year."""
    city = BodyFactory(code="city", name="某市人民政府", kind=BodyKind.GOVERNMENT)
    department = BodyFactory(code="dept", kind=BodyKind.DEPARTMENT, parent=city)
    for body, count in ((city, 4), (department, 24)):
        for _n in range(count):
            DocumentFactory(body=body, kind=DocumentKind.NORMATIVE, issued_on=D(2020, 5, 1))
    concluded(city, D(2024, 3, 1), D(2024, 3, 5), Result.GRANTED)
    concluded(city, D(2025, 3, 1), D(2025, 3, 5), Result.GRANTED)
    return city


def publish_directly(body, year: int, scope: str, document: dict, number: int = 1):
    report, _created = Report.objects.get_or_create(
        body=body, year=year, defaults={"scope": scope, "status": ReportStatus.PUBLISHED}
    )
    return ReportVersion.objects.create(
        report=report,
        number=number,
        document=document | {"version": number},
        sha256="0" * 64,
        published_at=timezone.now(),
    )


def test_a_draft_of_its_own_scope_is_not_compared_with_last_years_whole_scope_report(
    city_with_documents,
):
    city = city_with_documents
    publish_directly(city, 2024, Scope.ALL, computed_document(city, 2024, Scope.ALL))
    assert computed_document(city, 2024, Scope.ALL)["proactive"]["normative_documents"] == {
        "issued": 0,
        "repealed": 0,
        "in_force": 28,
    }
    draft = Report.objects.create(body=city, year=2025, scope=Scope.OWN, **WRITTEN)

    comparison = comparison_for(draft)
    assert (comparison.source, comparison.scope, comparison.year) == ("computed", "own", 2024)
    assert comparison.document["proactive"]["normative_documents"]["in_force"] == 4
    assert comparison.description == "与按本报告范围（本机关）计算的2024年度数据比较"
    assert findings_for_report(draft) == []


def test_a_true_gap_within_the_same_scope_still_warns(city_with_documents):
    city = city_with_documents
    published = computed_document(city, 2024, Scope.ALL)
    published["proactive"]["normative_documents"]["in_force"] = 30
    publish_directly(city, 2024, Scope.ALL, published)
    draft = Report.objects.create(body=city, year=2025, scope=Scope.ALL, **WRITTEN)

    comparison = comparison_for(draft)
    assert (comparison.source, comparison.version) == ("published", 1)
    assert comparison.description == "与2024年度已发布报告（全域，第1版）比较"
    assert [(f.rule, f.row, f.expected, f.actual) for f in findings_for_report(draft)] == [
        ("in_force_continuity", "normative_documents", 30, 28)
    ]


def test_the_latest_versions_own_scope_decides_not_the_reports(city_with_documents):
    city = city_with_documents
    publish_directly(city, 2024, Scope.ALL, computed_document(city, 2024, Scope.ALL))
    # Version 2 was published after the scope was changed to 本机关.
    publish_directly(city, 2024, Scope.OWN, computed_document(city, 2024, Scope.OWN), number=2)
    whole = Report.objects.create(body=city, year=2025, scope=Scope.ALL, **WRITTEN)
    assert comparison_for(whole).source == "computed"
    own = Report(body=city, year=2025, scope=Scope.OWN)
    assert (comparison_for(own).source, comparison_for(own).version) == ("published", 2)


def test_an_imported_report_of_the_same_scope_is_compared_with(city_with_documents):
    city = city_with_documents
    imported = computed_document(city, 2024, Scope.OWN)
    Report.objects.create(
        body=city,
        year=2024,
        scope=Scope.OWN,
        status=ReportStatus.IMPORTED,
        imported_document=imported,
    )
    own = Report(body=city, year=2025, scope=Scope.OWN)
    assert comparison_for(own).description == "与2024年度导入的报告（本机关）比较"
    assert comparison_for(Report(body=city, year=2025, scope=Scope.ALL)).source == "computed"


def test_a_body_without_last_year_has_nothing_to_compare_with(bureau):
    RequestFactory(body=bureau, received_on=D(2025, 3, 1))
    assert comparison_for(Report(body=bureau, year=2025, scope=Scope.OWN)) is None


def test_report_check_checks_a_draft_for_empty_sections_and_an_import_not(bureau):
    draft = Report(body=bureau, year=2023, scope=Scope.OWN, problems="问题。")
    check = report_check(draft, report_document(draft))
    assert [(f.rule, f.row) for f in check.findings] == [
        ("section_empty", "overview"),
        ("section_empty", "other_matters"),
    ]
    assert check.has_errors
    imported = Report(
        body=bureau,
        year=2023,
        scope=Scope.OWN,
        status=ReportStatus.IMPORTED,
        imported_document=document("bureau", 2023)
        | {"narrative": {"overview": "", "problems": "", "other_matters": ""}},
    )
    assert report_check(imported, report_document(imported)).findings == ()
