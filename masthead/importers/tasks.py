"""Background work after an import: the reference index ("usage" in the admin).

Wagtail itself records references in a background task after every save; an import
switches that off for speed and queues one task per chunk of imported objects instead.
"""

from django.apps import apps
from django.db import transaction
from django_tasks import task
from wagtail.models import ReferenceIndex


@task()
def update_references(app_label, model_name, ids):
    """Record what the given objects link to (lead images, authors, images in bodies)."""
    model = apps.get_model(app_label, model_name)
    if not ReferenceIndex.is_indexed(model):
        return 0
    done = 0
    for obj in model.objects.filter(pk__in=ids).iterator(chunk_size=200):
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(obj)
        done += 1
    return done
