"""The dashboard costs what it shows (issue 15): tasks folded by section and loaded one section at a time,
filters showing their matching tasks a page at a time, the unit and section tables paged."""

from duban.web.services.overview import overview
from duban.web.views import supervision


def _rows(html: str) -> str:
    return html.split('id="task-rows"')[1].split("</table>")[0]


def test_tasks_are_folded_by_section_and_load_on_demand(world, client):
    client.force_login(world.users["office"])
    plan = world.plan
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    sections = {world.tasks[n].section_id for n in ("1", "2", "3")}
    assert len(sections) == 2 and 'id="task-rows"' not in html
    for sec in sections:
        assert f'<details class="fold" id="sec-{sec}" hx-get="/plans/{plan.pk}/sections/{sec}/tasks/"' in html
    # One section's rows: its tasks only, each in the state the core gives it.
    sec = world.tasks["1"].section_id
    rows = client.get(f"/plans/{plan.pk}/sections/{sec}/tasks/").content.decode()
    states = {r.task.number: r.state.label for r in overview(plan, supervision.today()).rows}
    assert "力争社会消费品零售总额突破170亿元" in rows and "一般公共预算收入增长3.5%" in rows
    assert "进出口总值增长3%" not in rows and "<html" not in rows
    assert rows.count('<span class="chip c-') == 2 and states["1"] in rows and states["2"] in rows
    # Junk never fails the endpoint: a section that is not there, a number too big for any id, a bad page.
    assert client.get(f"/plans/{plan.pk}/sections/{10**30}/tasks/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/sections/{sec}/tasks/?page=zzz").status_code == 200


def test_a_filter_shows_its_matching_tasks_a_page_at_a_time(world, client, monkeypatch):
    client.force_login(world.users["office"])
    plan = world.plan
    rows = _rows(client.get(f"/plans/{plan.pk}/?unit=商务局").content.decode())
    assert "力争社会消费品零售总额突破170亿元" in rows and "一般公共预算收入" not in rows and "进出口" not in rows
    monkeypatch.setattr(supervision, "TASKS_PER_PAGE", 1)
    sec = world.tasks["1"].section_id
    first = client.get(f"/plans/{plan.pk}/?section={sec}").content.decode()
    second = client.get(f"/plans/{plan.pk}/?section={sec}&page=2").content.decode()
    assert "第 1/2 页，共 2 项" in first and f"?section={sec}&amp;page=2#tasks" in first
    assert "力争社会消费品零售总额" in _rows(first) and "一般公共预算收入" not in _rows(first)
    assert "一般公共预算收入" in _rows(second) and "力争社会消费品零售总额" not in _rows(second)
    beyond = client.get(f"/plans/{plan.pk}/?section={sec}&page=99").content.decode()
    assert _rows(beyond) == _rows(second)  # past the end: the last page, not an error


def test_the_unit_table_is_paged(world, client, monkeypatch):
    client.force_login(world.users["office"])
    monkeypatch.setattr(supervision, "UNITS_PER_PAGE", 1)
    html = client.get(f"/plans/{world.plan.pk}/").content.decode()
    units = list(overview(world.plan, supervision.today()).by_unit)
    assert len(units) == 3 and html.count('<a href="?unit=') == 1 and f"第 1/{len(units)} 页" in html
    last = client.get(f"/plans/{world.plan.pk}/?units_page={len(units)}").content.decode()
    assert last.count('<a href="?unit=') == 1 and "上一页" in last and "下一页" not in last
    assert f">{units[0]}</a></td>" in html and f">{units[-1]}</a></td>" in last


def test_the_whole_late_and_lagging_lists_come_a_page_at_a_time(db, client, monkeypatch):
    """?late=all and ?lagging=all list every late obligation and lagging task, a page at a time: the pages
    walked one after another are the account's list, in its order, each item once."""
    import re
    from datetime import date

    from django.contrib.auth.models import User

    from duban.web.demo import build_government

    year_end = date(2026, 12, 20)
    demo = build_government(
        "分页市", n_tasks=40, n_units=12, today=year_end, seed=5, all_rounds_passed=True, username_prefix="fy_"
    )
    monkeypatch.setattr(supervision, "today", lambda: year_end)
    monkeypatch.setattr(supervision, "TASKS_PER_PAGE", 7)
    client.force_login(User.objects.get(username="fy_duchaju"))
    data = overview(demo.plan, year_end, whole=True)
    url = f"/plans/{demo.plan.pk}/"

    def walk(query: str, section: str, row: str) -> list:
        seen, number = [], 1
        while True:
            html = client.get(f"{url}?{query}&{query.split('=')[0]}_page={number}").content.decode()
            table = html.split(f'id="{section}"')[1].split("</table>")[0]
            found = re.findall(row, table)
            assert 0 < len(found) <= 7  # a page, never the whole list
            seen += found
            if f"{query.split('=')[0]}_page={number + 1}#{section}" not in html:
                return seen
            number += 1

    late = walk("late=all", "late", r'<tr><td>([^<]+)</td><td><a href="/tasks/(\d+)/">')
    assert len(data.late) > 7 * 2  # several pages
    assert late == [(x.unit, str(x.task_id)) for x in data.late]
    lagging = walk("lagging=all", "lagging", r'<tr><td>(\d+)</td><td><a href="/tasks/(\d+)/">')
    assert len(data.lagging) > 7
    assert lagging == [(r.number, str(r.task_id)) for r in data.lagging]
