"""Chinese error pages in the site's style (templates/400.html, 403.html, 404.html, 500.html,
429.html and the CSRF failure page), for the public site and the admin alike."""

from __future__ import annotations

import pytest
from django.test import Client
from django.views import defaults

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_site_page(response, status: int, heading: str) -> None:
    page = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page
    assert 'class="site-header"' in page
    assert '<a href="/">返回首页</a>' in page


def test_an_unknown_page_answers_the_chinese_404(client):
    assert_site_page(client.get("/no-such-page/"), 404, "页面不存在（404）")


def test_an_unpublished_report_answers_the_chinese_404(client):
    assert_site_page(client.get("/reports/nowhere/2023/"), 404, "页面不存在（404）")


def test_an_admin_page_without_permission_answers_the_chinese_403():
    client = Client()
    client.force_login(UserFactory(username="staff"))
    response = client.get("/admin/auth/user/")
    assert_site_page(response, 403, "没有权限访问此页面（403）")
    assert "请联系本单位的系统管理员分配相应的机构和角色" in response.content.decode()


def test_a_form_without_its_csrf_token_answers_the_chinese_csrf_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert_site_page(response, 403, "页面已过期，提交未被接受（403）")
    assert "刷新页面后重新提交" in response.content.decode()


def test_a_request_for_an_unknown_host_answers_the_chinese_400(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert_site_page(response, 400, "请求有误（400）")


def test_the_500_page_renders_without_a_request_context(rf):
    response = defaults.server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>服务器出现错误（500）</h1>" in page
    assert "错误已记录" in page
