"""Issued bulletins (督查通报) as the units and leaders read them: a list per plan, each bulletin's
text in the page, and its .docx with the figures frozen when it was issued."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from duban.web.models import Bulletin
from duban.web.services import plan_choice
from duban.web.services import render_data as rd
from duban.web.views.common import page
from duban.web.views.workspace import current_plan


@page
def bulletin_list(request, plan_id=None):
    actor = request.actor
    plan = actor.plan(plan_id) if plan_id else current_plan(actor)
    if plan is None:
        return render(request, "duban/empty.html", {"why": "还没有已发布的计划"})
    switch = plan_choice.switch(actor.plans().filter(status=plan.PUBLISHED), plan, "bulletin_list_plan")
    return render(
        request, "duban/bulletins.html", {"plan": plan, "bulletins": rd.issued_bulletins(plan), "switch": switch}
    )


def _issued(actor, bulletin_id) -> Bulletin:
    bulletin = (
        Bulletin.objects.filter(pk=bulletin_id, issued_at__isnull=False, round__plan__in=actor.plans())
        .select_related("round__plan__government")
        .first()
    )
    if bulletin is None:
        raise Http404("没有这份通报")
    return bulletin


@page
def bulletin_read(request, bulletin_id):
    from duban.render.bulletin import BulletinDraft

    bulletin = _issued(request.actor, bulletin_id)
    draft = BulletinDraft.from_text(bulletin.text)
    return render(
        request,
        "duban/bulletin_read.html",
        {"bulletin": bulletin, "plan": bulletin.round.plan, "draft": draft, "office": _signer(bulletin)},
    )


def _signer(bulletin) -> str:
    from duban.render.official import office_name

    government = bulletin.round.plan.government
    return government.office_name or office_name(government.name)


@page
def bulletin_file(request, bulletin_id):
    """The issued bulletin as .docx: its text, its 期号 and date, its charts from the frozen figures."""
    from duban.render.bulletin import BulletinDraft, build_bulletin
    from duban.render.official import save
    from duban.web.views.downloads import _download

    bulletin = _issued(request.actor, bulletin_id)
    plan = bulletin.round.plan
    figures = type("Figures", (), dict(bulletin.figures or {}))()
    draft = BulletinDraft.from_text(
        bulletin.text, signer=_signer(bulletin), when=timezone.localdate(bulletin.issued_at)
    )
    draft.number = bulletin.number
    doc = rd.document_for(plan)

    def write(out):
        if not getattr(figures, "task_counts", None):
            figures.task_counts, figures.report_counts = {}, {}
        save(build_bulletin(doc, None, draft, summary=figures), out)

    return _download(request, plan, f"督查通报第{bulletin.number}期.docx", write)
