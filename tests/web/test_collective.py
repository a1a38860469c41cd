"""One account of a round: a task given to 各镇人民政府 whose towns all reported on time is on time
on the dashboard, in ``duban status``, in the bulletin, in the year-end account and in the plan
.xlsx — the same figures everywhere (issue 9)."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from duban.cli import main
from duban.doc.model import Document, ScheduleItem, Task, UnitRef

TOWNS = ["城关镇", "梨林镇", "北海街道"]
AS_OF = date(2026, 12, 20)  # every round past due


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))


@pytest.fixture
def towns(db, monkeypatch):
    from django.contrib.auth.models import User

    from duban.web.models import Government, Ledger, Membership, ProgressReport, Unit
    from duban.web.services import plans
    from duban.web.views import common

    gov = Government.objects.create(name="云溪市", level="city")
    collective = Unit.objects.create(government=gov, name="各镇人民政府", kind="collective")
    members = [Unit.objects.create(government=gov, name=n, kind="government") for n in TOWNS]
    collective.members.set(members)
    Unit.objects.create(government=gov, name="商务局")
    notice = Document(
        kind="notice",
        title="云溪市人民政府关于明确2026年重点工作责任单位的通知",
        doc_number="云政〔2026〕1号",
        year=2026,
        issuer="云溪市人民政府",
        schedule=[
            ScheduleItem("plan", date(2026, 3, 18), "3月18日前"),
            ScheduleItem("progress", date(2026, 6, 15), "6月15日"),
            ScheduleItem("annual", date(2026, 12, 15), "12月15日"),
        ],
        tasks=[
            Task(
                "1",
                ["一、乡村振兴", "（一）人居环境"],
                "推进农村人居环境整治。",
                [UnitRef("各镇人民政府", "lead", collective=True)],
            ),
            Task("2", ["一、乡村振兴", "（二）消费"], "办好消费季活动。", [UnitRef("商务局", "lead")]),
        ],
    )
    plan = plans.publish(plans.import_document(notice, gov, 2026))
    task = plan.tasks.get(number="1")
    for rnd in plan.rounds.all():
        for town in members:
            if rnd.kind == "plan":
                Ledger.objects.create(task=task, unit=town, state="accepted", first_approved_at=_at(rnd.due))
                continue
            ProgressReport.objects.create(
                task=task,
                unit=town,
                round=rnd,
                status="on_schedule",
                done_text=f"{town.name}完成整治村{len(town.name)}个",
                state="accepted",
                first_approved_at=_at(rnd.due - timedelta(days=2)),
                submitted_at=_at(rnd.due - timedelta(days=2)),
            )
    office = User.objects.create_user("office", password="pw")
    Membership.objects.create(user=office, government=gov, role="supervisor")
    monkeypatch.setattr(common, "today", lambda: AS_OF)
    for module in ("workspace", "supervision", "api", "plans"):
        monkeypatch.setattr(__import__(f"duban.web.views.{module}", fromlist=["today"]), "today", lambda: AS_OF)
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *a: real(value, *a) if value else AS_OF)
    return type("Towns", (), {"gov": gov, "plan": plan, "office": office, "task": task})


def test_the_collective_case_has_the_same_figures_everywhere(towns, client, capsys, tmp_path):
    from openpyxl import load_workbook

    from duban.render.summary import round_summary
    from duban.web.services import render_data

    client.force_login(towns.office)
    annual = towns.plan.rounds.get(kind="annual")

    # The dashboard: task 1 序时推进, its three towns on time, nothing to chase for it.
    data = client.get(f"/plans/{towns.plan.pk}/?late=all").context["data"]  # every late report: the whole account
    row = next(r for r in data.rows if r.task.number == "1")
    assert (row.state.status, row.leads) == ("on_track", TOWNS)
    assert not [x for x in data.late if x.number == "1"]
    dashboard = {s: data.by_status.get(s, 0) for s in ("on_track", "at_risk", "lagging")}
    town_counts = {t: dict(data.by_unit[t]) for t in TOWNS}
    assert town_counts == {t: {"on_track": 1} for t in TOWNS}

    # duban status: the same counts, the same (empty) list for the towns.
    assert main(["status", "--government", "云溪市", "--today", AS_OF.isoformat(), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert {s: status["by_status"][s] for s in dashboard} == dashboard
    assert {t: {k: v for k, v in status["by_unit"][t].items() if v} for t in TOWNS} == town_counts
    assert not [x for x in status["late_reports"] if x["task"] == "1"]
    assert status["no_members"] == []

    # The bulletin of the annual round: three on-time reports for task 1, from the towns.
    st = render_data.standing(towns.plan, annual, AS_OF)
    doc = render_data.document_for(towns.plan)
    summary = round_summary(doc, st.data)
    assert {(t, u) for t, u in summary.reports_by_state["on_time"] if t == "1"} == {("1", t) for t in TOWNS}
    assert not [p for state in ("late", "missing") for p in summary.reports_by_state[state] if p[0] == "1"]
    assert summary.status_of("1") == "on_track"
    assert {k: summary.task_counts[k] for k in dashboard} == dashboard
    text = render_data.bulletin_draft(doc, st).to_text()
    assert "按时报送" in text and "未报送1份" in text  # 商务局's one missing report, not the towns'

    # The year-end account, from the annual round: task 1 as the dashboard has it, the counts the same.
    response = client.get(f"/plans/{towns.plan.pk}/files/yearend.docx")
    assert response.status_code == 200
    from docx import Document as Docx

    body = "\n".join(p.text for p in Docx(io.BytesIO(response.content)).paragraphs)
    assert "1. 推进农村人居环境整治。（各镇人民政府，序时推进）" in body
    assert "2项任务中，已完成0项，序时推进1项，未启动0项，需关注1项，滞后0项。" in body
    assert "按时报送3份，逾期报送0份，未报送1份" in body

    # The plan .xlsx: task 1's state is the dashboard's, with each town's progress.
    sheet = load_workbook(io.BytesIO(client.get(f"/plans/{towns.plan.pk}/files/plan.xlsx").content)).active
    rows = {str(r[0]): r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] is not None}
    assert rows["1"][7] == "序时推进"
    assert all(f"{t}：{t}完成整治村" in rows["1"][8] for t in TOWNS)


def test_a_collective_with_no_members_is_shown_as_such(towns, capsys):
    from duban.web.models import Unit

    Unit.objects.get(name="各镇人民政府").members.clear()
    assert main(["status", "--government", "云溪市", "--today", AS_OF.isoformat(), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["no_members"] == ["各镇人民政府"]
    assert not [x for x in status["late_reports"] if x["unit"] == "各镇人民政府"]


def test_a_monitor_reports_its_figures_and_the_field_says_their_unit(db, client):
    """监测 units file the indicator figures (and only those); the figure field names its unit."""
    from django.contrib.auth.models import User

    from duban.doc.model import Indicator
    from duban.web.models import Government, Membership, ProgressReport, Unit
    from duban.web.services import plans

    gov = Government.objects.create(name="云溪市", level="city")
    for name in ("发展改革委", "国家统计局云溪调查队"):
        Unit.objects.create(government=gov, name=name)
    notice = Document(
        kind="notice",
        title="通知",
        year=2026,
        schedule=[ScheduleItem("progress", date(2026, 6, 15), "6月15日")],
        tasks=[
            Task(
                "1",
                ["一、主要预期目标"],
                "地区生产总值增长5.5%。",
                [UnitRef("发展改革委", "lead"), UnitRef("国家统计局云溪调查队", "monitor")],
                indicators=[Indicator("地区生产总值增长", 5.5, "%", None, "growth", "增长5.5%")],
            )
        ],
    )
    plan = plans.publish(plans.import_document(notice, gov, 2026))
    monitor = Unit.objects.get(name="国家统计局云溪调查队")
    staff = User.objects.create_user("m_staff", password="pw")
    Membership.objects.create(user=staff, government=gov, role="unit_staff", unit=monitor)
    client.force_login(staff)
    task, rnd = plan.tasks.get(), plan.rounds.get()
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "填报监测数据" in page
    opened = client.get(f"/tasks/{task.pk}/rounds/{rnd.pk}/report/")
    assert opened.status_code == 302
    report = ProgressReport.objects.get(unit=monitor)
    form = client.get(opened.url).content.decode()
    assert 'name="figure_0"' in form and "> %</label>" in form  # the field says its unit
    assert 'name="done_text"' not in form and 'name="status"' not in form
    client.post(opened.url, {"action": "send", "version": report.version, "figure_0": "4.9", "status": "done"})
    report.refresh_from_db()
    assert (report.state, report.figures, report.status) == ("awaiting_head", {"地区生产总值增长": 4.9}, "not_started")
