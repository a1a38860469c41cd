"""The Excel round trip that never destroys (issue 9 item 6).

商务局 has a ledger for task 1 with three milestones (one ticked done) and a
first-round report; its template carries them, and an upload changes only the
cells the unit changed.
"""

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from duban.web.models import Contribution, Ledger, Milestone, ProgressReport
from duban.web.services import ledger_upload

ROUND = "第1次进展情况（6月15日）"


@pytest.fixture
def kept(world):
    """商务局's ledger and report for task 1 as the application holds them before any download."""
    ledger = Ledger.objects.create(
        task=world.tasks["1"],
        unit=world.units["商务局"],
        measures="发放消费券",
        safeguards="专班调度",
        responsible_leader="王副局长",
        responsible_person="李科长",
    )
    Milestone.objects.bulk_create(
        [
            Milestone(ledger=ledger, title="出台促消费政策", due=date(2026, 3, 31), done=True, order=0),
            Milestone(ledger=ledger, title="完成步行街改造", due=date(2026, 6, 30), order=1),
            Milestone(ledger=ledger, title="谋划消费季", due=None, order=2),
        ]
    )
    report = world.reports["a1"]
    ProgressReport.objects.filter(pk=report.pk).update(
        status="on_schedule", done_text="步行街改造完成六成", figures={"社会消费品零售总额": 86.5}, problems="资金慢"
    )
    report.refresh_from_db()
    return ledger, report


