"""import_jsonl: the corpus format into the page tree, idempotently."""

from wagtail.images.models import Image
from wagtail.models import Page, ReferenceIndex, Revision

from masthead.news.models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    SectionPage,
    Topic,
)

from .conftest import article


def assert_tree_valid():
    assert Page.find_problems() == ([], [], [], [], [])


def test_creates_nested_sections_on_demand(home, corpus_file, run_import):
    path = corpus_file(
        [
            article(1, section=["News", "Iraq"]),
            article(2, section=["News", "Iran"]),
            article(3, section=["Business"]),
            article(4, section=["News", "Middle East", "Gulf"]),
        ]
    )
    run_import(path)
    news = SectionPage.objects.child_of(home).get(title="News")
    assert news.slug == "news"
    assert sorted(SectionPage.objects.child_of(news).values_list("title", flat=True)) == [
        "Iran",
        "Iraq",
        "Middle East",
    ]
    gulf = SectionPage.objects.get(title="Gulf")
    assert gulf.get_parent().title == "Middle East"
    assert gulf.url_path == "/home/news/middle-east/gulf/"
    iraq = SectionPage.objects.get(title="Iraq")
    story = ArticlePage.objects.get(external_id="t00001")
    assert story.get_parent().specific == iraq
    assert SectionPage.objects.filter(title="News").count() == 1
    assert all(page.live for page in SectionPage.objects.all())
    assert_tree_valid()


def test_article_is_live_with_a_published_revision(home, corpus_file, run_import):
    run = run_import(corpus_file([article(1)]))
    assert run.counts == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    story = ArticlePage.objects.get(external_id="t00001")
    assert story.live and not story.has_unpublished_changes
    assert story.title == "Officials in Baghdad approved plan number 1"
    assert story.slug == "officials-in-baghdad-approved-plan-number-1"
    assert story.url_path == "/home/news/iraq/officials-in-baghdad-approved-plan-number-1/"
    assert story.standfirst == "A short summary of the story."
    assert story.first_published_at.isoformat() == "2024-03-01T08:00:00+00:00"
    assert story.last_published_at.isoformat() == "2024-03-01T09:30:00+00:00"
    assert story.latest_revision is not None
    assert story.live_revision_id == story.latest_revision_id
    revision_copy = story.latest_revision.as_object()
    assert revision_copy.title == story.title
    assert [b.author.title for b in revision_copy.bylines.all()] == ["Samira Qasem"]
    assert [(block.block_type, block.value.source) for block in story.body] == [
        ("paragraph", "<p>First paragraph.</p>"),
        ("paragraph", "<p>Second paragraph.</p>"),
    ]


def test_reimport_changes_nothing(home, corpus_file, run_import):
    path = corpus_file([article(1), article(2), article(3, section=["Sports"])])
    run_import(path)
    revisions = Revision.objects.count()
    pages = Page.objects.count()
    run = run_import(path)
    assert run.counts == {"created": 0, "updated": 0, "unchanged": 3, "skipped": 0}
    assert Revision.objects.count() == revisions
    assert Page.objects.count() == pages
    assert Topic.objects.count() == 2
    assert_tree_valid()


def test_changed_headline_updates_the_same_page(home, corpus_file, run_import):
    run_import(corpus_file([article(1), article(2)]))
    story = ArticlePage.objects.get(external_id="t00001")
    run = run_import(corpus_file([article(1, headline="A corrected headline"), article(2)]))
    assert run.counts == {"created": 0, "updated": 1, "unchanged": 1, "skipped": 0}
    assert ArticlePage.objects.filter(external_id="t00001").count() == 1
    updated = ArticlePage.objects.get(external_id="t00001")
    assert updated.pk == story.pk
    assert updated.title == "A corrected headline"
    # The URL readers already shared stays the same.
    assert updated.slug == story.slug
    assert updated.latest_revision_id != story.latest_revision_id
    assert updated.live_revision_id == updated.latest_revision_id
    assert updated.latest_revision.as_object().title == "A corrected headline"


