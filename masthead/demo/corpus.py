"""A deterministic synthetic news corpus in Masthead's JSON Lines import format.

    python -m masthead.demo.corpus 10000 > corpus.jsonl
    python -m masthead.demo.corpus 300 --images var/demo-images > corpus.jsonl

The same seed always gives the same articles, and the output matches the corpus that
the project's benchmarks (and the systems they are compared with) load, so figures are
comparable. Sentences are assembled from word lists: the text has the length and shape
of wire copy while saying nothing about anyone.

One line = one article (a JSON object):

    id          stable string id, "a000001"
    section     list of section titles, outermost first: ["News", "Iraq"]
    headline    str
    standfirst  one sentence shown under the headline
    body        list of paragraphs (plain text)
    byline      str; empty for wire copy
    published   ISO 8601 with a UTC offset
    updated     ISO 8601 with a UTC offset, never before published
    tags        sorted list of topic names (people, organisations, places)
    image       {"file", "alt", "caption", "credit"} or null; file is relative to the
                images folder
    lang        BCP 47 language tag, "en"
"""

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

DEFAULT_SEED = 20201103
DEFAULT_IMAGE_POOL = 48
# Pictures are drawn from their own random stream so that asking for images does not
# change a single word of the text.
IMAGE_SEED_OFFSET = 1
IMAGE_SIZE = (1280, 720)
# The first story is filed at this time; each next one about 37 minutes later.
START = dt.datetime(2019, 1, 1, 6, 0, tzinfo=dt.UTC)
MINUTES_BETWEEN_STORIES = 37

SECTIONS = [
    ["News", "Iraq"],
    ["News", "Iran"],
    ["News", "Middle East"],
    ["News", "Africa"],
    ["News", "Asia-Pacific"],
    ["News", "Europe"],
    ["News", "Americas"],
    ["Business"],
    ["Sports"],
    ["Culture"],
    ["Science and Technology"],
    ["Opinion"],
]
PLACES = [
    "Baghdad", "Tehran", "Beirut", "Damascus", "Sanaa", "Cairo", "Ankara",
    "Nairobi", "Jakarta", "Caracas", "Brussels", "Geneva", "Doha", "Muscat",
]  # fmt: skip
ORGANISATIONS = [
    "the Ministry of Energy", "the central bank", "the national assembly",
    "the football federation", "the port authority", "the health ministry",
    "the electoral commission", "the university council", "the water board",
    "the chamber of commerce", "the meteorological office", "the rail company",
]  # fmt: skip
PEOPLE = [
    "Samir Haddad", "Leila Karimi", "Omar Nasser", "Hana Yusuf", "Daniel Ortega Ruiz",
    "Amina Bello", "Kenji Watanabe", "Farah Rahimi", "Yusuf Demir", "Maria Lopes",
    "Ali Reza Tavakoli", "Grace Mwangi", "Ivan Petrov", "Nadia Salem",
]  # fmt: skip
SUBJECTS = [
    "officials", "residents", "analysts", "lawmakers", "traders", "engineers",
    "farmers", "students", "doctors", "negotiators", "fans", "researchers",
]  # fmt: skip
VERBS = [
    "announced", "warned", "confirmed", "rejected", "welcomed", "questioned",
    "approved", "postponed", "criticised", "reported", "proposed", "denied",
]  # fmt: skip
OBJECTS = [
    "a new budget plan", "the reconstruction programme", "a ceasefire proposal",
    "the fuel subsidy reform", "a regional trade agreement", "the vaccination drive",
    "the stadium project", "a review of water rights", "the grain import deal",
    "an overhaul of the rail network", "the draft electoral law", "a desalination plant",
]  # fmt: skip
WHEN = [
    "on Sunday", "on Monday", "on Tuesday", "on Wednesday", "on Thursday",
    "on Friday", "on Saturday", "earlier this week", "late on Tuesday", "last month",
]  # fmt: skip
CIRCUMSTANCES = [
    "after weeks of talks", "despite strong objections", "amid rising prices",
    "following a heavy storm", "under pressure from local groups",
    "as the deadline approached", "in a closed-door session", "before a crowd of supporters",
]  # fmt: skip
QUOTES = [
    "We will not accept any delay in this matter", "The people deserve clear answers",
    "This is only the first step of a long process", "Our position has not changed",
    "Everyone must share the burden fairly", "The numbers speak for themselves",
]  # fmt: skip
# Two empty entries: about a third of stories are wire copy without a byline.
BYLINES = ["", "", "Staff writer", "Samira Qasem", "Tom Ellison", "Reza Farahani", "Lina Haddad"]
CREDITS = ["Staff photographer", "Handout", "File photo", "Agency"]
UPDATE_DELAYS_MINUTES = [0, 0, 0, 12, 45, 180]


