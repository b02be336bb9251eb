"""The mirror registry: every address at which readers can reach the site."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


class Mirror(models.Model):
    class Kind(models.TextChoices):
        LIVE = "live", "Live: this installation also answers on this host"
        STATIC = "static", "Static: an exported copy hosted elsewhere"
        ONION = "onion", "Onion: a Tor .onion address"

    address = models.URLField(
        max_length=300, unique=True, help_text="Full base URL, e.g. https://news-mirror.example/"
    )
    label = models.CharField(max_length=100, blank=True, help_text="Optional, e.g. 'Tor browser'.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LIVE)
    is_public = models.BooleanField(
        "listed publicly", default=True, help_text="Show this address in the notice on every page."
    )
    sort_order = models.PositiveIntegerField(default=0)
    last_verified_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("address"),
        FieldPanel("label"),
        FieldPanel("kind"),
        FieldPanel("is_public"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "address"]

    def __str__(self):
        return self.label or self.address


register_snippet(Mirror)
