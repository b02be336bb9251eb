"""The notice every public page shows while there are public mirrors: the other addresses
the site can be read at, for readers who find it blocked.

One small cached value; dropped whenever a Mirror is saved or deleted.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from masthead.publication.chrome import CHROME_CACHE_SECONDS

from .models import Mirror

MIRRORS_KEY = "masthead:chrome:mirrors"


def public_mirrors():
    """The addresses listed in the notice: [{"address", "label"}], possibly empty."""
    items = cache.get(MIRRORS_KEY)
    if items is None:
        items = list(Mirror.objects.filter(is_public=True).values("address", "label"))
        cache.set(MIRRORS_KEY, items, CHROME_CACHE_SECONDS)
    return items


def forget_mirrors():
    cache.delete(MIRRORS_KEY)


def mirror_changed(sender, **kwargs):
    forget_mirrors()


def connect():
    post_save.connect(mirror_changed, sender=Mirror, dispatch_uid="masthead-mirrors-save")
    post_delete.connect(mirror_changed, sender=Mirror, dispatch_uid="masthead-mirrors-del")
