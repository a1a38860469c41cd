"""The round trip that measures decomposition on notices we have.

We hold notices but not the reports they were decomposed from, so we write a
notice back as report prose, decompose that, and compare the draft's tasks
with the notice's:

- the targets section becomes one sentence ``今年主要预期目标是：A，B，C。``;
- a level-1 heading becomes an area heading ``（一）Heading。`` (tasks directly
  under it run on after the heading, as a report's opening sentences do);
- a level-2 heading becomes a paragraph opening with ``Heading。`` and running
  on with the texts of its tasks.

Unit clauses do not survive into prose, so the trip tests where tasks begin
and end — and which heading they fall under — not who does them.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from duban.doc.model import Document, Task
from duban.doc.report import read_report
from duban.doc.source import Source
from duban.draft.decompose import chinese_number, decompose

# 一、 / （一） / (一) / 1. in front of a heading, as a parsed notice may keep it.
_ORDINAL = re.compile(
    r"^\s*([一二三四五六七八九十百]+[、.．]|[（(]\s*[一二三四五六七八九十百]+\s*[)）]|\d+\s*[.．、])\s*"
)
_TARGETS_HEADING = re.compile(r"主要(预期)?目标")


def notice_to_prose(notice: Document) -> str:
    """A parsed notice written back as a minimal work report that ``read_report`` reads."""
    year = notice.year or (notice.date.year if notice.date else None)
    year_text = f"{year}年" if year else ""
    lines = [f"{year_text}政府工作报告", "各位代表：", f"三、{year_text or '今年'}重点工作"]

    area = 0
    level1: str | None = None
    level2: str | None = None
    for section, tasks in _runs(notice.tasks):
        texts = [_sentence(t.text) for t in tasks]
        head = _heading(section[0]) if section else ""
        if section and _TARGETS_HEADING.search(head) and len(section) == 1:
            targets = "，".join(t.rstrip("。！？") for t in texts)
            lines.append(f"今年主要预期目标是：{targets}。")
            level1 = section[0]
            continue
        if not section or section[0] != level1:
            area += 1
            level1 = section[0] if section else None
            level2 = None
            line = f"（{chinese_number(area)}）{head or '重点工作'}。"
            if len(section) <= 1:
                line += "".join(texts)  # the area's opening sentences
                lines.append(line)
                continue
            lines.append(line)
        if len(section) >= 2 and section[1] != level2:
            level2 = section[1]
            lines.append(_heading(section[1]) + "。" + "".join(texts))
        else:
            # Further tasks of the same heading, or tasks straight under the
            # area after a level-2 heading: a paragraph without a lead phrase.
            lines.append("".join(texts))
    return "\n".join(lines) + "\n"


def boundary_scores(notice: Document, draft: Document) -> dict:
    """How well the draft's tasks reproduce the notice's task boundaries.

    Both task lists are normalised — NFKC, then everything but letters and
    digits removed (punctuation, spaces, the final 。) — and aligned in
    document order (longest common subsequence of the normalised texts).  A
    drafted task *matches* a notice task when their normalised texts are
    identical: it starts and ends where the notice's task does, with nothing
    lost or added in between.  Each task matches at most once.

    - ``precision`` = matched / drafted tasks, ``recall`` = matched / notice tasks,
      ``f1`` their harmonic mean;
    - ``section_agreement`` = share of matched tasks whose innermost heading
      (ordinal and punctuation removed) is the notice's;
    - ``matched``, ``gold``, ``predicted`` the counts, and ``missed`` /
      ``extra`` the unmatched texts, for reading.
    """
    gold = [normalise(t.text) for t in notice.tasks]
    predicted = [normalise(t.text) for t in draft.tasks]
    matcher = SequenceMatcher(None, gold, predicted, autojunk=False)
    pairs = [(block.a + k, block.b + k) for block in matcher.get_matching_blocks() for k in range(block.size)]
    matched = len(pairs)
    precision = matched / len(predicted) if predicted else 0.0
    recall = matched / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    same_heading = sum(1 for g, p in pairs if _innermost(notice.tasks[g].section) == _innermost(draft.tasks[p].section))
    gold_hit = {g for g, _ in pairs}
    pred_hit = {p for _, p in pairs}
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "section_agreement": same_heading / matched if matched else 0.0,
        "matched": matched,
        "gold": len(gold),
        "predicted": len(predicted),
        "missed": [notice.tasks[i].text for i in range(len(gold)) if i not in gold_hit],
        "extra": [draft.tasks[i].text for i in range(len(predicted)) if i not in pred_hit],
    }


def round_trip(notice: Document) -> tuple[Document, dict]:
    """Notice → prose → report → draft; the draft and its boundary scores."""
    prose = notice_to_prose(notice)
    report = read_report(Source.from_text(prose, name=f"{notice.source or 'notice'}（回写）"))
    draft = decompose(report)
    return draft, boundary_scores(notice, draft)


def normalise(text: str) -> str:
    """Letters and digits only: what a task says, not how it is punctuated or spaced."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


def _runs(tasks: list[Task]) -> list[tuple[list[str], list[Task]]]:
    runs: list[tuple[list[str], list[Task]]] = []
    for task in tasks:
        if runs and runs[-1][0] == task.section:
            runs[-1][1].append(task)
        else:
            runs.append((list(task.section), [task]))
    return runs


def _heading(text: str) -> str:
    return _ORDINAL.sub("", text).strip().rstrip("。．.：:")


def _innermost(section: list[str]) -> str:
    return normalise(_heading(section[-1])) if section else ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？")) else text.rstrip("，,；;") + "。"
