"""Fitted models cached per government, refitted only when what they learn from changes.

A model is saved as one file per government (``<place>.model``) holding the
format version (``model.FORMAT``), the key of what it was fitted on — the
config, the names, the history's tasks and units — and the model.  A file of
another format or key is refitted and overwritten; a file that cannot be read
is refitted too (a cache is never a reason to fail a draft).  The same models
are also kept in memory, for a web server's later requests.

The files are Python pickles written by duban itself: the cache directory must
be writable by duban only (the default is the user's own cache directory).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import tempfile
from pathlib import Path

from duban.draft.suggest.config import DEFAULT, SuggestConfig
from duban.draft.suggest.model import FORMAT, Model, fit
from duban.draft.suggest.naming import Naming

_MEMORY: dict[str, tuple[str, Model]] = {}
_MEMORY_MAX = 16


def default_directory() -> Path:
    base = os.environ.get("DUBAN_MODEL_CACHE")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "duban" / "models"


def history_key(history, naming: Naming, config: SuggestConfig) -> str:
    """A digest of everything a fit reads."""
    docs = []
    for doc in history:
        docs.append(
            [
                doc.issuer,
                doc.title,
                doc.year,
                str(doc.date),
                [[t.number, t.section, t.text, [(u.name, u.role, u.alias) for u in t.units]] for t in doc.tasks],
            ]
        )
    payload = json.dumps([FORMAT, repr(config.key()), naming.fingerprint(), docs], ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _file_name(naming: Naming) -> str:
    g = naming.government
    name = f"{g.place or 'unknown'}-{g.level or 'any'}"
    return re.sub(r"[^\w\-]", "_", name) + ".model"


def cached_fit(
    history, naming: Naming, config: SuggestConfig | None = None, directory: Path | None | bool = None
) -> Model:
    """The government's model for this history: from memory, else from its file, else fitted (and saved).

    ``directory``: where the files are (None: ``default_directory()``; False: memory only)."""
    config = config or DEFAULT
    key = history_key(history, naming, config)
    slot = _file_name(naming)
    hit = _MEMORY.get(slot)
    if hit and hit[0] == key:
        return hit[1]
    path = None if directory is False else Path(directory or default_directory()) / slot
    model = _read(path, key) if path else None
    if model is None:
        model = fit(history, naming, config)
        if path:
            _write(path, key, model)
    if len(_MEMORY) >= _MEMORY_MAX:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[slot] = (key, model)
    return model


def clear_memory() -> None:
    _MEMORY.clear()


def _read(path: Path, key: str) -> Model | None:
    try:
        with open(path, "rb") as f:
            header = pickle.load(f)
            if header != {"format": FORMAT, "key": key}:
                return None
            model = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return model if isinstance(model, Model) else None


def _write(path: Path, key: str, model: Model) -> None:
    """Whole or not at all (a temporary file, then a rename); a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump({"format": FORMAT, "key": key}, f)
                pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError:
        return
