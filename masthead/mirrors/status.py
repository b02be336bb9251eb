"""The outcome of each export run, kept so the admin's Mirrors panel can say how the
copies are doing without touching the disk or the network."""

import logging

from django.db import DatabaseError

from .models import ExportOutcome

logger = logging.getLogger("masthead.mirrors")
KEEP = 100


def record(*, ok, trigger, destination, full, message):
    """Store one run's outcome; a database that cannot take it must not fail the export."""
    try:
        ExportOutcome.objects.create(
            ok=ok, trigger=trigger, destination=str(destination)[:500], full=full, message=message
        )
        stale = ExportOutcome.objects.values_list("pk", flat=True)[KEEP:]
        ExportOutcome.objects.filter(pk__in=list(stale)).delete()
    except DatabaseError:
        logger.exception("could not record the export outcome")


def latest():
    """(the latest run, the latest successful run): either may be None."""
    last = ExportOutcome.objects.first()
    if last is None or last.ok:
        return last, last
    return last, ExportOutcome.objects.filter(ok=True).first()
