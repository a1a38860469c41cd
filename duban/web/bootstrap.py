"""Starting Django from the ``duban`` commands."""

from __future__ import annotations

import os


def setup(migrate: bool = True) -> None:
    """Configure Django and bring the database schema up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
    import django

    django.setup()
    if migrate and pending_migrations():
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def pending_migrations() -> list:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())
