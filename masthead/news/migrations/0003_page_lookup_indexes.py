"""An index on Wagtail's page table that its own migrations do not create: url_path.

The public site finds a page and its ancestors by url_path in one query
(HomeMixin.route); without an index that query reads every page under home (7 ms at
10,000 stories on SQLite). Raw SQL, because the table belongs to wagtailcore; the same
statement works on SQLite and PostgreSQL.

(An index on (depth, path) for child lookups was tried and left out: SQLite then
chose it for "newest stories under home", reading the whole archive to sort it.)
"""

from django.db import migrations

INDEXES = {"masthead_page_url_path": "url_path"}


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS {name} ON "wagtailcore_page" ({columns})',
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
