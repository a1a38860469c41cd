import json
from datetime import date

import pytest

from duban.cli import main
from duban.web.models import Government, Plan, ProgressReport, Unit
from tests.conftest import corpus_file


def test_status_counts_match_the_dashboard(world, capsys):
    from duban.web.services import reports

    r = world.reports["a1"]
    r = reports.save(r, r.version, {"status": "behind"})
    r = reports.send_to_head(r, r.version)
    reports.approve(r, r.version)
    assert main(["status", "--government", "云溪市", "--today", "2026-07-01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tasks"] == 3
    assert out["by_status"] == {"done": 0, "claimed": 0, "on_track": 0, "not_started": 0, "at_risk": 2, "lagging": 1}
    assert out["by_unit"]["商务局"]["lagging"] == 1
    late = [x for x in out["late_reports"] if x["what"] == "report"]
    assert sorted((x["unit"], x["task"], x["state"]) for x in late) == [
        ("商务局", "1", "late"),
        ("教育局", "3", "missing"),
        ("财政局", "2", "missing"),
    ]
    # The plan round (落实方案和工作台账) is tracked like a reporting round: no ledger was signed.
    ledgers = [x for x in out["late_reports"] if x["what"] == "ledger"]
    assert sorted((x["unit"], x["task"], x["state"]) for x in ledgers) == [
        ("商务局", "1", "missing"),
        ("教育局", "3", "missing"),
        ("财政局", "2", "missing"),
    ]
    assert main(["status", "--government", "云溪市", "--today", "2026-07-01"]) == 0
    text = capsys.readouterr().out
    assert "逾期报告：3 份（未报送 2，逾期报送 1）" in text
    assert "逾期台账：3 份（未报送 3，逾期报送 0）" in text


def test_status_for_an_unknown_government(db, capsys):
    assert main(["status", "--government", "无此市"]) == 1
    assert "没有找到" in capsys.readouterr().err


def test_import_a_missing_file(db, capsys):
    assert main(["import", "/nonexistent/notice.txt", "--government", "云溪市", "--year", "2026"]) == 1
    assert "找不到文件" in capsys.readouterr().err


@pytest.mark.corpus
def test_import_the_jiyuan_notice_creates_government_and_units(db, capsys):
    path = corpus_file("notice-jiyuan-2026.txt")
    assert main(["import", str(path), "--government", "济源示范区", "--year", "2026", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    gov = Government.objects.get(name="济源示范区")
    plan = Plan.objects.get(government=gov)
    assert plan.status == Plan.PUBLISHED
    assert out["tasks"] == plan.tasks.count() > 100
    assert out["doc_number"] == "济政〔2026〕1号"
    assert set(out["new_units"]) == set(Unit.objects.filter(government=gov).values_list("name", flat=True))
    assert {"商务局", "财政局", "国家统计局济源调查队"} <= set(out["new_units"])
    assert [r["due"] for r in out["rounds"]] == ["2026-03-18", "2026-06-15", "2026-09-15", "2026-12-15"]
    # A second import of the same year is refused and leaves nothing behind.
    assert main(["import", str(path), "--government", "济源示范区", "--year", "2026"]) == 1
    assert "已有已发布的政府工作报告重点工作计划" in capsys.readouterr().err
    assert Plan.objects.filter(government=gov).count() == 1


def test_demo_has_reports_in_every_state_and_an_overdue_round(db):
    from duban.web.demo import build_government
    from duban.web.services.overview import overview

    today = date(2026, 11, 21)
    demo = build_government("云溪市", today=today)
    assert demo.plan.tasks.count() == 40
    states = set(ProgressReport.objects.values_list("state", flat=True))
    assert states == {s for s, _ in ProgressReport.STATES}
    data = overview(demo.plan, today)
    assert data.current_round is not None and data.current_round.due < today
    assert data.missing, "the overdue round has missing reports"
    roles = {role for _, role, _ in demo.accounts}
    assert {"督查人员", "单位联络员", "单位负责人", "市领导", "管理员"} <= roles


def test_serve_init_creates_a_government_and_its_admin(db, capsys):
    from django.contrib.auth.models import User

    assert main(["serve", "--init", "云溪市", "--no-server"]) == 0
    out = capsys.readouterr().out
    gov = Government.objects.get(name="云溪市")
    user = User.objects.get(membership__government=gov)
    password = out.split("密码 ")[1].split("（")[0]
    assert user.check_password(password) and user.membership.role == "admin"
    # A government's administrator is no superuser: /admin/ and other governments are the site administrator's.
    assert not user.is_superuser and not user.is_staff
    assert main(["serve", "--init", "云溪市", "--no-server"]) == 1
    assert "已有管理员账号" in capsys.readouterr().err


def test_siteadmin_makes_the_one_superuser_with_a_one_time_password(db, capsys):
    from django.contrib.auth.models import User

    from duban.web.models import OneTimePassword

    assert main(["siteadmin", "root"]) == 0
    password = capsys.readouterr().out.split("一次性密码 ")[1].split("（")[0]
    root = User.objects.get(username="root")
    assert root.check_password(password) and root.is_superuser and not hasattr(root, "membership")
    assert OneTimePassword.objects.filter(user=root).exists()
    assert main(["siteadmin", "root"]) == 1
    assert "已存在" in capsys.readouterr().err
    User.objects.filter(pk=root.pk).update(is_active=False)
    assert main(["siteadmin", "root", "--reset"]) == 0
    again = capsys.readouterr().out.split("一次性密码 ")[1].split("（")[0]
    root.refresh_from_db()
    assert again != password and root.check_password(again) and root.is_active
    assert main(["siteadmin", "nobody", "--reset"]) == 1
    assert "没有系统管理员账号 nobody" in capsys.readouterr().err


def test_serve_demo_puts_the_city_under_a_province_that_has_sent_it_tasks(db, client, capsys):
    """``duban serve --demo``: 云溪市 sits under 云岭省, whose published plan has come down as 上级交办
    tasks paired with the city's own; the province's supervisor reads the roll-up, the site
    administrator the tree of governments."""
    from duban.web.models import CoverageLink, ParentTask

    assert main(["serve", "--demo", "--no-server"]) == 0
    out = capsys.readouterr().out
    assert "云岭省 › 云溪市" in out and "shengducha" in out and "siteadmin" in out
    city = Government.objects.get(name="云溪市")
    assert city.parent.name == "云岭省" and city.parent.level == "province"
    assert ParentTask.objects.filter(government=city).count() == 6
    assert ParentTask.objects.filter(government=city, how="name").count() == 1  # 云溪市政府, by name
    assert CoverageLink.objects.filter(parent_task__government=city, state="suggested").count() >= 5
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="shengducha"))
    assert "云溪市" in client.get("/rollup/").content.decode()
    client.force_login(User.objects.get(username="siteadmin"))
    page = client.get("/governments/").content.decode()
    assert "云岭省" in page and "云溪市" in page
