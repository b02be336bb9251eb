"""Bad lines: each is reported with its number and reason, and leaves nothing behind."""

import json

import pytest
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from masthead.cli import main as masthead_main
from masthead.importers.loader import ArticleImporter
from masthead.news.models import ArticlePage, AuthorPage, SectionPage, Topic

from .conftest import article

# Each bad line names a new section, author and topic, so anything half-written would show.
GHOST = {"section": ["Ghost section"], "byline": "Ghost Writer", "tags": ["Ghost topic"]}


def bad(**fields):
    data = article(99, **GHOST)
    for key, value in fields.items():
        if value is KeyError:
            data.pop(key)
        else:
            data[key] = value
    return data


BAD_LINES = [
    pytest.param(b'{"id": "t1", "headline": ', "invalid JSON", id="invalid-json"),
    pytest.param(b'["a list"]', "expected a JSON object", id="not-an-object"),
    pytest.param(b'{"id": "caf\xe9"}', "not UTF-8", id="not-utf8"),
    pytest.param(bad(id=KeyError), "missing 'id'", id="missing-id"),
    pytest.param(bad(id=42), "'id' must be a string", id="id-not-string"),
    pytest.param(bad(id="x" * 65), "'id' is longer than 64", id="id-too-long"),
    pytest.param(bad(headline=KeyError), "missing 'headline'", id="missing-headline"),
    pytest.param(bad(headline="   "), "'headline' is empty", id="empty-headline"),
    pytest.param(bad(headline="x" * 256), "'headline' is longer", id="long-headline"),
    pytest.param(bad(standfirst=KeyError), "missing 'standfirst'", id="missing-standfirst"),
    pytest.param(bad(section="News"), "'section' must be a non-empty list", id="section-str"),
    pytest.param(bad(section=[]), "'section' must be a non-empty list", id="section-empty"),
    pytest.param(
        bad(section=["News", ""]),
        "'section' must contain only non-empty strings",
        id="section-blank",
    ),
    pytest.param(bad(body="text"), "'body' must be a list", id="body-not-list"),
    pytest.param(bad(body=KeyError), "missing 'body'", id="missing-body"),
    pytest.param(bad(published=KeyError), "missing 'published'", id="missing-published"),
    pytest.param(bad(published="yesterday"), "'published' is not an ISO 8601", id="bad-date"),
    pytest.param(
        bad(published="2024-03-01T08:00:00"), "'published' has no time zone", id="naive-date"
    ),
    pytest.param(
        bad(updated="2024-02-01T08:00:00+00:00"), "'updated' is before", id="updated-early"
    ),
    pytest.param(bad(tags="Baghdad"), "'tags' must be a list", id="tags-not-list"),
    pytest.param(bad(byline=["A"]), "'byline' must be a string", id="byline-not-string"),
    pytest.param(bad(image="lead.jpg"), "'image' must be an object", id="image-not-object"),
    pytest.param(bad(image={"file": "missing.jpg"}), "image file not found", id="image-missing"),
    pytest.param(
        bad(image={"file": "../secret.jpg"}),
        "image file '../secret.jpg' is outside",
        id="image-escape",
    ),
    pytest.param(
        bad(image={"file": "not-a-picture.jpg"}),
        "image file is not a readable picture",
        id="image-broken",
    ),
    pytest.param(
        bad(image={"file": "lead-000.jpg", "credit": "x" * 101}),
        "'image.credit' is longer",
        id="credit-too-long",
    ),
]


@pytest.mark.parametrize(("line", "reason"), BAD_LINES)
def test_bad_line_is_reported_and_skipped(home, corpus_file, run_import, images_dir, line, reason):
    (images_dir / "not-a-picture.jpg").write_bytes(b"this is not a JPEG")
    pages_before = Page.objects.count()
    path = corpus_file([article(1), line, article(3)])
    # The exit status says that something was skipped.
    run = run_import(path, images=images_dir, fails="1 line(s) skipped")
    assert f"line 2: {reason}" in run.stderr
    assert run.counts == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 1}
    assert sorted(ArticlePage.objects.values_list("external_id", flat=True)) == [
        "t00001",
        "t00003",
    ]
    # Nothing of the bad line: no section, author, topic or image of its own.
    assert not SectionPage.objects.filter(title="Ghost section").exists()
    assert not AuthorPage.objects.filter(title="Ghost Writer").exists()
    assert not Topic.objects.filter(name="Ghost topic").exists()
    assert not Image.objects.exists()
    # 2 articles + News + Iraq + one author.
    assert Page.objects.count() == pages_before + 5
    assert Page.find_problems() == ([], [], [], [], [])


def test_image_without_images_folder_is_a_bad_line(home, corpus_file, run_import):
    run = run_import(corpus_file([article(1, image={"file": "lead-000.jpg"})]), fails="skipped")
    assert "line 1: has an image but no --images folder was given" in run.stderr
    assert not ArticlePage.objects.exists()


def test_blank_lines_are_ignored_but_counted_in_line_numbers(home, corpus_file, run_import):
    run = run_import(corpus_file([article(1), "", "   ", "{oops"]), fails="1 line(s) skipped")
    assert "line 4: invalid JSON" in run.stderr
    assert run.counts == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 1}


