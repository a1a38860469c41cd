"""Chinese error pages, and every unexpected error in the log with its traceback (issue 9.7)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client


def test_a_missing_page_is_a_chinese_404(world, login):
    client = login(world.users["office"])
    response = client.get("/plans/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有这份计划" in html and 'lang="zh-hans"' in html and "Not Found" not in html
    assert client.get("/no/such/page/").status_code == 404
    assert "页面不存在" in client.get("/no/such/page/").content.decode()


def test_a_refusal_is_a_chinese_403(world, login):
    response = login(world.users["a_staff"]).get(f"/plans/{world.plan.pk}/")
    assert response.status_code == 403
    assert "总览只对督查人员和市领导开放" in response.content.decode()


def test_an_unexpected_error_is_a_chinese_500_and_logged_with_its_traceback(world, monkeypatch, caplog):
    from duban.web.views import supervision

    def broken(*args, **kwargs):
        raise RuntimeError("数据库里有一条坏数据")

    monkeypatch.setattr(supervision, "overview", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["office"])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/plans/{world.plan.pk}/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器内部错误" in html and "已记录" in html and "Traceback" not in html and "RuntimeError" not in html
    record = next(r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR)
    assert record.exc_info and record.exc_info[0] is RuntimeError


def test_an_unexpected_api_error_is_json_and_logged(world, monkeypatch, caplog):
    from duban.web.models import ApiToken
    from duban.web.views import api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "overview", broken)
    token = ApiToken.issue(world.users["office"]).key
    with caplog.at_level(logging.ERROR, logger="duban.web"):
        response = Client().get(f"/api/plans/{world.plan.pk}/tasks", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 500
    assert "服务器内部错误" in response.json()["error"]
    record = next(r for r in caplog.records if r.name == "duban.web")
    assert record.exc_info and record.exc_info[0] is RuntimeError


@pytest.mark.parametrize("name", ["django.request", "duban.web"])
def test_errors_reach_a_handler(name):
    """Both loggers pass their errors on to a handler (the root's console; a file beside it where set)."""
    record = logging.getLogger(name).makeRecord(name, logging.ERROR, __file__, 1, "x", (), None)
    logger, handlers = logging.getLogger(name), []
    while logger is not None:
        handlers += [h for h in logger.handlers if record.levelno >= h.level]
        logger = logger.parent if logger.propagate else None
    assert logging.getLogger(name).isEnabledFor(logging.ERROR) and handlers


def test_a_stale_form_is_a_chinese_403_not_django_s_english_one(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["office"])
    response = client.post("/units/", {"action": "add", "name": "新单位"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "CSRF verification failed" not in html


def test_a_bad_request_is_a_chinese_400(world, login):
    from django.test import override_settings

    client = login(world.users["office"])
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5):
        response = client.post("/units/", {f"f{i}": "x" for i in range(20)})
    assert response.status_code == 400 and "请求有误" in response.content.decode()
