from pathlib import Path

import pytest

from duban.web.config import data_dir, database_from_url


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DUBAN_DATA_DIR", str(tmp_path / "d"))
    assert data_dir() == tmp_path / "d"
    monkeypatch.delenv("DUBAN_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert data_dir() == tmp_path / "duban"


def test_database_urls():
    default = Path("/data/duban.sqlite3")
    assert database_from_url(None, default)["NAME"] == "/data/duban.sqlite3"
    pg = database_from_url("postgresql://duban:s%40cret@127.0.0.1:5433/duban", default)
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "duban",
        "s@cret",
        "127.0.0.1",
        "5433",
        "duban",
    )
    assert database_from_url("sqlite:////abs/x.db", default)["NAME"] == "/abs/x.db"
    assert database_from_url("sqlite:///rel.db", default)["NAME"] == "rel.db"
    with pytest.raises(ValueError, match="mysql"):
        database_from_url("mysql://x/y", default)
