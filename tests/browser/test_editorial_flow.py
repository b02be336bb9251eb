"""A story's whole life in a real browser: written, reviewed, published, read.

The writer creates an article under News > Iraq with a lead photo and submits it to the
"Editorial review" workflow; the editor approves it from the admin, which publishes it;
a reader finds it on the section and home pages and opens it. A screenshot of every step
goes to test-artifacts/.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from masthead.news.models import ArticlePage
from tests.conftest import make_jpeg
from tests.people import PASSWORD, make_editor, make_writer

HEADLINE = "Baghdad bridge reopens after two years"
STANDFIRST = "Traffic crosses the Tigris again as engineers finish repairs."
PARAGRAPH = "Crowds gathered on both banks to watch the first buses cross."
CAPTION = "The first bus crosses the rebuilt bridge"
ALT = "A red bus on a long concrete bridge"
TIMEOUT_MS = 20_000


@dataclass
class Session:
    """One person's browser context, with the CSP violations their pages reported."""

    name: str
    page: object
    artifacts: object
    csp_violations: list = field(default_factory=list)
    server_errors: list = field(default_factory=list)
    step: int = 0

    def shot(self, label):
        self.step += 1
        path = self.artifacts / f"editorial-{self.name}-{self.step:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)


@contextmanager
def failure_shot(session):
    """On failure, keep what the browser showed and its HTML next to the other screenshots."""
    try:
        yield
    except Exception:
        session.shot("FAILED")
        html = session.artifacts / f"editorial-{session.name}-FAILED.html"
        html.write_text(session.page.content())
        raise


def open_session(new_context, name, artifacts):
    context = new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    session = Session(name, page, artifacts)

    def on_console(message):
        if "Content Security Policy" in message.text:
            session.csp_violations.append((page.url, message.text))

    page.on("console", on_console)
    page.on(
        "response",
        lambda response: (
            response.status >= 500
            and session.server_errors.append((response.request.method, response.url))
        ),
    )
    return session


def log_in(session, base_url, username):
    page = session.page
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    session.shot("login")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def write_article(session, base_url, iraq, photo_path):
    page = session.page
    page.goto(f"{base_url}/admin/pages/{iraq.pk}/")
    session.shot("section-in-explorer")
    page.get_by_role("link", name=re.compile("Add child page", re.I)).first.click()
    page.get_by_role("link", name=re.compile(r"^\s*Article\s*$")).first.click()
    expect(page.locator("#id_title")).to_be_visible()

    page.fill("#id_title", HEADLINE)
    page.fill("#id_standfirst", STANDFIRST)

    # Lead photo: upload it through the image chooser's Upload tab.
    lead = page.locator("[data-field-wrapper]:has(#id_lead_image), .w-field:has(#id_lead_image)")
    lead.first.get_by_role("button", name=re.compile("Choose an image", re.I)).click()
    modal = page.locator(".modal .modal-dialog").first
    modal.get_by_role("tab", name=re.compile("Upload", re.I)).click()
    modal.locator("input[type=file]").set_input_files(str(photo_path))
    modal.locator("input[name$=title]").fill("Bridge reopening")
    session.shot("image-upload")
    modal.get_by_role("button", name=re.compile(r"^\s*Upload\s*$", re.I)).click()
    expect(page.locator("#id_lead_image")).not_to_have_value("", timeout=TIMEOUT_MS)
    page.fill("#id_lead_image_alt", ALT)
    page.fill("#id_lead_image_caption", CAPTION)

    # Body: one paragraph block, typed into the rich text editor.
    body = page.locator(
        ".w-field:has([name='body-count']), [data-field-wrapper]:has([name='body-count'])"
    )
    body.first.get_by_role("button", name=re.compile("Insert a block", re.I)).first.click()
    page.get_by_role("option", name=re.compile(r"^\s*Paragraph\s*$")).first.click()
    editor = page.locator("[data-contentpath=body] [contenteditable=true]").first
    editor.click()
    editor.type(PARAGRAPH)
    editor.press("Tab")
    # Draftail copies its content into the block's hidden input; wait until it has.
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("Crowds gathered"))
    session.shot("article-filled")

    # "Submit to Editorial review" lives in the footer's action menu.
    page.locator("footer").get_by_role("button", name=re.compile("More actions", re.I)).click()
    page.locator("button[name=action-submit]").click()
    expect(page.locator(".messages").first).to_contain_text(re.compile("submitted", re.I))
    session.shot("submitted")


