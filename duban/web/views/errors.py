"""Chinese error pages for the whole site (``handler400`` … ``handler500`` in ``urls.py``).

Django logs every 5xx to ``django.request`` with its traceback; ``settings.LOGGING`` sends that logger
(and ``duban``) to the console and, where configured, to a file.  The 500 page is rendered without
the request's context so that it cannot fail the way the page it replaces did.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger("duban.web")

PAGES = {
    400: ("请求有误", "提交的内容无法处理，请检查后重试。"),
    403: ("无权访问", "您没有访问此页面的权限。"),
    404: ("页面不存在", "您要找的页面或内容不存在，或您无权查看。"),
    500: ("服务器内部错误", "系统出了问题，您的操作可能没有完成。错误已记录，请稍后重试或联系管理员。"),
}


def error_page(request, code: int, why: str | None = None) -> HttpResponse:
    title, default = PAGES[code]
    return render(request, "duban/error.html", {"title": title, "why": why or default, "code": code}, status=code)


def _said(exception) -> str | None:
    """The exception's own sentence when it is one a user can read (Chinese, not Django's internals)."""
    text = str(exception or "").strip()
    if text and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return None


def bad_request(request, exception=None):
    return error_page(request, 400, _said(exception))


def permission_denied(request, exception=None):
    return error_page(request, 403, _said(exception))


def page_not_found(request, exception=None):
    return error_page(request, 404, _said(exception))


def csrf_failure(request, reason=""):
    """Django's CSRF refusal, in Chinese: usually a page left open past its session, or cookies blocked."""
    return error_page(request, 403, "页面已过期或浏览器未允许 Cookie，请刷新页面后重新提交。")


def server_error(request):
    title, why = PAGES[500]
    try:
        html = loader.render_to_string("duban/error.html", {"title": title, "why": why, "code": 500})
    except Exception:  # the template itself failed: still one Chinese sentence
        logger.exception("rendering the 500 page failed")
        html = f"<!doctype html><meta charset=utf-8><title>{title}</title><h1>{title}</h1><p>{why}</p>"
    return HttpResponseServerError(html)
