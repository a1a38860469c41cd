"""Stored plans and reports as the inputs ``duban.render`` draws from.

``plan_document`` and ``round_data`` are what ``duban render … --government
NAME --year Y`` calls; the download and bulletin pages use the same
functions, so a file made from the command line and one downloaded from the
web application agree.

Counting: a round's figures are the ones ``duban status`` (and the
dashboard) shows, not a second opinion: ``standing`` loads the plan as
``services.overview`` does and hands ``duban.track.round``'s account of the
round, as of its ``as_of`` day, to ``duban.render.collect.round_from_standing``.
Each task's colour travels in ``RoundData.judged`` (with the tracker's
reasons), which ``round_summary`` — hence the bulletin, its charts and the
year-end account — counts by; each report keeps what its unit said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from duban import vocab
from duban.doc.model import Document
from duban.errors import DubanError
from duban.render.data import RoundData
from duban.track import AT_RISK
from duban.web.models import Government, Plan, ReportingRound

REPORT_KINDS = vocab.REPORT_ROUND_KINDS


# --- plans -------------------------------------------------------------------------------------------


def published_plan(government: str | Government, year: int | None = None, kind: str | None = None) -> Plan:
    """The government's published plan for ``year`` (latest year when None) of ``kind`` (``vocab.PLAN_KINDS``;
    when None the work report's first, as ``plan_choice.default_plan``); DubanError when there is none."""
    from duban.web.services.plan_choice import default_plan
    from duban.web.services.plans import plan_kind

    name = government.name if isinstance(government, Government) else government
    plans = Plan.objects.filter(government__name=name, status=Plan.PUBLISHED).select_related("government")
    if year:
        plans = plans.filter(year=year)
    if kind:
        kind = plan_kind(kind)
        plans = plans.filter(kind=kind)
    plan = default_plan(plans)
    if plan is None:
        what = vocab.PLAN_KINDS.label(kind) if kind else ""
        raise DubanError(f"没有找到{name}{f' {year} 年' if year else ''}已发布的{what}计划")
    return plan


def document_for(plan: Plan, tasks=None) -> Document:
    """The stored plan as a ``Document``; ``tasks`` (a Task queryset) keeps only those tasks."""
    from duban.web.services.export import plan_document as stored_document

    doc = stored_document(plan)
    if plan.published_at:
        doc.date = timezone.localdate(plan.published_at)
    if tasks is not None:
        keep = set(tasks.values_list("number", flat=True))
        doc.tasks = [t for t in doc.tasks if t.number in keep]
    return doc


def plan_document(government: str | Government, year: int, kind: str | None = None) -> Document:
    """The published plan of ``government`` for ``year`` (and ``kind``): tasks, sections, units and roles, schedule, 文号."""
    return document_for(published_plan(government, year, kind))


# --- rounds ------------------------------------------------------------------------------------------


def report_rounds(plan: Plan) -> list[ReportingRound]:
    return [r for r in plan.rounds.all() if r.kind in REPORT_KINDS]


def pick_round(plan: Plan, round_name: str | None, today: date) -> ReportingRound:
    """The round named ``round_name`` (its title), else the latest one whose due date has passed."""
    rounds = report_rounds(plan)
    if round_name:
        for rnd in rounds:
            if rnd.title == round_name:
                return rnd
        names = "、".join(r.title for r in rounds) or "无"
        raise DubanError(
            f"{plan.government.name} {plan.year} 年的计划没有名为“{round_name}”的报送轮次（现有：{names}）"
        )
    passed = [r for r in rounds if r.due < today]
    if not passed:
        raise DubanError(f"{plan.government.name} {plan.year} 年还没有已过截止日期的报送轮次")
    return passed[-1]


def as_of_for(plan: Plan, rnd: ReportingRound, today: date) -> date:
    """The day a round's figures are taken: today while it is the latest round past due,
    else the due date of the round after it (the last day it was the current one)."""
    later = [r for r in report_rounds(plan) if rnd.due < r.due < today]
    return later[0].due if later else today


@dataclass
class RoundStanding:
    """A round as ``duban.render`` reads it, and the dashboard's own view of the same day."""

    plan: Plan
    round: ReportingRound
    as_of: date
    data: RoundData  # ``data.judged``: task number → duban.track colour as of ``as_of``

    @property
    def colours(self) -> dict[str, str]:
        return self.data.judged

    @property
    def attention(self) -> list[str]:
        """Task numbers coloured 需关注, in plan order."""
        return [n for n, colour in self.colours.items() if colour == AT_RISK]

    @property
    def by_colour(self) -> dict[str, int]:
        from duban.web.services.overview import STATUS_ORDER

        counts = dict.fromkeys(STATUS_ORDER, 0)
        for colour in self.colours.values():
            counts[colour] += 1
        return counts


