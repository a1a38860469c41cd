"""Django for the web tests only: the rest of the suite stays Django-free.

The database comes from DATABASE_URL (PostgreSQL in CI's second pass) or is a
SQLite file; uploads and the secret key go to a throwaway data folder.
"""

import os
import tempfile
from datetime import date
from pathlib import Path

os.environ["DUBAN_DATA_DIR"] = tempfile.mkdtemp(prefix="duban-test-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# PBKDF2 at a million rounds costs ~0.3 s per user; the tests create hundreds.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Background jobs run inside their request, in this process: tests that need the worker
# threads or the child process (tests/web/test_jobs.py) ask for them.
settings.DUBAN_JOBS = "inline"
settings.DUBAN_JOBS_ISOLATED = False

import pytest  # noqa: E402

from duban.doc.model import Document, Indicator, ScheduleItem, Task, UnitRef  # noqa: E402

YEAR = 2026
TODAY = date(2026, 7, 1)  # after the first round (15 June), before the second


def small_notice() -> Document:
    area1 = ["二、聚焦推动高质量发展", "（一）深挖消费潜力"]
    area2 = ["三、持续深化改革开放", "（二）扩大开放"]
    return Document(
        kind="notice",
        title="云溪市人民政府关于明确2026年重点工作责任单位的通知",
        doc_number="云政〔2026〕1号",
        year=YEAR,
        schedule=[
            ScheduleItem("plan", date(2026, 3, 18), "3月18日前"),
            ScheduleItem("progress", date(2026, 6, 15), "6月15日"),
            ScheduleItem("progress", date(2026, 9, 15), "9月15日"),
            ScheduleItem("annual", date(2026, 12, 15), "12月15日"),
        ],
        tasks=[
            Task(
                "1",
                area1,
                "力争社会消费品零售总额突破170亿元。",
                [UnitRef("商务局", "lead"), UnitRef("财政局", "support")],
                indicators=[Indicator("社会消费品零售总额", 170, "亿元", "突破", "level", "突破170亿元")],
                clause="商务局牵头，财政局按职责分工负责",
            ),
            Task("2", area1, "一般公共预算收入增长3.5%。", [UnitRef("财政局", "responsible")]),
            Task("3", area2, "进出口总值增长3%。", [UnitRef("教育局", "lead")]),
        ],
        warnings=["第 3 项：单位“教育局”不常见于此类任务"],
    )


@pytest.fixture
def world(db):
    """One published plan in 云溪市, three units, every kind of user, and a second government."""
    from django.contrib.auth.models import User

    from duban.web.models import Government, Membership, ProgressReport, Unit
    from duban.web.services import plans

    gov = Government.objects.create(name="云溪市", level="city")
    units = {n: Unit.objects.create(government=gov, name=n) for n in ("商务局", "财政局", "教育局")}
    plan = plans.publish(plans.import_document(small_notice(), gov, YEAR))
    other_gov = Government.objects.create(name="青川县", level="county")
    other_unit = Unit.objects.create(government=other_gov, name="商务局")

    def user(name, role, government=gov, unit=None, sections=()):
        u = User.objects.create_user(name, password="pw")
        Membership.objects.create(user=u, role=role, government=government, unit=unit, sections=list(sections))
        return u

    users = {
        "office": user("office", "supervisor"),
        "admin": user("admin", "admin"),
        "leader": user("leader", "leader", sections=["二、聚焦推动高质量发展"]),
        "a_staff": user("a_staff", "unit_staff", unit=units["商务局"]),
        "a_head": user("a_head", "unit_head", unit=units["商务局"]),
        "b_staff": user("b_staff", "unit_staff", unit=units["财政局"]),
        "b_head": user("b_head", "unit_head", unit=units["财政局"]),
        "c_staff": user("c_staff", "unit_staff", unit=units["教育局"]),
        "x_office": user("x_office", "supervisor", government=other_gov),
        "x_staff": user("x_staff", "unit_staff", government=other_gov, unit=other_unit),
    }
    tasks = {t.number: t for t in plan.tasks.all()}
    rounds = [r for r in plan.rounds.all() if r.kind == "progress"]
    reports = {
        "a1": ProgressReport.objects.create(task=tasks["1"], unit=units["商务局"], round=rounds[0]),
        "b2": ProgressReport.objects.create(task=tasks["2"], unit=units["财政局"], round=rounds[0]),
    }
    return type(
        "World",
        (),
        {
            "gov": gov,
            "plan": plan,
            "units": units,
            "users": users,
            "tasks": tasks,
            "rounds": rounds,
            "reports": reports,
        },
    )


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Pages judge lateness against 1 July 2026 unless a test says otherwise."""
    from duban.web.views import common

    monkeypatch.setattr(common, "today", lambda: TODAY)
    for module in ("workspace", "supervision", "api", "plans"):
        mod = __import__(f"duban.web.views.{module}", fromlist=["today"])
        monkeypatch.setattr(mod, "today", lambda: TODAY)


# --- the browser -------------------------------------------------------------------------------------
# Every browser test drives the distribution's Chromium through Playwright (never a downloaded browser).
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def chromium(monkeypatch):
    """A headless Chromium; screenshots go to artifacts/screenshots/."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install -y chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop on this thread; Django's ORM calls here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def new_page(browser, **context):
    """A page as a person at a desktop sees it: 1360×900, Chinese, 15 s for anything to appear."""
    page = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN", **context).new_page()
    page.set_default_timeout(15000)
    return page


def sign_in(page, base, username, password="pw"):
    """Log in through the form, as a person would (django-axes counts each attempt)."""
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
