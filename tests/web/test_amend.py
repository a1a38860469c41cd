"""Amending a published plan (issue 9 item 5): every change a revision with who, when and why.

The ``world`` plan is published with tasks 1 (商务局 lead, 财政局 support; 商务局's
first-round report a1), 2 (财政局 responsible; report b2) and 3 (教育局 lead).
"""

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.errors import InputError
from duban.web.models import AuditEvent, ChangeRequest, PlanRevision, ProgressReport, Task
from duban.web.services import amend
from duban.web.services import plans as plan_service

HX = {"HTTP_HX_REQUEST": "true"}


def numbered(plan):
    return [(t.number, t.text) for t in plan.tasks.order_by("order")]


def read_back(docx: bytes):
    return plan_service.read_upload(docx, "notice.docx")


def test_a_published_task_edit_needs_a_reason_and_becomes_revision_one(world, login):
    client = login(world.users["office"])
    task = world.tasks["2"]
    url = f"/plans/{world.plan.pk}/tasks/{task.pk}/edit/"
    refused = client.post(url, {"action": "text", "text": "一般公共预算收入增长4%。", "version": task.version}, **HX)
    assert refused.status_code == 422 and "须写明修订原因" in refused.content.decode()
    assert refused["HX-Retarget"] == f"#tools-{task.pk}"
    task.refresh_from_db()
    assert task.text == "一般公共预算收入增长3.5%。" and world.plan.revisions.count() == 0

    ok = client.post(
        url,
        {
            "action": "text",
            "text": "一般公共预算收入增长4%。",
            "deadline": "2026年12月底",
            "version": 1,
            "reason": "市政府常务会议调整目标",
        },
        **HX,
    )
    assert ok.status_code == 200
    html = ok.content.decode()
    assert f'<tr id="task-{task.pk}"' in html and "一般公共预算收入增长4%。" in html
    assert 'id="revisions" hx-swap-oob="true"' in html and "市政府常务会议调整目标" in html
    task.refresh_from_db()
    assert (task.text, task.deadline, task.version) == ("一般公共预算收入增长4%。", "2026年12月底", 2)
    revision = world.plan.revisions.get()
    assert (revision.number, revision.username, revision.reason, revision.action) == (
        1,
        "office",
        "市政府常务会议调整目标",
        "修改任务",
    )
    assert revision.before["text"] == "一般公共预算收入增长3.5%。" and revision.task == task
    world.plan.refresh_from_db()
    assert world.plan.revision == 1
    event = AuditEvent.objects.get(action="修改任务")
    assert event.after["revision"] == 1 and event.after["reason"] == "市政府常务会议调整目标"

    # The same form posted again (version 1 seen) is someone else's stale edit: refused, nothing changes.
    stale = client.post(url, {"action": "text", "text": "另一种写法。", "version": 1, "reason": "再改"}, **HX)
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    task.refresh_from_db()
    assert task.text == "一般公共预算收入增长4%。"


def test_the_notice_and_task_table_downloads_are_the_current_revision(world, login):
    client = login(world.users["office"])
    task = world.tasks["3"]
    amend.edit_task(task, text="进出口总值增长5%。", reason="按省里下达目标调整", user=world.users["office"])
    amend.set_units(
        world.tasks["3"], [("商务局", "lead"), ("教育局", "support")], reason="职责调整", user=world.users["office"]
    )
    amend.edit_plan(
        world.plan,
        title="云溪市人民政府关于调整2026年重点工作责任单位的通知",
        doc_number="云政〔2026〕3号",
        reason="印发修订版",
    )
    response = client.get(f"/plans/{world.plan.pk}/files/notice.docx")
    assert "%EF%BC%88%E7%AC%AC3%E6%AC%A1%E4%BF%AE%E8%AE%A2%EF%BC%89" in response["Content-Disposition"]  # （第3次修订）
    doc = read_back(response.content)
    assert doc.doc_number == "云政〔2026〕3号"
    assert doc.title == "云溪市人民政府关于调整2026年重点工作责任单位的通知"
    third = next(t for t in doc.tasks if t.number == "3")
    assert third.text.startswith("进出口总值增长5%")
    assert [(u.name, u.role) for u in third.units] == [("商务局", "lead"), ("教育局", "support")]

    from openpyxl import load_workbook

    table = load_workbook(io.BytesIO(client.get(f"/plans/{world.plan.pk}/files/plan.xlsx").content)).active
    rows = {str(r[0]): r for r in table.iter_rows(min_row=2, values_only=True)}
    assert rows["3"][2] == "进出口总值增长5%。" and rows["3"][3] == "商务局"


