"""Word and Excel in the web application: downloads, ledger upload, bulletins, and ``duban render --government``."""

import io
import json
from urllib.parse import quote

import pytest
from docx import Document as Docx
from openpyxl import load_workbook

from duban.cli import main
from duban.web.models import AuditEvent, Bulletin, Contribution, Ledger, ProgressReport
from duban.web.services import reports

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_text(response) -> str:
    return "\n".join(p.text for p in Docx(io.BytesIO(response.content)).paragraphs)


def cells(book) -> set[str]:
    return {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


def submit(report, status, **fields):
    report = reports.save(report, report.version, dict(fields, status=status))
    report = reports.send_to_head(report, report.version)
    return reports.approve(report, report.version)


@pytest.fixture
def behind(world):
    """商务局 reports task 1 behind in the first round (late: signed off after 15 June)."""
    submit(
        world.reports["a1"],
        "behind",
        done_text="完成七成",
        problems="项目审批未完成",
        figures={"社会消费品零售总额": 60},
    )
    return world


# --- downloads ---------------------------------------------------------------------------------------


def test_notice_download_is_the_official_docx_with_a_chinese_filename(world, login):
    response = login(world.users["office"]).get(f"/plans/{world.plan.pk}/files/notice.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(
        "云溪市2026年重点工作责任分解通知.docx"
    )
    text = docx_text(response)
    assert "力争社会消费品零售总额突破170亿元" in text
    assert "（商务局牵头，财政局按职责分工负责）" in text
    assert "云政〔2026〕1号" in text


@pytest.mark.parametrize(
    "who, expected",
    [("office", 200), ("admin", 200), ("leader", 200), ("a_staff", 403), ("a_head", 403), ("x_office", 404)],
)
def test_who_downloads_the_notice(world, login, who, expected):
    assert login(world.users[who]).get(f"/plans/{world.plan.pk}/files/notice.docx").status_code == expected


def test_plan_table_carries_the_latest_round(behind, login):
    response = login(behind.users["office"]).get(f"/plans/{behind.plan.pk}/files/plan.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {str(r[0]): r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] is not None}
    assert set(rows) == {"1", "2", "3"}
    assert rows["1"][7] == "滞后" and rows["1"][8] == "商务局：完成七成"
    assert rows["2"][7] == "需关注"  # the dashboard's state: its report is missing


def annual_report(world, **fields):
    """商务局 reports task 1 in the annual round early: the year-end account reads that round."""
    annual = world.plan.rounds.get(kind="annual")
    return submit(
        ProgressReport.objects.create(task=world.tasks["1"], unit=world.units["商务局"], round=annual), **fields
    )


def test_a_leader_gets_the_tasks_of_their_areas_only(behind, login):
    annual_report(behind, status="behind", done_text="完成八成", problems="项目审批未完成")
    client = login(behind.users["leader"])
    sheet = load_workbook(io.BytesIO(client.get(f"/plans/{behind.plan.pk}/files/plan.xlsx").content)).active
    numbers = {str(r[0]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] is not None}
    assert numbers == {"1", "2"}  # task 3 is in 三、持续深化改革开放, not theirs
    text = docx_text(client.get(f"/plans/{behind.plan.pk}/files/yearend.docx"))
    assert "力争社会消费品零售总额突破170亿元" in text and "进出口总值增长3%" not in text


@pytest.mark.parametrize(
    "who, unit, expected",
    [
        ("a_staff", "商务局", 200),
        ("a_head", "商务局", 200),
        ("a_staff", "财政局", 404),
        ("b_staff", "商务局", 404),
        ("office", "教育局", 200),
        ("leader", "商务局", 403),
        ("x_staff", "商务局", 404),
        ("x_office", "商务局", 404),
    ],
)
def test_who_downloads_a_unit_ledger_template(world, login, who, unit, expected):
    url = f"/plans/{world.plan.pk}/files/units/{world.units[unit].pk}/ledger.xlsx"
    assert login(world.users[who]).get(url).status_code == expected


def test_unit_ledger_template_holds_the_unit_tasks_and_rounds(world, login):
    response = login(world.users["b_staff"]).get(
        f"/plans/{world.plan.pk}/files/units/{world.units['财政局'].pk}/ledger.xlsx"
    )
    assert response["Content-Disposition"].endswith(quote("云溪市2026年财政局工作台账.xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:4] == ["台账", "第1次进展情况（6月15日）", "第2次进展情况（9月15日）", "全年落实情况"]
    plan_rows = [r[:5] for r in book["台账"].iter_rows(min_row=2, values_only=True)]
    assert [(str(r[1]), r[4]) for r in plan_rows] == [("1", "配合"), ("2", "负责")]
    assert "进出口总值增长3%。" not in cells(book)


def test_year_end_accounts_for_the_plan_and_for_a_unit(behind, login):
    office = login(behind.users["office"])
    # Before anyone reports in the annual round, no year-end account is drawn from a progress round.
    refused = office.get(f"/plans/{behind.plan.pk}/files/yearend.docx", follow=True)
    assert "尚无单位报送" in refused.content.decode()
    annual_report(behind, status="behind", done_text="完成八成", problems="项目审批未完成")
    whole = office.get(f"/plans/{behind.plan.pk}/files/yearend.docx")
    assert whole.status_code == 200 and whole["Content-Type"] == DOCX
    assert "项目审批未完成" in docx_text(whole)
    unit_url = f"/plans/{behind.plan.pk}/files/units/{behind.units['商务局'].pk}/yearend.docx"
    own = login(behind.users["a_staff"]).get(unit_url)
    assert own.status_code == 200
    assert own["Content-Disposition"].endswith(quote("云溪市2026年商务局全年落实情况.docx"))
    assert "商务局" in docx_text(own)
    assert login(behind.users["b_staff"]).get(unit_url).status_code == 404
    assert login(behind.users["a_staff"]).get(f"/plans/{behind.plan.pk}/files/yearend.docx").status_code == 403


def test_files_page_lists_what_each_role_may_download(world, login):
    page = login(world.users["office"]).get(f"/plans/{world.plan.pk}/files/").content.decode()
    assert "notice.docx" in page and "bulletin/" in page and page.count("ledger.xlsx") == 3
    page = login(world.users["a_staff"]).get(f"/plans/{world.plan.pk}/files/").content.decode()
    assert "notice.docx" not in page and "bulletin/" not in page and page.count("ledger.xlsx") == 1


# --- ledger upload -----------------------------------------------------------------------------------


def template(client, world, unit="商务局"):
    response = client.get(f"/plans/{world.plan.pk}/files/units/{world.units[unit].pk}/ledger.xlsx")
    return load_workbook(io.BytesIO(response.content))


def xlsx(book) -> io.BytesIO:
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "filled.xlsx"
    return out


def fill_shangwu(book) -> None:
    """商务局's plan for task 1 and its first-round report, as a unit would type them."""
    plan = book["台账"]
    assert plan["B2"].value == "1"
    plan["G2"] = "建设消费街区\n举办促消费活动"
    plan["H2"] = "2026-06-30：完成步行街改造\n2026年9月30日：举办消费季"
    plan["I2"] = "发放消费券；引进首店"
    plan["J2"] = "专班每月调度"
    plan["K2"] = "王副局长"
    plan["L2"] = "李科长"
    first = book["第1次进展情况（6月15日）"]
    assert first["B2"].value == "1"
    first["E2"] = "按序时推进"
    first["F2"] = "步行街改造完成六成"
    first["G2"] = 86.5
    first["H2"] = "资金到位慢"
    first["I2"] = "加快消费券发放"


def test_a_filled_template_lands_exactly(world, login):
    client = login(world.users["a_staff"])
    book = template(client, world)
    fill_shangwu(book)
    response = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"file": xlsx(book)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "台账全部通过检查：2 行已导入" in page
    ledger = Ledger.objects.get(task=world.tasks["1"], unit=world.units["商务局"])
    assert (ledger.measures, ledger.safeguards, ledger.responsible_leader, ledger.responsible_person) == (
        "发放消费券；引进首店",
        "专班每月调度",
        "王副局长",
        "李科长",
    )
    assert [(m.title, m.due and m.due.isoformat(), m.done) for m in ledger.milestones.all()] == [
        ("完成步行街改造", "2026-06-30", False),
        ("举办消费季", "2026-09-30", False),
        ("建设消费街区", None, False),
        ("举办促消费活动", None, False),
    ]
    report = ProgressReport.objects.get(pk=world.reports["a1"].pk)
    assert (report.status, report.done_text, report.figures, report.problems, report.next_steps, report.state) == (
        "on_schedule",
        "步行街改造完成六成",
        {"社会消费品零售总额": 86.5},
        "资金到位慢",
        "加快消费券发放",
        "draft",
    )
    assert report.version == world.reports["a1"].version + 1  # an open edit of the report is now stale
    events = AuditEvent.objects.filter(action="导入台账")
    assert sorted(e.object_type for e in events) == ["ProgressReport", "Task"]
    assert all(e.username == "a_staff" for e in events)


def test_a_supporting_unit_template_lands_as_its_contribution(world, login):
    client = login(world.users["b_staff"])
    book = template(client, world, "财政局")
    book["第1次进展情况（6月15日）"]["E2"] = "按序时推进"
    book["第1次进展情况（6月15日）"]["F2"] = "拨付消费券资金2000万元"
    response = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"file": xlsx(book)})
    assert response.status_code == 200
    contribution = Contribution.objects.get(task=world.tasks["1"], unit=world.units["财政局"])
    assert contribution.text == "拨付消费券资金2000万元"
    assert not Ledger.objects.exists()


def db_state(world):
    report = ProgressReport.objects.get(pk=world.reports["a1"].pk)
    return (
        Ledger.objects.count(),
        report.version,
        report.done_text,
        AuditEvent.objects.count(),
        Contribution.objects.count(),
    )


def test_a_damaged_template_is_refused_row_by_row_then_good_rows_on_confirmation(world, login):
    client = login(world.users["a_staff"])
    book = template(client, world)
    fill_shangwu(book)
    first = book["第1次进展情况（6月15日）"]
    first["E2"] = "差不多"  # not a status
    first["G2"] = "=1+1"  # a formula
    before = db_state(world)
    response = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"file": xlsx(book)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "1 行通过检查可导入（需确认只导入无误的行），1 行被拒绝" in page
    assert "E列（状态）：“差不多”不是可选状态" in page
    assert "G列（指标完成值）" in page and "公式" in page
    assert db_state(world) == before  # nothing applied
    digest = response.context["digest"]
    assert response.context["may_confirm"]

    response = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"confirm": "1", "digest": digest})
    assert response.status_code == 200
    ledger = Ledger.objects.get(task=world.tasks["1"], unit=world.units["商务局"])
    assert ledger.responsible_person == "李科长"
    assert ProgressReport.objects.get(pk=world.reports["a1"].pk).done_text == ""  # the rejected row stays out
    # The stored upload is used once.
    again = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"confirm": "1", "digest": digest})
    assert again.status_code == 400 and "重新上传" in again.content.decode()


