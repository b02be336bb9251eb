"""Publishing queues a mirror refresh once the transaction commits (never waits on it)."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from . import conf, registry
from .models import Mirror

logger = logging.getLogger("masthead.mirrors")


def enqueue_refresh(page_id):
    from .tasks import refresh_mirrors

    try:
        refresh_mirrors.enqueue([page_id])
    except Exception:
        # The queue being down must not turn a publish into an error page.
        logger.exception("could not queue a mirror refresh for page %s", page_id)


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    if not conf.targets():
        return
    page_id = instance.pk
    transaction.on_commit(lambda: enqueue_refresh(page_id))


@receiver(post_save, sender=Mirror)
@receiver(post_delete, sender=Mirror)
def registry_changed(sender, **kwargs):
    registry.clear()
