"""A page that fails to render stops the switch-over: non-zero exit, the failure listed,
the previous version current and untouched."""

import pytest
from django.core.management import CommandError, call_command

from masthead.mirrors import export
from masthead.mirrors.pipeline import run


def tree(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def break_one_page(monkeypatch):
    """A template that raises on one story: the site answers it with a 500 page."""
    from masthead.news.models import ArticlePage

    real = ArticlePage.get_context

    def get_context(self, request, *args, **kwargs):
        if self.slug == "iraq-story-3":
            raise RuntimeError("template blew up")
        return real(self, request, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "get_context", get_context)


def test_a_failing_page_keeps_the_good_copy_and_exits_non_zero(site, dest, monkeypatch):
    run(dest=dest)
    current = (dest / "current").resolve()
    before = tree(current)
    break_one_page(monkeypatch)
    with pytest.raises(CommandError) as raised:
        call_command("mirror", "export", str(dest), "--no-progress")
    message = str(raised.value)
    assert "1 pages failed to render; the current version is unchanged" in message
    assert "/news/iraq/iraq-story-3/: RuntimeError('template blew up')" in message
    assert (dest / "current").resolve() == current
    assert tree(current) == before


def test_a_failing_page_on_the_first_export_leaves_no_copy(site, dest, monkeypatch):
    break_one_page(monkeypatch)
    with pytest.raises(export.ExportError):
        run(dest=dest)
    assert not (dest / "current").exists()