def download(client, world, unit="商务局"):
    response = client.get(f"/plans/{world.plan.pk}/files/units/{world.units[unit].pk}/ledger.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def upload(client, world, book, **extra):
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "filled.xlsx"
    return client.post(f"/plans/{world.plan.pk}/ledger-import/", {"file": out, **extra})


def milestones(ledger):
    return [(m.title, m.due and m.due.isoformat(), m.done) for m in Milestone.objects.filter(ledger=ledger)]


def test_the_template_carries_the_units_ledger_and_reports(world, login, kept):
    book = download(login(world.users["a_staff"]), world)
    plan = book["台账"]
    assert [plan[f"{c}2"].value for c in "GHIJKL"] == [
        "谋划消费季",
        "2026-03-31：出台促消费政策\n2026-06-30：完成步行街改造",
        "发放消费券",
        "专班调度",
        "王副局长",
        "李科长",
    ]
    first = book[ROUND]
    assert [first[f"{c}2"].value for c in "EFGH"] == ["序时推进", "步行街改造完成六成", 86.5, "资金慢"]
    # The record of what was issued lives in the very hidden sheet, one per row.
    meta = {r[0]: r[1] for r in book["_duban"].iter_rows(values_only=True)}
    assert book["_duban"].sheet_state == "veryHidden"
    assert {"row|台账|1", f"row|{ROUND}|1"} <= set(meta)


def test_changing_two_cells_changes_those_two_and_nothing_else(world, login, kept):
    ledger, report = kept
    client = login(world.users["a_staff"])
    book = download(client, world)
    book["台账"]["I2"] = "发放消费券；引进首店"
    book[ROUND]["F2"] = "步行街改造完成八成"
    response = upload(client, world, book)
    assert response.status_code == 200, response.content.decode()[:2000]
    ledger.refresh_from_db()
    assert (ledger.measures, ledger.safeguards, ledger.responsible_leader) == (
        "发放消费券；引进首店",
        "专班调度",
        "王副局长",
    )
    # Every milestone stays, with its done tick.
    assert milestones(ledger) == [
        ("出台促消费政策", "2026-03-31", True),
        ("完成步行街改造", "2026-06-30", False),
        ("谋划消费季", None, False),
    ]
    report.refresh_from_db()
    assert (report.status, report.done_text, report.figures, report.problems) == (
        "on_schedule",
        "步行街改造完成八成",
        {"社会消费品零售总额": 86.5},
        "资金慢",
    )
    # The untouched round sheets and rows were not written at all.
    later = ProgressReport.objects.filter(unit=world.units["商务局"]).exclude(pk=report.pk)
    assert not later.exists()


def test_a_blank_cell_never_erases(world, login, kept):
    ledger, report = kept
    client = login(world.users["a_staff"])
    book = download(client, world)
    for cell in ("G2", "H2", "I2", "J2", "K2", "L2"):
        book["台账"][cell] = None
    for cell in ("E2", "F2", "G2", "H2"):
        book[ROUND][cell] = None
    book["台账"]["L2"] = "张科长"  # the one real change
    response = upload(client, world, book)
    assert response.status_code == 200
    page = response.content.decode()
    assert "改动：责任人" in page and "留空的工作事项、时序节点、主要措施、保障机制、责任领导保持原值" in page
    ledger.refresh_from_db()
    assert (ledger.measures, ledger.safeguards, ledger.responsible_person) == ("发放消费券", "专班调度", "张科长")
    assert len(milestones(ledger)) == 3
    before = report.version
    report.refresh_from_db()
    assert (report.done_text, report.figures, report.version) == (
        "步行街改造完成六成",
        {"社会消费品零售总额": 86.5},
        before,
    )


def test_a_row_changed_in_the_application_after_the_download_is_refused_with_the_reason(world, login, kept):
    ledger, report = kept
    client = login(world.users["a_staff"])
    book = download(client, world)
    # Meanwhile, in the application: the head's office ticks a milestone, and the report is edited.
    Milestone.objects.filter(ledger=ledger, title="完成步行街改造").update(done=True)
    ProgressReport.objects.filter(pk=report.pk).update(done_text="改造完成七成（系统内修改）")
    book["台账"]["I2"] = "发放消费券；引进首店"
    book[ROUND]["F2"] = "步行街改造完成八成"
    book[ROUND]["I2"] = "加快消费券发放"
    response = upload(client, world, book)
    assert response.status_code == 422
    page = response.content.decode()
    assert "下载模板后，此行在系统中也被修改了（您改动了主要措施）" in page
    assert "下载模板后，此行在系统中也被修改了（您改动了进展情况、下步打算）" in page
    ledger.refresh_from_db()
    report.refresh_from_db()
    assert ledger.measures == "发放消费券" and report.done_text == "改造完成七成（系统内修改）"
    assert milestones(ledger)[1] == ("完成步行街改造", "2026-06-30", True)


def test_only_the_conflicting_row_is_refused_when_the_good_rows_are_kept(world, login, kept):
    ledger, report = kept
    client = login(world.users["a_staff"])
    book = download(client, world)
    ProgressReport.objects.filter(pk=report.pk).update(done_text="系统内修改")
    book["台账"]["K2"] = "赵副局长"
    book[ROUND]["F2"] = "单位的写法"
    first = upload(client, world, book)
    assert first.status_code == 422
    digest = ledger_upload.keep_upload(world.units["商务局"], _bytes(book))
    confirmed = client.post(f"/plans/{world.plan.pk}/ledger-import/", {"confirm": "1", "digest": digest})
    assert confirmed.status_code == 200
    ledger.refresh_from_db()
    report.refresh_from_db()
    assert ledger.responsible_leader == "赵副局长" and report.done_text == "系统内修改"


def test_a_done_milestone_dropped_from_the_cell_is_kept_and_said(world, login, kept):
    ledger, _report = kept
    client = login(world.users["a_staff"])
    book = download(client, world)
    book["台账"]["H2"] = "2026-06-30：完成步行街改造\n2026-10-31：举办消费季"
    response = upload(client, world, book, follow=True)
    assert "已完成的节点“出台促消费政策”不能通过台账删除，已保留" in response.content.decode()
    assert sorted(milestones(ledger)) == [
        ("举办消费季", "2026-10-31", False),
        ("出台促消费政策", "2026-03-31", True),
        ("完成步行街改造", "2026-06-30", False),
        ("谋划消费季", None, False),
    ]


def test_a_blank_template_filled_over_existing_content_is_refused_row_by_row(world, login, kept):
    """A template without records (made on the command line) counts as issued blank."""
    from duban.render.ledger import unit_ledger_template
    from duban.web.services.render_data import document_for

    out = io.BytesIO()
    unit_ledger_template(document_for(world.plan), "商务局", out, [r.title for r in world.plan.rounds.all()][1:])
    book = load_workbook(io.BytesIO(out.getvalue()))
    book["台账"]["I2"] = "命令行模板的写法"
    response = upload(login(world.users["a_staff"]), world, book)
    assert response.status_code == 422 and "此行在系统中也被修改了" in response.content.decode()
    kept[0].refresh_from_db()
    assert kept[0].measures == "发放消费券"


def test_a_command_line_template_of_the_stored_plan_carries_the_ledger_and_round_trips(world, login, kept, tmp_path):
    from duban.cli import main

    path = tmp_path / "shangwu.xlsx"
    assert (
        main(["render", "ledger", "--government", "云溪市", "--year", "2026", "--unit", "商务局", "-o", str(path)]) == 0
    )
    book = load_workbook(path)
    assert book["台账"]["I2"].value == "发放消费券" and book[ROUND]["F2"].value == "步行街改造完成六成"
    book["台账"]["L2"] = "张科长"
    assert upload(login(world.users["a_staff"]), world, book).status_code == 200
    kept[0].refresh_from_db()
    assert (kept[0].measures, kept[0].responsible_person) == ("发放消费券", "张科长")


def test_a_supporting_units_contribution_is_carried_and_kept(world, login):
    rnd = world.rounds[0]
    Contribution.objects.create(task=world.tasks["1"], round=rnd, unit=world.units["财政局"], text="落实资金2000万元")
    client = login(world.users["b_staff"])
    book = download(client, world, "财政局")
    sheet = book[ROUND]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"B{r}"].value == "1")
    assert sheet[f"F{row}"].value == "落实资金2000万元"
    response = upload(client, world, book)
    assert response.status_code == 200
    assert Contribution.objects.get(unit=world.units["财政局"]).text == "落实资金2000万元"


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- generated: whatever the unit edits or blanks, exactly those edits land ----------------------------

