"""A demonstration government: 云溪市, an invented city.

``build_government`` makes a published plan of any size with units, staff,
heads, a leader, ledgers and reports in every state, one round overdue
relative to ``today``.  ``duban serve --demo`` uses 40 tasks; the benchmarks
use 300 tasks and 80 units.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from duban.doc.model import Document, Indicator, ScheduleItem, Task, UnitRef
from duban.web.models import (
    Contribution,
    Government,
    Ledger,
    Membership,
    Milestone,
    ProgressReport,
    Unit,
    Urge,
)
from duban.web.services import plans

DEMO_PASSWORD = "demo2026"

BUREAUS = [
    "发展改革委",
    "财政局",
    "商务局",
    "工业和信息化局",
    "科技局",
    "农业农村局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "教育局",
    "卫生健康委",
    "民政局",
    "人力资源和社会保障局",
    "生态环境局",
    "自然资源和规划局",
    "文化广电和旅游局",
    "市场监督管理局",
    "应急管理局",
    "城市管理局",
    "数据局",
]

AREAS = [
    (
        "一、主要预期目标",
        "（一）主要预期目标",
        [
            ("地区生产总值增长5.5%左右。", Indicator("地区生产总值增速", 5.5, "%", "左右", "growth", "增长5.5%左右")),
            ("一般公共预算收入增长4%。", Indicator("一般公共预算收入增速", 4, "%", None, "growth", "增长4%")),
            (
                "社会消费品零售总额突破210亿元。",
                Indicator("社会消费品零售总额", 210, "亿元", "突破", "level", "突破210亿元"),
            ),
            ("粮食产量稳定在6.2亿斤以上。", Indicator("粮食产量", 6.2, "亿斤", "以上", "level", "6.2亿斤以上")),
            (
                "城镇调查失业率控制在5.5%以内。",
                Indicator("城镇调查失业率", 5.5, "%", "以内", "share", "控制在5.5%以内"),
            ),
        ],
    ),
    (
        "二、着力扩大有效需求",
        "（一）提振消费",
        [
            (
                "开展汽车、家电、家居等促消费活动{n}场次以上。",
                Indicator("促消费活动", 120, "场次", "以上", "count", "120场次以上"),
            ),
            ("打造云溪老街夜间消费集聚区，培育特色商业街区{n}个。", None),
            ("发展首发经济和银发经济，新引进品牌首店{n}家。", Indicator("品牌首店", 15, "家", None, "count", "15家")),
        ],
    ),
    (
        "二、着力扩大有效需求",
        "（二）扩大有效投资",
        [
            (
                "滚动实施重点项目{n}个以上，完成投资{m}亿元以上。",
                Indicator("重点项目投资", 320, "亿元", "以上", "level", "320亿元以上"),
            ),
            (
                "争取超长期特别国债和专项债券资金{m}亿元。",
                Indicator("争取债券资金", 45, "亿元", None, "level", "45亿元"),
            ),
            ("推动云溪抽水蓄能电站、环湖快速通道全面开工。", None),
        ],
    ),
    (
        "三、加快建设现代化产业体系",
        "（一）壮大先进制造业",
        [
            ("新增规模以上工业企业{n}家。", Indicator("新增规上工业企业", 40, "家", None, "count", "40家")),
            ("实施技术改造项目{n}个，推动新材料产业集群提质升级。", None),
            ("培育国家级专精特新“小巨人”企业{n}家。", Indicator("专精特新小巨人", 3, "家", None, "count", "3家")),
        ],
    ),
    (
        "三、加快建设现代化产业体系",
        "（二）发展数字经济",
        [
            ("建成5G基站{n}个，推进城市数据平台建设。", Indicator("新建5G基站", 600, "个", None, "count", "600个")),
            ("推动“一网通办”事项全覆盖，网上可办率达到98%以上。", None),
        ],
    ),
    (
        "四、全面推进乡村振兴",
        "（一）夯实农业基础",
        [
            ("新建高标准农田{n}万亩。", Indicator("高标准农田", 3.5, "万亩", None, "level", "3.5万亩")),
            ("实施农村供水保障工程，改造老旧管网{n}公里。", None),
            ("培育省级以上农业产业化龙头企业{n}家。", None),
        ],
    ),
    (
        "五、持续保障和改善民生",
        "（一）稳就业促增收",
        [
            ("城镇新增就业{n}人以上。", Indicator("城镇新增就业", 12000, "人", "以上", "count", "1.2万人以上")),
            ("开展职业技能培训{n}人次。", Indicator("职业技能培训", 20000, "人次", None, "count", "2万人次")),
        ],
    ),
    (
        "五、持续保障和改善民生",
        "（二）办好人民满意的教育和医疗",
        [
            ("新建改扩建中小学和幼儿园{n}所。", None),
            ("推进紧密型县域医共体建设，建成基层卫生服务中心{n}个。", None),
            ("新增养老服务床位{n}张。", Indicator("新增养老床位", 800, "张", None, "count", "800张")),
        ],
    ),
    (
        "六、建设美丽云溪",
        "（一）深入打好污染防治攻坚战",
        [
            ("PM2.5平均浓度下降到{n}微克/立方米以内。", None),
            ("完成城镇老旧小区改造{n}个。", Indicator("老旧小区改造", 60, "个", None, "count", "60个")),
            ("新增城市绿地{n}公顷，建设口袋公园{n}个。", None),
        ],
    ),
    (
        "七、统筹发展和安全",
        "（一）守牢安全底线",
        [
            ("开展安全生产治本攻坚三年行动，整治重大隐患{n}项。", None),
            ("化解政府债务风险，压降隐性债务{m}亿元。", None),
        ],
    ),
]

SECTION_LEADERS = {"二、着力扩大有效需求": "leader", "三、加快建设现代化产业体系": "leader"}


@dataclass
class DemoAccounts:
    government: Government
    plan: object
    accounts: list[tuple[str, str, str]]  # username, role, unit


def _tasks(n_tasks: int, unit_names: list[str], rng: random.Random) -> list[Task]:
    templates = [(area, sub, text, ind) for area, sub, items in AREAS for text, ind in items]
    out = []
    for i in range(n_tasks):
        area, sub, text, ind = templates[i % len(templates)]
        round_no = i // len(templates)
        if round_no:
            sub = f"{sub}（续{round_no}）"
        lead = unit_names[i % len(unit_names)]
        others = [u for u in rng.sample(unit_names, min(3, len(unit_names))) if u != lead][: rng.choice((0, 1, 2))]
        units = [UnitRef(lead, "lead" if others else "responsible")] + [UnitRef(u, "support") for u in others]
        indicators = [ind] if ind else []
        out.append(
            Task(
                number=str(i + 1),
                section=[area, sub],
                text=text.format(n=rng.choice((5, 8, 10, 12, 20, 30, 50)), m=rng.choice((15, 30, 60))),
                units=units,
                deadline="年底前" if i % 3 else "6月底前",
                indicators=indicators,
                clause="、".join(u.name for u in units),
            )
        )
    return out


def _schedule(today: date) -> list[ScheduleItem]:
    year = today.year
    overdue = today - timedelta(days=20)
    upcoming = today + timedelta(days=25)
    annual = max(date(year, 12, 15), upcoming + timedelta(days=20))
    plan_due = min(date(year, 3, 18), overdue - timedelta(days=30))
    return [
        ScheduleItem("plan", plan_due, "落实方案和工作台账"),
        ScheduleItem("progress", overdue, f"{overdue.month}月{overdue.day}日"),
        ScheduleItem("progress", upcoming, f"{upcoming.month}月{upcoming.day}日"),
        ScheduleItem("annual", annual, f"{annual.month}月{annual.day}日"),
    ]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def build_government(
    name: str = "云溪市",
    *,
    n_tasks: int = 40,
    n_units: int = 20,
    today: date | None = None,
    seed: int = 2026,
    all_rounds_passed: bool = False,
    username_prefix: str = "",
) -> DemoAccounts:
    """A published plan with reports in every state.

    With ``all_rounds_passed`` every reporting round lies before ``today`` and has
    reports: a whole year's worth, for benchmarks.
    """
    rng = random.Random(seed)
    today = today or timezone.localdate()
    government = Government.objects.create(name=name, level="city")
    unit_names = (BUREAUS + [f"第{i}街道办事处" for i in range(1, 200)])[:n_units]
    for n in unit_names:
        Unit.objects.create(government=government, name=n, aliases=[f"市{n}"])
    schedule = _schedule(today)
    if all_rounds_passed:
        year = today.year
        schedule = [
            ScheduleItem("plan", date(year, 3, 18), "3月18日前"),
            ScheduleItem("progress", date(year, 6, 15), "6月15日"),
            ScheduleItem("progress", date(year, 9, 15), "9月15日"),
            ScheduleItem("annual", date(year, 12, 15), "12月15日"),
        ]
    document = Document(
        kind="notice",
        title=f"{name}人民政府关于明确政府工作报告提出的{today.year}年重点工作责任单位的通知",
        doc_number=f"云政〔{today.year}〕1号",
        year=today.year,
        schedule=schedule,
        tasks=_tasks(n_tasks, unit_names, rng),
    )
    plan = plans.publish(plans.import_document(document, government, today.year))

    password = make_password(DEMO_PASSWORD)
    accounts = []

    def account(username, full_name, role, unit=None, sections=()):
        username = username_prefix + username
        user = User.objects.create(username=username, first_name=full_name, password=password)
        Membership.objects.create(user=user, government=government, role=role, unit=unit, sections=list(sections))
        accounts.append((username, dict(Membership.ROLES)[role], unit.name if unit else ""))
        return user

    office = account("duchaju", "督查局 王科长", Membership.SUPERVISOR)
    account("admin", "系统管理员", Membership.ADMIN)
    account("leader", "分管副市长", Membership.LEADER, sections=list(SECTION_LEADERS))
    units = list(government.units.order_by("id"))
    staff = {}
    for i, unit in enumerate(units, 1):
        staff[unit.id] = account(f"unit{i:02d}", f"{unit.name}联络员", Membership.UNIT_STAFF, unit)
        account(f"head{i:02d}", f"{unit.name}负责人", Membership.UNIT_HEAD, unit)

    _fill(plan, today, rng, office, all_rounds_passed)
    return DemoAccounts(government, plan, accounts)


STATE_MIX = [
    # (share, state, status) for a passed round
    (0.15, None, None),  # missing
    (0.10, ProgressReport.DRAFT, "on_schedule"),
    (0.10, ProgressReport.AWAITING_HEAD, "on_schedule"),
    (0.07, ProgressReport.RETURNED, "behind"),
    (0.33, ProgressReport.SUBMITTED, "on_schedule"),
    (0.25, ProgressReport.ACCEPTED, "on_schedule"),
]


def _pick_state(rng: random.Random):
    x = rng.random()
    for share, state, status in STATE_MIX:
        if x < share:
            return state, status
        x -= share
    return ProgressReport.ACCEPTED, "on_schedule"


def _fill(plan, today, rng, office, all_rounds_passed):
    rounds = [r for r in plan.rounds.all() if r.kind != "plan"]
    plan_due = next((r.due for r in plan.rounds.all() if r.kind == "plan"), None)
    tasks = list(plan.tasks.prefetch_related("assignments__unit"))
    ledgers, milestones, reports, contributions = [], [], [], []
    for task in tasks:
        primary = [a.unit for a in task.assignments.all() if a.role in ("lead", "responsible")]
        supports = [a.unit for a in task.assignments.all() if a.role == "support"]
        for unit in primary:
            # Most ledgers were signed by the plan deadline and accepted; a few came late or are still drafts.
            signed = plan_due is not None and plan_due < today and rng.random() < 0.9
            ledgers.append(
                Ledger(
                    task=task,
                    unit=unit,
                    state=(ProgressReport.ACCEPTED if rng.random() < 0.8 else ProgressReport.SUBMITTED)
                    if signed
                    else ProgressReport.DRAFT,
                    first_approved_at=_at(plan_due + timedelta(days=rng.choice((-3, -1, -1, 0, 2))))
                    if signed
                    else None,
                    measures="建立工作专班，细化年度目标到季度、到项目。",
                    safeguards="每月调度，问题清单化管理。",
                    responsible_leader=f"{unit.name}分管副职",
                    responsible_person=f"{unit.name}业务科科长",
                )
            )
        for rnd in rounds:
            passed = rnd.due < today
            for unit in primary:
                if passed:
                    state, status = _pick_state(rng)
                    if state is None:
                        continue
                else:
                    if rng.random() > 0.3:
                        continue
                    state, status = ProgressReport.DRAFT, "on_schedule"
                if rng.random() < 0.12:
                    status = "behind"
                elif rnd.kind == "annual" and rng.random() < 0.5:
                    status = "done"
                figures = {}
                for ind in task.indicators:
                    share = rng.uniform(0.35, 0.75) if ind["kind"] not in ("growth", "share") else rng.uniform(0.8, 1.2)
                    figures[ind["name"]] = round(float(ind["value"]) * share, 2)
                submitted_at = first_approved_at = revise_by = None
                if state in (ProgressReport.SUBMITTED, ProgressReport.ACCEPTED, ProgressReport.RETURNED):
                    late_by = rng.choice((0, 0, 0, 0, 2, 5))
                    first_approved_at = _at(rnd.due - timedelta(days=1) + timedelta(days=late_by))
                    # A returned report was signed, then sent back by the office for revision.
                    submitted_at = None if state == ProgressReport.RETURNED else first_approved_at
                    revise_by = today + timedelta(days=3) if state == ProgressReport.RETURNED else None
                reports.append(
                    ProgressReport(
                        task=task,
                        unit=unit,
                        round=rnd,
                        status=status,
                        state=state,
                        done_text=f"{unit.name}按计划推进，已完成阶段性目标。",
                        figures=figures,
                        problems="要素保障压力较大。" if status == "behind" else "",
                        next_steps="加大调度力度，确保序时推进。",
                        comment="请补充量化数据和佐证材料。" if state == ProgressReport.RETURNED else "",
                        submitted_at=submitted_at,
                        first_approved_at=first_approved_at,
                        revise_by=revise_by,
                    )
                )
            if passed:
                for unit in supports[:1]:
                    contributions.append(
                        Contribution(
                            task=task, round=rnd, unit=unit, text=f"{unit.name}按职责配合，提供政策和资金支持。"
                        )
                    )
    Ledger.objects.bulk_create(ledgers)
    for ledger in Ledger.objects.filter(task__plan=plan):
        due = today - timedelta(days=rng.choice((60, 30, 10)))
        milestones.append(
            Milestone(ledger=ledger, title="完成方案制定和任务分解", due=due - timedelta(days=30), done=True)
        )
        milestones.append(Milestone(ledger=ledger, title="完成年度目标过半", due=due, done=rng.random() > 0.2))
        milestones.append(Milestone(ledger=ledger, title="全面完成年度任务", due=date(plan.year, 12, 31), done=False))
    Milestone.objects.bulk_create(milestones)
    ProgressReport.objects.bulk_create(reports, batch_size=500)
    Contribution.objects.bulk_create(contributions, batch_size=500)
    overdue = [r for r in rounds if r.due < today]
    if overdue and tasks:
        first = tasks[0].assignments.filter(role__in=("lead", "responsible")).first()
        Urge.objects.create(
            plan=plan,
            unit=first.unit,
            task=tasks[0],
            round=overdue[-1],
            message="请于3个工作日内报送进展情况",
            created_by=office,
        )


# The province above the demo city: a few tasks addressed to 各省辖市政府 or to 云溪市 by name, so the
# 上级交办, coverage and roll-up pages have something to show.
PROVINCE = "云岭省"
PROVINCE_TASKS = [
    (
        "一、稳定经济增长",
        "全省地区生产总值增长5.5%左右。",
        "省发展改革委牵头，各省辖市政府负责",
        Indicator("地区生产总值增速", 5.5, "%", "左右", "growth", "增长5.5%左右"),
    ),
    (
        "一、稳定经济增长",
        "开展汽车、家电、家居等促消费活动1000场次以上。",
        "省商务厅牵头，各省辖市政府负责",
        Indicator("促消费活动", 1000, "场次", "以上", "count", "1000场次以上"),
    ),
    (
        "一、稳定经济增长",
        "滚动实施省重点项目2000个以上，完成投资1万亿元以上。",
        "省发展改革委牵头，各省辖市政府负责",
        None,
    ),
    ("二、建设现代化产业体系", "培育国家级专精特新“小巨人”企业50家。", "省工业和信息化厅牵头，各省辖市政府负责", None),
    ("二、建设现代化产业体系", "推动云溪抽水蓄能电站全面开工。", "省能源局、云溪市政府负责", None),
    ("二、建设现代化产业体系", "建设省级低空经济示范区3个。", "省发展改革委牵头，各省辖市政府负责", None),
]


def build_province(city: Government, today: date | None = None) -> list[tuple[str, str, str]]:
    """云岭省 above ``city``, with a published plan whose tasks come down to the city as 上级交办 and
    are paired with the city's own tasks; its supervisor ``shengducha`` and the site administrator
    ``siteadmin`` (password DEMO_PASSWORD).  Returns the accounts made, as ``build_government`` does."""
    from duban.doc.clauses import parse_clause
    from duban.web.services import cascade

    today = today or timezone.localdate()
    province = Government.objects.create(name=PROVINCE, level="province")
    tasks = []
    for i, (area, text, clause, indicator) in enumerate(PROVINCE_TASKS, 1):
        units = parse_clause(clause).units
        indicators = [indicator] if indicator else []
        tasks.append(Task(str(i), [area], text, units=units, deadline="年底前", indicators=indicators, clause=clause))
    document = Document(
        kind="notice",
        title=f"{PROVINCE}人民政府关于分解落实{today.year}年省政府工作报告重点工作的通知",
        issuer=f"{PROVINCE}人民政府",
        doc_number=f"云岭政〔{today.year}〕2号",
        year=today.year,
        schedule=_schedule(today),
        tasks=tasks,
    )
    cascade.place_under(city, province)
    plans.publish(plans.import_document(document, province, today.year))
    cascade.suggest_links(city, today.year)

    password = make_password(DEMO_PASSWORD)
    User.objects.create(
        username="siteadmin", first_name="系统管理员（全站）", password=password, is_staff=True, is_superuser=True
    )
    supervisor = User.objects.create(username="shengducha", first_name="省督查室 李处长", password=password)
    Membership.objects.create(user=supervisor, government=province, role=Membership.SUPERVISOR)
    return [
        ("shengducha", dict(Membership.ROLES)[Membership.SUPERVISOR], PROVINCE),
        ("siteadmin", "全站管理员", ""),
    ]
