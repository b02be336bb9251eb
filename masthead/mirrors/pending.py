"""Changes waiting for the next mirror refresh, kept in the database that every worker shares.

A burst of publishes queues one refresh task each, but the first task to run takes every
change recorded so far and the others find nothing left: one export per burst, not one per
story. Claiming is one UPDATE ... WHERE claim = '' statement, atomic on SQLite (one writer
at a time) and PostgreSQL (a concurrent UPDATE waits for the row and re-checks the WHERE),
so two workers on different machines never take the same row. A run deletes only the rows
it claimed, after it succeeded: a change recorded meanwhile is left for the next run, and a
failed run hands its rows back.
"""

import datetime as dt
import logging
import os
import socket
import uuid
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from .models import PendingRefresh

logger = logging.getLogger("masthead.mirrors")

# A claim this old belongs to a worker that died mid-run (a full export of a large archive
# takes minutes, not hours): its rows are taken again.
CLAIM_LEASE = dt.timedelta(hours=1)
# A change whose refresh failed this many times is dropped, so one page that cannot be
# rendered does not stop every later refresh; the log says so and a full export catches up.
MAX_FAILURES = 5


def record(page_ids):
    """Note that these pages changed (None: the whole copy must be redone)."""
    if page_ids is None:
        PendingRefresh.objects.create(full_export=True)
    else:
        PendingRefresh.objects.bulk_create(
            [PendingRefresh(page_id=page_id) for page_id in dict.fromkeys(page_ids)]
        )


@dataclass
class Claim:
    token: str
    page_ids: list
    full_export: bool
    rows: int

    def done(self):
        """The run succeeded: forget what it took (and only that)."""
        PendingRefresh.objects.filter(claim=self.token).delete()

    def release(self):
        """The run failed: hand the changes back for the next run, up to MAX_FAILURES."""
        mine = PendingRefresh.objects.filter(claim=self.token)
        last_chance = mine.filter(failures__gte=MAX_FAILURES - 1)
        dropped = list(last_chance.values_list("page_id", flat=True))
        if dropped:
            logger.error(
                "mirror refresh failed %s times for pages %s: dropped until the next full "
                "`masthead mirror export`",
                MAX_FAILURES,
                ["all" if page_id is None else page_id for page_id in dropped],
            )
            last_chance.delete()
        mine.update(failures=F("failures") + 1, claim="", claimed_at=None)


def claim():
    """Take every unclaimed change (and any whose claim outlived CLAIM_LEASE), or None."""
    token = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:16]}"
    now = timezone.now()
    taken = PendingRefresh.objects.filter(Q(claim="") | Q(claimed_at__lt=now - CLAIM_LEASE)).update(
        claim=token, claimed_at=now
    )
    if not taken:
        return None
    rows = list(PendingRefresh.objects.filter(claim=token).values_list("page_id", "full_export"))
    full = any(full_export or page_id is None for page_id, full_export in rows)
    page_ids = list(dict.fromkeys(page_id for page_id, _ in rows if page_id is not None))
    return Claim(token=token, page_ids=page_ids, full_export=full, rows=len(rows))


def count():
    return PendingRefresh.objects.filter(claim="").count()
