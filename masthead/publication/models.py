"""Who publishes the site: its identity, as editors manage it in Settings > Publication."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class PublicationSettings(BaseSiteSetting):
    name = models.CharField(
        max_length=100,
        default="Masthead News",
        help_text="The publication's name, as readers see it.",
    )
    tagline = models.CharField(max_length=200, blank=True)
    language = models.CharField(
        max_length=20, default="en", help_text="BCP 47 tag of the site's language, e.g. en, ar, fa."
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    x_handle = models.CharField(
        "X (Twitter) handle", max_length=50, blank=True, help_text="Without the @."
    )
    roku_channel_url = models.URLField(
        "Roku channel URL", blank=True, help_text="Where readers add the channel on Roku TV."
    )
    roku_promo_text = models.CharField(
        max_length=200, default="Watch our channel live on Roku TV.", blank=True
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("language")], "Identity"
        ),
        FieldPanel("logo"),
        FieldPanel("x_handle"),
        MultiFieldPanel(
            [FieldPanel("roku_channel_url"), FieldPanel("roku_promo_text")], "TV channel"
        ),
    ]

    class Meta:
        verbose_name = "publication"
