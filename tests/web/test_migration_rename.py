"""Migration 0013_i11_rename: a unit renamed before it (``renamed_from`` on the new unit) becomes a
retired old unit whose ``successor`` is the new one, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("duban", "0012_i11_cascade")]
AFTER = [("duban", "0013_i11_rename")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_renamed_from_becomes_the_old_units_successor_and_back():
    try:
        apps = _migrate(BEFORE)
        Government, Unit = apps.get_model("duban", "Government"), apps.get_model("duban", "Unit")
        gov = Government.objects.create(name="云溪市", level="city")
        old = Unit.objects.create(government=gov, name="教育局")
        new = Unit.objects.create(government=gov, name="教育体育局", aliases=["教育局"], renamed_from=old)
        Unit.objects.create(government=gov, name="商务局")
        apps = _migrate(AFTER)
        Unit = apps.get_model("duban", "Unit")
        moved = {u.name: (u.successor_id, u.retired_on is not None) for u in Unit.objects.all()}
        assert moved == {"教育局": (new.pk, True), "教育体育局": (None, False), "商务局": (None, False)}
        apps = _migrate(BEFORE)
        Unit = apps.get_model("duban", "Unit")
        assert Unit.objects.get(name="教育体育局").renamed_from_id == old.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
