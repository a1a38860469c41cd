"""A notice another government issued says so before anything is published: the CLI refuses without
--force, the review page warns and publishing waits for the office to acknowledge it."""

from __future__ import annotations

import json

import pytest

from duban.cli import main
from duban.web.models import AuditEvent, Government, Plan, Unit
from tests.badinput import notice_text
from tests.conftest import corpus_file


def _notice(issuer: str, tasks: int = 3) -> str:
    return notice_text(tasks).replace("市人民政府\n", f"{issuer}\n", 1)


@pytest.fixture
def office(db, client):
    from django.contrib.auth.models import User

    from duban.web.models import Membership

    province = Government.objects.create(name="河南省", level="province")
    city = Government.objects.create(name="济源示范区", level="city", parent=province)
    user = User.objects.create_user("office", password="pw")
    Membership.objects.create(user=user, government=city, role="supervisor")
    client.force_login(user)
    return client, city


def _upload(client, text: str, name="notice.txt"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/plans/import/", {"notice": SimpleUploadedFile(name, text.encode()), "year": "2026"})


def test_the_review_page_warns_and_publishing_waits_for_the_acknowledgement(office):
    client, city = office
    assert _upload(client, _notice("河南省人民政府")).status_code == 302
    plan = Plan.objects.get()
    assert plan.issuer == "河南省人民政府" and plan.status == Plan.DRAFT
    assert plan.issuer_warning == "发文机关“河南省人民政府”不是济源示范区，是上级政府河南省的通知"
    page = client.get(f"/plans/{plan.pk}/review/").content.decode()
    assert 'id="issuer-warning"' in page and plan.issuer_warning in page and 'name="issuer_ok"' in page
    for posted in ({}, {"issuer_ok": "这不是确认，而是一句中文"}):
        refused = client.post(f"/plans/{plan.pk}/publish/", posted, follow=True).content.decode()
        assert "请确认这份通知确应由济源示范区发布后再发布" in refused
        plan.refresh_from_db()
        assert plan.status == Plan.DRAFT and not plan.rounds.exists()
    assert client.post(f"/plans/{plan.pk}/publish/", {"issuer_ok": "1"}).status_code == 302
    plan.refresh_from_db()
    assert plan.is_published
    event = AuditEvent.objects.get(action="发布计划")
    assert event.after["issuer_acknowledged"] == plan.issuer_warning and event.username == "office"


def test_the_governments_own_notice_publishes_without_a_question(office):
    client, city = office
    assert _upload(client, _notice("济源市人民政府")).status_code == 302
    plan = Plan.objects.get()
    assert plan.issuer_warning == ""
    assert 'id="issuer-warning"' not in client.get(f"/plans/{plan.pk}/review/").content.decode()
    assert client.post(f"/plans/{plan.pk}/publish/").status_code == 302
    plan.refresh_from_db()
    assert plan.is_published


def test_a_provinces_doc_number_alone_warns(office):
    client, city = office
    assert _upload(client, notice_text(3).replace("市人民政府\n", "豫政〔2026〕4号\n", 1)).status_code == 302
    assert Plan.objects.get().issuer_warning.startswith("文号“豫政〔2026〕4号”是河南的文号，不是济源示范区的")


def test_the_cli_refuses_another_governments_notice_unless_forced(db, tmp_path, capsys):
    path = tmp_path / "henan.txt"
    path.write_text(_notice("河南省人民政府办公厅"), encoding="utf-8")
    assert main(["import", str(path), "--government", "济源示范区", "--year", "2026"]) == 1
    err = capsys.readouterr().err
    assert "发文机关“河南省人民政府办公厅”不是济源示范区：未导入。确认要导入到济源示范区，请加 --force" in err
    # A failed import changes nothing: not even the government it would have made.
    assert not Plan.objects.exists() and not Government.objects.exists() and not Unit.objects.exists()
    assert main(["import", str(path), "--government", "济源示范区", "--year", "2026", "--force", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["issuer"] == "河南省人民政府办公厅" and out["issuer_warning"].startswith(
        "发文机关“河南省人民政府办公厅”"
    )
    assert Plan.objects.get().is_published


def test_the_cli_imports_a_province_notice_into_the_province(db, tmp_path, capsys):
    path = tmp_path / "henan.txt"
    path.write_text(_notice("河南省人民政府"), encoding="utf-8")
    assert main(["import", str(path), "--government", "河南省", "--level", "province", "--year", "2026"]) == 0
    assert "注意" not in capsys.readouterr().out


@pytest.mark.corpus
def test_the_corpus_henan_notice_into_jiyuan_is_refused_and_jiyuans_own_is_not(db, capsys):
    henan = corpus_file("notice-henan-2026.txt")
    assert main(["import", str(henan), "--government", "济源示范区", "--year", "2026"]) == 1
    assert "发文机关“河南省人民政府”不是济源示范区" in capsys.readouterr().err
    jiyuan = corpus_file("notice-jiyuan-2026.txt")
    assert main(["import", str(jiyuan), "--government", "济源示范区", "--year", "2026", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["issuer_warning"] == ""


def test_the_cli_shows_next_years_renamed_units(db, tmp_path, capsys):
    """Next year's notice naming a unit renamed since lands on the new unit, printed as a renaming."""
    from duban.web.services import unit_changes

    path = tmp_path / "n.txt"
    path.write_text(_notice("云溪市人民政府"), encoding="utf-8")
    assert main(["import", str(path), "--government", "云溪市", "--year", "2026"]) == 0
    gov = Government.objects.get(name="云溪市")
    unit_changes.rename_unit(gov, gov.units.get(name="市教育局"), "市教育体育局")
    capsys.readouterr()
    assert main(["import", str(path), "--government", "云溪市", "--year", "2027", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"written": "市教育局", "unit": "市教育体育局"} in out["renamed"] and out["matches"]["renamed"] > 0
    assert "市教育局" not in out["new_units"]


def test_a_draft_from_another_governments_work_report_warns_too(office):
    client, city = office
    report = (
        "政府工作报告\n——2026年1月20日在平顶山市第十届人民代表大会第五次会议上\n平顶山市人民政府市长 张三\n各位代表：\n"
        "三、2026年重点工作\n今年主要预期目标是：生产总值增长6%，粮食产量5万吨以上。\n"
        "（一）稳增长\n扩大有效投资。实施重点项目10个，完成投资100亿元。\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("report.txt", report.encode())
    response = client.post("/plans/import/", {"notice": upload, "year": "2026", "kind": "report"})
    assert response.status_code == 302, response.content.decode()[:500]
    plan = Plan.objects.get()
    assert plan.issuer_warning == "发文机关“平顶山市人民政府”不是济源示范区"
    assert "请确认" in client.post(f"/plans/{plan.pk}/publish/", follow=True).content.decode()
