"""masthead import-jsonl FILE [--images DIR]: load articles in the corpus format.

Each bad line is reported with its number and reason and skipped; nothing of it is
written. The exit status is 1 when any line was skipped, so a scheduled import that
lost stories does not look like a clean one.

Whatever ends a run (a bad line, an unexpected error in a later batch, Ctrl-C), the summary
prints, and what was committed is indexed for search and announced to the mirrors: an
interrupted import is a smaller import, not a half-visible one.
"""

import logging
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

logger = logging.getLogger(__name__)


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
        loaded = indexed = 0
        stopped = None  # the CommandError that ends the run once the summary is out
        try:
            with bulk_load_mode():
                stopped = self.load(importer, stream, counts, bar, options, report)
                loaded = time.monotonic() - started
                indexed, failed = self.index(importer, options)
                stopped = stopped or failed
        finally:
            bar.close()
            if stream is not sys.stdin.buffer:
                stream.close()
            # Whatever ended the run: say what was done, and let the mirrors catch up with
            # what was committed.
            self.summarise(counts, started, loaded, indexed)
            if counts.created or counts.updated:
                import_finished.send(
                    sender=type(self), created=counts.created, updated=counts.updated
                )
        if stopped is not None:
            raise stopped
        if counts.skipped:
            raise CommandError(f"{counts.skipped} line(s) skipped; see the messages above.")

    def load(self, importer, stream, counts, bar, options, report):
        """Import every batch; a CommandError saying so if something ended the run early.

        Each batch is its own transaction: the one under way when an exception or Ctrl-C
        arrives is rolled back whole, and the ones before it stay committed, to be indexed
        and announced like a finished run's.
        """
        next_line = 1
        try:
            for batch in batches(numbered_lines(stream), options["batch_size"]):
                importer.import_batch(batch, counts, on_error=report)
                bar.update(len(batch))
                next_line = batch[-1][0] + 1
        except (Exception, KeyboardInterrupt) as error:
            return self.stopped(error, next_line, counts)
        finally:
            bar.close()
        return None

    def index(self, importer, options):
        """(objects indexed, None), or (0, CommandError) when indexing failed."""
        index_bar = tqdm(
            total=sum(len(ids) for ids in importer.touched.values()),
            unit=" objects",
            file=sys.stderr,
            disable=options["no_progress"],
            desc="Indexing",
        )
        try:
            return importer.index_imported(progress=index_bar.update), None
        except (Exception, KeyboardInterrupt) as error:
            logger.error("indexing the imported stories failed", exc_info=error)
            return 0, CommandError(
                "the articles are imported but indexing them for search did not finish "
                f"({type(error).__name__}: {error}); run `masthead update_index` to index them"
            )
        finally:
            index_bar.close()

    def stopped(self, error, first_line, counts):
        """The CommandError for a run that an exception or Ctrl-C ended early."""
        kept = counts.created + counts.updated + counts.unchanged
        after = (
            f"the {kept} article(s) before it are kept and indexed for search, and any "
            "mirrors get a full export. Run the same command again to finish: lines "
            "already imported are left unchanged"
        )
        if isinstance(error, KeyboardInterrupt):
            return CommandError(
                f"interrupted in the batch from line {first_line}, which was not kept; {after}.",
                returncode=130,
            )
        logger.error("import stopped in the batch from line %s", first_line, exc_info=error)
        return CommandError(
            f"stopped in the batch from line {first_line} by an unexpected error "
            f"({type(error).__name__}: {error}), which was not kept; {after} once the "
            "cause is fixed."
        )

    def summarise(self, counts, started, loaded, indexed):
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
