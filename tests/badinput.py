"""A bad-input corpus, generated (no large file is committed): what an adversary or a careless
user hands every command and upload form.

``bad_files(tmp)`` writes each case and returns ``{name: path}``; ``notice_text`` and
``report_text`` make good inputs of any size for the same purpose.  Every case is built for
the *kind* of damage, not for one file: a zip bomb is any zip whose directory inflates past
the limit, a truncated file is any good file cut short.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

UNITS = ["市发展改革委", "市财政局", "市工业和信息化局", "市教育局", "市科技局"]
NOTICE_HEAD = (
    "市人民政府\n关于印发2026年政府工作报告重点工作任务分解方案的通知\n\n"
    "各县（市、区）人民政府，市人民政府各部门：\n"
    "现将任务分解方案印发给你们，请认真贯彻落实，于6月15日、12月15日前报送进展情况。\n\n"
)


def task_line(n: int) -> str:
    return (
        f"{n}. 推进第{n}批重点项目建设，完成固定资产投资{10 + n % 90}亿元，增长{n % 9 + 1}%。"
        f"（{UNITS[n % len(UNITS)]}牵头，{UNITS[(n * 3 + 1) % len(UNITS)]}配合）"
    )


def notice_text(tasks: int = 12) -> str:
    lines = [NOTICE_HEAD]
    for n in range(1, tasks + 1):
        if n % 40 == 1:
            lines.append(f"{'一二三四五六七八九十'[(n // 40) % 10]}、重点工作\n")
        lines.append(task_line(n) + "\n")
    return "".join(lines)


def _zip(members: dict[str, bytes], *, level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _pdf(text: str, *, encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for line in text.split("\n")[:40]:
        c.drawString(72, 800, line.encode("ascii", "replace").decode())
        c.showPage()
    c.save()
    if not encrypt:
        return out.getvalue()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.encrypt("secret", algorithm="RC4-128")
    enc = io.BytesIO()
    writer.write(enc)
    return enc.getvalue()


def zip_bomb_docx(inflated: int = 64 * 1024 * 1024) -> bytes:
    """A .docx whose document.xml inflates to ``inflated`` bytes of zeros (a classic bomb)."""
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * inflated})


def _declared_bomb_xlsx() -> bytes:
    """An .xlsx whose directory declares members far larger than the file: refused unread."""
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>" * 10}))
    # Patch the central directory's uncompressed size of the last member to 4 GB - 1.
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (0xFFFFFFFE).to_bytes(4, "little")
    return bytes(data)


def _nested_html(depth: int) -> bytes:
    return (
        "<html><body>" + "<div>" * depth + "关于印发任务分解方案的通知" + "</div>" * depth + "</body></html>"
    ).encode()


def _nested_docx(depth: int = 2000) -> bytes:
    """A .docx of tables nested ``depth`` deep (Word allows it; recursion in a reader does not)."""
    import docx

    cell = "<w:tc><w:p><w:r><w:t>任务</w:t></w:r></w:p></w:tc>"
    for _ in range(depth):
        cell = f"<w:tc><w:tbl><w:tr>{cell}</w:tr></w:tbl><w:p/></w:tc>"
    base = io.BytesIO()
    docx.Document().save(base)
    members = {}
    with zipfile.ZipFile(base) as zf:
        for info in zf.infolist():
            members[info.filename] = zf.read(info)
    xml = members["word/document.xml"].decode()
    members["word/document.xml"] = xml.replace("<w:body>", f"<w:body><w:tbl><w:tr>{cell}</w:tr></w:tbl>", 1).encode()
    return _zip(members)


def _million_row_xlsx_xml(rows: int) -> bytes:
    """An .xlsx with ``rows`` rows, written as raw XML (openpyxl would take minutes to write it)."""
    sheet = io.StringIO()
    sheet.write(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>'
    )
    for r in range(1, rows + 1):
        sheet.write(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>第{r}项</t></is></c></row>')
    sheet.write("</sheetData></worksheet>")
    ns = 'xmlns="http://schemas.openxmlformats.org/'
    return _zip(
        {
            "[Content_Types].xml": (
                f'<Types {ns}package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
            ).encode(),
            "_rels/.rels": (
                f'<Relationships {ns}package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/workbook.xml": (
                f'<workbook {ns}spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships"><sheets><sheet name="表一" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                f'<Relationships {ns}package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/worksheets/sheet1.xml": sheet.getvalue().encode(),
        },
        level=1,
    )


def bad_files(tmp: Path, scale: float = 1.0) -> dict[str, Path]:
    """Write the corpus into ``tmp``; the name says what is wrong with each file.

    ``scale`` shrinks the big cases (a million rows, lines, characters) for the test suite,
    which lowers the limits by as much; ``scripts/bad-input`` runs them at full size."""
    big = max(1000, int(1_000_000 * scale))
    good = notice_text(12)
    docx = _docx(good)
    xlsx = _xlsx([["序号", "工作任务", "牵头单位"], ["1", "推进重点项目建设。", "市财政局"]])
    pdf = _pdf(good)
    cases: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.docx": b"   \n",
        "truncated.docx": docx[: len(docx) // 2],
        "truncated.xlsx": xlsx[: len(xlsx) // 2],
        "truncated.pdf": pdf[: len(pdf) // 2],
        "truncated-mid-char.txt": good.encode("utf-8")[:-1],
        "image-named.docx": b"\x89PNG\r\n\x1a\n" + b"\0" * 200,
        "docx-named.pdf": docx,
        "binary-noise.txt": bytes(range(256)) * 40,
        "encrypted-office.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + "EncryptedPackage".encode("utf-16-le")
        + b"\0" * 512,
        "encrypted.pdf": _pdf(good, encrypt=True),
        "zip-bomb.docx": zip_bomb_docx(max(2, int(64 * scale)) * 1024 * 1024),
        "zip-bomb-declared.xlsx": _declared_bomb_xlsx(),
        "deeply-nested.html": _nested_html(max(2000, int(100_000 * scale))),
        "deeply-nested.json": b"[" * 200_000 + b"]" * 200_000,
        "deeply-nested.docx": _nested_docx(),
        "million-row.csv": "".join(f"{n},第{n}项任务\n" for n in range(1, big + 1)).encode(),
        "million-row.xlsx": _million_row_xlsx_xml(big),
        "million-line.txt": ("一、重点工作\n" + "推进工作。\n" * big).encode(),
        "very-long-line.txt": ("推进重点项目建设，完成投资10亿元，增长5%；" * (big * 2 // 5)).encode(),
        "mixed-encoding.txt": good.encode("utf-8")[:600] + "市财政局牵头".encode("gbk") + good.encode("utf-8")[600:],
        "utf16-no-bom.txt": good.encode("utf-16-le"),
        "not-a-notice.txt": "今天天气很好。\n我们去公园散步。\n".encode() * 50,
    }
    paths = {}
    for name, data in cases.items():
        path = tmp / name
        path.write_bytes(data)
        paths[name] = path
    # Over the file-size limit without writing 50 MB: a sparse file.
    oversize = tmp / "oversize.txt"
    with open(oversize, "wb") as f:
        f.truncate(51 * 1024 * 1024)
    paths["oversize.txt"] = oversize
    return paths
