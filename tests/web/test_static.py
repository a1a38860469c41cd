"""Government networks are often offline: every script and style comes from the app."""

import re
from pathlib import Path

import duban.web

TEMPLATES = Path(duban.web.__file__).parent / "templates"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']\s*(?:https?:)?//""", re.I)


def test_no_template_loads_anything_from_another_host():
    offenders = [
        f"{p.relative_to(TEMPLATES)}: {m.group(0)}"
        for p in TEMPLATES.rglob("*.html")
        for m in EXTERNAL.finditer(p.read_text())
    ]
    assert offenders == []
    # The check itself bites.
    assert EXTERNAL.search('<script src="https://cdn.example/htmx.js">')


def test_static_files_are_served_by_the_app(client, db, settings):
    settings.DEBUG = False
    css = client.get("/static/duban/duban.css")
    assert css.status_code == 200
    assert b"--accent" in b"".join(css.streaming_content)
    htmx = client.get("/static/django_htmx/htmx-2.min.js")
    assert htmx.status_code == 200
    assert client.get("/static/nope.js").status_code == 404
