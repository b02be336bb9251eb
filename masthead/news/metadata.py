"""What an article tells machines about itself: canonical URL, share links, Open Graph,
X card and JSON-LD. Built as plain data here; templates only print it."""

import json
from urllib.parse import quote, urlsplit

from django.utils.safestring import mark_safe

from masthead.publication import conf

# X card limits (developer.x.com/cards/markup): title 70 characters, description 200.
X_TITLE_MAX = 70
X_DESCRIPTION_MAX = 200

# Characters that would let JSON text end a <script> element or an HTML comment early, or
# that older JavaScript parsers treat as line ends.
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_for_script(data):
    """JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 (escaped above)


def canonical_url(path):
    """The primary domain plus the page's path, whichever host served the request."""
    if path.startswith(("http://", "https://")):
        path = urlsplit(path).path or "/"
    return conf.primary_url() + path


def truncate(text, limit):
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def share_links(url, headline):
    """Plain links to share an article; no script or request reaches the platforms until a
    reader follows one."""
    u = quote(url, safe="")
    t = quote(headline, safe="")
    both = quote(f"{headline} {url}", safe="")
    return [
        {"name": "X", "label": "Share on X", "href": f"https://x.com/intent/post?url={u}&text={t}"},
        {
            "name": "Facebook",
            "label": "Share on Facebook",
            "href": f"https://www.facebook.com/sharer/sharer.php?u={u}",
        },
        {
            "name": "Telegram",
            "label": "Share on Telegram",
            "href": f"https://t.me/share/url?url={u}&text={t}",
        },
        {"name": "WhatsApp", "label": "Share on WhatsApp", "href": f"https://wa.me/?text={both}"},
        {"name": "Email", "label": "Share by email", "href": f"mailto:?subject={t}&body={u}"},
    ]


def iso(value):
    return value.isoformat() if value else None


def organization(site, home_url):
    data = {"@type": "NewsMediaOrganization", "name": site["name"], "url": home_url}
    if site.get("logo"):
        data["logo"] = {
            "@type": "ImageObject",
            "url": conf.primary_url() + site["logo"]["url"]
            if site["logo"]["url"].startswith("/")
            else site["logo"]["url"],
            "width": site["logo"]["width"],
            "height": site["logo"]["height"],
        }
    return data


def breadcrumb_list(crumbs):
    """crumbs: [(name, absolute_url)], outermost first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def absolute_media(url):
    """Rendition URLs are paths on local storage and absolute on S3; feeds need absolute."""
    if url and url.startswith("/"):
        return conf.primary_url() + url
    return url


def news_article(
    *,
    headline,
    description,
    url,
    images,
    published,
    modified,
    authors,
    section,
    topics,
    site,
    home_url,
):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": headline,
        "description": description,
        "url": url,
        "datePublished": iso(published),
        "dateModified": iso(modified or published),
        "author": [
            {"@type": "Person", "name": name, "url": author_url} for name, author_url in authors
        ]
        or [{"@type": "Organization", "name": site["name"], "url": home_url}],
        "publisher": organization(site, home_url),
    }
    if images:
        data["image"] = images
    if section:
        data["articleSection"] = section
    if topics:
        data["keywords"] = topics
    if site.get("language"):
        data["inLanguage"] = site["language"]
    return data
