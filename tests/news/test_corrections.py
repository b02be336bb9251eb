"""A correction note's time: set when it is published, never earlier than the story."""

import datetime as dt

from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset

from masthead.news.models import ArticlePage, CorrectionNote
from tests.newsroom.admin_forms import article_form

from .html import one, parse, text


def post_edit(admin_client, story, notes, publish=True):
    data = article_form(
        story.title,
        story.slug,
        standfirst=story.standfirst,
        corrections=inline_formset(
            [{"kind": "correction", "noted_at": when, "note": text} for when, text in notes]
        ),
    )
    if publish:
        data["action-publish"] = "Publish"
    return admin_client.post(f"/admin/pages/{story.pk}/edit/", data)


def note_times(client, path):
    tree = parse(client.get(path))
    section = one(tree, '//section[@class="corrections"]')
    return [
        (dt.datetime.fromisoformat(t.get("datetime")), text(t.getparent()))
        for t in section.xpath(".//time")
    ]


def test_a_note_left_empty_takes_the_time_it_is_published(admin_client, client, iraq, make_article):
    story = make_article(
        section=iraq, title="Dam opens", published=timezone.now() - dt.timedelta(hours=5)
    )
    before = timezone.now().replace(microsecond=0)
    response = post_edit(admin_client, story, [("", "The dam's height was wrong.")])
    assert response.status_code == 302, response.content.decode()[:2000]
    story = ArticlePage.objects.get(pk=story.pk)
    [note] = CorrectionNote.objects.filter(article=story)
    assert note.noted_at >= before
    [(shown, shown_text)] = note_times(client, "/news/iraq/dam-opens/")
    assert shown == note.noted_at
    assert shown >= story.first_published_at.replace(microsecond=0)
    assert "The dam's height was wrong." in shown_text


def test_a_note_earlier_than_the_first_publication_is_refused(
    admin_client, client, iraq, make_article
):
    published = timezone.now() - dt.timedelta(hours=5)
    story = make_article(section=iraq, title="Dam opens", published=published)
    earlier = timezone.localtime(published - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    response = post_edit(admin_client, story, [(earlier, "Backdated.")])
    assert response.status_code == 200
    assert "cannot be earlier than the story&#x27;s first publication" in response.content.decode()
    assert not CorrectionNote.objects.filter(article=story).exists()
    assert client.get("/news/iraq/dam-opens/").content.count(b"Backdated.") == 0


def test_a_note_written_on_a_draft_reads_later_than_the_first_publication(
    client, iraq, make_article
):
    story = make_article(section=iraq, title="Embargoed", live=False)
    story = ArticlePage.objects.get(pk=story.pk)
    story.corrections.add(CorrectionNote(kind="update", note="Figures added."))
    revision = story.save_revision()
    [draft_note] = revision.as_object().corrections.all()
    assert draft_note.noted_at is None  # no time taken while the form was being filled in
    revision.publish()
    story = ArticlePage.objects.get(pk=story.pk)
    [(shown, shown_text)] = note_times(client, "/news/iraq/embargoed/")
    assert shown >= story.first_published_at.replace(microsecond=0)
    assert "Figures added." in shown_text
