"""Shared fixtures: the real documents in ../shared/corpus, read where they are."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


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
