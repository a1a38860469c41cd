"""Junk into every field of every form and every API field: never a server error, never junk stored (issue 9.7).

The forms are not listed by hand: every page of the URL configuration is fetched as each kind of user, the
``<form method=post>`` elements are read from the HTML, and each field of each form is posted again with one
junk value at a time, the other fields keeping what the page offered.  The API's fields come from its own
OpenAPI schema.  Afterwards every stored row must still validate against its model (choices, lengths,
required fields), and the known cases of the issue are checked one by one.  Hypothesis then throws
arbitrary text at the busiest forms and arbitrary JSON at the API.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.web.models import ApiToken, ChangeRequest, Inspection, Plan, ReportingRound, Unit

# Each kind of junk a person or a script sends, by the kind of field: every field gets the common junk
# (blank, a word, a number no column holds, a NUL), then what its kind invites.
JUNK_ALL = ["", "abc", "99999999999999999999", "a\x00b"]
JUNK_BY_KIND = {
    "number": ["-1", "99999999999", "1e309", "NaN"],  # hidden ids and versions, years, figures
    "date": ["2026-13-45", "0000-00-00", "2026-02-30", "自明年三月起生效"],
    "choice": ["notakind", "zzz"],  # selects, radios, checkboxes, buttons
    # A Chinese sentence where a name or a reason belongs (更名、合并单位 …).
    "text": ["   ", "x" * 5000, "这是一句话，不是单位名称。"],
}
JSON_JUNK = [
    None,
    True,
    False,
    [],
    {},
    "abc",
    "",
    -1,
    0,
    10**20,
    1.5,
    "2026-13-45",
    "\x00",
    "x" * 30000,
    {"a": [1]},
    ["a"],
]
# Forms left out of the sweep: signing in and out, the password page, Django's admin.
SKIP_ACTIONS = re.compile(r"^/(login|logout|password|admin)/")


class _Forms(HTMLParser):
    """The POST forms of a page: action, fields (name → default values) and file inputs."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.current, self.select, self.textarea = page_url, [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("action") or a.get("hx-post") or self.page_url
            self.current = {
                "action": action,
                "fields": {},
                "kinds": {},
                "files": [],
                "post": method == "post" or "hx-post" in a,
            }
            self.forms.append(self.current)
            return
        if self.current is None or not a.get("name"):
            return
        name, fields = a["name"], self.current["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            self.current["kinds"][name] = {"date": "date", "hidden": "number", "number": "number"}.get(kind, "text")
            if kind in ("checkbox", "radio"):
                self.current["kinds"][name] = "choice"
            if kind == "file":
                self.current["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(name, []).append(a.get("value", "on"))
                else:
                    fields.setdefault(name, [])
            else:
                fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "button" and a.get("value") is not None:
            self.current.setdefault("buttons", []).append((name, a["value"]))
            self.current["kinds"][name] = "choice"
        elif tag == "select":
            self.select = name
            self.current["kinds"][name] = "choice"
            fields.setdefault(name, [])
        elif tag == "option" and self.select:
            if "selected" in a or not fields[self.select]:
                if "selected" in a:
                    fields[self.select] = []
                fields[self.select].append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self.current["kinds"][name] = "text"
            fields.setdefault(name, []).append("")

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current["fields"][self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if "admin" not in str(p.pattern):
                yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _page_urls(ids: dict) -> list[str]:
    """Every GET page of the URL configuration, its parameters filled with ids of the test world."""
    urls = []
    for route in _patterns():
        if route.startswith(("api/", "^static", "admin", "login", "logout", "password")) or "." in route:
            continue
        params = re.findall(r"<int:(\w+)>", route)
        if any(p not in ids for p in params):
            continue
        url = "/" + re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), route)
        urls.append(url)
        if "units/" in url and "tasks" in url:
            urls.append(url + "?edit=1")
    return urls


@pytest.fixture
def junk_world(world):
    from duban.web.services import plans as plan_service
    from tests.web.conftest import small_notice

    draft = plan_service.import_document(small_notice(), world.gov, 2027)
    unit = world.units["商务局"]
    inspection = Inspection.objects.create(plan=world.plan, kind="special", title="专项", held_on="2026-06-01")
    change = ChangeRequest.objects.create(task=world.tasks["1"], unit=unit, kind="extension", reason="因故")
    collective = Unit.objects.create(government=world.gov, name="各镇人民政府", kind="collective")
    world.draft, world.inspection, world.change, world.collective = draft, inspection, change, collective
    # The site administrator's tree of governments (issue 11): a superuser of no government.
    from django.contrib.auth.models import User

    world.users["site"] = User.objects.create_superuser("site", password="pw")
    return world


def _discover(world, client, user) -> list[dict]:
    """The POST forms every page offers ``user``."""
    draft_task = world.draft.tasks.order_by("order").last()
    found, seen = [], set()
    id_sets = [
        {
            "plan_id": world.plan.pk,
            "task_id": world.tasks["1"].pk,
            "round_id": world.rounds[0].pk,
            "report_id": world.reports["a1"].pk,
            "inspection_id": world.inspection.pk,
            "change_id": world.change.pk,
            "unit_id": world.units["商务局"].pk,
            "user_id": world.users["b_head"].pk,  # an account page of the admin's (b_head is in no sweep below)
        },
        {"plan_id": world.draft.pk, "task_id": draft_task.pk},
    ]
    client.force_login(user)
    for ids in id_sets:
        for url in _page_urls(ids):
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = _Forms(url.split("?")[0])
            parser.feed(response.content.decode())
            for form in parser.forms:
                key = (form["action"], tuple(sorted(form["fields"])), tuple(form.get("buttons", [])))
                if form["post"] and not SKIP_ACTIONS.match(form["action"]) and key not in seen:
                    seen.add(key)
                    found.append(dict(form, page=url, user=user.username))
    return found


def _variants(form) -> list[dict]:
    """The form's own values, once per submit button (its name=value pair) the form offers."""
    base = {k: list(v) for k, v in form["fields"].items()}
    buttons = form.get("buttons") or [None]
    out = []
    for button in buttons:
        data = {k: list(v) for k, v in base.items()}
        if button:
            data[button[0]] = [button[1]]
        out.append(data)
    return out


def _post(client, action, data, files=()):
    payload = {k: (v if len(v) != 1 else v[0]) for k, v in data.items()}
    for name in files:
        payload[name] = SimpleUploadedFile(
            "junk.xlsx", b"PK\x03\x04 this is not a workbook", "application/octet-stream"
        )
    return client.post(action, payload)


def _all_rows_valid():
    """Every stored row still passes its model's own validation: no unknown choice, no blank name, no NUL.

    An empty value in a column the database allows to be NULL is by design (a finding with no unit, an
    event from the command line), not junk; everything else the model's validation says is.
    """
    bad = []
    for model in apps.get_app_config("duban").get_models():
        nullable = {f.name for f in model._meta.concrete_fields if f.null}
        for obj in model.objects.all():
            try:
                obj.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors = {k: v for k, v in exc.message_dict.items() if k not in nullable}
                if errors:
                    bad.append((model.__name__, obj.pk, errors))
            for field in model._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if isinstance(value, str) and "\x00" in value:
                    bad.append((model.__name__, obj.pk, {field.name: "NUL"}))
    return bad


def _stored_ok(world):
    problems = _all_rows_valid()
    assert not problems, problems
    assert all(2000 <= y <= 2100 for y in Plan.objects.values_list("year", flat=True))
    assert not Unit.objects.filter(name__regex=r"^\s*$").exists()
    assert not ReportingRound.objects.exclude(kind__in=[k for k, _ in ReportingRound.KINDS]).exists()


@pytest.mark.django_db(transaction=False)
def test_junk_into_every_form_field_never_fails_and_is_never_stored(junk_world):
    world = junk_world
    client = Client(raise_request_exception=False)
    users = [world.users[u] for u in ("office", "a_staff", "a_head", "b_staff", "leader", "admin", "site")]
    forms = []
    for user in users:
        forms += _discover(world, client, user)
    # The forms the pages really carry: if discovery found few, it is broken, not the application fixed.
    actions = {re.sub(r"\d+", "N", f["action"]) for f in forms}
    for expected in (
        "/units/",
        "/plans/N/rounds/",
        "/plans/N/inspections/",
        "/plans/N/urge/",
        "/reports/N/",
        "/tasks/N/ledger/",
        "/tasks/N/change/",
        "/plans/import/",
        "/plans/N/tasks/N/edit/",
        "/plans/N/tasks/N/units/",
        "/changes/N/decide/",
        "/plans/N/ledger-import/",
        "/reports/N/attachments/",
        "/plans/N/rounds/N/bulletin/",
        "/governments/",
        "/accounts/",
        "/accounts/N/",
    ):
        assert expected in actions, (expected, sorted(actions))
    requests = fields = 0
    errors = []
    for form in forms:
        client.force_login(world.users[form["user"]])
        for data in _variants(form):
            for name in list(data):
                fields += 1
                kind = form["kinds"].get(name, "text")
                if re.search(r"(^|_)(id|version|unit|task|round|section|members|year)$|^figure_", name):
                    kind = "number" if kind == "text" else kind
                for junk in JUNK_ALL + JUNK_BY_KIND[kind]:
                    response = _post(client, form["action"], dict(data, **{name: [junk]}), form["files"])
                    requests += 1
                    if response.status_code >= 500:
                        errors.append((form["action"], name, junk[:20], response.status_code))
            if form["files"]:  # the form with its file missing, and with a file that is not what it claims
                for files in ((), form["files"]):
                    response = _post(client, form["action"], data, files)
                    requests += 1
                    if response.status_code >= 500:
                        errors.append((form["action"], "file", files, response.status_code))
    print(f"junk sweep: {len(forms)} forms, {fields} fields, {requests} requests, {len(errors)} server errors")
    assert fields >= 60 and requests >= 1000
    assert errors == []
    _stored_ok(world)


def _api(client, token, path, body, raw=None):
    return client.post(
        path,
        data=raw if raw is not None else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )


@pytest.mark.django_db
def test_junk_into_every_api_field_never_fails(junk_world):
    from duban.web.views.api import OPENAPI

    world = junk_world
    client = Client(raise_request_exception=False)
    token = ApiToken.issue(world.users["a_staff"], scope=ApiToken.PUSH).key
    task, rnd = world.tasks["1"], world.rounds[0]
    report = world.reports["a1"]
    schema = OPENAPI["paths"]["/api/reports"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    names = list(schema["properties"])
    assert {"task", "round", "status", "figures", "version", "send_to_head"} <= set(names)
    errors, requests = [], 0
    for path, valid in (
        ("/api/reports", {"task": task.pk, "round": rnd.pk, "done_text": "正常"}),
        (f"/api/reports/{report.pk}", {"done_text": "正常"}),
    ):
        for name in names:
            for junk in JSON_JUNK:
                body = dict(valid, **{name: junk})
                if name == "figures" and junk == {}:
                    body["figures"] = {"社会消费品零售总额": "很多"}
                response = _api(client, token, path, body)
                requests += 1
                if response.status_code >= 500 or "json" not in response["Content-Type"]:
                    errors.append((path, name, repr(junk)[:20], response.status_code))
        for raw in (b"not json", b"[1,2]", b'"text"', b"\xff\xfe", b"[" * 100000, b'{"figures": {"x": NaN}}'):
            response = _api(client, token, path, None, raw=raw)
            requests += 1
            if response.status_code >= 500:
                errors.append((path, "body", raw[:20], response.status_code))
    # The issue's own case: a task that is not a number.
    answer = _api(client, token, "/api/reports", {"task": "abc", "round": rnd.pk})
    assert answer.status_code == 400 and "task" in answer.json()["error"]
    print(f"api junk: {len(names)} fields, {requests} requests, {len(errors)} server errors")
    assert errors == []
    _stored_ok(world)


@pytest.mark.django_db
def test_the_issue_s_known_cases_are_refused_with_a_message(junk_world, login):
    world = junk_world
    office = login(world.users["office"])
    before = {m: m.objects.count() for m in (Unit, Inspection, ReportingRound, Plan)}

    response = office.post(
        f"/plans/{world.plan.pk}/inspections/", {"kind": "special", "title": "查", "held_on": "2026-13-45"}, follow=True
    )
    assert response.status_code == 200 and "日期格式不对" in response.content.decode()
    upload = SimpleUploadedFile("n.txt", "通知".encode())
    response = office.post("/plans/import/", {"year": "99999999999", "notice": upload})
    assert response.status_code == 400 and "年度应在 2000–2100 之间" in response.content.decode()
    assert office.get("/units/?unit=abc").status_code == 200
    response = office.post("/units/", {"action": "edit", "unit": "abc", "kind": "department"}, follow=True)
    assert "没有这个单位" in response.content.decode()
    response = office.post("/units/", {"action": "add", "name": "   ", "kind": "department"}, follow=True)
    assert "单位名称：这个字段是必填项" in response.content.decode()
    response = office.post("/units/", {"action": "add", "name": "新单位", "kind": "notakind"}, follow=True)
    assert "“notakind”不是有效的单位类型" in response.content.decode()
    response = office.post(
        f"/plans/{world.plan.pk}/rounds/",
        {"action": "add", "kind": "zzz", "title": "加报", "due": "2026-10-01", "reason": "加报"},
        follow=True,
    )
    assert "“zzz”不是有效的轮次类型" in response.content.decode()
    assert {m: m.objects.count() for m in before} == before


FORM_FIELDS = {
    "report": ["action", "version", "status", "done_text", "problems", "next_steps", "comment", "figure_0"],
    "units": ["action", "unit", "name", "kind", "aliases", "members", "username", "role", "new_name"],
    "rounds": ["new_kind", "new_title", "new_due", "title_1", "due_1"],
}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.sampled_from(sorted(FORM_FIELDS)),
    values=st.lists(st.tuples(st.integers(0, 8), st.text(max_size=60)), min_size=1, max_size=6),
)
def test_arbitrary_text_into_the_busiest_forms(junk_world, which, values):
    world = junk_world
    client = Client(raise_request_exception=False)
    if which == "report":
        client.force_login(world.users["a_staff"])
        url = f"/reports/{world.reports['a1'].pk}/"
    elif which == "units":
        client.force_login(world.users["office"])
        url = "/units/"
    else:
        client.force_login(world.users["office"])
        url = f"/plans/{world.plan.pk}/rounds/"
    names = FORM_FIELDS[which]
    data = {names[i % len(names)]: text for i, text in values}
    assert client.post(url, data).status_code < 500
    _stored_ok(world)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(["task", "round", "status", "done_text", "figures", "version", "send_to_head", "x"]),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
            max_leaves=6,
        ),
    )
)
def test_arbitrary_json_into_the_api(junk_world, body):
    world = junk_world
    token = ApiToken.issue(world.users["a_staff"], name="hyp", scope=ApiToken.PUSH).key
    response = _api(Client(raise_request_exception=False), token, "/api/reports", body, raw=json.dumps(body))
    assert response.status_code < 500 and "error" in response.json() or response.status_code == 201


@pytest.mark.django_db
def test_junk_in_the_query_string_of_every_page(junk_world):
    """Filters and switches in the address (?section=abc, ?state=zzz, ?unit=…) never fail a page."""
    world = junk_world
    client = Client(raise_request_exception=False)
    ids = {
        "plan_id": world.plan.pk,
        "task_id": world.tasks["1"].pk,
        "round_id": world.rounds[0].pk,
        "report_id": world.reports["a1"].pk,
        "inspection_id": world.inspection.pk,
        "change_id": world.change.pk,
        "unit_id": world.units["商务局"].pk,
    }
    names = ["section", "unit", "status", "state", "action", "late", "lagging", "edit", "page"]
    errors, requests = [], 0
    for username in ("office", "a_staff", "leader"):
        client.force_login(world.users[username])
        for url in _page_urls(ids):
            for junk in ("abc", "99999999999999999999", "\x00", "-1", "zzz"):
                query = "&".join(f"{n}={junk}" for n in names)
                response = client.get(f"{url.split('?')[0]}?{query}")
                requests += 1
                if response.status_code >= 500:
                    errors.append((username, url, junk, response.status_code))
    print(f"query junk: {requests} requests, {len(errors)} server errors")
    assert requests > 100 and errors == []
