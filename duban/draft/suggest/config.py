"""Every constant of the suggester, in one frozen config, each with why it is what it is.

What the history can teach — how the signals add up to the lead and to the
chance that a unit is on a task — is *learned* by ``fit`` (see ``model``); what
is here are the shapes of the signals, the sizes of the search and the
strengths of the priors, none of them read off the corpus errors.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class SuggestConfig:
    # --- the neighbour vote -------------------------------------------------
    # Past tasks that vote for a task's units: enough that a unit's habit shows,
    # few enough that far tasks do not drown the near ones.
    neighbours: int = 15
    # A closer past task counts by its similarity to this power (cosine
    # similarities of short texts are compressed; squaring spreads them).
    similarity_power: float = 2.0
    # The innermost heading joins the words a task is compared by: tasks under
    # 推进乡村全面振兴 share units even where their own words do not say so.
    with_heading: bool = True

    # --- weights of past tasks ---------------------------------------------
    # A past task of another government, carried over by function, is weaker
    # evidence of this government's habits than one of its own.
    cross_government: float = 0.5
    # Each year back a notice of the government's own is worth this share of
    # the year after it: habits drift (units merge, leaders change), so older
    # years count less but still count.
    year_decay: float = 0.85
    # At most this many past notices of each government are learned from,
    # the latest first: beyond them a notice adds less than 0.85**8 ≈ 0.27 of
    # a latest one while its cost stays whole (docs/suggestions.md, "History
    # that scales").  None: all of them.
    notices_per_government: int | None = 8

    # --- priors of the table-like signals ----------------------------------
    # A catalogue keyword the history never shows is right half the time;
    # the history moves it by its own counts with this many pseudo-tasks.
    keyword_prior: float = 0.5
    keyword_strength: float = 2.0
    # A named town or company's chance of being on a task that names it:
    # Laplace's rule (1 success, 2 trials) before the history speaks.
    mention_prior_hits: float = 1.0
    mention_prior_trials: float = 2.0

    # --- learning to rank ---------------------------------------------------
    # Inner folds of the history for fitting the weights, each holding out
    # whole top-level sections of a notice, so a task is scored without its
    # neighbours under the same heading (as a new year's task is).
    inner_folds: int = 5
    # At most this many past tasks are scored for fitting the weights (the
    # latest first); the neighbour pool is the whole history.  Fitting then
    # costs in proportion to the history, not its square.
    fit_tasks_max: int = 600
    # The ranker learns each past primary unit against this many of the other
    # units of its task, the strongest by their votes (the ones it must beat;
    # the rest are beaten by any weights).
    rank_negatives: int = 30
    # Inverse strength of the L2 penalty of both fits (scikit-learn's default:
    # no tuned value, the features are on comparable 0–1 scales).
    l2_c: float = 1.0
    # Of the (task, unit) rows of the set model's fit where no signal points at
    # the unit and it is not on the task, one in this many is kept (weighted
    # up): they teach only the intercept, and they are most of the rows.
    empty_rows_kept: int = 10
    # Fewer own past tasks than this and the set model learns from every
    # history task (another government's habits) with a length term kept
    # neutral; the ranking always learns from every history task.
    own_tasks_min: int = 30
    # The set holds at most this many units (the longest sets of the corpus
    # name 12); expected F1 decides how many of them.
    set_max: int = 12

    # A past task is taken for the same work again (a copy) from the lowest
    # similarity in ``copy_grid`` above which, among the history's held-out
    # tasks, the closest past task led by the same unit is right at least
    # ``copy_precision`` of the time over at least ``copy_support`` tasks.
    copy_grid: tuple = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    copy_precision: float = 0.9
    copy_support: int = 5
    # The same work again, taken whole: a task at least as similar to a past
    # task of the government's own as two *different* tasks of one of its
    # notices are in all but ``same_work_share`` of cases takes that task's
    # units and roles (next year's notice rewording last year's).  Different
    # tasks of one notice are the history's own measure of how close distinct
    # work gets; 1 in 100 was chosen as the usual small error rate of such a
    # test, not by the corpus figures.  None: never copy.
    same_work_share: float | None = 0.01
    # Fewer own past tasks than this (in notices of two tasks or more) and the
    # closeness of distinct work is not measured well enough to copy by it.
    same_work_min_tasks: int = 20

    # --- companions, candidates, reasons -----------------------------------
    # A unit that came with another in at least this share of the past tasks
    # naming that other (and at least this many times) joins it: Henan's
    # 各省辖市政府 always brings 济源示范区管委会 and 航空港区管委会.
    companion_share: float = 0.9
    companion_support: int = 4
    # Candidates listed per task (beyond the set and the two runner-up leads).
    candidates: int = 8

    def replace(self, **changes) -> SuggestConfig:
        return replace(self, **changes)

    def key(self) -> tuple:
        """What a cached model depends on."""
        return tuple((f.name, getattr(self, f.name)) for f in fields(self))


DEFAULT = SuggestConfig()
