"""Where duban keeps its state, and how ``DATABASE_URL`` becomes Django settings.

Plain Python so the commands can resolve paths before Django starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse


def data_dir() -> Path:
    """The one folder holding the SQLite database, uploads and the secret key."""
    explicit = os.environ.get("DUBAN_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "duban"


def database_from_url(url: str | None, default_sqlite: Path) -> dict:
    """A Django DATABASES entry from ``postgresql://user:pw@host:port/name`` or ``sqlite:///path``."""
    if not url:
        return _sqlite(default_sqlite)
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme in ("sqlite", "sqlite3"):
        # dj-database-url convention: sqlite:///relative.db, sqlite:////absolute/path.db
        path = unquote(parsed.path)[1:] if parsed.path.startswith("/") else unquote(parsed.path)
        return _sqlite(Path(path) if path and path != ":memory:" else default_sqlite)
    if scheme in ("postgres", "postgresql", "pgsql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "duban",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 0,
        }
    raise ValueError(f"DATABASE_URL 的类型 {scheme!r} 不受支持（只支持 postgresql:// 和 sqlite:///）")


def _sqlite(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Concurrent report submissions wait for the write lock instead of failing.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        "TEST": {"NAME": str(path.with_name("test-" + path.name))},
    }
