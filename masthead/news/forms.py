"""Admin forms for stories: checks that span the page and its inline notes."""

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from .video_forms import VideoPageForm


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        self.check_note_times()
        return cleaned_data

    def check_note_times(self):
        """A correction or update cannot be dated before the story first reached readers.

        The notes are inline forms, validated only after the page form itself, so each is
        validated here first (Django keeps the result) and given the error on its field.
        """
        first = self.instance.first_published_at
        formset = self.formsets.get("corrections")
        if first is None or formset is None:
            return
        for form in formset.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            noted_at = form.cleaned_data.get("noted_at")
            if noted_at and noted_at < first:
                form.add_error(
                    "noted_at",
                    "A note cannot be earlier than the story's first publication "
                    f"({timezone.localtime(first):%d %B %Y, %H:%M %Z}). "
                    "Leave it empty to use the time it is published.",
                )


class VideoArticlePageForm(ArticlePageForm, VideoPageForm):
    """A video story: the article's checks and the video's (video_forms.py)."""
