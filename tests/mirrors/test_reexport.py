"""Exporting again changes only what changed: a copy's files are deterministic, so a
refresh pushes (and a reader's cache refetches) just the difference."""

from masthead.mirrors import pipeline


def test_an_export_with_nothing_changed_changes_nothing(site, dest):
    first = pipeline.run(dest=dest)
    again = pipeline.run(dest=dest)
    assert again.changed == set(), sorted(again.changed)
    assert again.removed == set()
    assert again.files == first.files
    assert "0 changed, 0 removed" in again.summary()


def test_a_re_export_counts_only_the_files_that_differ(site, dest):
    pipeline.run(dest=dest)
    site["stories"][0].title = "A new headline"
    site["stories"][0].save_revision().publish()
    again = pipeline.run(dest=dest)
    assert 0 < len(again.changed) < 40, again.changed
    assert f"{len(again.changed)} changed" in again.summary()
