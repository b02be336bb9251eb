"""Pushing to an S3-compatible bucket: moto's stand-alone server over HTTP on 127.0.0.1."""

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from lxml import etree

from masthead.mirrors import manifest
from masthead.mirrors.export import ExportError
from masthead.mirrors.pipeline import run
from masthead.mirrors.targets import upload_order
from masthead.mirrors.verify import verify

from .conftest import free_port

CREDENTIALS = {"ACCESS_KEY_ID": "testing", "SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def moto_endpoint():
    port = free_port()
    binary = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(binary), "-p", str(port), "-H", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def bucket(moto_endpoint, settings, tmp_path, request):
    name = f"mirror-{request.node.name.replace('_', '-')[:40].lower()}"
    s3 = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket=name)
    settings.MASTHEAD_MIRROR_WORK_DIR = str(tmp_path / "work")
    settings.MASTHEAD_MIRROR_TARGETS = {
        "bucket": {
            "BACKEND": "masthead.mirrors.targets.S3Bucket",
            "BUCKET": name,
            "ENDPOINT_URL": moto_endpoint,
            "REGION_NAME": "us-east-1",
            "PREFIX": "site/",
            "ACL": "public-read",  # readers fetch anonymously
            **CREDENTIALS,
        }
    }
    return s3, name, f"{moto_endpoint}/{name}/site/"


def keys(s3, name):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=name, Prefix="site/")
    return {item["Key"][len("site/") :] for page in pages for item in page.get("Contents", [])}


def test_bucket_receives_the_copy_and_verifies_over_http(site, bucket, signing_keys):
    s3, name, url = bucket
    result = run()
    stored = keys(s3, name)
    assert set(result.files) <= stored
    assert {manifest.MANIFEST_PATH, manifest.SIGNATURE_PATH} <= stored
    head = s3.head_object(Bucket=name, Key="site/index.html")
    assert head["ContentType"].startswith("text/html")
    report = verify(url, public_key=signing_keys[1])
    assert report.ok and report.signature == "valid", report.lines()


def test_second_push_sends_only_changed_files_and_deletes_removed(site, bucket):
    s3, name, url = bucket
    first = run()
    assert first.pushed["bucket"]["uploaded"] == len(first.files)
    story = site["stories"][4]
    story.unpublish()
    from masthead.mirrors.tasks import refresh_mirrors

    refresh_mirrors.call([story.pk])
    stored = keys(s3, name)
    assert "news/iraq/iraq-story-5/index.html" not in stored
    assert verify(url).ok
    again = run(pages=[site["stories"][6]])
    assert again.pushed["bucket"]["uploaded"] < 10


def test_bucket_with_a_public_url_serves_feeds_naming_it(site, bucket, settings, signing_keys):
    """Built in the work directory for the primary domain, pushed readdressed."""
    s3, name, url = bucket
    settings.MASTHEAD_MIRROR_TARGETS["bucket"]["PUBLIC_URL"] = url
    run()
    with urllib.request.urlopen(url + "feeds/rss.xml", timeout=10) as response:  # noqa: S310
        channel = etree.fromstring(response.read()).find("channel")
    assert channel.findtext("link") == url
    assert url + "news/iraq/iraq-story-3/" in [
        item.findtext("link") for item in channel.findall("item")
    ]
    report = verify(url, public_key=signing_keys[1])
    assert report.ok and report.signature == "valid", report.lines()
    again = run(pages=[site["stories"][6]])
    assert again.pushed["bucket"]["uploaded"] < 10  # its own feeds are compared, not resent


def test_bucket_that_refuses_the_upload_stops_with_a_clear_message(site, bucket, settings):
    s3, name, _url = bucket
    settings.MASTHEAD_MIRROR_TARGETS["bucket"]["BUCKET"] = "no-such-bucket"
    with pytest.raises(ExportError, match="no-such-bucket.*previous manifest"):
        run()
    assert keys(s3, name) == set()


def test_tampered_bucket_object_is_caught_by_verify(site, bucket):
    s3, name, url = bucket
    run()
    s3.put_object(
        Bucket=name, Key="site/news/index.html", Body=b"<p>tampered</p>", ACL="public-read"
    )
    report = verify(url)
    assert report.changed == ["news/index.html"]
    assert not report.ok


def test_upload_order_sends_content_before_entry_points():
    paths = [
        ".well-known/masthead-mirrors.json",
        "index.html",
        "news/index.html",
        "news/page/1/index.html",
        "feeds/rss.xml",
        "news/iraq/story/index.html",
        "static/masthead/site.css",
        "media/images/a.jpg",
    ]
    ordered = sorted(paths, key=upload_order)
    assert ordered.index("media/images/a.jpg") < ordered.index("news/iraq/story/index.html")
    assert ordered.index("news/iraq/story/index.html") < ordered.index("news/index.html")
    assert ordered.index("news/index.html") < ordered.index("feeds/rss.xml")
    assert ordered[-1] == "index.html"


def test_a_failed_target_says_which_targets_did_switch(site, bucket, settings, tmp_path):
    settings.MASTHEAD_MIRROR_TARGETS = {
        "local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", "PATH": str(tmp_path)},
        **settings.MASTHEAD_MIRROR_TARGETS,
    }
    settings.MASTHEAD_MIRROR_TARGETS["bucket"]["BUCKET"] = "no-such-bucket"
    with pytest.raises(ExportError, match="no-such-bucket.*did reach local, which now serve"):
        run()
    assert (tmp_path / "current" / "index.html").is_file()
