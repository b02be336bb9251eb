"""Which numbered pages of a listing an update re-renders.

A section's (or /videos/') numbered pages count from the oldest story, so a new story
changes only the top numbers, and an unpublished or edited story also changes the page
that lists it. The walk re-renders from the newest number down and stops at the first
page that comes out unchanged, except for pages that list one of the changed stories.
"""

import posixpath
import re
from urllib.parse import quote

from masthead.publication.paths import listing_page_path

from .rewrite import UnsafePath, url_path_to_file

PAGE_NUMBER_RE = re.compile(r"^(?P<base>.*)/page/(?P<n>\d+)/index\.html$")
# The characters rewrite.py leaves unquoted in a relative link.
LINK_SAFE = "/:@!$&'()*+,;=-._~"


def walk(base, expected_pages, story_files, output, render_page):
    """Re-render the listing at base through render_page(path), which returns
    'changed', 'unchanged', 'missing' or 'error'.

    output: the version being built (files.BuildFiles); story_files: the changed
    stories' files; expected_pages: how many numbered pages the listing has now.
    """
    try:
        base_dir = posixpath.dirname(url_path_to_file(base))
    except (UnsafePath, UnicodeDecodeError):
        return
    numbers = numbered_pages(output.entries, base_dir)
    must = {number for number, rel in numbers.items() if lists_story(output, rel, story_files)}
    # Numbers above the expected count exist only if the listing shrank: re-render them
    # too, so a page that no longer exists leaves the copy.
    highest = max(numbers, default=0)
    stopped = False
    for number in range(max(highest, expected_pages), 0, -1):
        if stopped and number not in must:
            continue
        outcome = render_page(listing_page_path(base, number))
        if outcome == "unchanged" and number <= highest:
            stopped = True


def numbered_pages(entries, base_dir):
    """{number: file} of the listing's numbered pages the version holds."""
    pages = {}
    for rel in entries:
        match = PAGE_NUMBER_RE.match(rel)
        if match and match["base"] == base_dir:
            pages[int(match["n"])] = rel
    return pages


def lists_story(output, rel, story_files):
    try:
        data = output.read(rel)
    except OSError:
        return False
    for story_rel in story_files:
        href = posixpath.relpath(story_rel, posixpath.dirname(rel))
        if quote(href, safe=LINK_SAFE).encode() in data:
            return True
    return False
