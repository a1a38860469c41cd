"""The expensive half of a job, run in a child process.

Each function takes the upload and what the parent read from the database, reports its
stage through ``progress(percent, stage)`` and returns a picklable result — or raises a
``DubanError`` whose sentence the job page shows.  The parent writes the result (in one
transaction) only after it came back whole and in time.  Import, draft and ledger are plain
core code (no database); a render reads the plan in the child too (read-only, Django set up
there), since reading a plan of thousands of tasks and its year of reports is seconds of Python
that would otherwise hold the web process's GIL while others load their pages.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, str], None]


def _document(data: bytes, name: str, kind: str | None, progress: Progress):
    from duban.doc import parse_source
    from duban.doc.load import load_bytes
    from duban.errors import DubanError, InputError

    try:
        progress(10, "读取文件")
        source = load_bytes(data, name)
        progress(40, "识别任务和责任单位" if kind != "report" else "识别年度重点工作")
        return parse_source(source, kind=kind)
    except DubanError:
        raise
    except Exception as exc:  # a damaged file can break any loader; the user gets a sentence
        raise InputError(f"无法读取文件“{name}”：文件可能已损坏或格式不符（{type(exc).__name__}）") from exc


def read_notice(data: bytes, name: str, progress: Progress):
    from duban.errors import NotADocumentError
    from duban.limits import check

    document = _document(data, name, None, progress)
    if document.kind != "notice" or not document.tasks:
        raise NotADocumentError(f"“{name}”不是任务分解通知：没有找到带责任单位的编号任务")
    check("plan_tasks", len(document.tasks), name)
    document.source = document.source or name
    return document


def draft_report(data: bytes, name: str, progress: Progress, *, inputs):
    """A report's bytes → a draft notice with units suggested from ``inputs`` (``plans.suggestion_inputs``),
    the same path as ``duban draft``."""
    from duban.draft.decompose import decompose
    from duban.draft.suggest.inputs import draft_units
    from duban.errors import NotADocumentError
    from duban.limits import check

    report = _document(data, name, "report", progress)
    if report.kind != "report" or not (report.areas or report.targets):
        raise NotADocumentError(f"“{name}”不是政府工作报告：没有找到年度重点工作部分")
    progress(60, "分解任务")
    draft = decompose(report)
    check("plan_tasks", len(draft.tasks), name)  # before the suggester, the costly part
    progress(75, "推荐责任单位")
    draft = draft_units(draft, inputs)
    draft.source = name
    return draft


LEDGER_DAMAGED = "文件已损坏，无法作为 Excel（.xlsx）读取，请在 Excel 或 WPS 中重新保存后上传"


def check_ledger(
    data: bytes, name: str, progress: Progress, *, doc, unit: str, accept_partial: bool, current=None, plan_key=None
):
    """``import_unit_ledger`` on uploaded bytes; InputError for a file that is no readable .xlsx.

    ``current`` is what the application holds for the unit now, so a row changed on both sides since
    the template was downloaded is refused rather than overwritten."""
    import io

    from duban.errors import DubanError, InputError
    from duban.limits import LimitError
    from duban.render.ledger_import import import_unit_ledger

    progress(20, "逐行检查台账")
    try:
        return import_unit_ledger(
            io.BytesIO(data), doc, unit, accept_partial=accept_partial, current=current, plan_key=plan_key
        )
    except LimitError:  # over a budget of duban.limits: its sentence says which and how to raise it
        raise
    except InputError as exc:  # its sentence names the in-memory file; say it for the upload instead
        raise InputError(LEDGER_DAMAGED) from exc
    except DubanError:
        raise
    except Exception as exc:  # a damaged workbook can fail anywhere inside openpyxl's parser
        raise InputError(LEDGER_DAMAGED) from exc


# --- document renders: the plain duban.render writers, on inputs ``renders.RECIPES`` read from the database ---


def _notice(out, *, doc):
    from duban.render.notice import render_notice

    render_notice(doc, out)


def _plan_table(out, *, doc, data):
    from duban.render.ledger import export_plan_xlsx

    export_plan_xlsx(doc, out, data)


def _yearend(out, *, doc, data, unit=None):
    from duban.render.yearend import render_yearend

    render_yearend(doc, data, out, unit=unit)


def _unit_ledger(out, *, doc, unit, rounds, current, plan_key):
    from duban.render.ledger import unit_ledger_template

    unit_ledger_template(doc, unit, out, rounds, current=current, plan_key=plan_key)


def _bulletin(out, *, doc, data, draft):
    from duban.render.bulletin import render_bulletin

    render_bulletin(doc, data, out, draft)


def _issued_bulletin(out, *, doc, draft, figures: dict):
    """An issued bulletin: its charts from the figures frozen when it was issued."""
    from types import SimpleNamespace

    from duban.render.bulletin import build_bulletin
    from duban.render.official import save

    summary = SimpleNamespace(**{"task_counts": {}, "report_counts": {}, **figures})
    save(build_bulletin(doc, None, draft, summary=summary), out)


WRITERS = {
    "notice": _notice,
    "plan_table": _plan_table,
    "yearend": _yearend,
    "unit_ledger": _unit_ledger,
    "unit_yearend": _yearend,
    "bulletin": _bulletin,
    "issued_bulletin": _issued_bulletin,
}


def write_file(what: str, inputs: dict) -> bytes:
    """The bytes of one file: the writer ``what`` on ``inputs`` (the request runs this for a small file)."""
    import io

    out = io.BytesIO()
    WRITERS[what](out, **inputs)
    return out.getvalue()


def _django(database: dict) -> None:
    """Set Django up in this child on the parent's database connection settings."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"].update(database)  # before the first query opens the connection


def render_file(
    data: bytes, name: str, progress: Progress, *, what: str, scope: dict, day: str, database=None
) -> bytes:
    """A render job: ``data`` is empty (nothing is uploaded), ``name`` the file's name; in a child
    (``database`` given) Django is set up here first."""
    from datetime import date

    progress(5, "读取计划和报送情况")
    if database is not None:
        _django(database)
    from duban.web.jobs.renders import prepare

    inputs = prepare(what, scope, date.fromisoformat(day))
    progress(30, "生成文件")
    return write_file(what, inputs)


WORK = {"import": read_notice, "draft": draft_report, "ledger": check_ledger, "render": render_file}


# The niceness of a job's child process (Unix): a job is background work, and the people loading pages
# in the web process come first — on a two-core server four large renders at full priority took the
# dashboard past a second (scripts/upload-storm --renders); at 10 the kernel gives the web process the
# CPU whenever it wants it, and the jobs take what is left.
NICENESS = 10


def child_main(send, kind: str, data: bytes, name: str, kwargs: dict) -> None:
    """In the child process (spawned: no Django here, but for a render): run the work, send
    progress and then its result or one sentence."""
    import os

    from duban.errors import DubanError

    if hasattr(os, "nice"):
        os.nice(NICENESS)

    def progress(percent: int, stage: str) -> None:
        send.send(("progress", percent, stage))

    try:
        result = WORK[kind](data, name, progress, **kwargs)
    except DubanError as exc:
        send.send(("error", str(exc)))
    except MemoryError:
        send.send(("error", "内存不足，未处理，未保存任何内容"))
    except Exception as exc:
        send.send(("error", f"内部错误（{type(exc).__name__}: {exc}），未保存任何内容，请报告此问题"))
    else:
        send.send(("done", result))
    finally:
        send.close()
