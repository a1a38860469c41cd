import re

import pytest

from duban.errors import DubanError
from duban.web.models import AuditEvent, Contribution, Ledger, ProgressReport
from duban.web.services import reports


def _form(report, **extra):
    data = {
        "version": report.version,
        "status": "on_schedule",
        "done_text": "开展促消费活动 60 场",
        "figure_0": "90",
        "problems": "",
        "next_steps": "继续推进",
        "action": "save",
    }
    data.update(extra)
    return data


def test_staff_writes_head_signs_office_accepts(world, client):
    report = world.reports["a1"]
    client.force_login(world.users["a_staff"])
    page = client.get(f"/reports/{report.pk}/")
    assert page.status_code == 200 and "社会消费品零售总额" in page.content.decode()
    assert client.post(f"/reports/{report.pk}/", _form(report, action="send")).status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.AWAITING_HEAD
    assert report.figures == {"社会消费品零售总额": 90.0}
    assert report.submitted_at is None  # not in until the head signs

    # Staff cannot sign; the head of another unit cannot either.
    assert client.post(f"/reports/{report.pk}/", {"version": report.version, "action": "approve"}).status_code == 403
    client.force_login(world.users["b_head"])
    assert client.post(f"/reports/{report.pk}/", {"version": report.version, "action": "approve"}).status_code == 404

    client.force_login(world.users["a_head"])
    workspace = client.get("/workspace/").content.decode()
    assert "待我签批" in workspace
    response = client.post(
        f"/reports/{report.pk}/", {"version": report.version, "action": "head_return", "comment": ""}
    )
    assert response.status_code == 400 and "请填写意见" in response.content.decode()
    assert client.post(f"/reports/{report.pk}/", {"version": report.version, "action": "approve"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.SUBMITTED and report.submitted_at is not None

    client.force_login(world.users["office"])
    queue = client.get(f"/plans/{world.plan.pk}/reports/").content.decode()
    assert "商务局" in queue
    response = client.post(
        f"/reports/{report.pk}/", {"version": report.version, "action": "office_return", "comment": "请补充佐证"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.RETURNED and report.comment == "请补充佐证" and report.submitted_at is None

    actions = list(
        AuditEvent.objects.filter(object_type="ProgressReport").order_by("at", "id").values_list("action", "username")
    )
    assert actions == [
        ("保存报告", "a_staff"),
        ("提交负责人签批", "a_staff"),
        ("负责人签批报送", "a_head"),
        ("督查退回", "office"),
    ]


def test_second_of_two_concurrent_edits_is_refused(world, client):
    report = world.reports["a1"]
    loaded_version = report.version
    client.force_login(world.users["a_staff"])
    first = client.post(f"/reports/{report.pk}/", _form(report, done_text="第一位的修改"))
    assert first.status_code == 302
    client.force_login(world.users["a_head"])
    second = client.post(f"/reports/{report.pk}/", _form(report, version=loaded_version, done_text="第二位的修改"))
    assert second.status_code == 409
    assert "已被他人修改" in second.content.decode()
    report.refresh_from_db()
    assert report.done_text == "第一位的修改"
    assert report.version == loaded_version + 1


def test_stale_edit_in_the_service(world):
    report = world.reports["b2"]
    reports.save(report, report.version, {"done_text": "a"})
    with pytest.raises(reports.StaleEdit):
        reports.save(report, report.version, {"done_text": "b"})
    fresh = ProgressReport.objects.get(pk=report.pk)
    with pytest.raises(DubanError, match="草稿"):
        reports.accept(fresh, fresh.version)


def test_figures_must_be_numbers(world, client):
    report = world.reports["a1"]
    client.force_login(world.users["a_staff"])
    response = client.post(f"/reports/{report.pk}/", _form(report, figure_0="九十"))
    assert response.status_code == 400
    assert "不是数字" in response.content.decode()


def test_ledger_with_milestones_and_version(world, client):
    task = world.tasks["1"]
    client.force_login(world.users["a_staff"])
    assert client.get(f"/tasks/{task.pk}/ledger/").status_code == 200
    ledger = Ledger.objects.get(task=task, unit=world.units["商务局"])
    data = {
        "version": ledger.version,
        "m_title": ["制定促消费方案", "举办汽车消费节", ""],
        "m_due": ["2026-03-31", "2026-05-20", ""],
        "m_done": ["0"],
        "measures": "政企联动",
        "safeguards": "周调度",
        "responsible_leader": "张副局长",
        "responsible_person": "李科长",
    }
    assert client.post(f"/tasks/{task.pk}/ledger/", data).status_code == 302
    ledger.refresh_from_db()
    assert [(m.title, str(m.due), m.done) for m in ledger.milestones.all()] == [
        ("制定促消费方案", "2026-03-31", True),
        ("举办汽车消费节", "2026-05-20", False),
    ]
    stale = client.post(f"/tasks/{task.pk}/ledger/", data)
    assert stale.status_code == 409
    bad = client.post(f"/tasks/{task.pk}/ledger/", dict(data, version=ledger.version, m_due=["31/03/2026", "", ""]))
    assert bad.status_code == 400 and "格式不对" in bad.content.decode()
    # An overdue, unfinished milestone turns the task red on the office's dashboard.
    client.force_login(world.users["office"])
    html = client.get(f"/plans/{world.plan.pk}/").content.decode()
    assert "节点“举办汽车消费节”已过期" in html


def test_supporting_unit_contributes_and_lead_sees_it(world, client):
    task, rnd = world.tasks["1"], world.rounds[0]
    client.force_login(world.users["b_staff"])
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "配合工作情况" in page
    assert (
        client.post(f"/tasks/{task.pk}/rounds/{rnd.pk}/contribution/", {"text": "落实消费券资金 2000 万元"}).status_code
        == 302
    )
    assert Contribution.objects.get().unit == world.units["财政局"]
    # The supporter may not open the lead's report itself.
    assert client.get(f"/reports/{world.reports['a1'].pk}/").status_code == 404
    client.force_login(world.users["a_staff"])
    assert "落实消费券资金 2000 万元" in client.get(f"/reports/{world.reports['a1'].pk}/").content.decode()


def test_attachments_are_stored_with_their_checksum(world, client, settings):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    report = world.reports["a1"]
    client.force_login(world.users["a_staff"])
    data = "活动照片说明".encode()
    assert (
        client.post(f"/reports/{report.pk}/attachments/", {"file": SimpleUploadedFile("佐证.txt", data)}).status_code
        == 302
    )
    attachment = report.attachments.get()
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert (settings.UPLOAD_DIR / attachment.path).read_bytes() == data
    download = client.get(f"/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == data
    client.force_login(world.users["b_staff"])
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_change_request_approved_moves_the_deadline(world, client):
    task = world.tasks["2"]
    client.force_login(world.users["b_staff"])
    assert (
        client.post(
            f"/tasks/{task.pk}/change/", {"kind": "extension", "reason": "项目审批延后", "new_deadline": "2026年12月底"}
        ).status_code
        == 302
    )
    client.force_login(world.users["office"])
    change = task.change_requests.get()
    assert "项目审批延后" in client.get(f"/plans/{world.plan.pk}/changes/").content.decode()
    assert client.post(f"/changes/{change.pk}/decide/", {"decision": "approved", "comment": "同意"}).status_code == 302
    task.refresh_from_db()
    assert task.deadline == "2026年12月底"
    assert AuditEvent.objects.filter(action="同意申请").count() == 1


def test_urge_is_recorded_and_seen_by_the_unit(world, client):
    client.force_login(world.users["office"])
    dashboard = client.get(f"/plans/{world.plan.pk}/").content.decode()
    assert "未报送" in dashboard
    unit = world.units["教育局"]
    response = client.post(
        f"/plans/{world.plan.pk}/urge/", {"unit": unit.pk, "task": world.tasks["3"].pk, "round": world.rounds[0].pk}
    )
    assert response.status_code == 302
    urge = unit.urges.get()
    assert urge.seen_at is None and "请抓紧报送" in urge.message
    client.force_login(world.users["c_staff"])
    assert urge.message in client.get("/workspace/").content.decode()
    urge.refresh_from_db()
    assert urge.seen_at is not None
    assert AuditEvent.objects.filter(action="催办").count() == 1


def test_inspection_with_a_finding(world, client):
    client.force_login(world.users["office"])
    assert (
        client.post(
            f"/plans/{world.plan.pk}/inspections/",
            {"kind": "special", "title": "消费专项督查", "held_on": "2026-06-20"},
        ).status_code
        == 302
    )
    inspection = world.plan.inspections.get()
    client.post(
        f"/plans/{world.plan.pk}/inspections/{inspection.pk}/findings/",
        {"task": world.tasks["1"].pk, "text": "活动场次不足"},
    )
    finding = inspection.findings.get()
    assert finding.unit == world.units["商务局"]
    client.force_login(world.users["a_staff"])
    assert "活动场次不足" in client.get(f"/tasks/{world.tasks['1'].pk}/").content.decode()


def test_audit_log_cannot_be_edited(world):
    from duban.web.models import AuditLogIsAppendOnly

    event = AuditEvent.objects.first()
    event.action = "篡改"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.update(action="篡改")


def test_audit_admin_is_read_only(world, rf):
    from django.contrib.admin.sites import site

    from duban.web.models import AuditEvent as Model

    admin = site._registry[Model]
    request = rf.get("/")
    request.user = world.users["admin"]
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_downloads_from_the_renderer(world, client):
    import io

    pytest.importorskip("duban.render.notice")
    from docx import Document as Docx
    from openpyxl import load_workbook

    client.force_login(world.users["office"])
    notice = client.get(f"/plans/{world.plan.pk}/files/notice.docx")
    assert notice.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(notice.content)).paragraphs)
    assert "力争社会消费品零售总额突破170亿元" in text
    table = client.get(f"/plans/{world.plan.pk}/files/plan.xlsx")
    assert table.status_code == 200
    sheet = load_workbook(io.BytesIO(table.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert "一般公共预算收入增长3.5%。" in cells
    client.force_login(world.users["a_staff"])
    assert client.get(f"/plans/{world.plan.pk}/files/plan.xlsx").status_code == 403
    ledger = client.get(f"/plans/{world.plan.pk}/files/units/{world.units['商务局'].pk}/ledger.xlsx")
    assert ledger.status_code == 200
    book = load_workbook(io.BytesIO(ledger.content))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert "力争社会消费品零售总额突破170亿元。" in cells
    assert "进出口总值增长3%。" not in cells  # another unit's task
    client.force_login(world.users["x_office"])
    assert client.get(f"/plans/{world.plan.pk}/files/notice.docx").status_code == 404


def test_unit_directory_add_alias_collective_and_rename(world, client):
    from duban.web.models import Unit

    client.force_login(world.users["office"])
    assert client.get("/units/").status_code == 200
    client.post("/units/", {"action": "add", "name": "各镇人民政府", "kind": "collective", "aliases": ""})
    towns = Unit.objects.get(name="各镇人民政府")
    client.post(
        "/units/",
        {
            "action": "edit",
            "unit": towns.pk,
            "kind": "collective",
            "aliases": "各镇",
            "members": [world.units["商务局"].pk],
        },
    )
    towns.refresh_from_db()
    assert towns.aliases == ["各镇"] and list(towns.members.all()) == [world.units["商务局"]]
    client.post("/units/", {"action": "rename", "unit": world.units["教育局"].pk, "new_name": "教育体育局"})
    renamed = Unit.objects.get(name="教育体育局")
    assert renamed.renamed_from == world.units["教育局"] and "教育局" in renamed.aliases
    duplicate = client.post("/units/", {"action": "add", "name": "商务局"}, follow=True)
    assert "已存在" in duplicate.content.decode()
    assert {"新增单位", "修改单位", "单位更名"} <= set(AuditEvent.objects.values_list("action", flat=True))
    client.force_login(world.users["a_staff"])
    assert client.get("/units/").status_code == 403


def test_reporting_schedule_is_editable(world, client):
    client.force_login(world.users["office"])
    rnd = world.rounds[1]
    url = f"/plans/{world.plan.pk}/rounds/"
    edit = {"action": "edit", "round": rnd.pk, "kind": "progress", "title": rnd.title, "reason": "市政府调整报送时间"}
    assert client.post(url, dict(edit, due="2026-09-30")).status_code == 302
    rnd.refresh_from_db()
    assert str(rnd.due) == "2026-09-30"
    added = {
        "action": "add",
        "kind": "progress",
        "title": "第3次进展情况",
        "due": "2026-11-15",
        "reason": "增加一次调度",
    }
    assert client.post(url, added).status_code == 302
    assert world.plan.rounds.filter(title="第3次进展情况").exists()
    bad = client.post(url, dict(edit, due="9月30日"), follow=True)
    assert "日期格式不对" in bad.content.decode()
    assert [r.summary for r in world.plan.revisions.order_by("number")] == [
        f"修改报送轮次“{rnd.title}”",
        "新增报送轮次“第3次进展情况”（2026-11-15）",
    ]
    client.force_login(world.users["leader"])
    assert client.get(url).status_code == 403


def test_leader_reads_only_their_areas(world, client):
    client.force_login(world.users["leader"])
    html = client.get(f"/plans/{world.plan.pk}/").content.decode()
    # The tasks are folded by section; the leader's one area is there to unfold, the other area is not.
    mine, other = world.tasks["1"].section_id, world.tasks["3"].section_id
    assert f'id="sec-{mine}"' in html and f'id="sec-{other}"' not in html
    rows = client.get(f"/plans/{world.plan.pk}/sections/{mine}/tasks/").content.decode()
    assert "力争社会消费品零售总额突破170亿元" in rows and "一般公共预算收入增长3.5%" in rows
    assert client.get(f"/plans/{world.plan.pk}/sections/{other}/tasks/").status_code == 404
    assert "进出口总值增长3%" not in html  # another area
    assert "进出口总值增长3%" not in client.get(f"/plans/{world.plan.pk}/?section={other}").content.decode()
    assert 'button class="small urge"' not in html and "只读" in html
    assert client.get(f"/tasks/{world.tasks['3'].pk}/").status_code == 404


def test_returned_report_is_fixed_and_sent_again(world, client):
    report = world.reports["b2"]
    client.force_login(world.users["b_staff"])
    client.post(f"/reports/{report.pk}/", {"version": report.version, "action": "send", "status": "on_schedule"})
    report.refresh_from_db()
    client.force_login(world.users["b_head"])
    client.post(f"/reports/{report.pk}/", {"version": report.version, "action": "head_return", "comment": "数据不全"})
    report.refresh_from_db()
    assert report.state == ProgressReport.RETURNED and report.comment == "数据不全"
    client.force_login(world.users["b_staff"])
    assert "退回意见：数据不全" in client.get(f"/reports/{report.pk}/").content.decode()
    client.post(
        f"/reports/{report.pk}/",
        {"version": report.version, "action": "send", "status": "behind", "problems": "税源减少"},
    )
    report.refresh_from_db()
    assert (report.state, report.status, report.problems) == (ProgressReport.AWAITING_HEAD, "behind", "税源减少")


def test_dashboard_filters_and_indicator_colours(world, client):
    from duban.web.services import reports as svc

    r = world.reports["a1"]
    # 50 of 170 亿元 by 15 June is well under 序时进度 (about 77): lagging.
    r = svc.save(r, r.version, {"status": "on_schedule", "figures": {"社会消费品零售总额": 50}})
    r = svc.send_to_head(r, r.version)
    svc.approve(r, r.version)
    client.force_login(world.users["office"])
    html = client.get(f"/plans/{world.plan.pk}/?status=lagging").content.decode()
    tasks_table = html.split('id="tasks"')[1]
    assert "力争社会消费品零售总额" in tasks_table and "一般公共预算收入" not in tasks_table
    assert "序时应达" in tasks_table


def test_discarding_a_draft_plan(world, client):
    from duban.web.models import Plan
    from duban.web.services import plans

    from .conftest import small_notice

    draft = plans.import_document(small_notice(), world.gov, 2027)
    client.force_login(world.users["office"])
    assert client.post(f"/plans/{draft.pk}/discard/").status_code == 302
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert client.post(f"/plans/{world.plan.pk}/discard/").status_code == 302
    assert Plan.objects.filter(pk=world.plan.pk).exists()


def test_default_directory_fills_in_the_usual_units(world, client):
    from duban.web.models import Unit

    client.force_login(world.users["office"])
    before = Unit.objects.filter(government=world.gov).count()
    client.post("/units/", {"action": "defaults"})
    names = set(Unit.objects.filter(government=world.gov).values_list("name", flat=True))
    assert len(names) > before + 20
    assert "商务局" in names and Unit.objects.filter(government=world.gov, name="商务局").count() == 1
    client.post("/units/", {"action": "defaults"})  # twice changes nothing
    assert Unit.objects.filter(government=world.gov).count() == len(names)


def test_office_creates_unit_accounts(world, client):
    from django.contrib.auth.models import User
    from django.test import Client

    client.force_login(world.users["office"])
    response = client.post(
        "/units/",
        {"action": "account", "unit": world.units["教育局"].pk, "username": "jyj_head", "role": "unit_head"},
    )
    # The one-time password is shown on its own uncached page, never kept in a session message.
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = re.search(r'<code id="issued-password">([^<]+)</code>', response.content.decode()).group(1)
    assert password not in client.get("/units/").content.decode()
    user = User.objects.get(username="jyj_head")
    assert (user.membership.unit, user.membership.role) == (world.units["教育局"], "unit_head")
    fresh = Client()
    assert fresh.post("/login/", {"username": "jyj_head", "password": password}).status_code == 302
    # The initial password is one-time: nothing but the password page until the user sets their own.
    assert fresh.get("/workspace/").url == "/password/"
    new = {"old_password": password, "new_password1": "教育局春季2026", "new_password2": "教育局春季2026"}
    assert fresh.post("/password/", new).status_code == 302
    assert "教育局 工作台" in fresh.get("/workspace/").content.decode()
    taken = client.post(
        "/units/",
        {"action": "account", "unit": world.units["教育局"].pk, "username": "jyj_head", "role": "unit_head"},
        follow=True,
    )
    assert "已存在" in taken.content.decode()


def test_users_change_their_password(world, client):
    client.force_login(world.users["a_staff"])
    assert client.get("/password/").status_code == 200
    response = client.post(
        "/password/", {"old_password": "pw", "new_password1": "新的密码2026春", "new_password2": "新的密码2026春"}
    )
    assert response.status_code == 302
    world.users["a_staff"].refresh_from_db()
    assert world.users["a_staff"].check_password("新的密码2026春")


def test_members_of_a_collective_act_for_it(world, client):
    from django.contrib.auth.models import User

    from duban.web.models import Assignment, Membership, Unit

    towns = Unit.objects.create(government=world.gov, name="各镇人民政府", kind="collective")
    town = Unit.objects.create(government=world.gov, name="城关镇人民政府", kind="government")
    towns.members.add(town)
    task = world.tasks["2"]
    Assignment.objects.create(task=task, unit=towns, unit_name=towns.name, role="responsible")
    staff = User.objects.create_user("town_staff", password="pw")
    Membership.objects.create(user=staff, government=world.gov, role="unit_staff", unit=town)
    client.force_login(staff)
    workspace = client.get("/workspace/").content.decode()
    assert "一般公共预算收入增长3.5%" in workspace and "进出口总值" not in workspace
    opened = client.get(f"/tasks/{task.pk}/rounds/{world.rounds[0].pk}/report/")
    assert opened.status_code == 302
    assert ProgressReport.objects.get(pk=opened["Location"].split("/")[2]).unit == town
    client.force_login(world.users["office"])
    late = client.get(f"/plans/{world.plan.pk}/").content.decode().split('id="late"')[1]
    assert "城关镇人民政府" in late and "<td>各镇人民政府</td>" not in late


def test_lagging_tasks_are_listed_and_can_be_urged(world, client):
    from duban.web.services import reports as svc

    r = world.reports["a1"]
    r = svc.save(r, r.version, {"status": "behind", "problems": "场地未落实"})
    r = svc.send_to_head(r, r.version)
    svc.approve(r, r.version)
    client.force_login(world.users["office"])
    lagging = client.get(f"/plans/{world.plan.pk}/").content.decode().split('id="lagging"')[1].split("</section>")[0]
    assert "滞后任务（1）" in lagging and "单位报告进度滞后" in lagging
    client.post(
        f"/plans/{world.plan.pk}/urge/",
        {
            "unit": world.units["商务局"].pk,
            "task": world.tasks["1"].pk,
            "message": "任务 1 进度滞后，请加快推进并说明原因",
        },
    )
    assert world.units["商务局"].urges.get().message == "任务 1 进度滞后，请加快推进并说明原因"


def test_a_refused_sign_off_says_nothing_of_success(world, client):
    report = world.reports["a1"]
    client.force_login(world.users["a_staff"])
    client.post(f"/reports/{report.pk}/", _form(report, action="send"))
    report.refresh_from_db()
    client.force_login(world.users["a_head"])
    # the head signs off a page loaded before the report last changed
    refused = client.post(f"/reports/{report.pk}/", {"action": "approve", "version": report.version - 1})
    assert refused.status_code == 409
    next_page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "已签批" not in refused.content.decode() + next_page
    report.refresh_from_db()
    assert report.state == ProgressReport.AWAITING_HEAD
