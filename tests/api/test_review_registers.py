"""Review: the registers (appeal cases, documents, yearly figures) keep a county's clerk
inside their memberships for every write, not only for reads (issue 8: "a user never reads
or writes outside what their roles allow")."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from disclosure.models import AppealCase, AuditEntry, Document, YearlyFigure
from disclosure.vocab import AppealKind, FigureItem, Role
from tests.api.conftest import client_for
from tests.factories import (
    AppealFactory,
    DocumentFactory,
    FigureFactory,
    MembershipFactory,
    UserFactory,
)

APPEALS = "/api/v1/appeals/"
DOCUMENTS = "/api/v1/documents/"
FIGURES = "/api/v1/figures/"

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