def approve(session, base_url, article):
    page = session.page
    page.goto(f"{base_url}/admin/")
    expect(page.get_by_text(HEADLINE).first).to_be_visible()
    session.shot("dashboard-awaiting-review")
    page.goto(f"{base_url}/admin/pages/{article.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(HEADLINE)
    page.locator("footer").get_by_role("button", name=re.compile("More actions", re.I)).click()
    page.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    ).click()
    # Approving the only task finishes the workflow, which publishes the page.
    expect(page.locator(".messages").first).to_contain_text(HEADLINE)
    row = page.locator("tr, [role=row]").filter(has_text=HEADLINE).first
    expect(row).to_contain_text(re.compile("live", re.I))
    session.shot("approved")


def read(session, base_url, article_url):
    page = session.page
    page.goto(f"{base_url}/news/iraq/")
    link = page.get_by_role("link", name=HEADLINE).first
    expect(link).to_be_visible()
    session.shot("section-page")

    page.goto(f"{base_url}/")
    expect(page.get_by_role("link", name=HEADLINE).first).to_be_visible()
    session.shot("home-page")

    page.get_by_role("link", name=HEADLINE).first.click()
    expect(page).to_have_url(f"{base_url}{article_url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(page.get_by_text(STANDFIRST).first).to_be_visible()
    expect(page.get_by_text(PARAGRAPH).first).to_be_visible()

    breadcrumb = page.locator("nav[aria-label=Breadcrumb]")
    expect(breadcrumb.get_by_role("link", name="News", exact=True)).to_be_visible()
    expect(breadcrumb.get_by_role("link", name="Iraq", exact=True)).to_be_visible()
    expect(breadcrumb.get_by_role("link", name="Iraq", exact=True)).to_have_attribute(
        "href", re.compile(r"/news/iraq/$")
    )
    share = page.locator('nav[aria-label="Share this article"]')
    expect(share).to_be_visible()
    expect(share.get_by_role("link").first).to_be_visible()

    figure = page.locator("figure").filter(has_text=CAPTION).first
    expect(figure).to_be_visible()
    image = figure.locator("img").first
    expect(image).to_have_attribute("alt", ALT)
    # The photo really loaded (not a broken image).
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    session.shot("article-page")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writer_to_editor_to_reader(
    new_context, live_server, make_section, artifacts, tmp_path, settings
):
    # The live server shares one in-memory SQLite connection between its threads, so
    # Wagtail's twice-a-second draft autosave racing a click can fail with "table is
    # locked" here (never on PostgreSQL or an on-disk database). Autosave is not under test.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    iraq = make_section("Iraq", parent=make_section("News"))
    writer, editor = make_writer(), make_editor()
    photo_path = tmp_path / "bridge.jpg"
    photo_path.write_bytes(make_jpeg(1600, 900, color=(160, 60, 40)).getvalue())
    base_url = live_server.url
    settings.MASTHEAD_ADMIN_HOSTS = [urlsplit(base_url).hostname]  # the admin's only host

    writing = open_session(new_context, "1-writer", artifacts)
    with failure_shot(writing):
        log_in(writing, base_url, writer.username)
        write_article(writing, base_url, iraq, photo_path)
    article = ArticlePage.objects.get(title=HEADLINE)
    assert not article.live
    assert article.owner == writer
    assert article.current_workflow_state.workflow.name == "Editorial review"

    editing = open_session(new_context, "2-editor", artifacts)
    with failure_shot(editing):
        log_in(editing, base_url, editor.username)
        approve(editing, base_url, article)
    article.refresh_from_db()
    assert article.live
    assert article.lead_image is not None
    assert article.lead_image_caption == CAPTION

    reading = open_session(new_context, "3-reader", artifacts)
    with failure_shot(reading):
        read(reading, base_url, article.url)
    sessions = (writing, editing, reading)
    assert [error for s in sessions for error in s.server_errors] == []
    assert reading.csp_violations == [], reading.csp_violations
    # The admin must work under its policy too (violations are listed in the assertion).
    admin_violations = sorted({text for s in (writing, editing) for _, text in s.csp_violations})
    (artifacts / "editorial-csp-violations.txt").write_text("\n".join(admin_violations) + "\n")
    assert admin_violations == []