def standing(plan: Plan, rnd: ReportingRound, today: date, tasks=None) -> RoundStanding:
    """Every report owed in ``rnd`` as of the round's ``as_of`` day: ``duban.track.round``'s one
    account of the round (``duban status --today AS_OF`` shows the same), no second count."""
    from duban.render.collect import round_from_standing
    from duban.web.services.overview import load

    as_of = as_of_for(plan, rnd, today)
    loaded = load(plan, tasks, texts=True)
    st = loaded.standing(as_of)
    return RoundStanding(plan, rnd, as_of, round_from_standing(st, loaded.round_of[rnd.id]))


def round_data(
    government: str | Government, year: int, round_name: str | None = None, today=None, kind: str | None = None
) -> RoundData:
    """Every report owed in the named round (default: the latest round past due) from ProgressReports."""
    plan = published_plan(government, year, kind)
    today = today or timezone.localdate()
    return standing(plan, pick_round(plan, round_name, today), today).data


# --- bulletins ---------------------------------------------------------------------------------------


def bulletin_draft(doc: Document, st: RoundStanding):
    """The bulletin's draft for the round: ``bulletin_text`` counts by the judgement ``st.data`` carries."""
    from duban.render.bulletin import bulletin_text

    return bulletin_text(doc, st.data)


# A bulletin is a document (duban.web.models.Bulletin): every saved text is a new version of its
# round's bulletin; issuing one gives it the plan's next 期号 (a corrected re-issue keeps its
# round's number) and publishes it to the units and leaders, who read it in the application.
BULLETIN_SAVED = "保存通报"
BULLETIN_ISSUED = "印发通报"


class StaleBulletin(DubanError):
    """Someone saved the bulletin since this user loaded it."""


def latest_bulletin(rnd: ReportingRound):
    from duban.web.models import Bulletin

    return Bulletin.objects.filter(round=rnd).order_by("-version").first()


def saved_bulletin(rnd: ReportingRound) -> tuple[str | None, int]:
    """The latest saved text of the round's bulletin (None if never saved) and its version (0 if never)."""
    latest = latest_bulletin(rnd)
    return (latest.text, latest.version) if latest else (None, 0)


def save_bulletin(rnd: ReportingRound, text: str, version: int, user=None) -> int:
    """Save an edited bulletin as a new version if nobody saved one since ``version`` was loaded."""
    from django.db import transaction

    from duban.render.bulletin import BulletinDraft
    from duban.web import audit
    from duban.web.models import Bulletin

    BulletinDraft.from_text(text)  # refuses an empty text in one sentence
    with transaction.atomic():
        # The round's row is the lock: two saves of one bulletin queue here.
        ReportingRound.objects.select_for_update().filter(pk=rnd.pk).first()
        _text, current = saved_bulletin(rnd)
        if current != version:
            raise StaleBulletin("这份通报已被他人修改并保存，您的修改未保存：请刷新后在最新版本上重新编辑")
        saved = Bulletin.objects.create(round=rnd, version=current + 1, text=text, created_by=user)
        audit.record(user, BULLETIN_SAVED, saved, before={"version": current}, after={"version": saved.version})
    return current + 1


def issue_bulletin(rnd: ReportingRound, version: int, user=None, figures: dict | None = None):
    """印发: the saved version ``version`` (the latest) is issued under the plan's next 期号 and
    published to the units and leaders; issuing a corrected version again keeps the round's number."""
    from django.db import transaction
    from django.db.models import Max

    from duban.web import audit
    from duban.web.models import Bulletin

    with transaction.atomic():
        ReportingRound.objects.select_for_update().filter(pk=rnd.pk).first()
        latest = latest_bulletin(rnd)
        if latest is None:
            raise DubanError("请先保存通报，再印发")
        if latest.version != version:
            raise StaleBulletin("这份通报已有更新的版本：请刷新后确认再印发")
        if latest.issued:
            raise DubanError(f"第 {latest.version} 版已于 {timezone.localtime(latest.issued_at):%Y-%m-%d %H:%M} 印发")
        earlier = Bulletin.objects.filter(round=rnd, number__isnull=False).values_list("number", flat=True).first()
        if earlier is None:
            # The plan's rows are the lock for numbering: two rounds issued at once get two numbers.
            Plan.objects.select_for_update().filter(pk=rnd.plan_id).first()
            top = Bulletin.objects.filter(round__plan_id=rnd.plan_id).aggregate(n=Max("number"))["n"] or 0
            earlier = top + 1
        latest.number = earlier
        latest.issued_at = timezone.now()
        latest.issued_by = user
        latest.figures = figures or {}
        latest.save(update_fields=["number", "issued_at", "issued_by", "figures"])
        audit.record(user, BULLETIN_ISSUED, latest, after={"version": latest.version, "number": latest.number})
    return latest


def issued_bulletins(plan: Plan):
    """The issued bulletins of a plan, newest first: the latest issued version of each round."""
    from duban.web.models import Bulletin

    seen, out = set(), []
    for b in (
        Bulletin.objects.filter(round__plan=plan, issued_at__isnull=False)
        .select_related("round")
        .order_by("-number", "-version")
    ):
        if b.round_id not in seen:
            seen.add(b.round_id)
            out.append(b)
    return out