def test_changed_section_moves_the_article(home, corpus_file, run_import):
    run_import(corpus_file([article(1), article(2)]))
    run = run_import(corpus_file([article(1, section=["Business"])]))
    assert run.counts["updated"] == 1
    story = ArticlePage.objects.get(external_id="t00001")
    assert story.get_parent().title == "Business"
    assert story.url_path.startswith("/home/business/")
    assert SectionPage.objects.get(title="Iraq").get_children().count() == 1
    assert_tree_valid()


def test_duplicate_ids_in_one_file_update_rather_than_duplicate(home, corpus_file, run_import):
    run = run_import(
        corpus_file([article(1), article(2), article(1, headline="Second version", tags=["X"])])
    )
    assert run.counts == {"created": 2, "updated": 1, "unchanged": 0, "skipped": 0}
    story = ArticlePage.objects.get(external_id="t00001")
    assert story.title == "Second version"
    assert story.bylines.count() == 1
    assert list(story.topics.names()) == ["X"]
    assert story.latest_revision.as_object().title == "Second version"
    assert story.live_revision_id == story.latest_revision_id


def test_same_headline_gets_distinct_slugs(home, corpus_file, run_import):
    run_import(corpus_file([article(1, headline="Same"), article(2, headline="Same")]))
    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == ["same", "same-2"]
    assert_tree_valid()


def test_bylines_become_author_pages(home, corpus_file, run_import):
    run_import(
        corpus_file(
            [
                article(1, byline="Samira Qasem"),
                article(2, byline="Samira Qasem"),
                article(3, byline="Tom Ellison"),
                article(4, byline=""),
            ]
        )
    )
    index = AuthorIndexPage.objects.get()
    authors = AuthorPage.objects.child_of(index)
    assert sorted(authors.values_list("title", flat=True)) == ["Samira Qasem", "Tom Ellison"]
    assert all(author.live and author.latest_revision_id for author in authors)
    samira = authors.get(title="Samira Qasem")
    for number in (1, 2):
        story = ArticlePage.objects.get(external_id=f"t0000{number}")
        assert [b.author_id for b in story.bylines.all()] == [samira.pk]
    # Wire copy: no byline at all.
    assert ArticlePage.objects.get(external_id="t00004").bylines.count() == 0
    assert_tree_valid()


def test_tags_become_topics(home, corpus_file, run_import):
    run_import(
        corpus_file(
            [
                article(1, tags=["Baghdad", "Leila Karimi"]),
                article(2, tags=["Baghdad", "Water board"]),
            ]
        )
    )
    assert sorted(Topic.objects.values_list("name", flat=True)) == [
        "Baghdad",
        "Leila Karimi",
        "Water board",
    ]
    assert Topic.objects.get(name="Leila Karimi").slug == "leila-karimi"
    story = ArticlePage.objects.get(external_id="t00001")
    assert sorted(story.topics.names()) == ["Baghdad", "Leila Karimi"]
    baghdad = Topic.objects.get(name="Baghdad")
    assert baghdad.tagged_stories.count() == 2


def test_images_are_shared_and_captioned(home, corpus_file, run_import, images_dir):
    lead = {"file": "lead-000.jpg", "alt": "A crowd", "caption": "In Baghdad.", "credit": "Agency"}
    run_import(
        corpus_file(
            [
                article(1, image=lead),
                article(2, image={**lead, "alt": "Another view"}),
                article(3, image={"file": "lead-001.jpg"}),
                article(4, image=None),
            ]
        ),
        images=images_dir,
    )
    assert Image.objects.count() == 2
    first = ArticlePage.objects.get(external_id="t00001")
    second = ArticlePage.objects.get(external_id="t00002")
    assert first.lead_image_id == second.lead_image_id
    assert (first.lead_image_alt, first.lead_image_caption, first.lead_image_credit) == (
        "A crowd",
        "In Baghdad.",
        "Agency",
    )
    assert second.lead_image_alt == "Another view"
    assert (first.lead_image.width, first.lead_image.height) == (1280, 720)
    assert first.lead_image.file_hash
    assert ArticlePage.objects.get(external_id="t00004").lead_image is None
    # A second import finds the same pictures again (by content), adding none.
    run_import(corpus_file([article(5, image=lead)]), images=images_dir)
    assert Image.objects.count() == 2


