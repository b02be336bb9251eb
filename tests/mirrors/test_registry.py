"""The registry: live hosts accepted, others refused; Onion-Location; the public list."""

import pytest
from django.core.exceptions import ValidationError

from masthead.mirrors.models import Mirror


@pytest.fixture
def mirrors(db):
    Mirror.objects.create(address="https://live-mirror.example/", kind="live", label="Mirror")
    Mirror.objects.create(address="https://static.example/copy/", kind="static")
    Mirror.objects.create(address="http://abcdefghijklmnop.onion/", kind="onion", label="Tor")


def test_live_mirror_host_serves_the_site(home, mirrors, client):
    response = client.get("/", HTTP_HOST="live-mirror.example")
    assert response.status_code == 200


def test_live_mirror_host_with_port_and_case(home, mirrors, client):
    assert client.get("/", HTTP_HOST="LIVE-Mirror.example:8443").status_code == 200


@pytest.mark.parametrize(
    "host",
    ["evil.example", "static.example", "sub.live-mirror.example", "live-mirror.example.evil"],
)
def test_other_hosts_are_rejected_with_400(home, mirrors, client, host):
    assert client.get("/", HTTP_HOST=host).status_code == 400


def test_malformed_host_is_rejected_with_400(home, mirrors, client):
    assert client.get("/", HTTP_HOST="bad host/..").status_code == 400


def test_new_mirror_is_accepted_without_waiting_for_the_cache(home, mirrors, client):
    assert client.get("/", HTTP_HOST="new-mirror.example").status_code == 400
    Mirror.objects.create(address="https://new-mirror.example/", kind="live")
    assert client.get("/", HTTP_HOST="new-mirror.example").status_code == 200
    Mirror.objects.filter(address="https://new-mirror.example/").delete()
    assert client.get("/", HTTP_HOST="new-mirror.example").status_code == 400


def test_onion_location_on_https_clearnet_pages(home, mirrors, client):
    response = client.get("/news/?x=1", secure=True)
    assert response["Onion-Location"] == "http://abcdefghijklmnop.onion/news/?x=1"


def test_no_onion_location_on_plain_http(home, mirrors, client):
    assert "Onion-Location" not in client.get("/")


def test_no_onion_location_on_the_onion_host(home, mirrors, client):
    response = client.get("/", secure=True, HTTP_HOST="abcdefghijklmnop.onion")
    assert response.status_code == 200
    assert "Onion-Location" not in response


def test_no_onion_location_without_an_onion_mirror(home, client):
    assert "Onion-Location" not in client.get("/", secure=True)


def test_mirrors_json_lists_public_mirrors(home, mirrors, client):
    Mirror.objects.create(address="https://private.example/", kind="live", is_public=False)
    response = client.get("/.well-known/masthead-mirrors.json")
    assert response.status_code == 200
    document = response.json()
    assert document["primary"] == "http://testserver"
    addresses = [m["address"] for m in document["mirrors"]]
    assert "https://private.example/" not in addresses
    assert set(addresses) == {
        "https://live-mirror.example/",
        "https://static.example/copy/",
        "http://abcdefghijklmnop.onion/",
    }
    assert document["mirrors"][0].keys() == {"address", "kind", "label", "last_verified"}


def test_notice_on_every_page_lists_public_mirrors(home, mirrors, client):
    page = client.get("/").content.decode()
    assert 'aria-label="Other addresses"' in page
    assert "https://static.example/copy/" in page


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("https://not-onion.example/", "onion"),
        ("http://abcdefghijklmnop.onion/", "live"),
        ("https://live.example/sub/", "live"),
        ("ftp://files.example/", "static"),
    ],
)
def test_inconsistent_mirrors_do_not_validate(db, address, kind):
    with pytest.raises(ValidationError):
        Mirror(address=address, kind=kind).full_clean()
