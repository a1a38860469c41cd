"""Several plans a year (work report, 民生实事, campaigns) and year over year, in the web application and CLI."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest

from duban.cli import main
from duban.doc.model import Document, Indicator, Task, UnitRef
from duban.web.models import AuditEvent, Government, Plan
from duban.web.services import plans

from .conftest import YEAR, small_notice

LIVELIHOOD_TEXT = """云溪市人民政府办公室
关于明确2026年十大民生实事责任单位的通知
云政办〔2026〕3号

各镇人民政府，市政府各部门：
    为办好2026年十大民生实事，现将责任单位明确如下。

一、办好民生实事
1.新建城市便民商业网点20个。（商务局牵头，财政局按职责分工负责）
2.新建改扩建幼儿园10所，新增学位3000个。（教育局负责）

云溪市人民政府办公室
2026年3月1日
"""


def _upload(text=LIVELIHOOD_TEXT, name="民生实事.txt"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode())


def _livelihood(world, client=None):
    """The 民生实事 plan imported through the import page and published."""
    client = client or _client(world, "office")
    response = client.post("/plans/import/", {"notice": _upload(), "year": "2026", "plan_kind": "livelihood"})
    assert response.status_code == 302, response.content.decode()[:500]
    plan = Plan.objects.get(government=world.gov, kind="livelihood")
    assert client.post(f"/plans/{plan.pk}/publish/").status_code == 302
    plan.refresh_from_db()
    assert plan.is_published
    return plan


def _client(world, name):
    from django.test import Client

    client = Client()
    client.force_login(world.users[name])
    return client


def test_a_livelihood_plan_stands_beside_the_work_report_with_its_own_rounds(world):
    plan = _livelihood(world)
    assert plan.year == world.plan.year == YEAR and plan.kind == "livelihood"
    assert plan.tasks.count() == 2
    assert set(plan.rounds.values_list("pk", flat=True)).isdisjoint(world.plan.rounds.values_list("pk", flat=True))
    assert plan.rounds.filter(kind="annual").count() == 1
    event = AuditEvent.objects.filter(action="导入通知").latest("pk")
    assert event.after["kind"] == "livelihood"
    office = _client(world, "office")
    listing = office.get("/plans/").content.decode()
    assert "民生实事" in listing and "政府工作报告重点工作" in listing
    # The dashboard of each switches to the other; the URL names the plan shown.
    work = office.get(f"/plans/{world.plan.pk}/").content.decode()
    assert 'aria-label="切换计划"' in work and f'href="/plans/{plan.pk}/"' in work
    assert '<b aria-current="page">政府工作报告重点工作</b>' in work
    other = office.get(f"/plans/{plan.pk}/").content.decode()
    assert f'href="/plans/{world.plan.pk}/"' in other and '<b aria-current="page">民生实事</b>' in other
    # Home is still the work report, though the 民生实事 plan is newer.
    assert office.get("/").url == f"/plans/{world.plan.pk}/"


def test_a_second_work_report_of_a_year_is_refused_but_campaigns_are_as_many_as_run(world):
    second = plans.import_document(small_notice(), world.gov, YEAR)
    with pytest.raises(Exception, match="已有已发布的政府工作报告重点工作计划"):
        plans.publish(second)
    one = plans.publish(plans.import_document(small_notice(), world.gov, YEAR, kind="campaign"))
    two = plans.publish(plans.import_document(small_notice(), world.gov, YEAR, kind="专项工作"))
    assert one.kind == two.kind == "campaign" and one.is_published and two.is_published


def test_a_bad_plan_kind_is_one_sentence_and_stores_nothing(world):
    office = _client(world, "office")
    before = Plan.objects.count()
    response = office.post("/plans/import/", {"notice": _upload(), "year": "2026", "plan_kind": "<script>"})
    assert response.status_code == 400
    assert "计划类别" in response.content.decode().split('role="alert">')[1].split("</p>")[0]
    assert Plan.objects.count() == before
    with pytest.raises(Exception, match="计划类别“年度大事”无效"):
        plans.plan_kind("年度大事")


def test_the_import_page_offers_every_plan_kind(world):
    html = _client(world, "office").get("/plans/import/").content.decode()
    for key, label in (("work_report", "政府工作报告重点工作"), ("livelihood", "民生实事"), ("campaign", "专项工作")):
        assert f'<option value="{key}"' in html and label in html


def test_a_unit_switches_between_the_plans_it_has_tasks_in(world):
    livelihood = _livelihood(world)
    staff = _client(world, "a_staff")  # 商务局: tasks in both
    default = staff.get("/workspace/").content.decode()
    assert "政府工作报告重点工作" in default and "力争社会消费品零售总额" in default
    assert f'href="/workspace/{livelihood.pk}/"' in default
    shown = staff.get(f"/workspace/{livelihood.pk}/").content.decode()
    assert "新建城市便民商业网点" in shown and "力争社会消费品零售总额" not in shown
    assert f'href="/workspace/{world.plan.pk}/"' in shown
    # 教育局 has a task in each too; 财政局 only supports the 民生实事 one — its switcher lists both as well.
    c_staff = _client(world, "c_staff").get("/workspace/").content.decode()
    assert f'href="/workspace/{livelihood.pk}/"' in c_staff


def test_a_leader_switches_plans_and_years_on_the_dashboard(world):
    livelihood = _livelihood(world)
    last = plans.publish(plans.import_document(small_notice(), world.gov, YEAR - 1))
    html = _client(world, "leader").get(f"/plans/{world.plan.pk}/").content.decode()
    assert f'href="/plans/{livelihood.pk}/"' in html
    assert f'href="/plans/{last.pk}/"' in html and f"{YEAR - 1} 年" in html
    # From last year, the year link goes back to this year's plan of the same kind.
    back = _client(world, "leader").get(f"/plans/{last.pk}/").content.decode()
    assert f'href="/plans/{world.plan.pk}/"' in back and f'href="/plans/{livelihood.pk}/"' not in back


def test_the_api_says_each_plans_kind(world):
    _livelihood(world)
    from django.test import Client

    from duban.web.models import ApiToken

    token = ApiToken.issue(world.users["office"])
    data = Client().get("/api/plans", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert sorted((p["kind"], p["kind_label"]) for p in data) == [
        ("livelihood", "民生实事"),
        ("work_report", "政府工作报告重点工作"),
    ]


def test_a_download_of_the_livelihood_plan_says_so_in_its_name(world):
    livelihood = _livelihood(world)
    response = _client(world, "office").get(f"/plans/{livelihood.pk}/files/plan.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(quote("云溪市2026年民生实事·重点工作任务表.xlsx"))
    work = _client(world, "office").get(f"/plans/{world.plan.pk}/files/plan.xlsx")
    assert work["Content-Disposition"].endswith(quote("云溪市2026年重点工作任务表.xlsx"))


def test_import_and_status_on_the_command_line_take_a_plan_kind(world, tmp_path, capsys):
    notice = tmp_path / "民生实事.txt"
    notice.write_text(LIVELIHOOD_TEXT, encoding="utf-8")
    assert main(["import", str(notice), "--government", "云溪市", "--kind", "民生实事", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "livelihood" and out["year"] == 2026 and out["tasks"] == 2
    assert main(["import", str(notice), "--government", "云溪市", "--kind", "livelihood"]) == 1
    assert "已有已发布的民生实事计划" in capsys.readouterr().err
    assert main(["import", str(notice), "--government", "云溪市", "--kind", "大事"]) == 1
    assert "计划类别“大事”无效" in capsys.readouterr().err
    assert Plan.objects.filter(government=world.gov).count() == 2
    assert main(["status", "--government", "云溪市", "--kind", "livelihood", "--today", "2026-07-01", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["kind"], status["tasks"]) == ("livelihood", 2)
    assert main(["status", "--government", "云溪市", "--today", "2026-07-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["plan"] == world.plan.pk
    assert main(["status", "--government", "云溪市", "--kind", "campaign"]) == 1
    assert "没有找到云溪市已发布的专项工作计划" in capsys.readouterr().err


def test_render_from_the_store_takes_the_plan_kind(world, tmp_path, capsys):
    from docx import Document as Docx

    _livelihood(world)
    out = tmp_path / "l.docx"
    args = ["render", "notice", "--government", "云溪市", "--year", "2026", "--plan-kind", "livelihood", "-o", str(out)]
    assert main(args) == 0, capsys.readouterr().err
    text = "\n".join(p.text for p in Docx(str(out)).paragraphs)
    assert "新建城市便民商业网点" in text and "力争社会消费品零售总额" not in text
    # Without a kind, the year's work report.
    assert main(["render", "notice", "--government", "云溪市", "--year", "2026", "-o", str(tmp_path / "w.docx")]) == 0
    work = "\n".join(p.text for p in Docx(str(tmp_path / "w.docx")).paragraphs)
    assert "力争社会消费品零售总额" in work and "新建城市便民商业网点" not in work


# --- year over year -----------------------------------------------------------------------------------


def last_years_notice() -> Document:
    """云溪市's 2025 plan: task 1 as this year's with a lower target, 2 again, 进出口 led by 商务局, one dropped."""
    now = small_notice()
    area1, area2 = now.tasks[0].section, now.tasks[2].section
    return Document(
        kind="notice",
        title="云溪市人民政府关于明确2025年重点工作责任单位的通知",
        year=2025,
        tasks=[
            Task(
                "1",
                area1,
                "力争社会消费品零售总额突破160亿元。",
                [UnitRef("商务局", "lead"), UnitRef("财政局", "support")],
                indicators=[Indicator("社会消费品零售总额", 160, "亿元", "突破", "level", "突破160亿元")],
            ),
            Task("2", area1, "一般公共预算收入增长3.5%。", [UnitRef("财政局", "responsible")]),
            Task("3", area2, "进出口总值增长3%。", [UnitRef("商务局", "lead")]),
            Task("4", area2, "举办国际马拉松赛事。", [UnitRef("教育局", "lead")]),
        ],
    )


@pytest.fixture
def two_years(world):
    last = plans.publish(plans.import_document(last_years_notice(), world.gov, 2025))
    return world, last


def test_the_year_over_year_page_shows_targets_carried_new_dropped_and_moved(two_years):
    world, last = two_years
    html = _client(world, "office").get(f"/plans/{world.plan.pk}/yoy/").content.decode()
    assert "与上年对比 · 2026 年与 2025 年" in html
    counts = html.split('id="yoy-counts"')[1].split("</section>")[0]
    assert [int(x.split("</b>")[0]) for x in counts.split("<b>")[1:]] == [3, 0, 1, 1]
    targets = html.split('id="yoy-targets"')[1].split("</section>")[0]
    assert "突破160亿元" in targets and "突破170亿元" in targets and "+10亿元" in targets
    units = html.split('id="yoy-units"')[1].split("</section>")[0]
    assert "商务局" in units and "教育局" in units and "第3项" in units
    dropped = html.split('id="yoy-dropped"')[1].split("</section>")[0]
    assert "举办国际马拉松赛事" in dropped
    assert f'href="/plans/{world.plan.pk}/yoy.xlsx"' in html
    # The dashboard links to it.
    assert (
        f'href="/plans/{world.plan.pk}/yoy/"'
        in _client(world, "office").get(f"/plans/{world.plan.pk}/").content.decode()
    )


def test_the_year_over_year_download_is_the_same_comparison(two_years):
    from openpyxl import load_workbook

    world, last = two_years
    response = _client(world, "office").get(f"/plans/{world.plan.pk}/yoy.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(quote("云溪市2026年与2025年政府工作报告重点工作对比.xlsx"))
    wb = load_workbook(io.BytesIO(response.content))
    carried = list(wb["延续任务"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[7]) for r in carried] == [("1", "1", None), ("2", "2", None), ("3", "3", "有变化")]
    assert carried[2][5:7] == ("商务局", "教育局")
    assert [r[0] for r in wb["不再列出的任务"].iter_rows(min_row=2, values_only=True)] == ["4"]
    targets = list(wb["主要目标对比"].iter_rows(min_row=2, values_only=True))
    assert targets[0][0] == "社会消费品零售总额" and targets[0][5] == "+10亿元"


def test_a_leader_compares_only_the_areas_in_their_charge(two_years):
    world, _ = two_years
    html = _client(world, "leader").get(f"/plans/{world.plan.pk}/yoy/").content.decode()
    assert "仅分管领域的任务" in html
    assert "进出口总值" not in html and "举办国际马拉松赛事" not in html
    assert "力争社会消费品零售总额" in html


def test_who_may_not_compare(two_years):
    world, _ = two_years
    assert _client(world, "a_staff").get(f"/plans/{world.plan.pk}/yoy/").status_code == 403
    assert _client(world, "a_staff").get(f"/plans/{world.plan.pk}/yoy.xlsx").status_code == 403
    assert _client(world, "x_office").get(f"/plans/{world.plan.pk}/yoy/").status_code == 404
    assert _client(world, "x_office").get(f"/plans/{world.plan.pk}/yoy.xlsx").status_code == 404


def test_with_no_plan_of_the_same_kind_last_year_the_page_says_so(two_years):
    world, _ = two_years
    livelihood = _livelihood(world)
    html = _client(world, "office").get(f"/plans/{livelihood.pk}/yoy/").content.decode()
    assert 'id="no-last-year"' in html and "民生实事" in html
    assert _client(world, "office").get(f"/plans/{livelihood.pk}/yoy.xlsx").status_code == 404


def test_a_renamed_unit_is_not_counted_as_a_move(two_years):
    from duban.web.models import Unit
    from duban.web.services.yoy import present_names, year_over_year

    world, _ = two_years
    old = Unit.objects.get(government=world.gov, name="商务局")
    # 2025's 商务局 is today's 商务和开放局 (the renaming keeps the old unit as history).
    new = Unit.objects.create(government=world.gov, name="商务和开放局")
    old.successor = new
    old.save()
    assert present_names(world.gov) == {"商务局": "商务和开放局"}
    world.plan.tasks.get(number="1").assignments.filter(unit_name="商务局").update(unit=new, unit_name="商务和开放局")
    office = type("A", (), {"is_office": True})()
    _, c = year_over_year(world.plan, office)
    assert [m.this.number for m in c.moved] == ["3"]  # task 1 kept its unit under the new name


# --- stored past plans as history ---------------------------------------------------------------------


def test_drafting_learns_from_every_stored_published_plan_of_the_government(world):
    livelihood = _livelihood(world)
    last = plans.publish(plans.import_document(last_years_notice(), world.gov, 2025))
    plans.import_document(small_notice(), world.gov, 2027)  # a draft: not history
    other = Government.objects.create(name="青山市", level="city")
    plans.publish(plans.import_document(small_notice(), other, 2025))
    inputs = plans.suggestion_inputs(world.gov)
    assert sorted((d.year, len(d.tasks)) for d in inputs.history) == [(2025, 4), (2026, 2), (2026, 3)]
    texts = {t.text for d in inputs.history for t in d.tasks}
    assert "举办国际马拉松赛事。" in texts and "新建城市便民商业网点20个。" in texts
    assert all(d.issuer.startswith("云溪市") for d in inputs.history)
    assert {p.pk for p in (world.plan, livelihood, last)} == set(
        Plan.objects.filter(government=world.gov, status=Plan.PUBLISHED).values_list("pk", flat=True)
    )


def test_a_drafted_plan_copies_the_units_of_last_years_same_task(world, monkeypatch):
    """The history the web draft is given is the stored plans: a report task that is last year's again takes
    last year's units (the suggester's same-work rule) — here checked through the model the draft fits."""
    from duban.draft.suggest import build_naming, fit

    units = ["商务局", "财政局", "教育局"]
    words = "".join(chr(0x5200 + 53 * k) for k in range(48))
    tasks = [
        Task(
            str(i + 1),
            ["一、重点工作"],
            f"推进{words[2 * i]}{words[2 * i + 1]}项目建设工程。",
            [UnitRef(units[i % 3], "lead")],
        )
        for i in range(24)
    ]
    plans.publish(plans.import_document(Document(kind="notice", year=2025, tasks=tasks), world.gov, 2025))
    inputs = plans.suggestion_inputs(world.gov)
    naming = build_naming(inputs.government, inputs.history, inputs.directory)
    model = fit(inputs.history, naming)
    again = Task("1", ["一、重点工作"], tasks[7].text)
    suggestion = model.suggest(again)
    assert suggestion.units[0].name == tasks[7].units[0].name == "财政局"
    assert "与往年任务" in suggestion.candidates[0].why


def test_a_reminder_says_which_plan_a_task_is_in(world):
    from datetime import date

    from duban.web.models import Delivery, ReminderRules
    from duban.web.services import reminders

    livelihood = _livelihood(world)
    due = livelihood.rounds.filter(kind="progress").order_by("due")[1].due  # 30 September
    ReminderRules.objects.create(government=world.gov, remind_plan=False, office_list="office")
    reminders.run(day=date(due.year, due.month, due.day - 1))
    body = Delivery.objects.get(user=world.users["a_staff"], day=date(due.year, due.month, due.day - 1)).body
    assert "商务局 · 民生实事任务 1 ·" in body, body
    assert "商务局 · 任务 1 ·" in body  # the work report's task 1, overdue since 15 September


def test_bulletins_switch_between_the_years_plans(world):
    livelihood = _livelihood(world)
    html = _client(world, "a_staff").get("/bulletins/").content.decode()
    assert "督查通报 · 2026 年 · 政府工作报告重点工作" in html
    assert f'href="/plans/{livelihood.pk}/bulletins/"' in html
    other = _client(world, "a_staff").get(f"/plans/{livelihood.pk}/bulletins/").content.decode()
    assert "督查通报 · 2026 年 · 民生实事" in other and f'href="/plans/{world.plan.pk}/bulletins/"' in other
