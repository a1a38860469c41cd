"""One archive holding a government's year: a consistent database snapshot and every upload with its checksum.

The snapshot is taken while the server runs: SQLite's online backup API copies the database as
one read transaction sees it; for PostgreSQL ``pg_dump`` runs in a snapshot this module exports, and
the row counts written to the manifest are counted in that same snapshot.  Uploads are copied
after the snapshot; since a file is written before the row naming it is committed, every
attachment the snapshot knows is in the archive.

Restore goes into an empty database and an empty uploads folder and checks every checksum and
every table's row count before anything is moved into place; a failed restore leaves nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from duban.errors import DubanError

FORMAT = "duban.backup/1"
MANIFEST = "manifest.json"


@dataclass
class Result:
    path: Path
    tables: dict[str, int]
    uploads: int
    warnings: list[str]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine(db: dict) -> str:
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine.startswith("sqlite"):
        return "sqlite"
    if engine.startswith("postgresql"):
        return "postgresql"
    raise DubanError(f"不支持备份这种数据库：{db['ENGINE']}")


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_connect(db: dict, name: str | None = None):
    import psycopg

    params = {"dbname": name or db["NAME"]}
    for key, arg in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if db.get(key):
            params[arg] = db[key]
    return psycopg.connect(**params)


def _run(cmd: list[str], env: dict) -> None:
    tool = cmd[0]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise DubanError(f"找不到 {tool}：请安装 PostgreSQL 客户端（版本不低于服务器）") from None
    if done.returncode != 0:
        raise DubanError(f"{tool} 失败：{done.stderr.strip()[:500]}")


def _sqlite_tables(conn) -> dict[str, int]:
    names = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}


def _pg_tables(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    names = [r[0] for r in cursor.fetchall()]
    counts = {}
    for n in names:
        cursor.execute(f'SELECT COUNT(*) FROM "{n}"')
        counts[n] = cursor.fetchone()[0]
    return counts


def _snapshot(db: dict, target: Path) -> dict[str, int]:
    """The database as one transaction sees it, into ``target``; its tables' row counts."""
    if _engine(db) == "sqlite":
        source = Path(db["NAME"])
        if not source.exists():
            raise DubanError(f"数据库文件不存在：{source}")
        src = sqlite3.connect(source, timeout=60)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # all pages in one step: one consistent read
            dst.execute("PRAGMA journal_mode=DELETE")
            tables = _sqlite_tables(dst)
        finally:
            dst.close()
            src.close()
        return tables
    with contextlib.closing(_pg_connect(db)) as conn:
        conn.isolation_level = 3  # REPEATABLE READ: counts and dump see the same snapshot
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _pg_tables(cursor)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    db["NAME"],
                ],
                _pg_env(db),
            )
        conn.rollback()
    return tables


def _attachments_in(db: dict, snapshot: Path) -> list[tuple[str, str]]:
    if _engine(db) == "sqlite":
        with contextlib.closing(sqlite3.connect(snapshot)) as conn:
            try:
                return list(conn.execute("SELECT path, sha256 FROM duban_attachment"))
            except sqlite3.OperationalError:
                return []
    return []


