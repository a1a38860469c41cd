"""The JSON API: task status for other office systems, and report push.

Authentication by session or ``Authorization: Token <key>`` (read-only or
report-push, with an expiry); every call goes through the same ``Actor`` checks
as the pages.
"""

from __future__ import annotations

import functools
import json
import logging
import re

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from duban import vocab
from duban.errors import DubanError
from duban.web.access import Actor, Denied
from duban.web.forms import API_TASKS_MAX, TEXT_MAX, ApiPageForm, ReportPushForm
from duban.web.models import ApiToken, Plan, ProgressReport, ReportingRound, Unit
from duban.web.services import reports as report_service
from duban.web.services.overview import overview
from duban.web.views.common import today

logger = logging.getLogger("duban.web")


def _json(data, status=200):
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(status: int, message: str) -> JsonResponse:
    return _json({"error": message}, status)


def api(view):
    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        allowed = _methods(request)
        if request.method not in allowed:
            response = _error(405, f"{request.path} 只接受 {'、'.join(allowed)}")
            response["Allow"] = ", ".join(allowed)
            return response
        user = request.user if request.user.is_authenticated else None
        header = request.headers.get("Authorization", "")
        if header.startswith("Token "):
            token = ApiToken.find(header[6:].strip())
            if token is None or not token.user.is_active:
                return _error(401, "无效的令牌")
            if token.expired:
                return _error(401, "令牌已过期")
            if token.scope == ApiToken.READ and request.method not in ("GET", "HEAD", "OPTIONS"):
                return _error(403, "这个令牌只读，不能报送")
            user = token.user
        elif user is not None and request.method != "GET":
            # Session callers writing through the API must pass Django's CSRF check like a form would.
            from django.middleware.csrf import CsrfViewMiddleware

            reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                return _error(403, "CSRF 校验失败")
        if user is None:
            return _error(401, "需要登录或令牌")
        request.actor = Actor.of(user)
        request.api_user = user
        if request.actor.membership is None:
            return _error(403, "此账号未分配单位或角色")
        try:
            return view(request, *args, **kwargs)
        except Denied as exc:
            return _error(403, str(exc))
        except report_service.StaleEdit as exc:
            return _error(409, str(exc))
        except DubanError as exc:
            return _error(400, str(exc))
        except Http404 as exc:
            return _error(404, str(exc) or "不存在")
        except Exception:
            # Not the caller's fault: the traceback goes to the log, the caller gets one sentence.
            logger.exception("API %s %s failed", request.method, request.path)
            return _error(500, "服务器内部错误，已记录；请稍后重试或联系管理员")

    return wrapper


def _methods(request) -> list[str]:
    """The methods the OpenAPI description lists for this route (HEAD goes with GET)."""
    route = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", request.resolver_match.route)
    methods = [m.upper() for m in OPENAPI["paths"].get(route, {})]
    return methods + (["HEAD"] if "GET" in methods else [])


def report_json(r: ProgressReport) -> dict:
    return {
        "id": r.pk,
        "task": r.task_id,
        "unit": r.unit.name,
        "round": r.round_id,
        "status": r.status,
        "state": r.state,
        "done_text": r.done_text,
        "figures": r.figures,
        "problems": r.problems,
        "next_steps": r.next_steps,
        "comment": r.comment,
        "version": r.version,
        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
    }


@api
def plans(request):
    return _json(
        [
            {
                "id": p.pk,
                "year": p.year,
                "kind": p.kind,
                "kind_label": p.get_kind_display(),
                "title": p.title,
                "doc_number": p.doc_number,
                "status": p.status,
            }
            for p in request.actor.plans()
        ]
    )


