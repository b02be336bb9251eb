"""Signals the importer sends, so other apps react to a whole import at once.

An import saves pages in bulk with Wagtail's per-page signals of little use (no
page_published), so apps that refresh derived copies (mirrors) listen for this instead.
"""

from django.dispatch import Signal

# Sent once after an import that created or changed stories, when its work is committed.
# Arguments: created, updated (counts).
import_finished = Signal()
