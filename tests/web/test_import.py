import pytest

from duban.web.models import Assignment, AuditEvent, Plan, ReportingRound, Unit
from duban.web.services import plans
from tests.conftest import corpus_file

from .conftest import small_notice


def corpus_upload(name: str):
    """A corpus file as the browser uploads it; the test is skipped where the corpus is absent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = corpus_file(name)
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.fixture
def office(db, login):
    from django.contrib.auth.models import User

    from duban.web.models import Government, Membership

    gov = Government.objects.create(name="云溪市")
    Unit.objects.create(government=gov, name="商务局")
    Unit.objects.create(government=gov, name="财政局", aliases=["市财政局"])
    Unit.objects.create(government=gov, name="教育体育局")
    user = User.objects.create_user("office", password="pw")
    Membership.objects.create(user=user, government=gov, role="supervisor")
    return login(user), gov


def test_import_matches_units_and_publish_creates_the_missing_ones(office):
    client, gov = office
    doc = small_notice()
    doc.tasks[1].units[0].name = "市财政局"  # alias
    plan = plans.import_document(doc, gov, 2026)
    matches = {a.written: (a.match, a.unit_name) for a in Assignment.objects.filter(task__plan=plan)}
    assert matches == {
        "商务局": ("exact", "商务局"),
        "财政局": ("exact", "财政局"),
        "市财政局": ("alias", "财政局"),
        "教育局": ("unknown", "教育局"),
    }
    page = client.get(f"/plans/{plan.pk}/review/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("力争社会消费品零售总额突破170亿元", "不常见于此类任务", "未知", "别名"):
        assert text in html
    assert plan.status == Plan.DRAFT
    response = client.post(f"/plans/{plan.pk}/publish/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.PUBLISHED
    assert Unit.objects.filter(government=gov, name="教育局").exists()
    assert not Assignment.objects.filter(task__plan=plan, unit__isnull=True).exists()
    assert [(r.kind, str(r.due)) for r in ReportingRound.objects.filter(plan=plan)] == [
        ("plan", "2026-03-18"),
        ("progress", "2026-06-15"),
        ("progress", "2026-09-15"),
        ("annual", "2026-12-15"),
    ]
    assert {"导入通知", "发布计划"} <= set(AuditEvent.objects.values_list("action", flat=True))
    # Publishing twice is refused with a message, not an error page.
    again = client.post(f"/plans/{plan.pk}/publish/", follow=True)
    assert "已经发布" in again.content.decode()


def test_fixing_a_unit_inline_with_htmx(office):
    client, gov = office
    plan = plans.import_document(small_notice(), gov, 2026)
    task = plan.tasks.get(number="3")
    form = client.get(f"/plans/{plan.pk}/tasks/{task.pk}/units/?edit=1", HTTP_HX_REQUEST="true")
    assert 'name="unit"' in form.content.decode()
    response = client.post(
        f"/plans/{plan.pk}/tasks/{task.pk}/units/",
        {"unit": ["教育体育局", "商务局"], "role": ["lead", "support"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "教育体育局" in response.content.decode()
    assert [(a.unit.name, a.role, a.match) for a in task.assignments.all()] == [
        ("教育体育局", "lead", "manual"),
        ("商务局", "support", "manual"),
    ]
    event = AuditEvent.objects.get(action="修改责任单位")
    assert event.before == {"units": [["教育局", "lead"]]}


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("notice.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("notice.txt", b"   ", "文件是空的"),
        ("notice.docx", b"this is not a zip file at all", "notice.docx"),
        ("notice.txt", "今天天气很好。\n我们去公园散步。\n".encode(), "任务分解通知"),
    ],
)
def test_bad_uploads_get_a_message_and_leave_nothing(office, name, data, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, gov = office
    plans_before, events_before = Plan.objects.count(), AuditEvent.objects.count()
    response = client.post("/plans/import/", {"notice": SimpleUploadedFile(name, data), "year": "2026"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error" role="alert"' in html
    assert message in html.split('role="alert">')[1].split("</p>")[0]
    assert plans_before == 0
    # Nothing recorded beyond the office's login.
    assert (Plan.objects.count(), AuditEvent.objects.count()) == (plans_before, events_before), list(
        AuditEvent.objects.values_list("action", "username", "object_repr")
    )


def test_too_large_upload_is_refused(office, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, gov = office
    settings.MAX_UPLOAD_BYTES = 1000
    response = client.post("/plans/import/", {"notice": SimpleUploadedFile("n.txt", b"x" * 2000), "year": "2026"})
    assert response.status_code == 400
    assert "文件太大" in response.content.decode()
    assert Plan.objects.count() == 0


def test_a_failure_midway_leaves_nothing_half_imported(office, monkeypatch):
    client, gov = office
    doc = small_notice()
    calls = {"n": 0}
    real = Assignment.objects.bulk_create

    def boom(*args, **kwargs):
        calls["n"] += 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(Assignment.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        plans.import_document(doc, gov, 2026)
    monkeypatch.setattr(Assignment.objects, "bulk_create", real)
    assert calls["n"] == 1
    assert Plan.objects.count() == 0


def test_only_the_office_imports(world, login):
    client = login(world.users["a_staff"])
    assert client.get("/plans/import/").status_code == 403
    assert client.get(f"/plans/{world.plan.pk}/review/").status_code == 403


@pytest.mark.corpus
def test_upload_the_jiyuan_notice(office):
    upload = corpus_upload("notice-jiyuan-2026.txt")
    pytest.importorskip("duban.doc.load", reason="document loader not built yet")
    client, gov = office
    response = client.post("/plans/import/", {"notice": upload, "year": "2026"})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get()
    assert plan.doc_number == "济政〔2026〕1号"
    assert plan.tasks.count() > 100
    commerce = Assignment.objects.filter(task__plan=plan, unit_name="商务局")
    assert commerce.exists() and all(a.match == "exact" for a in commerce)


@pytest.mark.corpus
def test_start_from_a_report(office):
    upload = corpus_upload("report-yanshi-2026.txt")
    pytest.importorskip("duban.draft.suggest", reason="drafting not built yet")
    client, gov = office
    response = client.post("/plans/import/", {"notice": upload, "year": "2026", "kind": "report"})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get()
    assert plan.status == Plan.DRAFT and plan.tasks.count() > 50
    assert Assignment.objects.filter(task__plan=plan).exists(), "units were suggested"
    assert client.get(f"/plans/{plan.pk}/review/").status_code == 200
    # A notice uploaded as a report is refused with a sentence.
    notice = corpus_upload("notice-jiyuan-2026.txt")
    response = client.post("/plans/import/", {"notice": notice, "year": "2026", "kind": "report"})
    assert response.status_code == 400
    assert Plan.objects.count() == 1


def test_overlong_fields_from_a_parser_are_cut_to_fit(office):
    from duban.doc.model import Task as DocTask
    from duban.doc.model import UnitRef

    client, gov = office
    doc = small_notice()
    doc.tasks.append(
        DocTask("4" * 30, ["一" * 400], "任务", [UnitRef("局" * 200, "lead", written="局" * 300)], deadline="年" * 150)
    )
    plan = plans.publish(plans.import_document(doc, gov, 2026))
    task = plan.tasks.get(order=3)
    assert len(task.number) == 20 and len(task.section.title) == 300
    assert len(task.assignments.get().unit.name) == 120


def test_a_downloaded_notice_docx_uploads_back_to_the_same_tasks(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pytest.importorskip("duban.render.notice")
    client.force_login(world.users["office"])
    docx = client.get(f"/plans/{world.plan.pk}/files/notice.docx").content
    response = client.post("/plans/import/", {"notice": SimpleUploadedFile("notice.docx", docx), "year": "2027"})
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get(year=2027)
    assert [(t.number, t.text) for t in plan.tasks.all()] == [(t.number, t.text) for t in world.plan.tasks.all()]
    units = [
        (a.task.number, a.unit_name, a.role, a.match)
        for a in Assignment.objects.filter(task__plan=plan).order_by("task__order", "order")
    ]
    assert units == [
        ("1", "商务局", "lead", "exact"),
        ("1", "财政局", "support", "exact"),
        ("2", "财政局", "responsible", "exact"),
        ("3", "教育局", "lead", "exact"),
    ]


def test_draft_tasks_split_merge_and_move(office):
    client, gov = office
    plan = plans.import_document(small_notice(), gov, 2026)
    first = plan.tasks.get(number="1")
    response = client.post(
        f"/plans/{plan.pk}/tasks/{first.pk}/edit/",
        {"action": "text", "text": "开展促消费活动。\n\n力争社会消费品零售总额突破170亿元。"},
    )
    assert response.status_code == 302
    texts = [(t.number, t.text) for t in plan.tasks.order_by("order")]
    assert texts == [
        ("1", "开展促消费活动。"),
        ("2", "力争社会消费品零售总额突破170亿元。"),
        ("3", "一般公共预算收入增长3.5%。"),
        ("4", "进出口总值增长3%。"),
    ]
    second = plan.tasks.get(number="2")
    assert [(a.unit_name, a.role) for a in second.assignments.all()] == [("商务局", "lead"), ("财政局", "support")]
    client.post(f"/plans/{plan.pk}/tasks/{plan.tasks.get(number='4').pk}/edit/", {"action": "merge"})
    merged = plan.tasks.get(number="3")
    assert merged.text == "一般公共预算收入增长3.5%。进出口总值增长3%。"
    assert [(a.unit_name, a.role) for a in merged.assignments.all()] == [("财政局", "responsible"), ("教育局", "lead")]
    area2 = plan.sections.get(title="（一）深挖消费潜力")
    other = plan.sections.exclude(pk=area2.pk).get()
    client.post(
        f"/plans/{plan.pk}/tasks/{plan.tasks.get(number='1').pk}/edit/", {"action": "move", "section": other.pk}
    )
    assert [(t.number, t.section_id) for t in plan.tasks.order_by("order")] == [
        ("1", area2.pk),
        ("2", area2.pk),
        ("3", other.pk),
    ]
    assert plan.tasks.get(number="3").text == "开展促消费活动。"
    assert {"拆分任务", "合并任务", "移动任务"} <= set(AuditEvent.objects.values_list("action", flat=True))
    first_now = plan.tasks.get(number="1")
    refused = client.post(f"/plans/{plan.pk}/tasks/{first_now.pk}/edit/", {"action": "merge"}, follow=True)
    assert "前面没有" in refused.content.decode()


def test_a_renamed_unit_takes_its_old_name_in_next_years_notice(office):
    client, gov = office
    old = Unit.objects.create(government=gov, name="教育局")
    client.post("/units/", {"action": "rename", "unit": old.pk, "new_name": "教育和体育局"})
    plan = plans.import_document(small_notice(), gov, 2027)
    assignment = Assignment.objects.get(task__plan=plan, written="教育局")
    assert (assignment.unit.name, assignment.match) == ("教育和体育局", "renamed")
