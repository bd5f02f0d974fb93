"""The OpenAPI schema and its Swagger UI, served without any outside network."""

from __future__ import annotations

import re

import pytest
import yaml


@pytest.fixture
def schema(client, db) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3_with_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/bodies/",
        "/api/v1/requests/",
        "/api/v1/requests/{id}/",
        "/api/v1/requests/{id}/void/",
        "/api/v1/appeals/{id}/void/",
        "/api/v1/documents/{id}/void/",
        "/api/v1/figures/{id}/void/",
        "/api/v1/deadline/",
        "/api/v1/reports/{code}/{year}/",
        "/api/v1/public/reports/",
        "/api/v1/public/reports/{code}/{year}/",
        "/api/v1/public/reports/{code}/{year}/v{number}/",
    }


def test_schema_has_no_delete(schema):
    assert not [path for path, item in schema["paths"].items() if "delete" in item]


def test_void_takes_a_reason(schema):
    body = schema["paths"]["/api/v1/requests/{id}/void/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert component["required"] == ["reason"]


def test_deadline_parameters_and_answer(schema):
    operation = schema["paths"]["/api/v1/deadline/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["received"]["required"] is True
    received = parameters["received"]["schema"]
    assert (received["type"], received["format"]) == ("string", "date")
    assert received["x-date-range"] == {"minimum": "2008-05-01", "maximum": "2099-12-31"}
    assert {
        key: parameters["extension_days"]["schema"][key] for key in ("type", "minimum", "maximum")
    } == {
        "type": "integer",
        "minimum": 1,
        "maximum": 20,
    }
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    answer = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    # The answer is a request's clock: the one explanation of a due date.
    assert ref.endswith("/Clock")
    assert set(answer["properties"]) == {
        "received",
        "start",
        "due_date",
        "base_due_date",
        "extended_due_date",
        "skipped",
        "counted",
        "notes",
        "warnings",
        "alerts",
        "extension_late",
        "correction_notice_late",
        "paused_days",
        "explanation",
    }
    assert answer["properties"]["notes"]["description"] == (
        "计入的调休上班日（周末上班，计为工作日）。"
    )
    assert "security" not in operation  # public: no authentication


def test_public_report_is_described_by_the_report_schema(schema):
    component = schema["components"]["schemas"]["PublicVersion"]
    document = component["properties"]["report"]
    assert document["required"] == ["body", "year", "scope", "proactive", "requests", "appeals"]
    assert document["additionalProperties"] is False
    cell = document["properties"]["requests"]["properties"]["rows"]["properties"]["granted"]
    assert cell["properties"]["total"] == {"type": "integer", "nullable": True, "minimum": 0}
    downloads = schema["components"]["schemas"]["Downloads"]
    assert set(downloads["properties"]) == {"pdf", "docx", "xlsx", "csv", "json"}


def test_schema_is_served_as_yaml_too(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "政府信息公开管理 API"


def test_docs_use_the_projects_own_static_files(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r"https?://(?!testserver)", html.replace("http://www.w3.org", ""))


def test_unknown_api_path_answers_json_404(client, db):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "接口不存在。"}


def test_missing_trailing_slash_still_redirects(client, db):
    response = client.get("/api/v1/deadline?received=2025-09-30")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/deadline/?received=2025-09-30"


def test_swagger_ui_assets_are_served_locally(client, db):
    response = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200


def test_schema_generates_without_warnings_and_validates(db, tmp_path):
    from django.core.management import call_command

    call_command(
        "spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml")
    )


CJK = re.compile(r"[\u4e00-\u9fff]")


def described_texts(node, path=""):
    """Every summary, description and title in the schema, with where it stands."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("summary", "description", "title") and isinstance(value, str):
                yield f"{path}/{key}", value
            else:
                yield from described_texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from described_texts(value, f"{path}[{index}]")


def test_the_documentation_reads_in_chinese(schema):
    english = [
        (path, text)
        for path, text in described_texts(schema)
        if re.search(r"[A-Za-z]{3}", text) and not CJK.search(text)
    ]

    assert english == []
    assert CJK.search(schema["info"]["description"])


def test_every_operation_its_group_and_parameters_are_described_in_chinese(schema):
    undescribed = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for key in ("summary", "description"):
                if not CJK.search(operation.get(key, "")):
                    undescribed.append((method, path, key))
            if not all(CJK.search(tag) for tag in operation["tags"]):
                undescribed.append((method, path, "tags"))
            for parameter in operation.get("parameters", []):
                if not CJK.search(parameter.get("description", "")):
                    undescribed.append((method, path, parameter["name"]))

    assert undescribed == []


def test_pagination_and_integer_filters_are_described_in_chinese(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/requests/"]["get"]["parameters"]}

    assert parameters["page"]["description"] == "页码，从 1 开始；超出最后一页时返回 404。"
    assert parameters["page_size"]["description"] == "每页条数（1 至 500，默认 50）"
    assert parameters["year"] == {
        "in": "query",
        "name": "year",
        "schema": {"type": "integer", "minimum": 2008, "maximum": 2099},
        "description": "收到申请年度",
    }


def test_token_authentication_is_explained_in_chinese(schema):
    token = schema["components"]["securitySchemes"]["tokenAuth"]

    assert token["description"] == (
        "令牌认证：请求头 Authorization: Token <令牌>（令牌在管理后台签发）。"
    )
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")


def one_ofs(node, path=""):
    """Every ``oneOf`` of the schema, with where it stands."""
    if isinstance(node, dict):
        if "oneOf" in node:
            yield path, node["oneOf"]
        for key, value in node.items():
            yield from one_ofs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from one_ofs(value, f"{path}[{index}]")


def admits_empty_text(branch: dict, components: dict) -> bool:
    if "$ref" in branch:
        branch = components[branch["$ref"].rsplit("/", 1)[-1]]
    if branch.get("type") != "string" or branch.get("minLength", 0) > 0 or "format" in branch:
        return False
    if "enum" in branch:
        return "" in branch["enum"]
    return re.fullmatch(branch.get("pattern", ".*"), "") is not None


def test_no_value_matches_two_branches_of_a_one_of(schema):
    """A blank-allowed text (an address, a contact) is one schema, not a oneOf of itself and
    "": "" would match both, which a client's validator (and schemathesis) refuses."""
    components = schema["components"]["schemas"]
    overlapping = [
        path
        for path, branches in one_ofs(schema)
        if sum(admits_empty_text(branch, components) for branch in branches) > 1
    ]

    assert overlapping == []
    address = components["BodyRequest"]["properties"]["address"]
    assert address == {
        "type": "string",
        "title": "通讯地址",
        "maxLength": 300,
        "pattern": "^[^\\u0000]*$",
    }


def test_every_operation_taking_a_body_documents_the_413_of_one_too_large(schema):
    taking = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    documenting = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation["responses"].get("413", {}).get("description")
        == "请求内容超过 2.5 MB 的上限，未被读取。"
    }

    assert ("post", "/api/v1/requests/") in taking
    assert documenting == taking
