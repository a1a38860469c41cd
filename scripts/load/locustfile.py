"""200 clients of one government: the office on its dashboard, units in their workspaces, systems pushing reports.

Run by scripts/load/run (headless, against 127.0.0.1); reads the seed file named by DUBAN_LOAD_SEED.
Browsers start signed in (sessions made by seed.py) unless DUBAN_LOAD_LOGIN=1, when each logs in
through the form first (measured as /login/; PBKDF2's million rounds make that the costliest request).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

SEED = json.load(open(os.environ["DUBAN_LOAD_SEED"], encoding="utf-8"))
LOGIN = os.environ.get("DUBAN_LOAD_LOGIN") == "1"
_staff = itertools.cycle(SEED["staff"])
_office = itertools.cycle(SEED["office"])
_staff_sessions = itertools.cycle(SEED["staff_sessions"])
_office_sessions = itertools.cycle(SEED["office_sessions"])
_pushers = iter(SEED["pushers"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Browser(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def sign_in(self, usernames, sessions) -> None:
        if LOGIN:
            self.login(next(usernames))
        else:
            self.client.cookies.set("sessionid", next(sessions))

    def login(self, username: str) -> None:
        page = self.client.get("/login/", name="/login/ (form)")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/login/",
            {"username": username, "password": SEED["password"], "csrfmiddlewaretoken": token},
            name="/login/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login {username}: {response.status_code}")

    def _page(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} (not signed in?)")


class Office(_Browser):
    """The supervision office and the leader: the 300-task dashboard."""

    weight = 2

    def on_start(self):
        self.sign_in(_office, _office_sessions)

    @task
    def dashboard(self):
        self._page(f"/plans/{SEED['plan']}/", "/plans/[id]/ (dashboard)")


class Unit(_Browser):
    """A unit's liaison: its workspace."""

    weight = 12

    def on_start(self):
        self.sign_in(_staff, _staff_sessions)

    @task
    def workspace(self):
        self._page("/workspace/", "/workspace/")


class Pusher(HttpUser):
    """Another office system pushing a unit's reports through the API with a report-push token."""

    weight = 6
    wait_time = between(1, 3)

    def on_start(self):
        me = next(_pushers, None) or random.choice(SEED["pushers"])
        self.headers = {"Authorization": f"Token {me['token']}", "Content-Type": "application/json"}
        self.reports = me["reports"]
        self.n = 0

    @task
    def push(self):
        self.n += 1
        task_id, round_id = self.reports[self.n % len(self.reports)]
        body = {"task": task_id, "round": round_id, "status": "on_schedule", "done_text": f"第{self.n}次推进"}
        self.client.post("/api/reports", data=json.dumps(body), headers=self.headers, name="/api/reports (push)")
