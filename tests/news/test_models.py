import pytest

from masthead.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def test_sections_nest_and_articles_take_wagtail_publish_times(make_section, make_article):
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    article = make_article(section=iraq, title="Talks resume in Baghdad")

    assert [p.title for p in article.get_ancestors()[2:]] == ["News", "Iraq"]
    assert article.published_at == article.first_published_at is not None
    assert article.updated_at is None
    assert SectionPage.objects.get(pk=iraq.pk).get_parent().specific == news

    article.standfirst = "A correction to the standfirst."
    article.save_revision().publish()
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.updated_at is not None and article.updated_at > article.published_at