@api
def plan_tasks(request, plan_id):
    actor = request.actor
    plan = actor.plan(plan_id)
    if plan.status != Plan.PUBLISHED:
        return _json({"plan": plan.pk, "count": 0, "offset": 0, "limit": API_TASKS_MAX, "next": None, "tasks": []})
    window = ApiPageForm(request.GET)
    if not window.is_valid():
        return _error(400, window.first_error())
    offset, limit = window.window()
    data = overview(plan, today(), actor.tasks(plan))
    rows = data.select()
    more = offset + limit < len(rows)
    return _json(
        {
            "plan": plan.pk,
            "rounds": [{"id": r.pk, "kind": r.kind, "title": r.title, "due": r.due.isoformat()} for r in data.rounds],
            "count": len(rows),
            "offset": offset,
            "limit": limit,
            "next": f"{request.path}?offset={offset + limit}&limit={limit}" if more else None,
            "tasks": [
                {
                    "id": row.task.pk,
                    "number": row.task.number,
                    "section": row.task.section.title if row.task.section else None,
                    "text": row.task.text,
                    "leads": row.leads,
                    "supports": row.supports,
                    "status": row.state.status,
                    "status_label": row.state.label,
                    "reasons": row.state.reasons,
                }
                for row in data.attach(rows[offset : offset + limit])
            ],
        }
    )


@api
def task(request, task_id):
    actor = request.actor
    t = actor.task(task_id)
    return _json(
        {
            "id": t.pk,
            "plan": t.plan_id,
            "number": t.number,
            "text": t.text,
            "deadline": t.deadline,
            "indicators": t.indicators,
            "units": [{"name": a.unit_name, "role": a.role} for a in t.assignments.all()],
            "reports": [report_json(r) for r in actor.reports().filter(task=t).select_related("unit")],
        }
    )


@api
def report(request, report_id):
    actor = request.actor
    r = actor.report(report_id)
    if request.method == "GET":
        return _json(report_json(r))
    form = ReportPushForm(_body(request), existing=True)
    return _json(report_json(_push(actor, form, r.task, report=r)))


@api
def report_push(request):
    """POST {task, round, status, done_text, figures, problems, next_steps, version?, send_to_head?}."""
    actor = request.actor
    if request.method != "POST":
        return _error(405, "只接受 POST")
    form = ReportPushForm(_body(request))
    if not form.is_valid():
        raise DubanError(form.first_error())
    t = actor.task(form.cleaned_data["task"])
    actor.require(actor.reports_on(t), "只有牵头或负责单位可以报送进展")
    rnd = ReportingRound.objects.filter(plan=t.plan, pk=form.cleaned_data["round"]).first()
    if rnd is None:
        return _error(404, "没有这个报送轮次")
    return _json(report_json(_push(actor, form, t, rnd=rnd)), status=201)


def _push(actor, form, task, *, rnd=None, report=None):
    """Save (and perhaps send) in one transaction: a 409 or 403 means nothing of this call was stored."""
    if not form.is_valid():
        raise DubanError(form.first_error())
    data = form.changes()
    if "figures" in form.data and form.data["figures"] is not None:
        data["figures"] = report_service.clean_figures(task, form.data["figures"])

    def may_edit(locked):
        actor.require(actor.can_edit_report(locked), "这份报告现在不能修改")

    options = {
        "version": form.cleaned_data.get("version"),
        "send": form.cleaned_data["send_to_head"],
        "user": actor.user,
        "may_edit": may_edit,
    }
    if report is not None:
        r = report_service.update(report, data, **options)
    else:
        r = report_service.push(task, Unit.objects.get(pk=actor.unit_id), rnd, data, **options)
    return ProgressReport.objects.select_related("unit").get(pk=r.pk)


def _int(body: dict, key: str) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DubanError(f"{key} 应为整数" if key in body else f"缺少 {key}")
    return value


def _body(request) -> dict:
    from django.core.exceptions import RequestDataTooBig

    try:
        body = json.loads(request.body or b"{}")
    except RequestDataTooBig as exc:
        raise DubanError(
            f"请求体超过上限 {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 // 1024} MB（可用环境变量 DUBAN_MAX_UPLOAD_BYTES 调高）"
        ) from exc
    except RecursionError as exc:
        raise DubanError("请求体的 JSON 嵌套层数过深") from exc
    except ValueError as exc:
        raise DubanError("请求体不是 JSON") from exc
    if not isinstance(body, dict):
        raise DubanError("请求体应为 JSON 对象")
    return body


