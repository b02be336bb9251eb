"""The synthetic corpus generator: deterministic, and in the documented format."""

import datetime as dt
import hashlib
import io
import json

from PIL import Image as PILImage

from masthead.demo import corpus
from masthead.demo.corpus import generate_articles, write_corpus, write_images

# sha256 of the first 50 lines with the default seed. The benchmarks compare figures
# with other systems that load the same corpus, so a change here must be deliberate.
FIRST_50_SHA256 = "a990db11f94949896373f9764b5fbe70b42b00d21da3c7c20161ccd8d0f984d5"
FIELDS = {
    "id", "section", "headline", "standfirst", "body", "byline",
    "published", "updated", "tags", "image", "lang",
}  # fmt: skip


def corpus_text(count, seed=corpus.DEFAULT_SEED, **options):
    out = io.StringIO()
    write_corpus(out, count, seed, **options)
    return out.getvalue()


def test_same_seed_same_corpus():
    assert corpus_text(40, seed=5) == corpus_text(40, seed=5)
    assert corpus_text(40, seed=5) != corpus_text(40, seed=6)


def test_default_corpus_is_unchanged():
    digest = hashlib.sha256(corpus_text(50).encode("utf-8")).hexdigest()
    assert digest == FIRST_50_SHA256


def test_a_longer_corpus_starts_with_the_shorter_one():
    assert corpus_text(80).startswith(corpus_text(30))


def test_images_change_only_the_image_field():
    plain = list(generate_articles(30, seed=9, image_pool=5))
    with_images = list(generate_articles(30, seed=9, images=True, image_pool=5))
    for a, b in zip(plain, with_images, strict=True):
        assert a["image"] is None
        assert {**b, "image": None} == a
    pictured = [b["image"] for b in with_images if b["image"]]
    assert 20 <= len(pictured) < 30
    assert {p["file"] for p in pictured} <= {f"lead-{n:03d}.jpg" for n in range(5)}
    assert all(p["alt"] and p["caption"] and p["credit"] for p in pictured)


def test_lines_follow_the_format():
    text = corpus_text(200)
    lines = text.splitlines()
    assert len(lines) == 200
    for number, line in enumerate(lines, start=1):
        article = json.loads(line)
        assert set(article) == FIELDS
        assert article["id"] == f"a{number:06d}"
        assert isinstance(article["section"], list) and 1 <= len(article["section"]) <= 2
        assert article["headline"] and article["standfirst"]
        assert 6 <= len(article["body"]) <= 14
        assert all(isinstance(p, str) and p for p in article["body"])
        assert isinstance(article["byline"], str)
        published = dt.datetime.fromisoformat(article["published"])
        updated = dt.datetime.fromisoformat(article["updated"])
        assert published.utcoffset() == dt.timedelta(0)
        assert updated >= published
        assert article["tags"] == sorted(set(article["tags"]))
        assert article["lang"] == "en"
    # Wire copy without a byline is part of the mix.
    assert any(json.loads(line)["byline"] == "" for line in lines)


def test_write_images_is_deterministic(tmp_path):
    first = write_images(tmp_path / "a", 3, seed=11)
    second = write_images(tmp_path / "b", 3, seed=11)
    assert [p.name for p in first] == ["lead-000.jpg", "lead-001.jpg", "lead-002.jpg"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    with PILImage.open(first[0]) as picture:
        assert picture.format == "JPEG"
        assert picture.size == (1280, 720)


def test_command_line(capsys, tmp_path):
    corpus.main(["3", "--seed", "4", "--images", str(tmp_path), "--image-pool", "2"])
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a000001", "a000002", "a000003"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lead-000.jpg", "lead-001.jpg"]
    assert lines == corpus_text(3, seed=4, images=True, image_pool=2).splitlines()