def test_references_are_recorded_after_the_load(
    home, corpus_file, run_import, images_dir, django_capture_on_commit_callbacks
):
    path = corpus_file([article(1, image={"file": "lead-000.jpg", "alt": "x"})])
    # The reference index task is queued once the import's writes are committed.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_import(path, images=images_dir)
    assert callbacks
    image = Image.objects.get()
    story = ArticlePage.objects.get(external_id="t00001")
    assert ReferenceIndex.get_references_to(image).filter(object_id=str(story.pk)).exists()


def test_imported_articles_are_searchable(home, corpus_file, run_import):
    run_import(corpus_file([article(1, body=["Talks about the zanzibarian harbour."])]))
    results = ArticlePage.objects.live().search("zanzibarian")
    assert [page.external_id for page in results] == ["t00001"]


def test_search_and_reference_signals_are_back_after_import(home, corpus_file, run_import):
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler

    run_import(corpus_file([article(1)]))
    assert post_save.has_listeners(ArticlePage)
    receivers = post_save._live_receivers(ArticlePage)
    receivers = receivers[0] if isinstance(receivers, tuple) else receivers
    assert post_save_signal_handler in receivers


def test_html_in_paragraphs_is_sanitised(home, corpus_file, run_import):
    body = [
        'Hello <b onclick="steal()">world</b><script>alert(1)</script>',
        '<img src=x onerror="alert(1)">Picture <a href="javascript:alert(1)">bad</a>',
        'A <a href="https://example.org/report">report</a> and <i>style</i>',
        "Plain text with a < sign & an ampersand",
    ]
    run_import(corpus_file([article(1, body=body)]))
    html = [block.value.source for block in ArticlePage.objects.get().body]
    assert html == [
        "<p>Hello <b>world</b></p>",
        "<p>Picture <a>bad</a></p>",
        '<p>A <a href="https://example.org/report">report</a> and <i>style</i></p>',
        "<p>Plain text with a &lt; sign &amp; an ampersand</p>",
    ]
    joined = " ".join(html)
    for dangerous in ("script", "onerror", "onclick", "javascript:", "<img"):
        assert dangerous not in joined


def test_admin_can_open_an_imported_article(home, corpus_file, run_import, admin_client):
    run_import(corpus_file([article(1)]))
    story = ArticlePage.objects.get()
    response = admin_client.get(f"/admin/pages/{story.pk}/edit/")
    assert response.status_code == 200
    assert b"Officials in Baghdad approved plan number 1" in response.content


def test_article_page_is_served(home, corpus_file, run_import, client):
    run_import(corpus_file([article(1)]))
    response = client.get("/news/iraq/officials-in-baghdad-approved-plan-number-1/")
    assert response.status_code == 200
    assert b"A short summary of the story." in response.content


def test_queries_per_article_are_bounded(
    home, corpus_file, run_import, django_assert_max_num_queries
):
    run_import(corpus_file([article(0)]))  # sections, author and topics exist from here on
    path = corpus_file([article(n) for n in range(1, 41)])
    # About a dozen statements per new article (page, article, byline, topics, revision,
    # savepoints), whatever the size of the file.
    with django_assert_max_num_queries(40 * 14 + 60):
        run = run_import(path)
    assert run.counts["created"] == 40


def test_tree_is_valid_after_a_mixed_import(home, corpus_file, run_import, make_article):
    make_article()  # a page added through Wagtail's own API first
    lines = [article(n, section=[["News", "Iraq"], ["Sports"], ["News"]][n % 3]) for n in range(30)]
    run_import(corpus_file(lines))
    make_article()  # and one after: treebeard must find the right next position
    run_import(corpus_file([article(n, headline=f"New {n}") for n in range(0, 30, 2)]))
    assert_tree_valid()
    news = SectionPage.objects.get(title="News")
    assert news.numchild == news.get_children().count()
