"""A government's administrator is no superuser (issue 11): /admin/ is the site administrator's alone.

Before, ``duban serve --init`` made each government's administrator a Django superuser over the whole
installation.  Every account that belongs to a government loses superuser and staff; the installation's
administrator is made with ``duban siteadmin`` (docs/accounts.md).  Nothing to undo on the way back.
"""

from django.db import migrations


def demote(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Membership = apps.get_model("duban", "Membership")
    members = Membership.objects.values_list("user_id", flat=True)
    User.objects.filter(pk__in=members).filter(is_superuser=True).update(is_superuser=False, is_staff=False)
    User.objects.filter(pk__in=members).filter(is_staff=True).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("duban", "0013_i11_rename"),
    ]

    operations = [migrations.RunPython(demote, migrations.RunPython.noop)]
