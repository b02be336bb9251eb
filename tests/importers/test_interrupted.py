"""A run that something ends early (an unexpected error in a later batch, Ctrl-C) still
prints its summary, exits non-zero saying what happened, and leaves what it committed
searchable and queued for the mirrors."""

import pytest

from masthead.importers import loader
from masthead.mirrors.models import PendingRefresh
from masthead.mirrors.tasks import refresh_mirrors
from masthead.news.models import ArticlePage
from tests.news.html import parse

from .conftest import article


@pytest.fixture
def mirror_queue(settings, tmp_path, waiting_tasks):
    """A mirror target, and tasks left waiting in memory as a busy worker leaves them."""
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": str(tmp_path)}
    }
    return waiting_tasks


@pytest.fixture
def second_batch_raises(monkeypatch):
    """The second batch fails after its pages are written, inside its transaction."""

    def install(error):
        real = loader.stamp_published
        calls = []

        def stamp(written):
            calls.append(written)
            if len(calls) == 2:
                raise error
            return real(written)

        monkeypatch.setattr(loader, "stamp_published", stamp)

    return install


def lines():
    # Two per batch: batch 1 is lines 1-2, batch 2 (the one that fails) lines 3-4.
    words = ["zanzibarian", "quetzalcoatl", "brobdingnag", "lilliputian", "xanadu"]
    return [article(n, body=[f"A story about {word}."]) for n, word in enumerate(words, 1)]


def search_titles(client, word):
    tree = parse(client.get("/search/", {"q": word}))
    return [a.text for a in tree.xpath("//main//ol[@class='story-list']//h2/a")]


def test_an_error_in_a_later_batch_keeps_indexes_and_queues_the_earlier_ones(
    home,
    client,
    corpus_file,
    run_import,
    second_batch_raises,
    mirror_queue,
    django_capture_on_commit_callbacks,
):
    second_batch_raises(RuntimeError("disk on fire"))
    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(
            corpus_file(lines()),
            batch_size=2,
            fails="stopped in the batch from line 3 by an unexpected error "
            "(RuntimeError: disk on fire), which was not kept; the 2 article(s) before it "
            "are kept and indexed for search, and any mirrors get a full export. Run the "
            "same command again to finish",
        )
    assert run.counts == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 0}
    assert sorted(ArticlePage.objects.values_list("external_id", flat=True)) == [
        "t00001",
        "t00002",
    ]
    assert search_titles(client, "zanzibarian") == [article(1)["headline"]]
    assert search_titles(client, "quetzalcoatl") == [article(2)["headline"]]
    assert search_titles(client, "brobdingnag") == []
    # One full export waits for the worker.
    assert list(PendingRefresh.objects.values_list("page_id", "full_export")) == [(None, True)]
    queued = [r for r in mirror_queue.results if r.task.name == refresh_mirrors.name]
    assert [r.args for r in queued] == [[None]]


def test_ctrl_c_keeps_indexes_and_queues_what_was_committed(
    home,
    client,
    corpus_file,
    run_import,
    second_batch_raises,
    mirror_queue,
    django_capture_on_commit_callbacks,
):
    second_batch_raises(KeyboardInterrupt())
    with django_capture_on_commit_callbacks(execute=True):
        run = run_import(
            corpus_file(lines()),
            batch_size=2,
            fails="interrupted in the batch from line 3, which was not kept; the 2 article(s)",
        )
    assert run.error.returncode == 130
    assert "2 created, 0 updated, 0 unchanged, 0 skipped." in run.stdout
    assert search_titles(client, "quetzalcoatl") == [article(2)["headline"]]
    assert ArticlePage.objects.count() == 2
    assert PendingRefresh.objects.filter(full_export=True).count() == 1


def test_a_run_stopped_early_can_be_run_again_to_finish(
    home, client, corpus_file, run_import, second_batch_raises, monkeypatch
):
    path = corpus_file(lines())
    second_batch_raises(RuntimeError("disk on fire"))
    run_import(path, batch_size=2, fails="stopped in the batch from line 3")
    monkeypatch.undo()
    run = run_import(path, batch_size=2)
    assert run.counts == {"created": 3, "updated": 0, "unchanged": 2, "skipped": 0}
    assert search_titles(client, "xanadu") == [article(5)["headline"]]


def test_a_failed_index_still_prints_the_summary_and_says_what_to_run(
    home, corpus_file, run_import, monkeypatch
):
    def broken(self, progress=None):
        raise ConnectionError("search server gone")

    monkeypatch.setattr(loader.ArticleImporter, "index_imported", broken)
    run = run_import(
        corpus_file(lines()[:2]),
        fails="the articles are imported but indexing them for search did not finish "
        "(ConnectionError: search server gone); run `masthead update_index` to index them",
    )
    assert run.counts == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 0}