def make_sentence(rng):
    """One sentence: a report (55%), an attributed statement (25%) or a quote (20%)."""
    kind = rng.random()
    if kind < 0.55:
        return (
            f"{rng.choice(SUBJECTS).capitalize()} in {rng.choice(PLACES)} {rng.choice(VERBS)} "
            f"{rng.choice(OBJECTS)} {rng.choice(WHEN)}, {rng.choice(CIRCUMSTANCES)}."
        )
    if kind < 0.8:
        return (
            f"{rng.choice(PEOPLE)}, a spokesperson for {rng.choice(ORGANISATIONS)}, said "
            f"{rng.choice(OBJECTS)} would be reviewed {rng.choice(CIRCUMSTANCES)}."
        )
    return (
        f"\u201c{rng.choice(QUOTES)},\u201d {rng.choice(PEOPLE)} told reporters {rng.choice(WHEN)}."
    )


def make_article(number, rng, *, images=False, image_pool=DEFAULT_IMAGE_POOL):
    """Article `number` (from 1). The draws are made in a fixed order: changing it changes
    every article after this one."""
    section = rng.choice(SECTIONS)
    place, thing, verb = rng.choice(PLACES), rng.choice(OBJECTS), rng.choice(VERBS)
    person = rng.choice(PEOPLE)
    headline = f"{place}: {rng.choice(SUBJECTS).capitalize()} {verb} {thing}"
    if rng.random() < 0.3:
        headline = f"\u2018{rng.choice(QUOTES)}\u2019: {person}"
    body = [
        " ".join(make_sentence(rng) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(6, 14))
    ]
    published = START + dt.timedelta(minutes=MINUTES_BETWEEN_STORIES * number + rng.randint(0, 30))
    updated = published + dt.timedelta(minutes=rng.choice(UPDATE_DELAYS_MINUTES))
    image = None
    # The image's values are drawn even without images, so the text is the same either way.
    if rng.random() < 0.9:
        image = {
            "file": image_name(rng.randrange(image_pool)),
            "alt": f"{person} speaking in {place}",
            "caption": f"{person}, a spokesperson for {rng.choice(ORGANISATIONS)}, in {place}.",
            "credit": rng.choice(CREDITS),
        }
    # Same order as the original generator: standfirst, byline, then the tagged organisation.
    standfirst = make_sentence(rng)
    byline = rng.choice(BYLINES)
    organisation = rng.choice(ORGANISATIONS).removeprefix("the ").capitalize()
    return {
        "id": f"a{number:06d}",
        "section": section,
        "headline": headline,
        "standfirst": standfirst,
        "body": body,
        "byline": byline,
        "published": published.isoformat(),
        "updated": updated.isoformat(),
        "tags": sorted({place, person, organisation}),
        "image": image if images else None,
        "lang": "en",
    }


def generate_articles(count, seed=DEFAULT_SEED, *, images=False, image_pool=DEFAULT_IMAGE_POOL):
    """Yield `count` article dicts; with images=True each (nine in ten) names a lead image
    from a pool of `image_pool` files written by write_images()."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        yield make_article(number, rng, images=images, image_pool=image_pool)


def image_name(index):
    return f"lead-{index:03d}.jpg"


def write_images(folder, count=DEFAULT_IMAGE_POOL, seed=DEFAULT_SEED):
    """Write `count` JPEG lead images (coloured shapes) into `folder`; returns their paths.
    Uses the same seed as generate_articles() for the matching pictures."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed + IMAGE_SEED_OFFSET)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    width, height = IMAGE_SIZE
    paths = []
    for index in range(count):
        background = tuple(rng.randrange(40, 200) for _ in range(3))
        picture = Image.new("RGB", IMAGE_SIZE, background)
        draw = ImageDraw.Draw(picture)
        for _ in range(12):
            x, y = rng.randrange(width), rng.randrange(height)
            box = [x, y, x + rng.randrange(60, 400), y + rng.randrange(60, 300)]
            draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
        path = folder / image_name(index)
        picture.save(path, quality=82)
        paths.append(path)
    return paths


def write_corpus(out, count, seed=DEFAULT_SEED, *, images=False, image_pool=DEFAULT_IMAGE_POOL):
    """Write `count` articles as JSON Lines to the text stream `out`."""
    for article in generate_articles(count, seed, images=images, image_pool=image_pool):
        out.write(json.dumps(article, ensure_ascii=False) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m masthead.demo.corpus",
        description="Write a deterministic synthetic news corpus as JSON Lines to stdout.",
    )
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--images", metavar="DIR", help="also write a pool of lead images here")
    parser.add_argument("--image-pool", type=int, default=DEFAULT_IMAGE_POOL)
    args = parser.parse_args(argv)
    if args.count < 0 or args.image_pool < 1:
        parser.error("count must be >= 0 and --image-pool >= 1")
    if args.images:
        write_images(args.images, args.image_pool, args.seed)
    write_corpus(
        sys.stdout, args.count, args.seed, images=bool(args.images), image_pool=args.image_pool
    )


if __name__ == "__main__":
    main()
