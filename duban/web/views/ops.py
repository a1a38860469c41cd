"""``/healthz`` for the office's monitoring: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger("duban.health")


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.error("健康检查：数据库无响应：%s", exc)
        return JsonResponse(
            {"status": "error", "database": "无响应"}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    return JsonResponse({"status": "ok", "database": "ok"})