def test_another_units_template_is_a_structural_problem_and_never_applied(world, login):
    book = template(login(world.users["b_staff"]), world, "财政局")
    book["台账"]["L3"] = "张三"
    client = login(world.users["a_staff"])
    before = db_state(world)
    response = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"file": xlsx(book)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "这是“财政局”的台账，不是“商务局”的" in page
    assert not response.context["may_confirm"]
    forced = client.post(
        f"/plans/{world.plan.pk}/ledger-import/", {"confirm": "1", "digest": response.context["digest"]}
    )
    assert forced.status_code == 422
    assert db_state(world) == before


def test_a_deleted_column_is_structural(world, login):
    client = login(world.users["a_staff"])
    book = template(client, world)
    fill_shangwu(book)
    book["台账"].delete_cols(10)  # 保障机制
    response = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"file": xlsx(book)})
    assert response.status_code == 422 and "未导入任何内容" in response.content.decode()
    assert not Ledger.objects.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("notes.txt", "不是表格".encode(), "不是 Excel（.xlsx）文件"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "文件已损坏"),
    ],
)
def test_bad_files_get_a_message_not_a_server_error(world, login, name, data, message):
    upload = io.BytesIO(data)
    upload.name = name
    response = login(world.users["a_staff"]).post(f"/plans/{world.plan.pk}/ledger-import/", {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ledger.objects.exists()


def test_only_unit_users_upload_ledgers(world, login):
    assert login(world.users["office"]).get(f"/plans/{world.plan.pk}/ledger-import/").status_code == 403
    assert login(world.users["leader"]).get(f"/plans/{world.plan.pk}/ledger-import/").status_code == 403
    assert login(world.users["x_staff"]).get(f"/plans/{world.plan.pk}/ledger-import/").status_code == 404
    assert login(world.users["a_staff"]).get(f"/plans/{world.plan.pk}/ledger-import/").status_code == 200


# --- bulletins ---------------------------------------------------------------------------------------


def status_json(capsys, today="2026-07-01"):
    assert main(["status", "--government", "云溪市", "--today", today, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_bulletin_figures_are_the_ones_duban_status_counts(behind, login, capsys):
    from duban.web.services import render_data

    status = status_json(capsys)
    rnd = behind.rounds[0]
    st = render_data.standing(
        behind.plan, rnd, render_data.as_of_for(behind.plan, rnd, __import__("datetime").date(2026, 7, 1))
    )
    assert (
        st.by_colour
        == status["by_status"]
        == {"done": 0, "claimed": 0, "on_track": 0, "not_started": 0, "at_risk": 2, "lagging": 1}
    )
    late = {(x["unit"], x["task"], x["state"]) for x in status["late_reports"] if x["round"] == rnd.title}
    got = {(unit, task, state) for state in ("late", "missing") for task, unit in _summary(behind, st)[state]}
    assert got == late == {("商务局", "1", "late"), ("财政局", "2", "missing"), ("教育局", "3", "missing")}

    response = login(behind.users["office"]).get(f"/plans/{behind.plan.pk}/rounds/{rnd.pk}/bulletin/")
    assert response.status_code == 200
    text = response.context["text"]
    assert "已完成0项，序时推进0项，需关注2项，滞后1项，未启动0项" in text
    assert "需关注的任务（第2项、第3项）" in text
    assert "应报送3份，按时报送0份，逾期报送1份，未报送2份" in text
    assert "商务局：1项任务进度滞后（第1项），逾期报送1份（第1项）。" in text
    assert "滞后原因：项目审批未完成。" in text


def _summary(world, st):
    from duban.render.summary import round_summary
    from duban.web.services.render_data import document_for

    return round_summary(document_for(world.plan), st.data).reports_by_state


def test_a_task_lagging_on_an_overdue_milestone_is_behind_in_the_bulletin(world, login):
    from datetime import date

    from duban.render.summary import round_summary
    from duban.web.models import Milestone
    from duban.web.services import render_data
    from duban.web.services.render_data import document_for

    submit(world.reports["b2"], "on_schedule", done_text="收入平稳")
    ledger = Ledger.objects.create(task=world.tasks["2"], unit=world.units["财政局"])
    Milestone.objects.create(ledger=ledger, title="完成预算调整", due=date(2026, 6, 20))
    st = render_data.standing(world.plan, world.rounds[0], date(2026, 7, 1))
    assert st.colours["2"] == "lagging"
    # The report keeps what its unit said; the bulletin's account blames the unit with the tracker's reason.
    (report,) = st.data.for_task("2")
    assert report.status == "on_schedule"
    summary = round_summary(document_for(world.plan), st.data)
    (lagging,) = [t for t in summary.lagging_tasks if t.number == "2"]
    assert lagging.units == ["财政局"]
    assert lagging.reasons == [("财政局", "节点“完成预算调整”已过期（2026-06-20）未完成")]
    assert "2" in next(u for u in summary.units if u.unit == "财政局").behind


def test_bulletin_edit_save_stale_and_download(behind, login):
    rnd = behind.rounds[0]
    url = f"/plans/{behind.plan.pk}/rounds/{rnd.pk}/bulletin/"
    office = login(behind.users["office"])
    drafted = office.get(url).context["text"]
    edited = drafted.replace("予以表扬", "予以通报表扬") + "请各单位认真对照整改。\n"
    response = office.post(url, {"text": edited, "version": "0"})
    assert response.status_code == 302
    page = office.get(url)
    assert page.context["version"] == 1 and page.context["text"] == edited
    stale = office.post(url, {"text": drafted + "另一人的修改\n", "version": "0"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert office.get(url).context["text"] == edited
    assert office.post(url, {"text": "  \n", "version": "1"}).status_code == 400

    docx = office.get(f"/plans/{behind.plan.pk}/rounds/{rnd.pk}/bulletin.docx")
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX
    assert docx["Content-Disposition"].endswith(quote(f"云溪市2026年{rnd.title}督查通报.docx"))
    text = docx_text(docx)
    assert "请各单位认真对照整改。" in text and "滞后1项" in text
    assert len(Docx(io.BytesIO(docx.content)).inline_shapes) == 2  # the two charts
    (saved,) = Bulletin.objects.filter(round=rnd)
    assert (saved.version, saved.text, saved.number, saved.issued) == (1, edited, None, False)
    assert AuditEvent.objects.filter(action="保存通报", object_type="Bulletin", object_id=str(saved.pk)).count() == 1


def test_an_issued_bulletin_is_numbered_signed_and_read_by_units_and_leaders(behind, login):
    rnd = behind.rounds[0]
    url = f"/plans/{behind.plan.pk}/rounds/{rnd.pk}/bulletin/"
    office = login(behind.users["office"])
    drafted = office.get(url).context["text"]
    assert "办公室办公室" not in drafted
    assert office.post(url, {"action": "issue", "version": "1"}).status_code == 302  # nothing saved yet: refused
    assert not Bulletin.objects.filter(issued_at__isnull=False).exists()
    office.post(url, {"text": drafted, "version": "0"})
    assert office.post(url, {"action": "issue", "version": "1"}).status_code == 302
    issued = Bulletin.objects.get(round=rnd)
    assert (issued.number, issued.issued) == (1, True)
    assert issued.figures["report_counts"] == {"on_time": 0, "late": 1, "missing": 2}
    # A corrected version issued again keeps the round's 期号.
    office.post(url, {"text": drafted + "补充说明。\n", "version": "1"})
    office.post(url, {"action": "issue", "version": "2"})
    assert list(Bulletin.objects.filter(round=rnd).values_list("version", "number")) == [(2, 1), (1, 1)]

    for who in ("a_staff", "leader", "b_head"):
        reader = login(behind.users[who])
        listing = reader.get("/bulletins/")
        assert listing.status_code == 200
        (shown,) = listing.context["bulletins"]
        assert shown.version == 2
        page = reader.get(f"/bulletins/{shown.pk}/").content.decode()
        assert "第 1 期" in page and "云溪市人民政府办公室" in page and "办公室办公室" not in page
        assert "补充说明。" in page
        docx = reader.get(f"/bulletins/{shown.pk}.docx")
        assert docx.status_code == 200
        text = docx_text(docx)
        assert "第1期" in text and "云溪市人民政府办公室" in text and "办公室办公室" not in text
    # Another government's people never see it.
    assert login(behind.users["x_staff"]).get(f"/bulletins/{shown.pk}/").status_code == 404


@pytest.mark.parametrize("who, expected", [("leader", 403), ("a_staff", 403), ("a_head", 403), ("x_office", 404)])
def test_only_supervision_staff_reach_bulletins(world, login, who, expected):
    rnd = world.rounds[0]
    client = login(world.users[who])
    assert client.get(f"/plans/{world.plan.pk}/rounds/{rnd.pk}/bulletin/").status_code == expected
    assert client.get(f"/plans/{world.plan.pk}/rounds/{rnd.pk}/bulletin.docx").status_code == expected


def test_the_plan_round_has_no_bulletin(world, login):
    plan_round = world.plan.rounds.get(kind="plan")
    assert (
        login(world.users["office"]).get(f"/plans/{world.plan.pk}/rounds/{plan_round.pk}/bulletin/").status_code == 404
    )


# --- duban render --government -----------------------------------------------------------------------


def test_render_commands_read_the_stored_plan(behind, tmp_path, capsys):
    stored = ["--government", "云溪市", "--year", "2026"]
    notice = tmp_path / "notice.docx"
    assert main(["render", "notice", *stored, "-o", str(notice)]) == 0
    assert "（商务局牵头，财政局按职责分工负责）" in "\n".join(p.text for p in Docx(notice).paragraphs)
    ledger = tmp_path / "shangwu.xlsx"
    assert main(["render", "ledger", *stored, "--unit", "商务局", "-o", str(ledger)]) == 0
    assert "力争社会消费品零售总额突破170亿元。" in cells(load_workbook(ledger))
    capsys.readouterr()
    first = behind.rounds[0].title
    assert main(["render", "summary", *stored, "--round", first, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["round"] == first
    # Counted by duban.track's colours: tasks 2 and 3 have no report this round (需关注), not 未启动.
    assert summary["counted_by"] == "duban.track"
    assert summary["task_counts"] == {
        "done": 0,
        "claimed": 0,
        "on_track": 0,
        "not_started": 0,
        "at_risk": 2,
        "lagging": 1,
    }
    assert summary["tasks_by_status"]["at_risk"] == ["2", "3"]
    assert summary["report_counts"] == {"on_time": 0, "late": 1, "missing": 2}
    assert main(["render", "summary", *stored, "--round", first]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  需关注\t2\t2、3" in lines and "  滞后\t1\t1" in lines and "  序时推进\t0\t" in lines
    assert main(["render", "bulletin", *stored, "--round", first, "--print-text"]) == 0
    assert "商务局：1项任务进度滞后（第1项）" in capsys.readouterr().out
    out = tmp_path / "bulletin.docx"
    assert main(["render", "bulletin", *stored, "--round", first, "-o", str(out)]) == 0
    assert "项目审批未完成" in "\n".join(p.text for p in Docx(out).paragraphs)


def test_render_for_a_government_without_a_plan_says_so(db, tmp_path, capsys):
    assert main(["render", "notice", "--government", "无此市", "--year", "2026", "-o", str(tmp_path / "n.docx")]) == 1
    assert "没有找到无此市 2026 年已发布的计划" in capsys.readouterr().err
    assert not (tmp_path / "n.docx").exists()


def test_the_demo_round_bulletin_names_exactly_what_the_data_says(db, capsys):
    """Issue 5's check: a bulletin for a demo round, with figures matching ``duban status``."""
    from datetime import date

    from duban.render.summary import round_summary
    from duban.web.demo import build_government
    from duban.web.services import render_data

    today = date(2026, 11, 21)
    demo = build_government("云溪市", today=today)
    status = status_json(capsys, today.isoformat())
    rnd = render_data.pick_round(demo.plan, None, today)
    st = render_data.standing(demo.plan, rnd, today)
    assert st.by_colour == status["by_status"]
    late = {(x["unit"], x["task"], x["state"]) for x in status["late_reports"] if x["round"] == rnd.title}
    summary = round_summary(render_data.document_for(demo.plan), st.data)
    assert late == {(u, t, s) for s in ("late", "missing") for t, u in summary.reports_by_state[s]}
    assert late  # the demo has an overdue round

    # The lagging units are those with a late or missing report, or a task the dashboard colours 滞后.
    lagging_tasks = {n for n, colour in st.colours.items() if colour == "lagging"}
    assert {t.number for t in summary.lagging_tasks} == lagging_tasks
    # A task lags for the units whose report says behind, else for all its units (the reports keep what units said).
    blamed = set()
    for number in lagging_tasks:
        reports = st.data.for_task(number)
        blamed |= {r.unit for r in ([r for r in reports if r.status == "behind"] or reports)}
    expected_units = {u for u, _t, _s in late} | blamed
    assert {u.unit for u in summary.lagging_units} == expected_units
    draft = render_data.bulletin_draft(render_data.document_for(demo.plan), st).to_text()
    for unit in expected_units:
        assert f"\n{unit}：" in draft
    counts = status["by_status"]
    assert f"序时推进{counts['on_track']}项，需关注{counts['at_risk']}项，滞后{counts['lagging']}项" in draft


def test_render_on_the_demo_city_counts_as_duban_status(db, capsys, monkeypatch, tmp_path):
    """``duban render summary|bulletin --government`` on the demo's overdue round: every task figure is
    ``duban status``'s, category by category (it used to say 按序时推进11 / 未启动17 against 序时推进10 /
    需关注18), and the late and missing reports are the ones it lists."""
    from datetime import date

    from django.utils import timezone

    from duban.render import charts
    from duban.track import COLOURS
    from duban.web.demo import build_government

    today = date(2026, 11, 21)
    build_government("云溪市", today=today)
    real_localdate = timezone.localdate
    # The command takes "the latest round past due" as of today: make that the demo's today.
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *a: real_localdate(value, *a) if value else today)
    status = status_json(capsys, today.isoformat())
    stored = ["--government", "云溪市", "--year", str(today.year)]

    assert main(["render", "summary", *stored, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counted_by"] == "duban.track"
    assert summary["task_counts"] == status["by_status"]
    assert list(summary["task_counts"]) == list(status["by_status"])  # the same categories, in the same order
    assert summary["tasks"] == status["tasks"] and summary["unreported_tasks"] == []
    assert status["by_status"]["at_risk"] and status["by_status"]["lagging"]  # the demo exercises the colours
    late = {(x["unit"], x["task"], x["state"]) for x in status["late_reports"] if x["round"] == summary["round"]}
    got = {(unit, task, state) for state in ("late", "missing") for task, unit in summary["reports_by_state"][state]}
    assert got == late and {s for _u, _t, s in late} == {"late", "missing"}

    assert main(["render", "bulletin", *stored, "--print-text"]) == 0
    text = capsys.readouterr().out
    counts = status["by_status"]
    figures = "，".join(
        f"{COLOURS[c][0]}{counts[c]}项" for c in ("done", "on_track", "at_risk", "lagging", "not_started")
    )
    assert f"从推进情况看，{figures}。" in text
    reports = summary["report_counts"]
    assert f"逾期报送{reports['late']}份，未报送{reports['missing']}份。" in text
    for unit in {u for u, _t, _s in late}:
        assert f"\n{unit}：" in text

    drawn = []
    real_chart = charts._bar_chart
    monkeypatch.setattr(
        charts,
        "_bar_chart",
        lambda keys, c, *rest: drawn.append({k: c.get(k, 0) for k in keys}) or real_chart(keys, c, *rest),
    )
    assert main(["render", "bulletin", *stored, "-o", str(tmp_path / "b.docx")]) == 0
    assert drawn[0] == status["by_status"] and list(drawn[0]) == list(status["by_status"])
    assert drawn[1] == {"on_time": reports["on_time"], "late": reports["late"], "missing": reports["missing"]}


def test_a_template_made_on_the_command_line_lands_in_the_rounds_of_the_same_dates(world, login, tmp_path):
    from duban.render.ledger import unit_ledger_template
    from duban.web.services.render_data import document_for

    path = tmp_path / "shangwu.xlsx"
    unit_ledger_template(document_for(world.plan), "商务局", path)  # rounds named from the schedule
    book = load_workbook(path)
    assert book.sheetnames[1] == "6月15日进展"
    book["6月15日进展"]["E2"] = "已完成"
    book["6月15日进展"]["F2"] = "提前完成"
    response = login(world.users["a_staff"]).post(f"/plans/{world.plan.pk}/ledger-import/", {"file": xlsx(book)})
    assert response.status_code == 200
    report = ProgressReport.objects.get(pk=world.reports["a1"].pk)
    assert (report.status, report.done_text) == ("done", "提前完成")


def test_a_report_already_with_the_head_is_not_overwritten_by_an_upload(world, login):
    report = world.reports["a1"]
    report = reports.save(report, report.version, {"status": "on_schedule", "done_text": "网上填写的进展"})
    reports.send_to_head(report, report.version)
    client = login(world.users["a_staff"])
    book = template(client, world)
    fill_shangwu(book)
    response = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"file": xlsx(book)})
    assert response.status_code == 200
    assert "待负责人签批，不能由台账覆盖" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).done_text == "网上填写的进展"
    assert Ledger.objects.get(task=world.tasks["1"]).responsible_person == "李科长"  # the plan sheet still lands


def test_a_unit_without_tasks_gets_a_message_not_a_file(world, login):
    from duban.web.models import Unit

    idle = Unit.objects.create(government=world.gov, name="档案馆")
    client = login(world.users["office"])
    response = client.get(f"/plans/{world.plan.pk}/files/units/{idle.pk}/ledger.xlsx", follow=True)
    assert response.redirect_chain == [(f"/plans/{world.plan.pk}/files/", 302)]
    assert "通知中没有“档案馆”承担的任务" in response.content.decode()


def test_a_locked_ledger_is_not_rewritten_by_an_upload(world, login):
    """An accepted ledger is locked: an uploaded template says so and leaves it, and its milestones, as they were."""
    from datetime import date

    from duban.web.models import Milestone

    ledger = Ledger.objects.create(
        task=world.tasks["1"], unit=world.units["商务局"], responsible_person="王科长", state="accepted"
    )
    Milestone.objects.create(ledger=ledger, title="完成方案", due=date(2026, 5, 31))
    client = login(world.users["a_staff"])
    book = template(client, world)
    fill_shangwu(book)
    response = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"file": xlsx(book)})
    assert response.status_code == 200
    assert "任务 1：台账已审核锁定，节点变更须在系统中提交申请" in response.content.decode()
    ledger.refresh_from_db()
    assert ledger.responsible_person == "王科长"
    assert list(ledger.milestones.values_list("title", "due")) == [("完成方案", date(2026, 5, 31))]


def test_the_bulletin_page_lists_the_first_units_and_tasks_the_text_has_them_all(behind, login, monkeypatch):
    """A 6,000-task plan's bulletin names hundreds of units and tasks: the page's side lists show the first
    SHOWN of each with their count, the bulletin's text (what is saved and printed) keeps every one."""
    from duban.web.views import downloads

    monkeypatch.setattr(downloads, "SHOWN", 1)
    rnd = behind.rounds[0]
    html = login(behind.users["office"]).get(f"/plans/{behind.plan.pk}/rounds/{rnd.pk}/bulletin/").content.decode()
    units = html.split('id="units"')[1].split("</section>")[0]
    assert "滞后或报送不及时的单位（3）" in units and units.count("<li>") == 1 and "此处列出前 1 个单位" in units
    text = html.split("<textarea")[1].split("</textarea>")[0]
    assert all(f"{unit}：" in text for unit in ("商务局", "财政局", "教育局"))