def test_splitting_a_published_task_keeps_its_reports_on_the_first_part(world, login):
    client = login(world.users["office"])
    task = world.tasks["1"]
    response = client.post(
        f"/plans/{world.plan.pk}/tasks/{task.pk}/edit/",
        {
            "action": "text",
            "text": "开展促消费活动。\n\n力争社会消费品零售总额突破170亿元。",
            "version": task.version,
            "reason": "两项工作分别考核",
        },
        **HX,
    )
    assert response.status_code == 200
    assert numbered(world.plan) == [
        ("1", "开展促消费活动。"),
        ("2", "力争社会消费品零售总额突破170亿元。"),
        ("3", "一般公共预算收入增长3.5%。"),
        ("4", "进出口总值增长3%。"),
    ]
    html = response.content.decode()
    # The two rows replace the one; the renumbered later tasks are swapped out of band, not the page.
    assert html.count("<tr id=") == 2
    assert f'<span id="num-{world.tasks["2"].pk}" hx-swap-oob="true">3</span>' in html
    assert f'<span id="num-{world.tasks["3"].pk}" hx-swap-oob="true">4</span>' in html
    world.reports["a1"].refresh_from_db()
    assert world.reports["a1"].task_id == task.pk
    second = world.plan.tasks.get(number="2")
    assert [(a.unit.name, a.role) for a in second.assignments.all()] == [("商务局", "lead"), ("财政局", "support")]
    assert world.plan.revisions.get().summary == "第 1 项拆分为 2 项（第 1–2 项）"


def test_published_units_must_be_in_the_directory_and_someone_must_report(world, login):
    client = login(world.users["office"])
    task = world.tasks["3"]
    url = f"/plans/{world.plan.pk}/tasks/{task.pk}/units/"
    unknown = client.post(
        url, {"unit": ["外事办"], "role": ["lead"], "reason": "换牵头", "version": task.version}, **HX
    )
    assert unknown.status_code == 422 and "单位名录中没有“外事办”" in unknown.content.decode()
    nobody = client.post(url, {"unit": ["商务局"], "role": ["support"], "reason": "换", "version": 1}, **HX)
    assert nobody.status_code == 422 and "至少要有一个牵头或负责单位" in nobody.content.decode()
    bad_role = client.post(url, {"unit": ["商务局"], "role": ["boss"], "reason": "换", "version": 1}, **HX)
    assert bad_role.status_code == 422 and "角色“boss”无效" in bad_role.content.decode()
    assert [(a.unit_name, a.role) for a in task.assignments.all()] == [("教育局", "lead")]

    ok = client.post(
        url, {"unit": ["商务局", "教育局"], "role": ["lead", "support"], "reason": "外贸归商务局", "version": 1}, **HX
    )
    assert ok.status_code == 200 and "商务局" in ok.content.decode()
    assert [(a.unit.name, a.role) for a in task.assignments.all()] == [("商务局", "lead"), ("教育局", "support")]
    revision = world.plan.revisions.get()
    assert revision.before == {"units": [["教育局", "lead"]]}
    assert revision.summary == "第 3 项责任单位改为商务局（牵头）、教育局（配合）"


def test_merging_published_tasks_carries_their_reports_and_refuses_a_clash(world):
    office = world.users["office"]
    two, three = world.tasks["2"], world.tasks["3"]
    rnd = world.rounds[0]
    ProgressReport.objects.create(task=three, unit=world.units["教育局"], round=rnd)
    change = amend.merge_into_previous(three, reason="合并考核", user=office)
    assert change.removed == [three.pk] and not Task.objects.filter(pk=three.pk).exists()
    assert numbered(world.plan)[-1] == ("2", "一般公共预算收入增长3.5%。进出口总值增长3%。")
    assert set(ProgressReport.objects.filter(task=two).values_list("unit__name", flat=True)) == {"财政局", "教育局"}
    assert world.plan.revisions.get().after["moved"] == {"ProgressReport": 1}

    # 商务局 has a report on task 1; one on task 2 for the same round cannot fold into it.
    ProgressReport.objects.create(task=two, unit=world.units["商务局"], round=rnd)
    with pytest.raises(InputError, match="都有商务局「.*」的报告"):
        amend.merge_into_previous(two, reason="再合并", user=office)
    assert world.plan.tasks.count() == 2 and world.plan.revisions.count() == 1


