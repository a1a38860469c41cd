"""Drafting in the web application: the same inputs as the command line, and learning from corrections."""

import json

import pytest

from duban.web.models import Assignment, AuditEvent, Government, Membership, Plan, Unit
from duban.web.services import amend, plans
from tests.conftest import corpus_file


@pytest.fixture
def jiyuan_office(db, login):
    """济源市 with the corpus notice published as last year's plan (its units created by publishing)."""
    from django.contrib.auth.models import User

    from duban.doc import parse_file

    gov = Government.objects.create(name="济源市", level="city")
    notice = parse_file(corpus_file("notice-jiyuan-2026.txt"))
    plans.publish(plans.import_document(notice, gov, 2025))
    user = User.objects.create_user("office", password="pw")
    Membership.objects.create(user=user, government=gov, role="supervisor")
    return login(user), gov


def _units(tasks):
    return [[(u["name"], u["role"]) for u in t["units"]] for t in tasks]


@pytest.mark.corpus
def test_the_web_draft_and_the_command_line_draft_of_a_report_are_the_same(jiyuan_office, tmp_path, capsys):
    """The same report, the same history and directory: identical units and roles."""
    from duban.cli import main
    from duban.doc.directory import Unit as DirectoryUnit
    from duban.doc.directory import UnitDirectory

    _, gov = jiyuan_office
    report = corpus_file("report-pingdingshan-2026.txt")
    web = plans.draft_from_report(report.read_bytes(), report.name, gov)
    directory = UnitDirectory(
        [DirectoryUnit(name=u.name, aliases=list(u.aliases)) for u in gov.units.all()],
        government="济源市",
        level="city",
    )
    (tmp_path / "dir.yaml").write_text(directory.to_yaml(), encoding="utf-8")
    notice = corpus_file("notice-jiyuan-2026.txt")
    args = ["draft", str(report), "--history", str(notice), "--directory", str(tmp_path / "dir.yaml"), "--json"]
    assert main([*args, "--no-cache"]) == 0
    cli = json.loads(capsys.readouterr().out)
    web_units = _units([t.to_json() for t in web.tasks])
    assert web_units == _units(cli["tasks"])
    # The government's own names and habits: a lead among several units, never every unit 负责.
    roles = {role for task in web_units for _, role in task}
    assert "lead" in roles and "support" in roles
    names = {name for task in web_units for name, _ in task}
    assert names <= {u.name for u in gov.units.all()} | {c for t in web.tasks for c in [u.name for u in t.units]}
    assert not any(n.startswith("人行") for n in names)
    # A cached model gives the same draft.
    assert main(args) == 0 and main(args) == 0
    assert _units(json.loads(capsys.readouterr().out.split("\n}\n")[-2] + "\n}")["tasks"]) == web_units


def test_suggestion_inputs_read_the_directory_its_aliases_and_former_names(db):
    gov = Government.objects.create(name="济源市", level="city")
    old = Unit.objects.create(government=gov, name="市委宣传部")
    old.successor = Unit.objects.create(government=gov, name="党工委宣传部")
    old.save()
    Unit.objects.create(government=gov, name="自然资源和规划局", aliases=["林业局"])
    inputs = plans.suggestion_inputs(gov)
    assert inputs.government.place == "济源" and inputs.government.level == "city"
    entries = {name: (functions, aliases) for name, functions, aliases in inputs.directory}
    assert set(entries) == {"党工委宣传部", "自然资源和规划局"}
    assert entries["党工委宣传部"][1] == ["市委宣传部"]
    assert "forestry" in entries["自然资源和规划局"][0]
    assert inputs.history == []


@pytest.mark.corpus
def test_a_correction_in_the_review_page_re_ranks_the_tasks_not_yet_reviewed(jiyuan_office):
    client, gov = jiyuan_office
    report = corpus_file("report-yanshi-2026.txt")
    with report.open("rb") as f:
        response = client.post("/plans/import/", {"notice": f, "year": "2026", "kind": "report"})
    assert response.status_code == 302
    plan = Plan.objects.get(status=Plan.DRAFT)
    tasks = list(plan.tasks.order_by("order"))
    assert all(t.candidates for t in tasks) and not any(t.reviewed for t in tasks)
    page = client.get(f"/plans/{plan.pk}/review/").content.decode()
    first = tasks[0]
    assert first.candidates[0]["why"] in page  # the top three with their reasons
    # One click: the third candidate leads.
    third = first.candidates[2]["name"]
    response = client.post(f"/plans/{plan.pk}/tasks/{first.pk}/units/", {"lead": third}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    first.refresh_from_db()
    assert first.reviewed
    assert [(a.unit_name, a.role) for a in first.assignments.order_by("order")][0] == (third, "lead")
    # Several corrections send a new unit's kind of work to it: the tasks not yet reviewed follow.
    festival = [t for t in tasks if "旅游" in t.text or "文旅" in t.text]
    assert len(festival) >= 3
    for task in festival[:2]:
        amend.set_units(task, [("文旅专班", "lead")])
    rest = festival[2:]
    before = {task.pk: task.candidates for task in rest}
    for task in rest:
        task.refresh_from_db()
    assert all("文旅专班" not in [c["name"] for c in before[task.pk]] for task in rest)
    assert all("文旅专班" in [c["name"] for c in task.candidates[:3]] for task in rest)
    assert all(not task.reviewed for task in rest)
    assert Assignment.objects.filter(task__plan=plan, unit_name="文旅专班").count() >= 2
    # Every re-ranking is in the audit log, with who and when.
    assert AuditEvent.objects.filter(action="按修正重新推荐责任单位").count() == 3
