"""Editors can compare, preview and revert revisions of an article."""

from django.urls import reverse
from wagtail.models import PageLogEntry

from masthead.news.models import ArticlePage
from tests.people import assert_refused

from .admin_forms import article_form


def two_revisions(make_article, iraq, user):
    article = make_article(section=iraq, title="Floods in Basra", owner=user)
    first = article.latest_revision
    article = ArticlePage.objects.get(pk=article.pk)
    article.standfirst = "Water levels are falling."
    second = article.save_revision(user=user)
    return article, first, second


def test_editor_compares_revisions(editor_client, editor, make_article, iraq):
    article, first, second = two_revisions(make_article, iraq, editor)
    url = reverse("wagtailadmin_pages:revisions_compare", args=(article.pk, first.pk, second.pk))
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "Water levels are falling." in response.content.decode()

    index = editor_client.get(reverse("wagtailadmin_pages:history", args=(article.pk,)))
    assert index.status_code == 200


def test_editor_views_and_reverts_an_old_revision(editor_client, editor, make_article, iraq):
    article, first, _ = two_revisions(make_article, iraq, editor)
    view = editor_client.get(
        reverse("wagtailadmin_pages:revisions_view", args=(article.pk, first.pk))
    )
    assert view.status_code == 200
    assert "Floods in Basra" in view.content.decode()

    revert = editor_client.get(
        reverse("wagtailadmin_pages:revisions_revert", args=(article.pk, first.pk))
    )
    assert revert.status_code == 200
    # The edit form comes back holding the old standfirst, ready to save or publish.
    old = first.as_object()
    assert old.standfirst in revert.content.decode()

    # Publishing that form from the revert screen brings the old text back as a new
    # revision, logged as a revert.
    data = article_form(
        old.title,
        old.slug,
        standfirst=old.standfirst,
        paragraphs=[str(block.value) for block in old.body],
        **{"action-publish": "action-publish"},
    )
    url = reverse("wagtailadmin_pages:revisions_revert", args=(article.pk, first.pk))
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.standfirst == old.standfirst != "Water levels are falling."
    assert article.live_revision == article.latest_revision
    assert article.latest_revision.pk not in (first.pk,)
    assert PageLogEntry.objects.filter(page=article, action="wagtail.revert").exists()


def test_editor_previews_unsaved_changes(editor_client, editor, make_article, iraq):
    article = make_article(section=iraq, title="Bridge reopens", owner=editor)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    data = article_form(
        "Bridge reopens after repairs",
        article.slug,
        standfirst="Traffic flows again.",
        paragraphs=["<p>Engineers finished overnight.</p>"],
    )
    check = editor_client.post(url, data)
    assert check.status_code == 200
    assert check.json()["is_valid"] is True

    preview = editor_client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Bridge reopens after repairs" in html
    assert "Engineers finished overnight." in html
    # Nothing was saved to the live page by previewing.
    article.refresh_from_db()
    assert article.title == "Bridge reopens"


def test_writer_cannot_edit_or_revert_others_articles(writer_client, editor, make_article, iraq):
    article, first, _ = two_revisions(make_article, iraq, editor)
    edit = writer_client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    assert_refused(edit)
    revert = writer_client.get(
        reverse("wagtailadmin_pages:revisions_revert", args=(article.pk, first.pk))
    )
    assert_refused(revert)
