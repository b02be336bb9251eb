"""masthead import-jsonl FILE [--images DIR]: load articles in the corpus format.

Each bad line is reported with its number and reason and skipped; nothing of it is
written. The exit status is 1 when any line was skipped, so a scheduled import that
lost stories does not look like a clean one.
"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from masthead.importers.loader import (
    DEFAULT_BATCH_SIZE,
    ArticleImporter,
    ImportCounts,
    ImportSetupError,
    bulk_load_mode,
)
from masthead.importers.signals import import_finished


def numbered_lines(stream):
    """(line number, bytes) for each non-blank line; numbers count every line."""
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield number, raw


def batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def count_lines(path):
    with open(path, "rb") as handle:
        return sum(1 for raw in handle if raw.strip())


class Command(BaseCommand):
    help = "Import articles from a JSON Lines file (the Masthead corpus format) into the page tree."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, or - for standard input")
        parser.add_argument(
            "--images", metavar="DIR", help="folder that the lines' image.file names are in"
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar on standard error"
        )

    def handle(self, *args, **options):
        images_dir = Path(options["images"]) if options["images"] else None
        if images_dir is not None and not images_dir.is_dir():
            raise CommandError(f"--images {images_dir} is not a folder")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        source = options["file"]
        if source == "-":
            stream, total = sys.stdin.buffer, None
        else:
            try:
                total = count_lines(source)
                stream = open(source, "rb")  # noqa: SIM115 - closed below
            except OSError as error:
                raise CommandError(f"cannot read {source}: {error.strerror}") from None

        try:
            importer = ArticleImporter(images_dir=images_dir)
        except ImportSetupError as error:
            raise CommandError(str(error)) from None

        counts = ImportCounts()
        bar = tqdm(
            total=total,
            unit=" lines",
            file=sys.stderr,
            disable=options["no_progress"],
            desc="Importing",
        )

        def report(number, reason):
            with tqdm.external_write_mode(file=sys.stderr):
                self.stderr.write(f"line {number}: {reason}")

        started = time.monotonic()
        try:
            with bulk_load_mode():
                for batch in batches(numbered_lines(stream), options["batch_size"]):
                    importer.import_batch(batch, counts, on_error=report)
                    bar.update(len(batch))
                bar.close()
                loaded = time.monotonic() - started
                index_bar = tqdm(
                    total=sum(len(ids) for ids in importer.touched.values()),
                    unit=" objects",
                    file=sys.stderr,
                    disable=options["no_progress"],
                    desc="Indexing",
                )
                indexed = importer.index_imported(progress=index_bar.update)
                index_bar.close()
        finally:
            bar.close()
            if stream is not sys.stdin.buffer:
                stream.close()

        elapsed = time.monotonic() - started
        rate = (counts.created + counts.updated + counts.unchanged) / elapsed if elapsed else 0
        self.stdout.write(
            f"{counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged, "
            f"{counts.skipped} skipped."
        )
        self.stdout.write(
            f"Loaded in {loaded:.1f} s, indexed {indexed} objects; {elapsed:.1f} s in all "
            f"({rate:.0f} articles/s)."
        )
        if counts.created or counts.updated:
            import_finished.send(sender=type(self), created=counts.created, updated=counts.updated)
        if counts.skipped:
            raise CommandError(f"{counts.skipped} line(s) skipped; see the messages above.")