def test_moving_a_published_task_renumbers_and_answers_with_the_table_body(world, login):
    client = login(world.users["office"])
    task = world.tasks["1"]
    other = world.plan.sections.exclude(pk=task.section_id).get()
    response = client.post(
        f"/plans/{world.plan.pk}/tasks/{task.pk}/edit/",
        {"action": "move", "section": other.pk, "version": task.version, "reason": "归入开放部分"},
        **HX,
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#tasks-body"
    assert [n for n, _ in numbered(world.plan)] == ["1", "2", "3"]
    assert numbered(world.plan)[2] == ("3", "力争社会消费品零售总额突破170亿元。")
    foreign = client.post(
        f"/plans/{world.plan.pk}/tasks/{task.pk}/edit/",
        {"action": "move", "section": 999999, "version": 2, "reason": "x"},
        **HX,
    )
    assert foreign.status_code == 422 and "所选标题不在本计划中" in foreign.content.decode()


def test_title_and_doc_number_are_amended_in_place(world, login):
    client = login(world.users["office"])
    url = f"/plans/{world.plan.pk}/header/"
    seen = {"seen_title": world.plan.title, "seen_doc_number": world.plan.doc_number}
    blank = client.post(url, {"title": "  ", "doc_number": "x", "reason": "r", **seen}, **HX)
    assert blank.status_code == 422 and "标题" in blank.content.decode()
    ok = client.post(
        url, {"title": world.plan.title, "doc_number": "云政〔2026〕2号", "reason": "文号录错", **seen}, **HX
    )
    assert ok.status_code == 200 and "云政〔2026〕2号" in ok.content.decode()
    stale = client.post(url, {"title": "别的标题", "doc_number": "云政〔2026〕9号", "reason": "r", **seen}, **HX)
    assert stale.status_code == 409
    world.plan.refresh_from_db()
    assert world.plan.doc_number == "云政〔2026〕2号" and world.plan.revision == 1
    assert world.plan.revisions.get().summary == "修改文号"


def test_rounds_added_edited_and_deleted_only_without_reports(world, login):
    client = login(world.users["office"])
    url = f"/plans/{world.plan.pk}/rounds/"
    first = world.rounds[0]  # has reports a1 and b2
    refused = client.post(url, {"action": "delete", "round": first.pk, "reason": "误建"}, **HX)
    assert refused.status_code == 422 and "已有 2 份报告" in refused.content.decode()
    backdated = {"action": "add", "kind": "progress", "title": "补建轮次", "due": "2026-05-01", "reason": "补建"}
    assert client.post(url, backdated, **HX).status_code == 200
    rnd = world.plan.rounds.get(title="补建轮次")
    no_reason = client.post(url, {"action": "delete", "round": rnd.pk}, **HX)
    assert no_reason.status_code == 422 and world.plan.rounds.filter(pk=rnd.pk).exists()
    assert client.post(url, {"action": "delete", "round": rnd.pk, "reason": "日期倒填，删除"}, **HX).status_code == 200
    assert not world.plan.rounds.filter(pk=rnd.pk).exists()
    bad_kind = client.post(
        url, {"action": "add", "kind": "zzz", "title": "x", "due": "2026-05-01", "reason": "r"}, **HX
    )
    assert bad_kind.status_code == 422 and "类型" in bad_kind.content.decode()
    bad_year = client.post(
        url, {"action": "add", "kind": "progress", "title": "x", "due": "2099-05-01", "reason": "r"}, **HX
    )
    assert bad_year.status_code == 422 and "2026 年前后" in bad_year.content.decode()
    assert [r.action for r in world.plan.revisions.order_by("number")] == ["新增报送轮次", "删除报送轮次"]
    # The notice's schedule is the rounds as they stand.
    moved = world.rounds[1]
    amend.edit_round(moved, kind="progress", title=moved.title, due=date(2026, 9, 30), reason="顺延")
    doc = read_back(client.get(f"/plans/{world.plan.pk}/files/notice.docx").content)
    assert [s.due for s in doc.schedule if s.what == "progress"] == [date(2026, 6, 15), date(2026, 9, 30)]


def test_an_approved_change_request_applies_what_it_asks(world, login):
    client = login(world.users["c_staff"])
    task = world.tasks["3"]
    asked = client.post(
        f"/tasks/{task.pk}/change/",
        {
            "kind": "change",
            "reason": "外贸工作划转商务局",
            "new_text": "进出口总值增长4%。",
            "new_units": "商务局 牵头\n教育局（配合）",
        },
    )
    assert asked.status_code == 302
    cr = task.change_requests.get()
    assert (cr.new_text, cr.new_units) == ("进出口总值增长4%。", [["商务局", "lead"], ["教育局", "support"]])
    office = login(world.users["office"])
    assert "商务局（牵头）、教育局（配合）" in office.get(f"/plans/{world.plan.pk}/changes/").content.decode()
    office.post(f"/changes/{cr.pk}/decide/", {"decision": "approved", "comment": "同意"})
    task.refresh_from_db()
    assert task.text == "进出口总值增长4%。"
    assert [(a.unit.name, a.role) for a in task.assignments.all()] == [("商务局", "lead"), ("教育局", "support")]
    revisions = list(world.plan.revisions.order_by("number"))
    assert [(r.action, r.change_request_id, r.username) for r in revisions] == [
        ("修改任务", cr.pk, "office"),
        ("修改责任单位", cr.pk, "office"),
    ]
    assert revisions[0].reason == "同意教育局的调整申请：外贸工作划转商务局"
    cr.refresh_from_db()
    assert cr.state == ChangeRequest.APPROVED


def test_a_change_request_that_cannot_be_applied_stays_pending_and_changes_nothing(world, login):
    cr = ChangeRequest.objects.create(
        task=world.tasks["3"],
        unit=world.units["教育局"],
        kind="change",
        reason="换单位",
        new_text="进出口总值增长9%。",
        new_units=[["不存在的局", "lead"]],
    )
    response = login(world.users["office"]).post(f"/changes/{cr.pk}/decide/", {"decision": "approved"}, follow=True)
    assert "申请仍待审批" in response.content.decode() and "不存在的局" in response.content.decode()
    cr.refresh_from_db()
    world.tasks["3"].refresh_from_db()
    assert cr.state == ChangeRequest.PENDING and world.tasks["3"].text == "进出口总值增长3%。"
    assert PlanRevision.objects.count() == 0


@pytest.mark.parametrize(
    "post, message",
    [
        ({"kind": "change", "reason": "r"}, "须写明要调整的"),
        ({"kind": "extension", "reason": "r"}, "须写明申请的完成时限"),
        ({"kind": "change", "reason": "r", "new_units": "商务局 老大"}, "没有写明角色"),
        ({"kind": "zzz", "reason": "r"}, "类型"),
        ({"kind": "change", "reason": ""}, "理由"),
    ],
)
def test_a_change_request_says_what_it_lacks(world, login, post, message):
    response = login(world.users["c_staff"]).post(f"/tasks/{world.tasks['3'].pk}/change/", post, follow=True)
    assert message in response.content.decode() and not ChangeRequest.objects.exists()


def test_a_notice_drafted_from_a_report_is_published_without_its_draft_mark(world):
    from duban.draft.decompose import DRAFT_MARK, undrafted

    assert undrafted(f"关于明确2026年重点工作责任单位的通知{DRAFT_MARK}") == "关于明确2026年重点工作责任单位的通知"
    assert undrafted("通知(草稿) ") == "通知"
    assert undrafted("关于草稿管理的通知") == "关于草稿管理的通知"
    from tests.web.conftest import small_notice

    draft = small_notice()
    draft.title = f"云溪市人民政府关于明确政府工作报告提出的2027年重点工作责任单位的通知{DRAFT_MARK}"
    plan = plan_service.import_document(draft, world.gov, 2027)
    assert plan.title.endswith("（草稿）")
    plan = plan_service.publish(plan)
    assert plan.title == "云溪市人民政府关于明确政府工作报告提出的2027年重点工作责任单位的通知"


def test_only_the_office_amends(world, login):
    task = world.tasks["1"]
    for who in ("a_staff", "leader"):
        client = login(world.users[who])
        for url in ("review/", f"tasks/{task.pk}/tools/", "header/?edit=1", "rounds/"):
            assert client.get(f"/plans/{world.plan.pk}/{url}").status_code == 403
    other = login(world.users["x_office"])
    assert other.get(f"/plans/{world.plan.pk}/review/").status_code == 404


def test_the_amend_page_shows_the_revisions_and_a_draft_needs_no_reason(world, login, office_draft):
    client = login(world.users["office"])
    amend.edit_task(world.tasks["2"], text="一般公共预算收入增长4%。", reason="调整目标", user=world.users["office"])
    html = client.get(f"/plans/{world.plan.pk}/review/").content.decode()
    assert "第 1 次" in html and "调整目标" in html and "第 1 次修订" in html
    draft_task = office_draft.tasks.get(number="2")
    ok = client.post(
        f"/plans/{office_draft.pk}/tasks/{draft_task.pk}/edit/", {"action": "text", "text": "新的写法。"}, **HX
    )
    assert ok.status_code == 200 and office_draft.revisions.count() == 0
    assert AuditEvent.objects.filter(action="修改任务", object_id=str(draft_task.pk)).exists()


def test_the_review_page_shows_a_page_of_tasks_and_the_whole_plans_counts(world, login, monkeypatch):
    """A plan with its cascaded tasks runs to thousands: the review page shows them a page at a time, each
    task on exactly one page, while the match counts are the whole plan's."""
    import re

    from duban.web.models import Assignment
    from duban.web.views import amend as amend_views

    monkeypatch.setattr(amend_views, "REVIEW_TASKS_PER_PAGE", 2)
    client = login(world.users["office"])
    url = f"/plans/{world.plan.pk}/review/"
    tasks = list(world.plan.tasks.order_by("order").values_list("pk", flat=True))
    pages = [client.get(f"{url}?page={n}").content.decode() for n in (1, 2)]
    shown = [[int(pk) for pk in re.findall(r'<tr id="task-(\d+)"', html)] for html in pages]
    assert len(tasks) == 3 and shown == [tasks[:2], tasks[2:]]
    assert "第 1/2 页，共 3 项" in pages[0] and "?page=2" in pages[0] and "?page=1" in pages[1]
    exact = Assignment.objects.filter(task__plan=world.plan, match="exact").count()
    assert all(f"精确 {exact}</span>" in html for html in pages)
    assert client.get(f"{url}?page=zzz").status_code == 200


@pytest.fixture
def office_draft(world):
    from tests.web.conftest import small_notice

    return plan_service.import_document(small_notice(), world.gov, 2027)


# --- generated: any sequence of amendments keeps the plan whole --------------------------------------

OPS = st.lists(
    st.tuples(st.sampled_from(["split", "merge", "move", "units", "text"]), st.integers(0, 50)), min_size=1, max_size=6
)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_sequence_of_amendments_keeps_numbers_reports_and_revisions_whole(world, ops):
    from django.db import transaction

    sid = transaction.savepoint()
    try:
        plan = world.plan
        reports = set(ProgressReport.objects.filter(task__plan=plan).values_list("pk", flat=True))
        applied = 0
        for op, pick in ops:
            tasks = list(plan.tasks.order_by("order"))
            task = tasks[pick % len(tasks)]
            try:
                if op == "split":
                    amend.edit_task(task, text=f"{task.text}\n\n新增第{pick}项。", reason="拆")
                elif op == "merge":
                    amend.merge_into_previous(task, reason="并")
                elif op == "move":
                    sections = list(plan.sections.exclude(pk=task.section_id))
                    amend.move_task(task, sections[pick % len(sections)], reason="移")
                elif op == "units":
                    amend.set_units(task, [("财政局", "lead"), ("商务局", "support")], reason="换")
                else:
                    amend.edit_task(task, text=f"改写{pick}。", reason="改")
            except InputError:
                continue  # refused with a sentence: nothing may have changed, checked below
            applied += 1
        tasks = list(plan.tasks.order_by("order"))
        assert [t.number for t in tasks] == [str(i) for i in range(1, len(tasks) + 1)]
        # Headings stay in document order and no task lost its reports.
        orders = [t.section.order for t in tasks]
        assert orders == sorted(orders)
        assert set(ProgressReport.objects.filter(task__plan=plan).values_list("pk", flat=True)) == reports
        assert list(plan.revisions.order_by("number").values_list("number", flat=True)) == list(range(1, applied + 1))
        plan.refresh_from_db()
        assert plan.revision == applied
        assert all(t.assignments.filter(role__in=("lead", "responsible")).exists() for t in tasks)
    finally:
        transaction.savepoint_rollback(sid)


@pytest.mark.parametrize(
    "url, post",
    [
        ("tasks/{t}/edit/", {"action": "text", "text": "x", "version": "abc", "reason": "r"}),
        ("tasks/{t}/edit/", {"action": "move", "section": "abc", "reason": "r"}),
        ("tasks/{t}/edit/", {"action": "zzz"}),
        ("tasks/{t}/edit/", {"action": "text", "text": "", "reason": "r"}),
        ("tasks/{t}/edit/", {"action": "merge", "version": "99999999999999999999", "reason": "r"}),
        ("tasks/{t}/units/", {"unit": ["商务局"], "role": ["lead"], "version": "-1", "reason": "r"}),
        ("tasks/{t}/units/", {"unit": ["x" * 500], "role": ["lead"], "reason": "r"}),
        ("header/", {"title": "t" * 400, "reason": "r"}),
        ("header/", {"title": "标题", "doc_number": "d", "reason": "r" * 600}),
        ("rounds/", {"action": "edit", "round": "abc", "kind": "progress", "title": "t", "due": "2026-05-01"}),
        ("rounds/", {"action": "delete", "round": "-5", "reason": "r"}),
        ("rounds/", {"action": "add", "kind": "progress", "title": "t", "due": "2026-13-45", "reason": "r"}),
        ("rounds/", {"action": "add", "kind": "progress", "title": "t", "due": "99999999999", "reason": "r"}),
    ],
)
def test_junk_in_any_amend_field_gets_a_sentence_not_a_server_error(world, login, url, post):
    client = login(world.users["office"])
    path = f"/plans/{world.plan.pk}/" + url.format(t=world.tasks["1"].pk)
    for headers in ({}, HX):
        response = client.post(path, post, follow=not headers, **headers)
        assert response.status_code in (200, 409, 422), response.status_code
        html = response.content.decode()
        assert 'class="error"' in html or "msg-error" in html, html[:500]
    assert world.plan.revisions.count() == 0


def test_rounds_of_a_draft_wait_for_publishing(world, office_draft):
    with pytest.raises(InputError, match="发布后才能调整"):
        amend.add_round(office_draft, kind="progress", title="t", due=date(2027, 6, 30))


def test_a_renamed_units_old_name_lands_on_the_new_unit(world, login):
    from duban.web.models import Unit

    old = world.units["教育局"]
    new = Unit.objects.create(government=world.gov, name="教育和体育局", aliases=["教育局"])
    old.successor = new
    old.save()
    amend.set_units(world.tasks["2"], [("财政局", "lead"), ("教育局", "support")], reason="教体局配合")
    assert [(a.unit_id, a.unit_name) for a in world.tasks["2"].assignments.all()] == [
        (world.units["财政局"].pk, "财政局"),
        (new.pk, "教育和体育局"),
    ]


def test_each_in_place_answer_adds_the_new_revision_to_the_list(world, login):
    client = login(world.users["office"])
    task = world.tasks["2"]
    url = f"/plans/{world.plan.pk}/tasks/{task.pk}/edit/"
    first = client.post(url, {"action": "text", "text": "改一。", "version": 1, "reason": "一"}, **HX).content.decode()
    assert 'id="revisions" hx-swap-oob="true"' in first
    second = client.post(url, {"action": "text", "text": "改二。", "version": 2, "reason": "二"}, **HX).content.decode()
    assert '<tbody hx-swap-oob="afterbegin:#revision-rows"><tr class="revision"><td>第 2 次</td>' in second
    assert '<span id="revision-count" hx-swap-oob="true">（共 2 次）</span>' in second