def backup(out: Path, db: dict, upload_dir: Path) -> Result:
    out = Path(out)
    if out.exists():
        raise DubanError(f"{out} 已存在：请换一个文件名")
    if not out.parent.is_dir():
        raise DubanError(f"目录不存在：{out.parent}")
    engine = _engine(db)
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix=".duban-backup-", dir=out.parent) as tmp:
        tmp = Path(tmp)
        db_name = "database.sqlite3" if engine == "sqlite" else "database.pgdump"
        snapshot = tmp / db_name
        tables = _snapshot(db, snapshot)
        uploads = []
        partial = tmp / (out.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(snapshot, arcname=db_name)
            upload_dir = Path(upload_dir)
            files = sorted(p for p in upload_dir.rglob("*") if p.is_file()) if upload_dir.exists() else []
            for path in files:
                data = path.read_bytes()
                rel = path.relative_to(upload_dir).as_posix()
                info = tarfile.TarInfo(f"uploads/{rel}")
                info.size, info.mtime, info.mode = len(data), int(path.stat().st_mtime), 0o600
                tar.addfile(info, io.BytesIO(data))
                uploads.append({"path": rel, "sha256": _sha256(data), "size": len(data)})
            have = {u["path"]: u["sha256"] for u in uploads}
            for rel, digest in _attachments_in(db, snapshot):
                rel = PurePosixPath(rel).as_posix()
                if rel not in have:
                    warnings.append(f"附件文件缺失：{rel}")
                elif have[rel] != digest:
                    warnings.append(f"附件文件与登记的校验和不符：{rel}")
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(),
                "engine": engine,
                "database": {"name": db_name, "sha256": _file_sha256(snapshot), "size": snapshot.stat().st_size},
                "tables": tables,
                "uploads": uploads,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    return Result(out, tables, len(uploads), warnings)


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DubanError("这不是 duban backup 生成的归档（缺少或无法读取 manifest.json）")
    return manifest


def _database_is_empty(db: dict) -> bool:
    if _engine(db) == "sqlite":
        path = Path(db["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return True
        with contextlib.closing(sqlite3.connect(path)) as conn:
            return not _sqlite_tables(conn)
    with contextlib.closing(_pg_connect(db)) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def restore(archive: Path, db: dict, upload_dir: Path) -> Result:
    archive = Path(archive)
    if not archive.is_file():
        raise DubanError(f"找不到归档 {archive}")
    engine = _engine(db)
    upload_dir = Path(upload_dir)
    if upload_dir.exists() and any(upload_dir.iterdir()):
        raise DubanError(f"附件目录不是空的：{upload_dir}（只能恢复到空的数据目录）")
    if not _database_is_empty(db):
        raise DubanError("数据库不是空的：只能恢复到空的数据目录（或空的 PostgreSQL 数据库）")
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise DubanError(f"归档已损坏或不是 tar 文件：{exc}") from None
    with tar, tempfile.TemporaryDirectory(prefix=".duban-restore-", dir=_staging_parent(upload_dir)) as tmp:
        tmp = Path(tmp)
        manifest = read_manifest(tar)
        if manifest["engine"] != engine:
            raise DubanError(f"归档里是 {manifest['engine']} 数据库，而目标是 {engine}：请用同一种数据库恢复")
        staged_db = tmp / "database"
        _extract(tar, manifest["database"]["name"], staged_db, manifest["database"]["sha256"])
        staged_uploads = tmp / "uploads"
        for item in manifest["uploads"]:
            rel = PurePosixPath(item["path"])
            if rel.is_absolute() or ".." in rel.parts:
                raise DubanError(f"归档中有不安全的路径：{item['path']}")
            _extract(tar, f"uploads/{rel.as_posix()}", staged_uploads / rel, item["sha256"])
        if engine == "sqlite":
            tables = _restore_sqlite(staged_db, Path(db["NAME"]), manifest["tables"])
        else:
            tables = _restore_pg(staged_db, db, manifest["tables"])
        upload_dir.parent.mkdir(parents=True, exist_ok=True)
        if upload_dir.exists():
            upload_dir.rmdir()
        if staged_uploads.exists():
            shutil.move(str(staged_uploads), str(upload_dir))
        else:
            upload_dir.mkdir(mode=0o700)
    return Result(archive, tables, len(manifest["uploads"]), [])


def _staging_parent(upload_dir: Path) -> Path:
    parent = upload_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


def _extract(tar: tarfile.TarFile, name: str, target: Path, sha256: str) -> None:
    try:
        member = tar.getmember(name)
        source = tar.extractfile(member)
    except KeyError:
        source = None
    if source is None:
        raise DubanError(f"归档中缺少 {name}")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    with target.open("wb") as f:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            f.write(block)
    os.chmod(target, 0o600)
    if digest.hexdigest() != sha256:
        raise DubanError(f"{name} 的校验和与备份时不符：归档已损坏")


def _check_counts(found: dict, expected: dict) -> None:
    differ = [t for t in expected if found.get(t) != expected[t]]
    if differ:
        t = differ[0]
        raise DubanError(f"恢复后表 {t} 有 {found.get(t)} 行，备份时为 {expected[t]} 行：已放弃恢复")


def _restore_sqlite(staged: Path, target: Path, expected: dict) -> dict:
    with contextlib.closing(sqlite3.connect(staged)) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DubanError("备份中的数据库未通过完整性检查")
        tables = _sqlite_tables(conn)
    _check_counts(tables, expected)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(staged, str(target) + ".restoring")
    os.chmod(str(target) + ".restoring", 0o600)
    os.replace(str(target) + ".restoring", target)
    return tables


def _restore_pg(staged: Path, db: dict, expected: dict) -> dict:
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={db['NAME']}",
            str(staged),
        ],
        _pg_env(db),
    )
    with contextlib.closing(_pg_connect(db)) as conn, conn.cursor() as cursor:
        tables = _pg_tables(cursor)
    try:
        _check_counts(tables, expected)
    except DubanError:
        with contextlib.closing(_pg_connect(db)) as conn, conn.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            conn.commit()
        raise
    return tables
