"""Fixtures for the render tests: the hand-built plan and the corpus location."""

from pathlib import Path

import pytest
from render_fixtures import CORPUS, build_plan

from duban.doc.model import Document


@pytest.fixture
def plan() -> Document:
    return build_plan()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus folder {CORPUS} is absent")
    return CORPUS
