"""Replace Wagtail's welcome page with Masthead's home page and author index."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("news.HomePage")
    AuthorIndexPage = apps.get_model("news.AuthorIndexPage")

    Page.objects.filter(depth=2, slug="home").delete()
    locale = Locale.objects.first()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="news")
    index_type, _ = ContentType.objects.get_or_create(model="authorindexpage", app_label="news")
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Home", draft_title="Home", slug="home", content_type=home_type,
        path=f"{root.path}0001", depth=2, numchild=1, url_path="/home/", locale=locale,
        live=True,
    )
    AuthorIndexPage.objects.create(
        title="Authors", draft_title="Authors", slug="authors", content_type=index_type,
        path=f"{home.path}0001", depth=3, numchild=0, url_path="/home/authors/", locale=locale,
        live=True,
    )
    root.numchild = max(root.numchild, 1)
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Masthead News"},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("news.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
