"""Fixtures for the public site: a fully dressed article and its neighbours."""

import datetime as dt

import pytest
from django.utils import timezone

from masthead.news.models import Byline, CorrectionNote, HomePage


@pytest.fixture
def story(iraq, make_article, make_image, make_author):
    """News / Iraq article with a lead photo, two bylines, topics and a correction."""
    image = make_image("Baghdad square", width=1600, height=900)
    article = make_article(
        section=iraq,
        title='Talks resume in Baghdad & "Basra" </script>',
        standfirst="Negotiators returned to the table on Monday.",
        lead_image=image,
        lead_image_alt="Negotiators around a table",
        lead_image_caption="The talks opened in the capital.",
        lead_image_credit="Photo: Staff",
        dateline="Baghdad",
        published=timezone.now() - dt.timedelta(hours=5),
    )
    for n, name in enumerate(["Leila Karimi", "Omar Nasser"]):
        Byline.objects.create(article=article, author=make_author(name), sort_order=n)
    article.topics.add("Oil", "Basra")
    article.save()
    CorrectionNote.objects.create(
        article=article, kind="correction", note="An earlier version misspelt a name."
    )
    return article


def reload(page):
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def site_root():
    return HomePage.objects.get()
