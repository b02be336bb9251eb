"""A burst of publishes costs one refresh run: pending changes merge, none is lost."""

import datetime as dt
import threading

import pytest
from django.utils import timezone

from masthead.mirrors import pending, pipeline
from masthead.mirrors.models import PendingRefresh
from masthead.mirrors.signals import enqueue_refresh
from masthead.mirrors.tasks import refresh_mirrors


@pytest.fixture
def copy(site, dest, settings):
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": str(dest)}
    }
    refresh_mirrors.call(None)  # the first full copy
    assert (dest / "current/index.html").exists()
    assert not PendingRefresh.objects.exists()
    return dest


@pytest.fixture
def queue(waiting_tasks):
    return waiting_tasks


@pytest.fixture
def runs(monkeypatch):
    """The `pages` argument of every pipeline.run (None: a full export), in order."""
    calls = []
    real_run = pipeline.run

    def spy(*args, **kwargs):
        pages = kwargs.get("pages")
        calls.append(None if pages is None else sorted(page.pk for page in pages))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run", spy)
    return calls


def run_queued(queue):
    """Run every queued refresh in order, as the worker would; their return values."""
    results = [
        result.task.call(*result.args, **result.kwargs)
        for result in list(queue.results)
        if result.task.name == refresh_mirrors.name
    ]
    queue.clear()
    return results


def story_file(story):
    return story.url.strip("/") + "/index.html"


def test_ten_queued_publishes_are_exported_by_the_first_task_alone(
    copy, site, make_story, queue, runs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stories = [make_story(site["business"], title=f"Burst story {n}") for n in range(10)]
    queued = [result for result in queue.results if result.task.name == refresh_mirrors.name]
    assert len(queued) == 10

    results = run_queued(queue)

    assert runs == [sorted(story.pk for story in stories)]
    assert results[1:] == ["nothing pending"] * 9
    for story in stories:
        assert (copy / "current" / story_file(story)).is_file()
    section = (copy / "current/business/index.html").read_bytes()
    assert all(story.title.encode() in section for story in stories[-5:])
    assert not PendingRefresh.objects.exists()


def test_a_change_recorded_during_a_run_waits_for_the_next_run(
    copy, site, make_story, queue, monkeypatch
):
    first = make_story(site["business"], title="Before the run")
    enqueue_refresh(first.pk)
    late = {}
    real_run = pipeline.run

    def publish_meanwhile(*args, **kwargs):
        if not late:  # an editor publishes while the first run is exporting
            late["story"] = make_story(site["business"], title="During the run")
            enqueue_refresh(late["story"].pk)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run", publish_meanwhile)
    first_result = refresh_mirrors.call([first.pk], recorded=True)
    assert "pages" in first_result
    # The run deleted only what it had claimed: the late change is still waiting.
    assert list(PendingRefresh.objects.values_list("page_id", "claim")) == [(late["story"].pk, "")]
    assert (copy / "current" / story_file(first)).is_file()

    monkeypatch.setattr(pipeline, "run", real_run)
    results = run_queued(queue)  # the tasks queued by both publishes: one finds it
    assert sorted(result == "nothing pending" for result in results) == [False, True]

    assert (copy / "current" / story_file(late["story"])).is_file()
    assert not PendingRefresh.objects.exists()


def test_a_full_export_among_incremental_changes_makes_one_full_export(copy, site, queue, runs):
    enqueue_refresh(site["stories"][0].pk)
    enqueue_refresh(None)  # a section was renamed, say
    enqueue_refresh(site["stories"][1].pk)

    results = run_queued(queue)

    assert runs == [None]
    assert results[1:] == ["nothing pending"] * 2
    assert not PendingRefresh.objects.exists()


def test_a_failed_run_hands_its_changes_back(copy, site, make_story, queue, monkeypatch):
    story = make_story(site["business"], title="Survives a failure")
    enqueue_refresh(story.pk)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "run", broken)
        assert run_queued(queue)[0].startswith("failed")
    row = PendingRefresh.objects.get()
    assert (row.page_id, row.claim, row.failures) == (story.pk, "", 1)

    refresh_mirrors.call([], recorded=True)  # the next publish's task
    assert (copy / "current" / story_file(story)).is_file()
    assert not PendingRefresh.objects.exists()


def test_a_claim_is_taken_by_one_worker_only(db):
    pending.record([1, 2, 2])
    mine = pending.claim()
    assert (mine.page_ids, mine.full_export) == ([1, 2], False)
    assert pending.claim() is None  # another worker, while the first one runs
    pending.record([3])
    theirs = pending.claim()
    assert theirs.page_ids == [3]
    mine.done()
    assert list(PendingRefresh.objects.values_list("page_id", flat=True)) == [3]


def test_a_claim_abandoned_by_a_dead_worker_is_taken_again(db):
    pending.record([7])
    pending.claim()  # the worker dies here
    assert pending.claim() is None
    PendingRefresh.objects.update(claimed_at=timezone.now() - pending.CLAIM_LEASE - dt.timedelta(1))
    assert pending.claim().page_ids == [7]


@pytest.mark.django_db(transaction=True)
def test_workers_claiming_at_once_never_share_a_change():
    """Four workers race for the same queue, each on its own database connection (on
    PostgreSQL in CI's second run): every change is taken exactly once."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    pending.record(range(1, 201))
    start = threading.Barrier(4)

    def worker(_):
        taken = []
        start.wait()
        try:
            for _round in range(20):
                got = pending.claim()
                if got:
                    taken.extend(got.page_ids)
            return taken
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(worker, range(4)))
    everything = [page_id for taken in results for page_id in taken]
    assert sorted(everything) == list(range(1, 201))
