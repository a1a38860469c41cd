"""Running for an office (issue 12): settings from duban.toml and the environment, folder permissions,
duban check, and ``duban serve`` on waitress with WhiteNoise's hashed, compressed static files."""

import os
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.request

import pytest

from duban.web.config import ConfigError, load_config, secure_folder


def test_config_from_file_overridden_by_environment(tmp_path):
    (tmp_path / "duban.toml").write_text(
        'allowed_hosts = ["duban.gov.example", "10.0.0.5"]\nhttps = true\nmax_upload_bytes = 1000\n'
        'csrf_trusted_origins = ["https://duban.gov.example"]\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path, environ={})
    assert config == {
        "allowed_hosts": ["duban.gov.example", "10.0.0.5"],
        "https": True,
        "max_upload_bytes": 1000,
        "csrf_trusted_origins": ["https://duban.gov.example"],
    }
    env = {"DUBAN_ALLOWED_HOSTS": "a.example, b.example", "DUBAN_HTTPS": "0", "DATABASE_URL": "postgresql://x/y"}
    config = load_config(tmp_path, environ=env)
    assert config["allowed_hosts"] == ["a.example", "b.example"]
    assert config["https"] is False and config["database_url"] == "postgresql://x/y"
    assert load_config(tmp_path / "none", environ={}) == {}


@pytest.mark.parametrize(
    "text, env, message",
    [
        ("allowed_host = ['x']\n", {}, "未知的设置 allowed_host"),
        ("https = 'maybe'\n", {}, "true 或 false"),
        ("allowed_hosts = 'x'\n", {}, None),  # a single string is one host
        ("allowed_hosts = [1]\n", {}, "字符串列表"),
        ("max_upload_bytes = 'big'\n", {}, "整数"),
        ("https = \n", {}, "格式错误"),
        ("", {"DUBAN_HTTPS": "perhaps"}, "DUBAN_HTTPS"),
    ],
)
def test_bad_settings_are_named_in_one_sentence(tmp_path, text, env, message):
    (tmp_path / "duban.toml").write_text(text, encoding="utf-8")
    if message is None:
        assert load_config(tmp_path, environ=env)["allowed_hosts"] == ["x"]
        return
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path, environ=env)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_data_folder_is_the_owners_alone(tmp_path):
    folder = tmp_path / "data"
    (folder / "uploads" / "reports").mkdir(parents=True)
    (folder / "uploads" / "reports" / "a.pdf").write_bytes(b"x")
    (folder / "duban.sqlite3").write_bytes(b"")
    os.chmod(folder, 0o755)
    os.chmod(folder / "duban.sqlite3", 0o644)
    from duban.web.checks import loose_permissions

    assert len(loose_permissions(folder)) >= 2
    secure_folder(folder)
    assert loose_permissions(folder) == []
    assert stat.S_IMODE((folder / "uploads" / "reports").stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "uploads" / "reports" / "a.pdf").stat().st_mode) == 0o600


def test_duban_check_reports_hosts_https_and_demo_accounts(db, capsys, settings):
    from duban.cli import main
    from duban.web.demo import build_government

    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "duban.I005" in out and "HTTPS 模式未开启" in out
    assert "duban.W007" not in out
    build_government("云溪市", n_tasks=3, n_units=2)
    settings.ALLOWED_HOSTS = ["*"]
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "duban.W007" in out and "duban.W002" in out
    settings.SECRET_KEY = "short"
    assert main(["check"]) == 1
    assert "duban.E001" in capsys.readouterr().out


def test_init_password_is_one_time(db, capsys):
    from duban.cli import main
    from duban.web.models import OneTimePassword

    assert main(["serve", "--init", "青川县", "--level", "county", "--no-server"]) == 0
    assert "首次登录后须修改" in capsys.readouterr().out
    assert OneTimePassword.objects.filter(user__username__startswith="admin-").count() == 1
    assert main(["serve", "--threads", "0", "--no-server"]) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_waitress_with_hashed_compressed_static_files(tmp_path):
    port = _free_port()
    env = dict(os.environ, DUBAN_DATA_DIR=str(tmp_path / "data"))
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "duban.cli", "serve", "--port", str(port), "--threads", "4"]
        + (["--workers", "2"] if hasattr(os, "fork") else []),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                health = urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read().decode())
                time.sleep(0.25)
        else:
            pytest.fail("server did not start")
        assert health.status == 200 and health.headers["Server"] == "duban"
        login = urllib.request.urlopen(f"{base}/login/", timeout=10)
        html = login.read().decode()
        assert "script-src 'self'" in login.headers["Content-Security-Policy"]
        css = re.search(r'href="(/static/duban/duban\.[0-9a-f]{12}\.css)"', html)
        assert css, html[:500]
        request = urllib.request.Request(base + css.group(1), headers={"Accept-Encoding": "gzip"})
        static = urllib.request.urlopen(request, timeout=10)
        assert static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]
        folder = tmp_path / "data"
        if os.name == "posix":
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
            assert stat.S_IMODE((folder / "duban.sqlite3").stat().st_mode) == 0o600
            assert stat.S_IMODE((folder / "secret_key").stat().st_mode) == 0o600
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_host_not_allowed_is_refused(client, db):
    assert client.get("/healthz", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/healthz", HTTP_HOST="localhost").status_code == 200
