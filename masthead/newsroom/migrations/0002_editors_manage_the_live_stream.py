"""Editors manage the live stream setting. Only that permission is added: re-applying the
whole set-up would undo permissions an administrator has granted since."""

from django.db import migrations

from masthead.newsroom.editorial import EDITORS, ensure_permissions, permission

LIVE_STREAM = "tv.change_livestreamsettings"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        ensure_permissions(apps)
        editors.permissions.add(permission(apps, LIVE_STREAM))


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_editorial_groups_and_workflow"),
        ("tv", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
