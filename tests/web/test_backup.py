"""duban backup / restore (issue 12): a snapshot taken while reports are pushed restores consistent,
and a restore is row-for-row and checksum-for-checksum the database and uploads it was taken from."""

import contextlib
import hashlib
import io
import sqlite3
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from duban.errors import DubanError
from duban.web import backup as backups

pytestmark = pytest.mark.django_db(transaction=True)


def _source() -> dict:
    return dict(connection.settings_dict)


@contextlib.contextmanager
def _empty_database(tmp_path):
    """A fresh empty database of the same engine as the one under test."""
    db = _source()
    if db["ENGINE"].endswith("sqlite3"):
        tmp_path.mkdir(exist_ok=True)
        yield dict(db, NAME=str(tmp_path / "restored.sqlite3"))
        return
    name = f"duban_restore_{uuid.uuid4().hex[:8]}"
    with contextlib.closing(backups._pg_connect(db, "postgres")) as conn:
        conn.autocommit = True
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield dict(db, NAME=name)
    finally:
        with contextlib.closing(backups._pg_connect(db, "postgres")) as conn:
            conn.autocommit = True
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _open(db: dict):
    if db["ENGINE"].endswith("sqlite3"):
        return sqlite3.connect(db["NAME"])
    return backups._pg_connect(db)


def _tables(conn) -> list[str]:
    if isinstance(conn, sqlite3.Connection):
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    else:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(r[0] for r in rows)


def _dump(db: dict) -> dict[str, list[tuple]]:
    with contextlib.closing(_open(db)) as conn:
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in _tables(conn)}


def _checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _push_until(stop: threading.Event, world, counter: list[int]) -> None:
    """A unit saving its report over and over, attaching a file every few saves."""
    from django.db import connection as conn

    from duban.web.models import ProgressReport
    from duban.web.services import reports

    user = world.users["a_staff"]
    try:
        while not stop.is_set():
            report = ProgressReport.objects.get(pk=world.reports["a1"].pk)
            n = counter[0] + 1
            reports.save(report, report.version, {"done_text": f"第{n}次推进"}, user=user)
            if n % 3 == 0:
                reports.attach(report, f"进展{n}.txt", f"附件{n}".encode() * 50, user=user)
            counter[0] = n  # saves committed so far
    finally:
        conn.close()


def test_backup_while_pushing_restores_consistent_and_identical(world, tmp_path):
    from duban.web.models import ProgressReport
    from duban.web.services import reports

    for i in range(3):
        reports.attach(world.reports["b2"], f"附件{i}.pdf", bytes([i]) * 5000, user=world.users["b_staff"])
    stop, counter = threading.Event(), [0]
    pusher = threading.Thread(target=_push_until, args=(stop, world, counter))
    pusher.start()
    try:
        while counter[0] < 5:
            threading.Event().wait(0.05)
        during = backups.backup(tmp_path / "during.tar.gz", _source(), Path(settings.UPLOAD_DIR))
        pushed_at_backup = counter[0]
        while counter[0] < pushed_at_backup + 5:  # pushing goes on after the snapshot
            threading.Event().wait(0.05)
    finally:
        stop.set()
        pusher.join()
    assert during.warnings == [] and during.uploads >= 4

    # The snapshot taken mid-push is one consistent state: each report save and its audit event together,
    # each attachment row with its file and checksum.
    with _empty_database(tmp_path) as target:
        restored_uploads = tmp_path / "r1" / "uploads"
        backups.restore(during.path, target, restored_uploads)
        with contextlib.closing(_open(target)) as conn:
            version = conn.execute(
                f"SELECT version FROM duban_progressreport WHERE id = {world.reports['a1'].pk:d}"
            ).fetchone()[0]
            saves = conn.execute(
                "SELECT COUNT(*) FROM duban_auditevent WHERE object_type = 'ProgressReport' AND action = '保存报告'"
                f" AND object_id = '{world.reports['a1'].pk:d}'"
            ).fetchone()[0]
            attachments = conn.execute("SELECT path, sha256 FROM duban_attachment").fetchall()
        assert version - 1 == saves and 5 <= saves < counter[0]
        files = _checksums(restored_uploads)
        assert {path: digest for path, digest in attachments}.items() <= files.items()
        assert len(attachments) >= 4

    # Quiet now: a backup restores to exactly the rows and files there are.
    quiet = backups.backup(tmp_path / "quiet.tar.gz", _source(), Path(settings.UPLOAD_DIR))
    with _empty_database(tmp_path / "quiet") as target:
        restored_uploads = tmp_path / "r2" / "uploads"
        result = backups.restore(quiet.path, target, restored_uploads)
        source_rows, restored_rows = _dump(_source()), _dump(target)
        assert set(restored_rows) == set(source_rows)
        assert restored_rows == source_rows
        assert sum(result.tables.values()) == sum(len(v) for v in source_rows.values())
        assert _checksums(restored_uploads) == _checksums(Path(settings.UPLOAD_DIR))
        assert ProgressReport.objects.get(pk=world.reports["a1"].pk).done_text == f"第{counter[0]}次推进"

        # A second restore onto what is now full is refused and changes nothing.
        with pytest.raises(DubanError, match="不是空的"):
            backups.restore(quiet.path, target, tmp_path / "r3" / "uploads")
        assert _dump(target) == restored_rows


def test_a_damaged_archive_restores_nothing(world, tmp_path):
    from duban.web.services import reports

    reports.attach(world.reports["b2"], "a.pdf", b"x" * 3000, user=world.users["b_staff"])
    good = backups.backup(tmp_path / "good.tar.gz", _source(), Path(settings.UPLOAD_DIR)).path
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(good) as src, tarfile.open(bad, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = b"y" + data[1:]
            dst.addfile(member, io.BytesIO(data))
    with _empty_database(tmp_path) as target:
        uploads = tmp_path / "r" / "uploads"
        with pytest.raises(DubanError, match="校验和"):
            backups.restore(bad, target, uploads)
        assert not uploads.exists()
        assert backups._database_is_empty(target)
        junk = tmp_path / "junk.tar.gz"
        junk.write_bytes(b"not a tar")
        with pytest.raises(DubanError, match="损坏"):
            backups.restore(junk, target, uploads)
    with pytest.raises(DubanError, match="已存在"):
        backups.backup(good, _source(), Path(settings.UPLOAD_DIR))


def test_backup_and_restore_commands(world, tmp_path, capsys, monkeypatch):
    from duban.cli import main

    out = tmp_path / "year.tar.gz"
    assert main(["backup", str(out)]) == 0
    said = capsys.readouterr().out
    assert "已备份到" in said and "张表" in said
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert main(["restore", str(out)]) == 1  # the running data folder is not empty
    assert "不是空的" in capsys.readouterr().err
