"""Bodies, appeal cases, documents and yearly figures through the API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from disclosure.models import (
    AppealCase,
    AuditEntry,
    Body,
    BodyMove,
    Document,
    YearlyFigure,
    child_path,
)
from disclosure.vocab import AppealKind, BodyKind, FigureItem, Role
from tests.api.conftest import client_for
from tests.factories import (
    AppealFactory,
    DocumentFactory,
    FigureFactory,
    MembershipFactory,
    RequestFactory,
    UserFactory,
)


def test_body_list_is_the_users_subtree(api, tree):
    codes = [item["code"] for item in api.get("/api/v1/bodies/").json()["results"]]
    assert codes == ["county-a", "county-a-edu"]


def test_sibling_body_is_not_found(api, tree):
    assert api.get(f"/api/v1/bodies/{tree.county_b.pk}/").status_code == 404
    response = api.patch(f"/api/v1/bodies/{tree.county_b.pk}/", {"name": "改"}, format="json")
    assert response.status_code == 404
    tree.county_b.refresh_from_db()
    assert tree.county_b.name == "乙县人民政府"


def test_body_created_by_a_publisher_of_its_parent_gets_its_path(publisher_api, tree):
    response = publisher_api.post(
        "/api/v1/bodies/",
        {
            "code": "county-a-town",
            "name": "甲县某镇",
            "kind": BodyKind.TOWNSHIP,
            "parent": "county-a",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = Body.objects.get(code="county-a-town")
    assert body.path == child_path(tree.county_a.path, body.pk)
    assert response.json()["depth"] == 2


def test_body_under_a_sibling_county_is_refused(api, tree):
    response = api.post(
        "/api/v1/bodies/",
        {
            "code": "county-b-town",
            "name": "乙县某镇",
            "kind": BodyKind.TOWNSHIP,
            "parent": "county-b",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"parent": ["不存在代码为“county-b”的机构。"]}
    assert not Body.objects.filter(code="county-b-town").exists()


def test_top_level_body_needs_a_superuser(api, superuser, tree):
    data = {"code": "province", "name": "某省人民政府", "kind": BodyKind.GOVERNMENT}
    assert api.post("/api/v1/bodies/", data, format="json").status_code == 403
    assert client_for(superuser).post("/api/v1/bodies/", data, format="json").status_code == 201


def test_body_validation_is_the_models(publisher_api, tree):
    response = publisher_api.patch(
        f"/api/v1/bodies/{tree.department_a.pk}/",
        {"report_deadline_month": 2},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"report_deadline_day": ["年度报告截止月和日须同时填写或同时留空。"]}


def test_duplicate_body_code_is_refused_in_chinese(publisher_api, tree):
    response = publisher_api.post(
        "/api/v1/bodies/",
        {"code": "county-b", "name": "重复", "kind": BodyKind.OTHER, "parent": "county-a"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"code": ["具有 机构代码 的 机构 已存在。"]}


def test_bodies_cannot_be_deleted(api, tree):
    assert api.delete(f"/api/v1/bodies/{tree.department_a.pk}/").status_code == 405


def test_parent_and_abolition_are_not_changed_by_an_update(publisher_api, tree):
    response = publisher_api.patch(
        f"/api/v1/bodies/{tree.department_a.pk}/",
        {
            "parent": "county-a-edu",
            "abolished_on": "2025-01-01",
            "successor": "county-a",
            "name": "甲县教育和体育局",
        },
        format="json",
    )
    assert response.status_code == 200
    tree.department_a.refresh_from_db()
    department = tree.department_a
    assert (department.name, department.parent, department.abolished_on, department.successor) == (
        "甲县教育和体育局",
        tree.county_a,
        None,
        None,
    )


def test_body_move_records_the_reorganisation(superuser, tree):
    response = client_for(superuser).post(
        f"/api/v1/bodies/{tree.department_a.pk}/move/",
        {"new_parent": "county-b", "moved_on": "2025-07-01", "note": "机构改革"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["parent"] == "county-b"
    move = BodyMove.objects.get()
    assert (move.old_parent, move.new_parent, move.moved_on) == (
        tree.county_a,
        tree.county_b,
        datetime.date(2025, 7, 1),
    )


def test_body_cannot_move_under_a_sibling_county(api, tree):
    response = api.post(
        f"/api/v1/bodies/{tree.department_a.pk}/move/",
        {"new_parent": "county-b", "moved_on": "2025-07-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"new_parent": ["不存在代码为“county-b”的机构。"]}
    assert BodyMove.objects.count() == 0


def test_body_cannot_move_under_itself(superuser, tree):
    response = client_for(superuser).post(
        f"/api/v1/bodies/{tree.county_a.pk}/move/",
        {"new_parent": "county-a-edu", "moved_on": "2025-07-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"new_parent": ["上级机构不能是本机构或其下级机构。"]}


def test_body_abolish_names_the_successor(publisher_api, tree):
    response = publisher_api.post(
        f"/api/v1/bodies/{tree.department_a.pk}/abolish/",
        {"abolished_on": "2025-06-30", "successor": "county-a"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["abolished_on"], response.json()["successor"]) == (
        "2025-06-30",
        "county-a",
    )
    again = publisher_api.post(
        f"/api/v1/bodies/{tree.department_a.pk}/abolish/",
        {"abolished_on": "2025-07-01"},
        format="json",
    )
    assert again.status_code == 409  # the body's state refuses it: nothing was written
    assert again.json() == {"abolished_on": ["该机构已撤销。"]}


def test_viewer_cannot_abolish(viewer, tree):
    response = client_for(viewer).post(
        f"/api/v1/bodies/{tree.department_a.pk}/abolish/",
        {"abolished_on": "2025-06-30"},
        format="json",
    )
    assert response.status_code == 403
    tree.department_a.refresh_from_db()
    assert tree.department_a.abolished_on is None


def test_body_subtree_filter(superuser, tree):
    response = client_for(superuser).get("/api/v1/bodies/?within=county-a")
    assert [item["code"] for item in response.json()["results"]] == ["county-a", "county-a-edu"]


# --- appeal cases --------------------------------------------------------------------------

APPEALS = "/api/v1/appeals/"


def appeal_payload(**overrides) -> dict:
    data = {
        "body": "county-a",
        "kind": AppealKind.RECONSIDERATION,
        "case_number": "甲复〔2025〕1号",
        "filed_on": "2025-05-06",
    }
    data.update(overrides)
    return data


def test_appeal_create_and_list(api, tree):
    response = api.post(APPEALS, appeal_payload(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["kind_display"] == "行政复议"
    assert [item["case_number"] for item in api.get(APPEALS).json()["results"]] == [
        "甲复〔2025〕1号"
    ]


def test_appeal_of_a_sibling_county_is_invisible(api, tree):
    case = AppealFactory(body=tree.county_b)
    assert api.get(APPEALS).json()["count"] == 0
    assert api.get(f"{APPEALS}{case.pk}/").status_code == 404
    assert api.post(f"{APPEALS}{case.pk}/void/", {"reason": "误"}, format="json").status_code == 404
    case.refresh_from_db()
    assert case.voided_at is None


def test_appeal_result_needs_a_conclusion_date(api, tree):
    response = api.post(APPEALS, appeal_payload(result="upheld"), format="json")
    assert response.status_code == 400
    assert response.json() == {"concluded_on": ["选择结果时必须填写审结日期。"]}
    assert AppealCase.objects.count() == 0


def test_appeal_cannot_link_a_sibling_countys_request(api, tree):
    other = RequestFactory(body=tree.county_b)
    response = api.post(APPEALS, appeal_payload(request=other.pk), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["request"]


def test_appeal_void(api, tree):
    case = AppealFactory(body=tree.county_a)
    response = api.post(f"{APPEALS}{case.pk}/void/", {"reason": "重复登记"}, format="json")
    assert response.status_code == 200
    assert response.json()["void_reason"] == "重复登记"
    again = api.post(f"{APPEALS}{case.pk}/void/", {"reason": "再次"}, format="json")
    assert again.status_code == 409  # the record's state refuses it (Conflict)
    assert again.json() == {"non_field_errors": ["已作废的记录不能修改。"]}


def test_voided_appeal_cannot_be_edited(api, tree):
    case = AppealFactory(
        body=tree.county_a, voided_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    response = api.patch(f"{APPEALS}{case.pk}/", {"case_number": "新"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"non_field_errors": ["已作废的记录不能修改。"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=litigation_direct", ["B"]),
        ("pending=true", ["A"]),
        ("result=corrected", ["B"]),
        ("year=2024", ["B"]),
        ("body=county-a-edu", ["B"]),
    ],
)
def test_appeal_filters(api, tree, query, expected):
    AppealFactory(body=tree.county_a, case_number="A", filed_on=datetime.date(2025, 3, 1))
    AppealFactory(
        body=tree.department_a,
        case_number="B",
        kind=AppealKind.LITIGATION_DIRECT,
        filed_on=datetime.date(2024, 3, 1),
        concluded_on=datetime.date(2024, 9, 1),
        result="corrected",
    )
    response = api.get(f"{APPEALS}?{query}")
    assert [item["case_number"] for item in response.json()["results"]] == expected


# --- documents -----------------------------------------------------------------------------

DOCUMENTS = "/api/v1/documents/"


def test_document_dates_are_validated_as_in_the_admin(api, tree):
    response = api.post(
        DOCUMENTS,
        {
            "body": "county-a",
            "kind": "normative_documents",
            "title": "关于某事项的通知",
            "number": "甲政规〔2025〕1号",
            "issued_on": "2025-03-01",
            "repealed_on": "2025-02-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"repealed_on": ["废止日期不能早于发布日期。"]}
    assert Document.objects.count() == 0


def test_a_rule_issued_before_2000_is_accepted_and_one_before_1949_refused(api, tree):
    # The API refused dates before 2000 where the admin and the import took any: the
    # register's range is now the model's, 1949-10-01 to today.
    def post(number: str, issued_on: str):
        return api.post(
            DOCUMENTS,
            {
                "body": "county-a",
                "kind": "rules",
                "title": "某市城市管理办法",
                "number": number,
                "issued_on": issued_on,
            },
            format="json",
        )

    assert post("甲政令第1号", "1995-06-01").status_code == 201
    refused = post("甲政令第2号", "1949-09-30")
    assert refused.status_code == 400
    assert refused.json() == {"issued_on": ["日期须在 1949-10-01 至今天之间。"]}
    assert list(Document.objects.values_list("number", flat=True)) == ["甲政令第1号"]


def test_duplicate_document_number_is_refused(api, tree):
    DocumentFactory(body=tree.county_a, number="甲政规〔2025〕1号")
    response = api.post(
        DOCUMENTS,
        {
            "body": "county-a",
            "kind": "normative_documents",
            "title": "重复",
            "number": "甲政规〔2025〕1号",
            "issued_on": "2025-03-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_documents_of_a_sibling_county_are_invisible(api, tree):
    DocumentFactory(body=tree.county_a, number="A-1", issued_on=datetime.date(2025, 1, 1))
    other = DocumentFactory(body=tree.county_b, number="B-1")
    assert [item["number"] for item in api.get(DOCUMENTS).json()["results"]] == ["A-1"]
    assert api.patch(f"{DOCUMENTS}{other.pk}/", {"title": "改"}, format="json").status_code == 404


def test_document_filters(api, tree):
    DocumentFactory(
        body=tree.county_a, number="R", kind="rules", issued_on=datetime.date(2024, 1, 1)
    )
    DocumentFactory(body=tree.county_a, number="N", issued_on=datetime.date(2025, 1, 1))
    assert [i["number"] for i in api.get(f"{DOCUMENTS}?kind=rules").json()["results"]] == ["R"]
    assert [i["number"] for i in api.get(f"{DOCUMENTS}?year=2025").json()["results"]] == ["N"]


@pytest.mark.parametrize(
    ("url", "first"),
    [
        ("/api/v1/requests/", 2008),
        ("/api/v1/appeals/", 2008),
        ("/api/v1/documents/", 1949),
        ("/api/v1/figures/", 2008),
        ("/api/v1/public/reports/", 2021),
    ],
)
def test_a_year_filter_takes_the_years_its_records_can_hold(api, tree, url, first):
    assert api.get(f"{url}?year={first}").status_code == 200
    assert api.get(f"{url}?year=2099").status_code == 200
    for year in (first - 1, 2100):
        refused = api.get(f"{url}?year={year}")
        assert refused.status_code == 400
        assert refused.json() == {"year": [f"年度须在 {first} 至 2099 之间。"]}


def test_document_void(api, tree):
    document = DocumentFactory(body=tree.county_a)
    response = api.post(f"{DOCUMENTS}{document.pk}/void/", {"reason": "误录"}, format="json")
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.void_reason == "误录"


# --- yearly figures ------------------------------------------------------------------------

FIGURES = "/api/v1/figures/"


def test_figure_is_set_and_returned_as_a_number(api, tree):
    response = api.post(
        FIGURES,
        {"body": "county-a", "year": 2025, "item": "fees", "value": "1.2345", "source": "财政局"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == 1.2345
    assert YearlyFigure.objects.get().value == Decimal("1.2345")


def test_count_figures_must_be_whole(api, tree):
    response = api.post(
        FIGURES,
        {"body": "county-a", "year": 2025, "item": "licensing", "value": "1.5"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"value": ["该项目为件数/条数，须为整数。"]}


def test_negative_figure_is_refused(api, tree):
    response = api.post(
        FIGURES, {"body": "county-a", "year": 2025, "item": "fees", "value": "-1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"value": ["请确保该值大于或者等于 0。"]}


def test_figure_key_cannot_change(api, tree):
    figure = FigureFactory(body=tree.county_a, year=2025, item=FigureItem.PENALTY, value=3)
    response = api.patch(f"{FIGURES}{figure.pk}/", {"year": 2024}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["year"]
    ok = api.patch(f"{FIGURES}{figure.pk}/", {"value": 7}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["value"] == 7


def test_figures_of_a_sibling_county_are_invisible(api, tree):
    FigureFactory(body=tree.county_b, year=2025)
    mine = FigureFactory(body=tree.county_a, year=2024, item=FigureItem.PENALTY)
    assert [item["id"] for item in api.get(FIGURES).json()["results"]] == [mine.pk]
    assert [item["id"] for item in api.get(f"{FIGURES}?year=2025").json()["results"]] == []


def test_viewer_cannot_set_figures(viewer, tree):
    response = client_for(viewer).post(
        FIGURES, {"body": "county-a", "year": 2025, "item": "fees", "value": "1"}, format="json"
    )
    assert response.status_code == 403
    assert YearlyFigure.objects.count() == 0


def test_figure_void(api, tree):
    figure = FigureFactory(body=tree.county_a)
    response = api.post(f"{FIGURES}{figure.pk}/void/", {"reason": "口径错误"}, format="json")
    assert response.status_code == 200
    assert response.json()["voided_at"] is not None


@pytest.mark.parametrize("url", ["bodies", "appeals", "documents", "figures"])
def test_list_queries_do_not_grow_with_rows(api, tree, url, django_assert_num_queries):
    for year in (2021, 2022, 2023):
        AppealFactory(body=tree.county_a, request=RequestFactory(body=tree.county_a))
        DocumentFactory(body=tree.department_a)
        FigureFactory(body=tree.county_a, year=year, item=FigureItem.FEES)
    with django_assert_num_queries(3):  # memberships, count, page
        assert api.get(f"/api/v1/{url}/").status_code == 200


# the registers (appeal cases, documents, yearly figures) keep a county's clerk
# inside their memberships for every write, not only for reads (issue 8: "a user never reads
# or writes outside what their roles allow").

PAYLOADS = {
    APPEALS: {
        "kind": AppealKind.RECONSIDERATION,
        "case_number": "乙复〔2025〕1号",
        "filed_on": "2025-05-06",
    },
    DOCUMENTS: {
        "kind": "normative_documents",
        "title": "关于某事项的通知",
        "number": "乙政规〔2025〕1号",
        "issued_on": "2025-03-01",
    },
    FIGURES: {"year": 2025, "item": FigureItem.FEES, "value": "1.5"},
}
MODELS = {APPEALS: AppealCase, DOCUMENTS: Document, FIGURES: YearlyFigure}


@pytest.mark.parametrize("url", [APPEALS, DOCUMENTS, FIGURES])
def test_creating_in_a_sibling_county_is_refused_and_creates_nothing(api, tree, url):
    response = api.post(url, {**PAYLOADS[url], "body": "county-b"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"body": ["不存在代码为“county-b”的机构。"]}
    assert MODELS[url].objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("url", [APPEALS, DOCUMENTS])
def test_moving_an_own_record_to_a_sibling_county_is_refused(api, tree, url):
    record = (
        AppealFactory(body=tree.county_a) if url == APPEALS else DocumentFactory(body=tree.county_a)
    )
    response = api.patch(f"{url}{record.pk}/", {"body": "county-b"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"body": ["不存在代码为“county-b”的机构。"]}
    record.refresh_from_db()
    assert record.body == tree.county_a
    assert AuditEntry.objects.count() == 0


def test_a_sibling_countys_figure_is_not_found_for_any_action(api, tree):
    figure = FigureFactory(body=tree.county_b, year=2025, item=FigureItem.PENALTY, value=4)
    assert api.get(f"{FIGURES}{figure.pk}/").status_code == 404
    assert api.patch(f"{FIGURES}{figure.pk}/", {"value": 9}, format="json").status_code == 404
    void = api.post(f"{FIGURES}{figure.pk}/void/", {"reason": "误录"}, format="json")
    assert void.status_code == 404
    figure.refresh_from_db()
    assert (figure.value, figure.voided_at) == (Decimal("4"), None)
    assert AuditEntry.objects.count() == 0


def test_a_sibling_countys_document_cannot_be_changed_or_voided(api, tree):
    other = DocumentFactory(body=tree.county_b, title="乙县文件", number="B-1")
    assert api.patch(f"{DOCUMENTS}{other.pk}/", {"title": "改"}, format="json").status_code == 404
    void = api.post(f"{DOCUMENTS}{other.pk}/void/", {"reason": "误录"}, format="json")
    assert void.status_code == 404
    other.refresh_from_db()
    assert (other.title, other.voided_at) == ("乙县文件", None)


def test_a_sibling_countys_appeal_cannot_be_changed(api, tree):
    case = AppealFactory(body=tree.county_b, case_number="乙复〔2025〕9号")
    response = api.patch(f"{APPEALS}{case.pk}/", {"case_number": "改"}, format="json")
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.case_number == "乙复〔2025〕9号"


@pytest.mark.parametrize("url", [APPEALS, DOCUMENTS, FIGURES])
def test_a_city_viewer_who_edits_one_county_cannot_write_in_the_other(tree, url):
    """Seeing the sibling county (查看 at the city) is not entering records there (录入)."""
    user = UserFactory(username="city-viewer")
    MembershipFactory(user=user, body=tree.city, role=Role.VIEW)
    MembershipFactory(user=user, body=tree.county_a, role=Role.EDIT)
    client = client_for(user)
    response = client.post(url, {**PAYLOADS[url], "body": "county-b"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您在该机构没有录入权限。"}
    assert MODELS[url].objects.count() == 0


def test_a_city_viewer_cannot_void_a_sibling_document_it_can_read(tree):
    user = UserFactory(username="city-viewer")
    MembershipFactory(user=user, body=tree.city, role=Role.VIEW)
    MembershipFactory(user=user, body=tree.county_a, role=Role.EDIT)
    other = DocumentFactory(body=tree.county_b, issued_on=datetime.date(2025, 1, 1))
    client = client_for(user)
    assert client.get(f"{DOCUMENTS}{other.pk}/").status_code == 200
    response = client.post(f"{DOCUMENTS}{other.pk}/void/", {"reason": "误录"}, format="json")
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.voided_at is None