def test_failure_while_writing_rolls_back_only_that_line(
    home, corpus_file, run_import, monkeypatch
):
    """A line that fails half way through being written (here: just after its page rows
    were inserted, when its section, author and topic exist too) leaves nothing behind,
    and the lines after it are imported."""
    original = ArticleImporter.save_new

    def failing(self, page, *args, **kwargs):
        original(self, page, *args, **kwargs)
        if getattr(page, "external_id", None) == "t00099":
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(ArticleImporter, "save_new", failing)
    revisions_before = Revision.objects.count()
    run = run_import(
        corpus_file([article(1), article(99, **GHOST), article(3), article(4, **GHOST)]),
        batch_size=10,
        fails="1 line(s) skipped",
    )
    assert "line 2: could not be saved: disk on fire" in run.stderr
    assert run.counts == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 1}
    assert not ArticlePage.objects.filter(external_id="t00099").exists()
    # The fourth line created the ghost section, author and topic for real.
    assert SectionPage.objects.filter(title="Ghost section").count() == 1
    assert AuthorPage.objects.filter(title="Ghost Writer").count() == 1
    assert Topic.objects.filter(name="Ghost topic").count() == 1
    # 3 articles, News, Iraq, Ghost section and two authors, each with one revision.
    assert Revision.objects.count() == revisions_before + 8
    assert all(page.latest_revision_id for page in ArticlePage.objects.all())
    assert Page.find_problems() == ([], [], [], [], [])


def test_failed_batch_insert_is_retried_line_by_line(home, corpus_file, run_import, monkeypatch):
    """If the batch-level inserts fail, the batch is rolled back and written again one
    line at a time: every article still ends up complete, none twice."""
    from django.db import DatabaseError
    from django.db.models.query import QuerySet

    original = QuerySet.bulk_create
    calls = {"revisions": 0}

    def flaky(queryset, objs, *args, **kwargs):
        if queryset.model is Revision:
            calls["revisions"] += 1
            if calls["revisions"] == 1:
                raise DatabaseError("simulated failure")
        return original(queryset, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", flaky)
    run = run_import(corpus_file([article(n) for n in range(1, 6)]))
    assert run.counts == {"created": 5, "updated": 0, "unchanged": 0, "skipped": 0}
    assert ArticlePage.objects.count() == 5
    for page in ArticlePage.objects.all():
        assert page.live_revision_id == page.latest_revision_id is not None
        assert page.bylines.count() == 1
        assert page.tagged_topics.count() == 2
    assert Page.find_problems() == ([], [], [], [], [])


def test_unreadable_file_is_a_command_error(home, run_import, tmp_path):
    run_import(tmp_path / "nope.jsonl", fails="cannot read")


def test_missing_images_folder_is_a_command_error(home, corpus_file, run_import, tmp_path):
    run_import(corpus_file([article(1)]), images=tmp_path / "nowhere", fails="is not a folder")
    assert not ArticlePage.objects.exists()


def test_console_script_alias(home, corpus_file, capsys, monkeypatch):
    from django.db import connections

    # run_from_argv() closes the connections when a command ends, which would end the
    # test's own transaction on PostgreSQL.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = corpus_file([article(1), article(2)])
    masthead_main(["masthead", "import-jsonl", str(path), "--no-progress"])
    assert "2 created, 0 updated, 0 unchanged, 0 skipped." in capsys.readouterr().out
    assert ArticlePage.objects.count() == 2


def test_corpus_line_format_round_trip(home, corpus_file, run_import):
    from masthead.demo.corpus import generate_articles

    lines = list(generate_articles(25, seed=3))
    run = run_import(corpus_file(lines))
    assert run.counts == {"created": 25, "updated": 0, "unchanged": 0, "skipped": 0}
    for line in lines[:5]:
        page = ArticlePage.objects.get(external_id=line["id"])
        assert page.title == line["headline"]
        assert page.get_parent().title == line["section"][-1]
        assert sorted(page.topics.names()) == sorted(line["tags"])
        assert len(page.body) == len(line["body"])
    assert json.loads(json.dumps(lines[0]))["lang"] == "en"


def test_lines_that_crash_pythons_parsers_are_bad_lines(home, corpus_file, run_import):
    """Deep nesting (RecursionError), dates outside datetime's range once in UTC
    (OverflowError) and an oversized body are reported and skipped; the good lines around
    them, in the same batch, are imported and the summary prints."""
    lines = [
        article(1),
        "[" * 200_000,
        '{"a": ' * 100_000 + "1" + "}" * 100_000,
        article(2, published="0001-01-01T00:00:00+05:00"),
        article(3, published="9999-12-31T23:59:59-05:00"),
        article(4, body=["x" * (2 * 1024 * 1024 + 1)]),
        article(5),
    ]
    # Bad lines: exit status 1.
    run = run_import(corpus_file(lines), batch_size=100, fails="5 line(s) skipped")
    assert "line 2: JSON nested too deeply to read" in run.stderr
    assert "line 3: JSON nested too deeply to read" in run.stderr
    assert "line 4: 'published' is out of range" in run.stderr
    assert "line 5: 'published' is out of range" in run.stderr
    assert (
        "line 6: 'body' is 2,097,153 bytes, more than the 2,097,152 allowed "
        "(MASTHEAD_IMPORT_MAX_BODY_MB)" in run.stderr
    )
    assert run.counts == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 5}
    assert sorted(ArticlePage.objects.values_list("external_id", flat=True)) == [
        "t00001",
        "t00005",
    ]


def test_body_limit_follows_the_setting(home, corpus_file, run_import, settings):
    settings.IMPORT_MAX_BODY_MB = 1
    megabyte = 1024 * 1024
    lines = [article(1, body=["x" * megabyte]), article(2, body=["x" * (megabyte + 1)])]
    run = run_import(corpus_file(lines), fails="1 line(s) skipped")
    assert (
        "line 2: 'body' is 1,048,577 bytes, more than the 1,048,576 allowed "
        "(MASTHEAD_IMPORT_MAX_BODY_MB)" in run.stderr
    )
    assert list(ArticlePage.objects.values_list("external_id", flat=True)) == ["t00001"]
