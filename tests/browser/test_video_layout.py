"""A video page never scrolls sideways, at a phone's width or a desktop's."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_video_page_does_not_scroll_sideways(new_context, live_server, make_video, width):
    video = make_video(title="Floods reach the capital")
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    response = page.goto(live_server.url + video.url)
    assert response.status == 200
    player = page.locator("video.lead-video__player")
    assert player.count() == 1
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    client_width = page.evaluate("document.documentElement.clientWidth")
    assert scroll_width <= client_width, f"{scroll_width} px wide in a {client_width} px window"
    assert player.bounding_box()["width"] <= client_width
