"""Which plan a page shows when a government has several a year (work report, 民生实事, campaigns).

The URL names the plan (``/plans/<id>/``, ``/workspace/<id>/``); without one, the default is the
latest year's, the work report's first (``vocab.PLAN_KINDS`` order), then the newest.  The
switcher lists the plans of the shown plan's year and the other years, each a link to the same
page for that plan: the URL stays the one source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse

from duban import vocab
from duban.web.models import Plan


def ordered(plans: QuerySet) -> QuerySet:
    """Latest year first; within a year the kinds in ``vocab.PLAN_KINDS`` order, then the newest."""
    rank = Case(
        *[When(kind=key, then=Value(i)) for i, key in enumerate(vocab.PLAN_KINDS.keys)],
        default=Value(len(vocab.PLAN_KINDS)),
        output_field=IntegerField(),
    )
    return plans.annotate(kind_rank=rank).order_by("-year", "kind_rank", "-id")


def default_plan(plans: QuerySet) -> Plan | None:
    return ordered(plans).first()


def previous_plan(plan: Plan) -> Plan | None:
    """Last year's plan of the same government and kind: the latest published one of an earlier year."""
    return (
        Plan.objects.filter(government_id=plan.government_id, kind=plan.kind, status=Plan.PUBLISHED, year__lt=plan.year)
        .order_by("-year", "-id")
        .first()
    )


def label(plan: Plan) -> str:
    """A plan as the switcher and lists name it: its kind; a campaign also by its title."""
    kind = plan.get_kind_display()
    if plan.kind == vocab.CAMPAIGN_PLAN:
        short = plan.title if len(plan.title) <= 16 else plan.title[:16] + "…"
        return f"{kind}：{short}"
    return kind


@dataclass
class Choice:
    text: str
    url: str
    current: bool


@dataclass
class Switch:
    plans: list[Choice]  # the plans of the shown plan's year
    years: list[Choice]  # each year, to its plan of the same kind (else its first)

    @property
    def shown(self) -> bool:
        return len(self.plans) > 1 or len(self.years) > 1


def switch(plans: QuerySet, current: Plan, url_name: str) -> Switch:
    """The switcher for ``current`` among ``plans`` (those the user may open), linking to ``url_name``."""
    rows = list(ordered(plans).only("id", "year", "kind", "title", "government_id"))
    same_year = [p for p in rows if p.year == current.year]
    years: dict[int, Plan] = {}
    for p in rows:  # ordered: the first of a year is its default
        if p.year not in years or (p.kind == current.kind and years[p.year].kind != current.kind):
            years[p.year] = p
    return Switch(
        plans=[Choice(label(p), reverse(url_name, args=[p.pk]), p.pk == current.pk) for p in same_year],
        years=[Choice(f"{year} 年", reverse(url_name, args=[p.pk]), year == current.year) for year, p in years.items()],
    )
