"""The request's Site comes from the cache, matched by Wagtail's own rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from masthead.news.models import HomePage
from masthead.publication.sites import all_sites, match_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(home):
    """The default site (localhost:80) plus named sites on other hosts and ports."""
    other_home = HomePage(title="Second home", slug="second-home")
    home.get_parent().add_child(instance=other_home)
    Site.objects.create(hostname="news.example", port=443, root_page=other_home)
    Site.objects.create(hostname="news.example", port=8080, root_page=other_home)
    Site.objects.create(hostname="solo.example", port=80, root_page=other_home)
    return other_home


@pytest.mark.parametrize(
    "hostname,port",
    [
        ("news.example", 443),  # exact hostname and port
        ("news.example", 8080),
        ("news.example", 80),  # two entries, neither on this port: the default site
        ("solo.example", 443),  # one entry on another port: that entry
        ("unknown.example", 80),  # no entry: the default site
        ("localhost", 80),
    ],
)
def test_matching_agrees_with_wagtail(sites, hostname, port):
    expected = get_site_for_hostname(hostname, port)
    assert match_site(all_sites(), hostname, port).pk == expected.pk


def test_no_default_site_and_no_match_is_none(sites):
    Site.objects.update(is_default_site=False)
    assert match_site(all_sites(), "unknown.example", 80) is None
    assert match_site(all_sites(), "news.example", 80) is None
    assert match_site(all_sites(), "solo.example", 443).hostname == "solo.example"


def test_a_request_asks_the_database_for_its_site_once_per_change(client, home, sites, settings):
    settings.ALLOWED_HOSTS = ["testserver", "solo.example"]
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert not [q for q in captured if 'FROM "wagtailcore_site"' in q["sql"]]

    response = client.get("/", HTTP_HOST="solo.example")
    assert response.status_code == 200
    assert response.context["page"].pk == sites.pk

    # A Site change takes effect on the next request.
    Site.objects.filter(hostname="solo.example").delete()
    response = client.get("/", HTTP_HOST="solo.example")
    assert response.context["page"].pk == home.pk


def test_saving_a_site_root_refreshes_the_cached_root_page(client, home):
    client.get("/")
    home.title = "Front page"
    home.save()
    assert all_sites()[0].root_page.title == "Front page"
