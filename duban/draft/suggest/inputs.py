"""What a draft learns from, gathered the same way for the command line and the web application.

``SuggestionInputs`` holds the target government, its directory (each unit's
name, functions and aliases — old names included, so a unit renamed since
last year's plan is found under its present name) and the history (past
notices).  ``duban draft`` builds it from files (``--history``,
``--directory``), the web application from the government's stored units and
published plans (``duban.web.services.plans.suggestion_inputs``); both then
call ``draft_units``, so the same report with the same history gives the same
draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from duban.doc.model import Document
from duban.draft.catalogue import functions_of, government_of
from duban.draft.suggest.naming import Government

# The directory's government levels, as (level, prefix) of ``Government``.
LEVELS = {
    "province": ("province", "省"),
    "city": ("city", "市"),
    "district": ("county", "区"),
    "county": ("county", "县"),
}


@dataclass
class SuggestionInputs:
    government: Government | None = None
    # (name, function codes, aliases) of each unit of the government's directory; None: no directory.
    directory: list[tuple[str, list[str], list[str]]] | None = None
    history: list[Document] = field(default_factory=list)
    # Where fitted models are cached: None the default directory, False nowhere (memory only).
    cache: Path | None | bool = None


def government_named(name: str | None, level: str | None = None) -> Government | None:
    """A government from its name (济源市, 河南省人民政府) and its directory level."""
    if not name:
        return None
    place, found_level, prefix = government_of(name + ("" if "政府" in name or "管委会" in name else "人民政府"))
    if level in LEVELS and found_level != LEVELS[level][0]:
        found_level, prefix = LEVELS[level]
    return Government(place, found_level, prefix) if place else None


def directory_entry(name: str, functions=(), aliases=()) -> tuple[str, list[str], list[str]]:
    """One unit of a directory: its functions as given, else as the catalogue reads
    its name, with those of its aliases (自然资源和规划局 with 林业局 does forestry too)."""
    found = list(functions) or functions_of(name)
    for alias in aliases:
        found += [f for f in functions_of(alias) if f not in found]
    return (name, found, [a for a in aliases if a and a != name])


def draft_units(doc: Document, inputs: SuggestionInputs, config=None) -> Document:
    """``doc`` with the units and candidates of every task suggested from ``inputs``."""
    from duban.draft.suggest import suggest_document

    return suggest_document(doc, inputs.history, inputs.directory, inputs.government, config, cache=inputs.cache)
