"""Writers, Editors and Administrators, and the "Editorial review" workflow on the Home page."""

from django.db import migrations

from masthead.newsroom.editorial import apply_editorial_setup


def forwards(apps, schema_editor):
    apply_editorial_setup(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0002_create_homepage"),
        ("mirrors", "0001_initial"),
        ("publication", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    # Reversing leaves the groups in place: removing them could lock people out.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
