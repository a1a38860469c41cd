"""Suggest the units for each task, learned from past notices.

- ``naming``: the target government and its units' names and functions (with
  the alias table of renamed units);
- ``features``: evidence from the history and the features of each (task, unit);
- ``model``: ``fit(history, naming, config) -> Model``, ``Model.suggest(task) -> Suggestion``;
- ``cache``: fitted models saved per government, refitted when the history changes;
- ``inputs``: ``SuggestionInputs``, the one bundle of what a draft learns from,
  for the command line and the web application alike.

See docs/suggestions.md for the method and its measures.
"""

from __future__ import annotations

from duban.doc.model import Document, Task
from duban.draft.suggest.config import DEFAULT, SuggestConfig
from duban.draft.suggest.model import Candidate, Model, Suggestion, fit
from duban.draft.suggest.naming import Government, Naming, TargetUnit, build_naming, companies_named

__all__ = [
    "DEFAULT",
    "Candidate",
    "Government",
    "Model",
    "Naming",
    "SuggestConfig",
    "Suggestion",
    "TargetUnit",
    "build_naming",
    "candidate_names",
    "companies_named",
    "fit",
    "primary_hit",
    "set_f1",
    "strip_units",
    "suggest_document",
    "target_government",
]


def strip_units(doc: Document) -> Document:
    """A copy of a notice without its unit clauses, so suggesting never peeks."""
    out = Document(**{**doc.__dict__})
    out.tasks = [
        Task(number=t.number, section=list(t.section), text=t.text, deadline=t.deadline, indicators=list(t.indicators))
        for t in doc.tasks
    ]
    return out


def target_government(doc: Document, history: list[Document], government: Government | None = None) -> Government:
    """The government a document's units are suggested for: as given, else its issuer, else the history it names."""
    government = government or Government.of(doc)
    if not government.place:
        government = Government.guess(doc, history)
    return government


def suggest_document(
    doc: Document,
    history: list[Document],
    directory: list[tuple] | None = None,
    government: Government | None = None,
    config: SuggestConfig | None = None,
    cache=False,
) -> Document:
    """Fill ``units`` and ``candidates`` of every task of ``doc`` (units present are ignored).

    ``cache``: False fits afresh; None or a directory uses ``cache.cached_fit``."""
    from duban.draft.suggest.cache import cached_fit

    doc = strip_units(doc)
    government = target_government(doc, history, government)
    naming = build_naming(government, history, directory)
    model = fit(history, naming, config) if cache is False else cached_fit(history, naming, config, cache)
    for task, suggestion in zip(doc.tasks, model.suggest_all(doc.tasks)):
        task.units = suggestion.units
        task.candidates = [c.to_json() for c in suggestion.candidates]
    return doc


def candidate_names(doc: Document, history: list[Document], directory: list[tuple] | None = None) -> set[str]:
    """The names the suggester can choose from for ``doc`` (the ceiling of ``duban eval``)."""
    government = target_government(doc, history)
    return {u.name for u in build_naming(government, history, directory).units}


def primary_hit(suggested: list[str], truth: Task, k: int) -> bool:
    names = {u.name for u in truth.primary_units}
    return any(name in names for name in suggested[:k])


def set_f1(suggested: list[str], truth: Task) -> float:
    s, t = set(suggested), {u.name for u in truth.units}
    if not s or not t:
        return 0.0
    tp = len(s & t)
    if not tp:
        return 0.0
    p, r = tp / len(s), tp / len(t)
    return 2 * p * r / (p + r)
