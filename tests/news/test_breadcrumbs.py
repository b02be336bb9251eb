"""Every page with a visible breadcrumb carries the same trail as BreadcrumbList JSON-LD."""

import pytest

from masthead.news.models import AuthorIndexPage

from .html import json_ld, one, parse

BASE = "http://testserver"


def visible_crumbs(tree):
    nav = one(tree, '//nav[@aria-label="Breadcrumb"]')
    return [(a.text, a.get("href")) for a in nav.xpath(".//a")]


def ld_crumbs(tree):
    [crumbs] = [block for block in json_ld(tree) if block["@type"] == "BreadcrumbList"]
    assert crumbs["@context"] == "https://schema.org"
    assert all(item["@type"] == "ListItem" for item in crumbs["itemListElement"])
    return [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]]


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/", [("Home", "/")]),
        ("/news/", [("News", "/news/")]),
        ("/news/iraq/", [("News", "/news/"), ("Iraq", "/news/iraq/")]),
        ("/news/iraq/page/1/", [("News", "/news/"), ("Iraq", "/news/iraq/")]),
        ("/topics/oil/", [("Oil", "/topics/oil/")]),
        (
            "/authors/leila-karimi/",
            [("Authors", "/authors/"), ("Leila Karimi", "/authors/leila-karimi/")],
        ),
    ],
)
def test_breadcrumb_json_ld_matches_the_visible_trail(client, story, path, expected):
    # The story fixture brings News / Iraq, two authors and the topics Oil and Basra.
    AuthorIndexPage.objects.update(title="Authors")
    response = client.get(path)
    assert response.status_code == 200
    tree = parse(response)
    assert visible_crumbs(tree) == expected
    assert tree.xpath('//nav[@aria-label="Breadcrumb"]//a')[-1].get("aria-current") == "page"
    assert ld_crumbs(tree) == [
        (n, name, BASE + href) for n, (name, href) in enumerate(expected, start=1)
    ]


def test_breadcrumb_json_ld_cannot_end_the_script_early(client, make_section):
    make_section("News </script><script>alert(1)</script>")
    tree = parse(client.get("/news-scriptscriptalert1script/"))
    assert ld_crumbs(tree)[0][1] == "News </script><script>alert(1)</script>"
