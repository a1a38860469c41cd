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
            # Each server thread keeps its connection for a minute instead of opening one per request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"DATABASE_URL 的类型 {scheme!r} 不受支持（只支持 postgresql:// 和 sqlite:///）")


def _sqlite(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Concurrent report submissions wait for the write lock instead of failing.
        # Write-ahead logging: pages keep reading while a report is written.
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        },
        "TEST": {"NAME": str(path.with_name("test-" + path.name))},
    }


CONFIG_FILE = "duban.toml"

# Setting name → (environment variable, kind).  The environment wins over the file.
OPTIONS = {
    "allowed_hosts": ("DUBAN_ALLOWED_HOSTS", "list"),
    "csrf_trusted_origins": ("DUBAN_CSRF_TRUSTED_ORIGINS", "list"),
    "https": ("DUBAN_HTTPS", "bool"),
    "trusted_proxy": ("DUBAN_TRUSTED_PROXY", "str"),
    "database_url": ("DATABASE_URL", "str"),
    "time_zone": ("DUBAN_TIME_ZONE", "str"),
    "max_upload_bytes": ("DUBAN_MAX_UPLOAD_BYTES", "int"),
    "secret_key": ("DUBAN_SECRET_KEY", "str"),
    "uploads_dir": ("DUBAN_UPLOADS_DIR", "str"),
}
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


class ConfigError(ValueError):
    pass


def load_config(folder: Path, environ=None) -> dict:
    """Settings from ``folder/duban.toml`` overridden by the environment; unknown keys are refused.

    Lists are written ``["a", "b"]`` in the file and ``a,b`` in the environment; booleans ``true``/``1``.
    """
    import tomllib

    environ = os.environ if environ is None else environ
    values: dict = {}
    path = folder / CONFIG_FILE
    if path.exists():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"配置文件 {path} 格式错误：{exc}") from exc
        unknown = sorted(set(values) - set(OPTIONS))
        if unknown:
            raise ConfigError(f"配置文件 {path} 有未知的设置 {', '.join(unknown)}（可用：{', '.join(OPTIONS)}）")
    result = {}
    for name, (env, kind) in OPTIONS.items():
        raw = environ.get(env)
        source = f"环境变量 {env}"
        if raw is None:
            raw = values.get(name)
            source = f"{path.name} 的 {name}"
        if raw is None:
            continue
        result[name] = _typed(raw, kind, source)
    return result


def _typed(raw, kind: str, source: str):
    if kind == "list":
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{source} 应为字符串列表")
        return [i.strip() for i in items if i.strip()]
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{source} 应为 true 或 false，而不是 {raw!r}")
    if kind == "int":
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{source} 应为整数，而不是 {raw!r}") from None
    if not isinstance(raw, str):
        raise ConfigError(f"{source} 应为字符串")
    return raw


def secure_folder(folder: Path) -> None:
    """The data folder 0700, every folder in it 0700 and every file 0600 (POSIX only)."""
    if os.name != "posix":
        return
    folder.mkdir(parents=True, exist_ok=True)
    for root, _dirs, files in os.walk(folder):
        os.chmod(root, 0o700)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o600)
