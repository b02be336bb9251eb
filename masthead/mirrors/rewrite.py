"""Map site URLs to files of a static copy and rewrite links to relative ones.

A copy must work at a web server's root and under any path prefix, so every internal
link in exported HTML and CSS becomes relative to the file that holds it, and a
directory URL (/news/) names its file (news/index.html), which also lets the copy
work from a bucket without index-document support.
"""

import html
import posixpath
import re
from urllib.parse import quote, unquote, urljoin, urlsplit

# Characters kept as they are when a decoded file path is turned back into a URL.
URL_SAFE = "/:@!$&'()*+,;=-._~"

ATTRIBUTE_RE = re.compile(
    r"""(?P<pre>\s(?:href|src|action|poster|data-src)\s*=\s*)(?P<q>["'])(?P<url>[^"'<>]*)(?P=q)""",
    re.IGNORECASE,
)
SRCSET_RE = re.compile(r"""(?P<pre>\ssrcset\s*=\s*)(?P<q>["'])(?P<url>[^"'<>]*)(?P=q)""", re.I)
CSS_URL_RE = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')\s]+)(?P=q)\s*\)""", re.IGNORECASE)
CSS_IMPORT_RE = re.compile(r"""@import\s+(?P<q>["'])(?P<url>[^"']+)(?P=q)""", re.IGNORECASE)


class UnsafePath(ValueError):
    pass


def url_path_to_file(url_path):
    """'/news/iraq/' -> 'news/iraq/index.html'; '/feeds/rss.xml' -> 'feeds/rss.xml'.

    A last segment without a dot is a directory (Django would redirect /news to /news/).
    """
    decoded = unquote(url_path, errors="strict")
    if not decoded.startswith("/") or "\x00" in decoded or "\\" in decoded:
        raise UnsafePath(url_path)
    relative = decoded.lstrip("/")
    last = relative.rsplit("/", 1)[-1]
    if not relative or relative.endswith("/"):
        relative += "index.html"
    elif "." not in last:
        relative += "/index.html"
    normal = posixpath.normpath(relative)
    if normal != relative or normal.startswith("../") or normal == "..":
        raise UnsafePath(url_path)
    if any(part.startswith(".") and part != ".well-known" for part in normal.split("/")):
        raise UnsafePath(url_path)
    return normal


def relative_url(from_file, to_file):
    """The link from one exported file to another, percent-encoded."""
    start = posixpath.dirname(from_file) or "."
    return quote(posixpath.relpath(to_file, start), safe=URL_SAFE)


class Rewriter:
    """Rewrites the links of one document; collects the internal URL paths it links to.

    classify(url) returns the internal URL path a link names ('/news/'), or None for
    links that leave the site (other hosts, mailto:, fragments only).
    """

    def __init__(self, classify):
        self.classify = classify

    def _rewrite_url(self, url, page_url, from_file, found):
        target = self.classify(url, page_url)
        if target is None:
            return None
        path, query, fragment = target
        try:
            to_file = url_path_to_file(path)
        except (UnsafePath, UnicodeDecodeError):
            return None
        found.add(path)
        new = relative_url(from_file, to_file)
        if query:
            new += "?" + query
        if fragment:
            new += "#" + fragment
        return new

    def html(self, text, page_url, from_file):
        found = set()

        def attribute(match):
            url = html.unescape(match["url"]).strip()
            new = self._rewrite_url(url, page_url, from_file, found)
            if new is None:
                return match[0]
            return f"{match['pre']}{match['q']}{html.escape(new, quote=True)}{match['q']}"

        def srcset(match):
            items = []
            for item in html.unescape(match["url"]).split(","):
                bits = item.strip().split(None, 1)
                if not bits:
                    continue
                new = self._rewrite_url(bits[0], page_url, from_file, found) or bits[0]
                items.append(" ".join([new, *bits[1:]]))
            value = html.escape(", ".join(items), quote=True)
            return f"{match['pre']}{match['q']}{value}{match['q']}"

        text = ATTRIBUTE_RE.sub(attribute, text)
        text = SRCSET_RE.sub(srcset, text)
        text = self._css_urls(text, page_url, from_file, found)
        return text, found

    def css(self, text, css_url, from_file):
        found = set()
        text = self._css_urls(text, css_url, from_file, found)

        def css_import(match):
            new = self._rewrite_url(match["url"], css_url, from_file, found)
            if new is None:
                return match[0]
            return f"@import {match['q']}{new}{match['q']}"

        return CSS_IMPORT_RE.sub(css_import, text), found

    def _css_urls(self, text, base_url, from_file, found):
        def css_url(match):
            if match["url"].startswith("data:"):
                return match[0]
            new = self._rewrite_url(match["url"], base_url, from_file, found)
            if new is None:
                return match[0]
            return f'url("{new}")'

        return CSS_URL_RE.sub(css_url, text)


def split_internal(url, page_url, media_prefixes):
    """(path, query, fragment) for a link within the site, else None.

    Root-relative and page-relative links are internal; absolute http(s) links are
    internal only when they point into absolute media storage (a bucket's domain),
    so canonical and og:url links to the primary domain stay as they are.
    """
    if not url or url.startswith("#"):
        return None
    for prefix in media_prefixes:
        if url.startswith(prefix):
            rest = urlsplit(url[len(prefix) :])
            return "/media/" + rest.path.lstrip("/"), "", rest.fragment
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    absolute = urlsplit(urljoin(page_url, url))
    if not absolute.path.startswith("/"):
        return None
    return absolute.path, parts.query, parts.fragment
