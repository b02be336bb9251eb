"""The exporter's renderer: a page's bytes as the primary host serves them, or the reason
it failed; nothing carried from one page to the next."""

import ast
from pathlib import Path

import masthead
from masthead.mirrors.render import Renderer
from masthead.news.models import ArticlePage


def test_a_page_renders_as_the_primary_host_serves_it(site, client):
    story = site["stories"][0]
    rendered = Renderer().render(story.url)
    assert rendered.status == 200
    assert rendered.content_type.startswith("text/html")
    assert rendered.body == client.get(story.url).content
    assert rendered.error == ""


def test_a_redirect_and_a_missing_page_say_so(site):
    renderer = Renderer()
    moved = renderer.render(site["iraq"].url.rstrip("/"))
    assert (moved.status, moved.location) == (301, site["iraq"].url)
    assert renderer.render("/no/such/page/").status == 404


def test_a_page_that_raises_gives_the_reason(site, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise ValueError("no such template variable")

    monkeypatch.setattr(ArticlePage, "get_context", broken)
    rendered = Renderer().render(site["stories"][0].url)
    assert rendered.status == 0
    assert rendered.error == "ValueError('no such template variable')"
    assert Renderer().render(site["iraq"].url).status == 200  # the others still render


def test_no_page_is_rendered_with_a_cookie(site):
    renderer = Renderer()
    request = renderer.request(site["stories"][0].url + "?page=2")
    assert request.COOKIES == {}
    assert request.get_host() == "testserver"
    assert request.GET["page"] == "2"


def test_no_production_module_imports_django_test():
    root = Path(masthead.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "django.test" or name.startswith("django.test.") for name in names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
