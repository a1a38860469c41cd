"""Fill the data folder (DUBAN_DATA_DIR / DATABASE_URL) with the benchmark government for a load run.

300 tasks, 80 units and a year of reports (``duban.web.demo.build_government``, as tests/web's
benchmark fixture), plus a report-push API token for each unit that has a report it may still
edit.  Writes what the locust file needs as JSON to the path given.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")


def main(out: str) -> None:
    from duban.web.bootstrap import setup

    setup()
    from duban.web.demo import build_government
    from duban.web.models import ApiToken, Assignment, Membership, ProgressReport

    demo = build_government("大江市", n_tasks=300, n_units=80, seed=7, all_rounds_passed=True)
    plan = demo.plan
    rounds = list(plan.rounds.values_list("id", flat=True))
    locked = set(
        ProgressReport.objects.filter(task__plan=plan)
        .exclude(state__in=[ProgressReport.DRAFT, ProgressReport.RETURNED])
        .values_list("task_id", "unit_id", "round_id")
    )
    pushable: dict[int, list[tuple[int, int]]] = {}
    for a in Assignment.objects.filter(task__plan=plan, role__in=["lead", "responsible"]):
        for r in rounds:
            if (a.task_id, a.unit_id, r) not in locked:
                pushable.setdefault(a.unit_id, []).append((a.task_id, r))
    staff = Membership.objects.filter(government=demo.government, role=Membership.UNIT_STAFF).select_related("user")
    pushers = [
        {"token": ApiToken.issue(m.user, name="load", scope=ApiToken.PUSH).key, "reports": pushable[m.unit_id]}
        for m in staff
        if pushable.get(m.unit_id)
    ]
    office = [m.user for m in Membership.objects.filter(government=demo.government, role__in=["supervisor", "leader"])]
    data = {
        "plan": plan.pk,
        "password": "demo2026",
        "office": [u.username for u in office],
        "staff": [m.user.username for m in staff],
        # Signed-in sessions, as a browser holds after logging in: the run measures pages, not password hashing.
        "office_sessions": [_session(office[i % len(office)]) for i in range(40)],
        "staff_sessions": [_session(staff[i % len(staff)].user) for i in range(200)],
        "pushers": pushers,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f)
    print(
        f"seeded: plan {plan.pk}, {plan.tasks.count()} tasks, {demo.government.units.count()} units, "
        f"{ProgressReport.objects.filter(task__plan=plan).count()} reports, {len(pushers)} push tokens"
    )


def _session(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


if __name__ == "__main__":
    main(sys.argv[1])
