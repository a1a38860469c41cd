"""Shared fixtures: the real documents in ../shared/corpus, read where they are."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(autouse=True, scope="session")
def model_cache(tmp_path_factory):
    """Fitted models are cached in a directory of the test session's own, never the user's."""
    import os

    path = tmp_path_factory.mktemp("models")
    before = os.environ.get("DUBAN_MODEL_CACHE")
    os.environ["DUBAN_MODEL_CACHE"] = str(path)
    yield path
    if before is None:
        os.environ.pop("DUBAN_MODEL_CACHE", None)
    else:
        os.environ["DUBAN_MODEL_CACHE"] = before


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} is not here ({CORPUS} is absent); these tests read ../shared/corpus")
    return path


@pytest.fixture(scope="session")
def jiyuan():
    from duban.doc import parse_file

    return parse_file(corpus_file("notice-jiyuan-2026.txt"))


@pytest.fixture(scope="session")
def henan():
    from duban.doc import parse_file

    return parse_file(corpus_file("notice-henan-2026.txt"))