PLAN_CELLS = {"I": "measures", "J": "safeguards", "K": "responsible_leader", "L": "responsible_person"}
EDIT = st.one_of(st.none(), st.just("blank"), st.text(alphabet="资金项目推进落实专班月度", min_size=1, max_size=12))


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.fixed_dictionaries({c: EDIT for c in PLAN_CELLS}), progress=EDIT)
def test_any_edits_land_exactly_and_blanks_keep(world, login, kept, edits, progress):
    from django.db import transaction

    sid = transaction.savepoint()
    try:
        ledger, report = kept
        ledger.refresh_from_db()
        report.refresh_from_db()
        before = {f: getattr(ledger, f) for f in PLAN_CELLS.values()}
        client = login(world.users["a_staff"])
        book = download(client, world)
        expected = dict(before)
        for column, edit in edits.items():
            if edit == "blank":
                book["台账"][f"{column}2"] = None
            elif edit is not None:
                book["台账"][f"{column}2"] = edit
                expected[PLAN_CELLS[column]] = edit
        done_text = report.done_text
        if progress == "blank":
            book[ROUND]["F2"] = None
        elif progress is not None:
            book[ROUND]["F2"] = progress
            done_text = progress
        response = upload(client, world, book)
        assert response.status_code == 200, response.content.decode()[:1500]
        ledger.refresh_from_db()
        report.refresh_from_db()
        assert {f: getattr(ledger, f) for f in PLAN_CELLS.values()} == expected
        assert report.done_text == done_text
        assert milestones(ledger)[0] == ("出台促消费政策", "2026-03-31", True)
    finally:
        transaction.savepoint_rollback(sid)


def test_a_template_downloaded_before_the_doc_number_was_amended_still_lands(world, login, kept):
    from duban.web.services import amend

    client = login(world.users["a_staff"])
    book = download(client, world)
    amend.edit_plan(world.plan, title=world.plan.title, doc_number="云政〔2026〕2号", reason="文号录错")
    book["台账"]["L2"] = "张科长"
    assert upload(client, world, book).status_code == 200
    kept[0].refresh_from_db()
    assert kept[0].responsible_person == "张科长"
    # The template names its stored plan by key: title and 文号 both amended, it is still this plan's.
    book = download(client, world)
    amend.edit_plan(
        world.plan,
        title="云溪市人民政府关于调整2026年重点工作责任单位的通知",
        doc_number="云政〔2026〕9号",
        reason="改",
    )
    book["台账"]["K2"] = "赵副局长"
    assert upload(client, world, book).status_code == 200
    kept[0].refresh_from_db()
    assert kept[0].responsible_leader == "赵副局长"