@csrf_exempt
def not_found(request):
    return _error(404, f"没有这个接口：{request.path}（见 /api/openapi.json）")


def openapi(request):
    return _json(OPENAPI)


_REPORT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "task": {"type": "integer"},
        "unit": {"type": "string"},
        "round": {"type": "integer"},
        "status": {"type": "string", "enum": list(vocab.REPORT_STATUSES.keys)},
        "state": {"type": "string", "enum": list(vocab.REPORT_STATES.keys)},
        "done_text": {"type": "string"},
        "figures": {"type": "object", "additionalProperties": {"type": "number"}},
        "problems": {"type": "string"},
        "next_steps": {"type": "string"},
        "comment": {"type": "string"},
        "version": {"type": "integer"},
        "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}
# What a report push or edit may carry.
_ID = {"type": "integer", "minimum": 1, "maximum": 2**62}
_EDIT = {
    "status": {"type": "string", "enum": list(vocab.REPORT_STATUSES.keys)},
    "done_text": {"type": "string", "maxLength": TEXT_MAX},
    "figures": {"type": "object", "additionalProperties": {"type": "number"}, "description": "指标名称: 完成值"},
    "problems": {"type": "string", "maxLength": TEXT_MAX},
    "next_steps": {"type": "string", "maxLength": TEXT_MAX},
    "version": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1, "description": "乐观锁：读取时的版本"},
    "send_to_head": {"type": "boolean"},
}
_REPORT_ID = [{"name": "report_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_REPORT_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_ERRORS = {
    "400": {"description": "请求有误（一句话说明）", "content": _ERROR},
    "401": {"description": "未登录或令牌无效", "content": _ERROR},
    "403": {"description": "无权访问（或只读令牌想写）", "content": _ERROR},
    "404": {"description": "不存在或不可见", "content": _ERROR},
    "405": {"description": "不支持的请求方法", "content": _ERROR},
}
OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "duban 督办 API", "version": "1"},
    "components": {
        "securitySchemes": {
            "token": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "Token <key>：只读令牌只能 GET，报送令牌还可以保存、提交报告",
            },
            "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        },
        "schemas": {
            "Report": _REPORT,
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
        },
    },
    "security": [{"token": []}, {"session": []}],
    "paths": {
        "/api/plans": {
            "get": {"summary": "可见的年度计划", "responses": {"200": {"description": "计划列表"}, **_ERRORS}}
        },
        "/api/plans/{plan_id}/tasks": {
            "get": {
                "summary": "计划内每项任务的状态（颜色、原因、牵头单位），按计划顺序分批：count 为总数，next 为下一批的地址",
                "parameters": [
                    {"name": "plan_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {
                        "name": "offset",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 0, "maximum": 2**31},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": API_TASKS_MAX},
                    },
                ],
                "responses": {"200": {"description": "任务状态"}, **_ERRORS},
            }
        },
        "/api/tasks/{task_id}": {
            "get": {
                "summary": "一项任务及可见的报告",
                "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "任务"}, **_ERRORS},
            }
        },
        "/api/reports": {
            "post": {
                "summary": "报送（创建或更新）本单位某任务某轮次的进展报告",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["task", "round"],
                                "properties": {"task": _ID, "round": _ID, **_EDIT},
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "已保存", "content": _REPORT_BODY},
                    "409": {"description": "版本冲突：他人已修改", "content": _ERROR},
                    **_ERRORS,
                },
            }
        },
        "/api/reports/{report_id}": {
            "get": {
                "summary": "一份报告",
                "parameters": _REPORT_ID,
                "responses": {"200": {"description": "报告", "content": _REPORT_BODY}, **_ERRORS},
            },
            "post": {
                "summary": "修改一份报告（需带 version）",
                "parameters": _REPORT_ID,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object", "properties": _EDIT}}},
                },
                "responses": {
                    "200": {"description": "已保存", "content": _REPORT_BODY},
                    "409": {"description": "版本冲突", "content": _ERROR},
                    **_ERRORS,
                },
            },
        },
    },
}
