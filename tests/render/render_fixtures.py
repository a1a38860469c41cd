"""A small hand-built plan with every kind of unit clause."""

from datetime import date
from pathlib import Path

from duban.doc.model import Document, Indicator, ScheduleItem, Task, UnitRef

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def build_plan() -> Document:
    doc = Document(
        kind="notice",
        title="济源市人民政府关于明确政府工作报告提出的2026年重点工作责任单位的通知",
        issuer="济源市人民政府",
        doc_number="济政〔2026〕1号",
        date=date(2026, 3, 8),
        year=2026,
        recipients="各开发区管理办公室，各镇人民政府，各街道办事处，市人民政府各部门",
        schedule=[
            ScheduleItem("plan", date(2026, 3, 18), "3月18日"),
            ScheduleItem("progress", date(2026, 6, 15), "6月15日"),
            ScheduleItem("progress", date(2026, 9, 15), "9月15日"),
            ScheduleItem("annual", date(2026, 12, 15), "12月15日"),
        ],
    )
    targets = ["一、2026年主要预期目标"]
    consumption = ["二、聚焦推动高质量发展，稳住经济基本盘", "（一）深挖消费潜力"]
    investment = ["二、聚焦推动高质量发展，稳住经济基本盘", "（二）扩大有效投资"]
    doc.tasks = [
        Task(
            "1",
            targets,
            "生产总值增长5.5%。",
            [UnitRef("发展改革和统计局", "lead"), UnitRef("农业农村局", "support"), UnitRef("商务局", "support")],
            indicators=[Indicator("生产总值", 5.5, "%", None, "growth", "增长5.5%")],
        ),
        Task(
            "2",
            targets,
            "一般公共预算收入增长3.5%。",
            [UnitRef("财政局", "responsible")],
            indicators=[Indicator("一般公共预算收入", 3.5, "%", None, "growth", "增长3.5%")],
        ),
        Task(
            "3",
            targets,
            "城镇调查失业率控制在5.5%。",
            [UnitRef("人力资源和社会保障局", "responsible"), UnitRef("国家统计局济源调查队", "monitor")],
            indicators=[Indicator("城镇调查失业率", 5.5, "%", "以内", "level", "控制在5.5%")],
        ),
        Task(
            "4",
            consumption,
            "开展家电、汽车、房地产等领域促消费活动100场次以上。",
            [UnitRef("商务局", "responsible"), UnitRef("住房和城乡建设局", "responsible")],
            indicators=[Indicator("促消费活动", 100, "场次", "以上", "count", "100场次以上")],
        ),
        Task(
            "5",
            consumption,
            "培育数字消费、绿色消费、健康消费等新增长点，力争社会消费品零售总额突破170亿元。",
            [
                UnitRef("商务局", "lead"),
                UnitRef("发展改革和统计局", "lead"),
                UnitRef("教育体育局", "support"),
                UnitRef("民政局", "support"),
            ],
            indicators=[Indicator("社会消费品零售总额", 170, "亿元", "突破", "level", "突破170亿元")],
        ),
        Task(
            "6",
            investment,
            "滚动实施重点项目200个以上，完成投资300亿元以上。",
            [UnitRef("发展改革和统计局", "lead"), UnitRef("各镇人民政府", "support", collective=True)],
            indicators=[
                Indicator("重点项目", 200, "个", "以上", "count", "200个以上"),
                Indicator("完成投资", 300, "亿元", "以上", "level", "300亿元以上"),
            ],
        ),
        Task("7", investment, "坚持服务企业、服务项目周例会工作机制。", [UnitRef("工业信息和科技局", "lead")]),
    ]
    return doc


def build_round():
    """A second-quarter round on the hand-built plan: every status and report state occurs."""
    from duban.render.data import RoundData, TaskReport

    reports = [
        TaskReport(
            "1", "发展改革和统计局", "on_schedule", "on_time", progress="上半年增长5.6%", figures={"生产总值": 5.6}
        ),
        TaskReport("2", "财政局", "behind", "on_time", progress="完成1.2%", reasons="土地出让收入下滑"),
        TaskReport("3", "人力资源和社会保障局", "on_schedule", "late", progress="失业率5.1%"),
        TaskReport("4", "商务局", "done", "on_time", progress="已办120场"),
        TaskReport("4", "住房和城乡建设局", "behind", "late", progress="房交会延期", problems="场地未落实"),
        TaskReport("5", "商务局", "on_schedule", "on_time", progress="完成82亿元"),
        TaskReport("5", "发展改革和统计局", "on_schedule", "on_time", progress="完成82亿元"),
        TaskReport("6", "发展改革和统计局", "done", "on_time", progress="开工212个"),
        TaskReport("7", "工业信息和科技局", "not_started", "missing"),
    ]
    return RoundData("2026年第二季度", "progress", date(2026, 6, 15), date(2026, 6, 20), reports)
