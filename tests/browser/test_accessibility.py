"""axe-core (WCAG 2.2 A and AA rules) on every kind of public page, in Chromium.

Each page is checked at a desktop width and at 320 px, left-to-right and right-to-left,
and must not scroll sideways at 320 px. No rule is switched off; a rule that has to be
some day goes in DISABLED_RULES with the reason beside it.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from masthead.news.models import AuthorIndexPage, CorrectionNote
from masthead.publication.models import PublicationSettings

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# rule id -> why it is off. Empty: every WCAG A/AA rule axe knows applies.
DISABLED_RULES = {}
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def public_site(make_section, make_story, make_author, make_image):
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    make_section("Business")
    reporter = make_author("Rana Reporter")
    inline = make_image("Harbour", width=900, height=600, description="Boats in a harbour")
    for n in range(3):
        make_story(iraq, title=f"Earlier Iraq story {n}", topics=["Baghdad"])
    story = make_story(
        iraq,
        title="Baghdad bridge reopens after two years of repairs",
        standfirst="Traffic crosses the Tigris again.",
        topics=["Baghdad", "Transport"],
        authors=[reporter],
        lead_image=make_image("Bridge", description="A red bus on a long concrete bridge"),
        lead_image_caption="The first bus crosses",
        lead_image_credit="Staff photographer",
        dateline="Baghdad",
        body=[
            ("paragraph", "<p>Crowds gathered on <a href='/news/'>both banks</a>.</p>"),
            ("subheading", "What happens next"),
            ("pull_quote", {"quote": "We will rebuild.", "attribution": "The mayor"}),
            ("image", {"image": inline, "alt": "", "caption": "The harbour", "credit": "Staff"}),
            ("embed", {"url": "https://video.example/watch?v=1", "title": "Clip", "provider": "V"}),
            ("fact_box", {"title": "Key facts", "body": "<p>Opened in 1958.</p>"}),
        ],
    )
    CorrectionNote.objects.create(article=story, note="An earlier version misnamed the river.")
    return {"story": story, "author": reporter}


def page_paths(public_site):
    return {
        "home": "/",
        "section": "/news/iraq/",
        "article": public_site["story"].url,
        "topic": "/topics/baghdad/",
        "author": public_site["author"].url,
        "authors": AuthorIndexPage.objects.get().url,
        "search": "/search/?q=bridge",
        "not-found": "/no/such/page/",
    }


def violations(page):
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    if DISABLED_RULES:
        options["rules"] = {rule: {"enabled": False} for rule in DISABLED_RULES}
    results = Axe().run(page, options=options)
    return [
        f"{item['id']} ({item['impact']}): {item['help']} at "
        + "; ".join(" ".join(node["target"]) for node in item["nodes"][:3])
        for item in results.response["violations"]
    ]


def check_pages(browser, live_server, paths, artifacts, label):
    found = {}
    for viewport in (WIDE, NARROW):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name, path in paths.items():
            response = page.goto(live_server.url + path)
            assert response.status in (200, 404), (path, response.status)
            problems = violations(page)
            if viewport is NARROW:
                overflow = page.evaluate("document.documentElement.scrollWidth")
                if overflow > NARROW["width"]:
                    problems.append(f"scrolls sideways at 320 px ({overflow} px wide)")
                page.screenshot(path=str(artifacts / f"a11y-{label}-{name}-320.png"))
            if problems:
                found[f"{name} at {viewport['width']} px"] = problems
        context.close()
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_pass_axe_at_desktop_and_320px(browser, live_server, public_site, artifacts):
    found = check_pages(browser, live_server, page_paths(public_site), artifacts, "ltr")
    assert found == {}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_right_to_left_pages_pass_axe(browser, live_server, public_site, artifacts, home):
    identity = PublicationSettings.for_site(home.get_site())
    identity.language = "ar"
    identity.save()
    paths = page_paths(public_site)
    paths = {name: paths[name] for name in ("home", "section", "article")}
    found = check_pages(browser, live_server, paths, artifacts, "rtl")
    assert found == {}


@pytest.mark.browser
def test_the_check_finds_violations_when_there_are_some(browser):
    """The harness itself: a page with known faults must fail it."""
    page = browser.new_page(viewport=NARROW)
    page.set_content(
        '<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<a href="/x"></a><div style="width:600px">wide</div></body></html>'
    )
    found = " ".join(violations(page))
    for rule in ("html-has-lang", "image-alt", "link-name"):
        assert rule in found
    page.close()
