"""One transaction per user action: what the client is told is what the database holds (issue 15.3).

Pushes race in pairs on real threads with their own database connections (SQLite in the first pass,
PostgreSQL when DATABASE_URL says so); every answer is then checked against the stored report and its
audit trail.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection

from duban.web.models import ApiToken, AuditEvent, ProgressReport
from duban.web.services import reports as report_service

PAIRS = 50  # 100 pushes


def _push_pair(token: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    """POST both bodies to /api/reports at the same moment from two threads; the answers in order."""
    from django.test import Client

    barrier = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def one(i):
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.post(
                "/api/reports",
                data=json.dumps(bodies[i]),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token}",
            )
            answers[i] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return answers


def _saved_texts(report) -> list[str]:
    return [
        (e.after or {}).get("done_text")
        for e in AuditEvent.objects.filter(action="保存报告", object_type="ProgressReport", object_id=str(report.pk))
    ]


@pytest.mark.django_db(transaction=True)
def test_racing_duplicate_pushes_answer_what_was_stored(world):
    token = ApiToken.issue(world.users["a_staff"], scope=ApiToken.PUSH).key
    report = world.reports["a1"]
    task, rnd = world.tasks["1"], world.rounds[0]
    tally = {201: 0, 409: 0, 403: 0}
    for pair in range(PAIRS):
        report.refresh_from_db()
        send = pair % 2 == 1
        # Odd pairs send to the head without a version: the second finds the report gone to the head.
        with_version = pair % 4 != 3
        bodies = []
        for side in "ab":
            body = {"task": task.pk, "round": rnd.pk, "done_text": f"第{pair}对{side}", "send_to_head": send}
            if with_version:
                body["version"] = report.version
            bodies.append(body)
        saves_before = len(_saved_texts(report))
        sends_before = AuditEvent.objects.filter(action="提交负责人签批", object_id=str(report.pk)).count()
        answers = _push_pair(token, bodies)
        assert all(a is not None for a in answers), answers
        codes = sorted(code for code, _ in answers)
        for code in codes:
            tally[code] = tally.get(code, 0) + 1
        won = [(body, data) for body, (code, data) in zip(bodies, answers) if code == 201]
        lost = [(body, data) for body, (code, data) in zip(bodies, answers) if code != 201]
        stored = ProgressReport.objects.get(pk=report.pk)
        saved = _saved_texts(report)
        if with_version:  # same version: one is stored, the other told it was too late
            assert codes == [201, 409], answers
        elif send:  # no version, but the first sends the report to the head: the second may not edit it
            assert codes == [201, 403], answers
        assert won, answers
        # The last success is what the database holds, to the version.
        last_body, last_data = max(won, key=lambda w: w[1]["version"])
        assert stored.done_text == last_body["done_text"]
        assert stored.version == last_data["version"]
        editable = (ProgressReport.DRAFT,) if pair == 0 else (ProgressReport.RETURNED,)
        assert stored.state in ((ProgressReport.AWAITING_HEAD,) if send else editable)
        # Every success left its save (and its send) in the audit log; no refusal left anything.
        assert len(saved) == saves_before + len(won)
        for body, _ in won:
            assert body["done_text"] in saved
        for body, data in lost:
            assert body["done_text"] not in saved, (body, data)
            assert "error" in data
        sends = AuditEvent.objects.filter(action="提交负责人签批", object_id=str(report.pk)).count()
        assert sends == sends_before + (len(won) if send else 0)
        if send:  # the head returns it so that the next pair can edit again
            report_service.head_return(stored, stored.version, "请补充", user=world.users["a_head"])
    print(
        f"race: {2 * PAIRS} pushes in {PAIRS} pairs on {connection.vendor}: {tally}, every answer matched the database"
    )
    assert tally[201] + tally[409] + tally[403] == 2 * PAIRS
    assert tally[201] >= PAIRS and tally[409] >= PAIRS // 2, tally


@pytest.mark.django_db(transaction=True)
def test_a_refused_send_stores_nothing(world):
    """Save-and-send on the page: a stale version stores neither the text nor the send."""
    from django.test import Client

    report = world.reports["a1"]
    client = Client()
    client.force_login(world.users["a_staff"])
    stale = report.version
    report_service.save(report, report.version, {"done_text": "他人先存"}, user=world.users["a_staff"])
    before = AuditEvent.objects.count()
    response = client.post(
        f"/reports/{report.pk}/", {"action": "send", "version": stale, "done_text": "我的", "status": "behind"}
    )
    assert response.status_code == 409
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.done_text, stored.state, stored.status) == ("他人先存", ProgressReport.DRAFT, "not_started")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_a_send_that_fails_after_the_save_rolls_the_save_back(world, monkeypatch):
    """The save and the send are one change: when the send is refused, the save is undone too."""
    from duban.errors import DubanError

    report = world.reports["a1"]

    def refuse(*args, **kwargs):
        raise DubanError("送审失败")

    monkeypatch.setattr(report_service, "send_to_head", refuse)
    with pytest.raises(DubanError):
        report_service.save_and_send(report, report.version, {"done_text": "半截"}, user=world.users["a_staff"])
    stored = ProgressReport.objects.get(pk=report.pk)
    assert stored.done_text == "" and stored.version == report.version
    assert not AuditEvent.objects.filter(action="保存报告").exists()


def _race_pages(user, url, data, n=2):
    """The same form posted by ``n`` sessions of ``user`` at one moment; the status codes in order."""
    from django.test import Client

    barrier = threading.Barrier(n)
    codes: list = [None] * n

    def one(i):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=30)
            codes[i] = client.post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return codes


@pytest.mark.django_db(transaction=True)
def test_racing_sign_offs_and_acceptances_happen_once(world):
    """A head's double click and two supervisors accepting at once: one succeeds, one is told, one event each."""
    report = world.reports["a1"]
    url = f"/reports/{report.pk}/"
    for cycle in range(5):
        report.refresh_from_db()
        report = report_service.save_and_send(report, report.version, {"done_text": f"第{cycle}次"})
        signed = _race_pages(world.users["a_head"], url, {"action": "approve", "version": report.version})
        assert sorted(signed) == [302, 409], signed
        report.refresh_from_db()
        assert report.state == ProgressReport.SUBMITTED
        accepted = _race_pages(world.users["office"], url, {"action": "accept", "version": report.version})
        assert sorted(accepted) == [302, 409], accepted
        report.refresh_from_db()
        assert report.state == ProgressReport.ACCEPTED
        assert AuditEvent.objects.filter(action="负责人签批报送", object_id=str(report.pk)).count() == cycle + 1
        assert AuditEvent.objects.filter(action="督查审核通过", object_id=str(report.pk)).count() == cycle + 1
        # back to the unit for the next cycle (an accepted report is reopened here directly, as a test set-up)
        ProgressReport.objects.filter(pk=report.pk).update(state=ProgressReport.RETURNED)
