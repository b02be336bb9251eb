"""masthead load_demo: a newsroom to click through, made once.

Generates synthetic articles with lead photos (written under var/demo/), imports them,
names the publication, lists two alternative addresses, makes three short synthetic
videos with captions when ffmpeg is installed (masthead/demo/videos.py), fills in the live
stream setting (off air) and creates three accounts: writer (group Writers), editor (group
Editors) and admin (superuser), with random passwords that are printed and kept in
var/demo/accounts.txt (readable by you only). Running it again finds the demo in place
and stops at once; a part that is missing (the videos, once ffmpeg is installed) is added.
"""

import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail.models import Site

from masthead.demo import videos
from masthead.demo.corpus import DEFAULT_IMAGE_POOL, DEFAULT_SEED, write_corpus, write_images
from masthead.mirrors.models import Mirror
from masthead.news.models import ArticlePage
from masthead.publication.models import PublicationSettings

DEFAULT_ARTICLE_COUNT = 300
PUBLICATION_NAME = "Masthead News"
# A placeholder in the reserved .example domain; set the real channel in Settings.
ROKU_CHANNEL_URL = "https://roku.masthead-news.example/channel"
ROKU_PROMO_TEXT = "Watch Masthead News live on Roku TV."
# Addresses in the reserved .example domain and a made-up onion name: they show how the
# "other addresses" notice looks without pointing readers anywhere real.
DEMO_MIRRORS = [
    {
        "address": "https://masthead-news-mirror.example/",
        "label": "Mirror",
        "kind": Mirror.Kind.STATIC,
        "sort_order": 1,
    },
    {
        # A v3 onion name is 56 base32 characters.
        "address": "http://" + "mastheadnewsdemo".ljust(56, "x") + ".onion/",
        "label": "Tor browser",
        "kind": Mirror.Kind.ONION,
        "sort_order": 2,
    },
]
# (username, group, is superuser)
DEMO_ACCOUNTS = [("writer", "Writers", False), ("editor", "Editors", False), ("admin", None, True)]


def site_url():
    """Where the demo answers: MASTHEAD_PRIMARY_URL, which `make demo PORT=...` sets."""
    return settings.PRIMARY_URL.rstrip("/") + "/"


def demo_dir():
    return Path(settings.VAR_DIR) / "demo"


class Command(BaseCommand):
    help = "Load demo content and accounts (does nothing if the demo is already loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=DEFAULT_ARTICLE_COUNT)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--image-pool", type=int, default=DEFAULT_IMAGE_POOL, help="distinct lead photos"
        )

    def handle(self, *args, **options):
        count = max(options["count"], 1)
        last_id = f"a{count:06d}"
        usernames = [name for name, _, _ in DEMO_ACCOUNTS]
        User = get_user_model()
        articles_loaded = ArticlePage.objects.filter(external_id=last_id).exists()
        accounts_loaded = User.objects.filter(username__in=usernames).count() == len(usernames)
        # Without ffmpeg there is nothing more to add: a re-run must not redo the rest.
        videos_loaded = videos.videos_loaded()
        no_ffmpeg = not videos_loaded and videos.ffmpeg_path() is None
        if articles_loaded and accounts_loaded and (videos_loaded or no_ffmpeg):
            if no_ffmpeg:
                self.stdout.write(self.style.WARNING(f"No demo videos: {videos.NO_FFMPEG}"))
            self.stdout.write(
                f"The demo is already loaded. Log in at {site_url()}admin/ "
                f"(accounts and passwords: {demo_dir() / 'accounts.txt'})."
            )
            return

        if not articles_loaded:
            self.import_articles(count, options["seed"], max(options["image_pool"], 1))
        self.set_publication()
        self.add_mirrors()
        self.add_videos()
        passwords = self.create_accounts()
        self.print_welcome(passwords)

    def import_articles(self, count, seed, image_pool):
        images = demo_dir() / "images"
        self.stdout.write(f"Writing {image_pool} demo photos to {images} ...")
        write_images(images, image_pool, seed)
        with tempfile.NamedTemporaryFile(
            "w", suffix=".jsonl", encoding="utf-8", dir=demo_dir(), delete=False
        ) as corpus:
            write_corpus(corpus, count, seed, images=True, image_pool=image_pool)
        try:
            self.stdout.write(f"Importing {count} demo articles ...")
            call_command(
                "import_jsonl",
                corpus.name,
                images=str(images),
                no_progress=True,
                stdout=self.stdout._out,
                stderr=self.stderr._out,
            )
        finally:
            Path(corpus.name).unlink(missing_ok=True)

    def set_publication(self):
        site = Site.objects.get(is_default_site=True)
        publication = PublicationSettings.for_site(site)
        publication.name = PUBLICATION_NAME
        publication.tagline = "Demo content: every story here is synthetic."
        publication.roku_channel_url = ROKU_CHANNEL_URL
        publication.roku_promo_text = ROKU_PROMO_TEXT
        publication.save()

    def add_videos(self):
        """The synthetic videos and the live stream setting; without ffmpeg, a clear line
        and no videos (the demo needs only python3 and make)."""
        folder = demo_dir() / "videos"
        try:
            created = videos.load_videos(folder)
        except videos.VideosUnavailable as reason:
            self.stdout.write(self.style.WARNING(f"No demo videos: {reason}"))
        else:
            if created:
                self.stdout.write(f"Made {created} synthetic demo videos with ffmpeg.")
        videos.set_live_stream(folder)

    def add_mirrors(self):
        for mirror in DEMO_MIRRORS:
            Mirror.objects.get_or_create(
                address=mirror["address"], defaults={**mirror, "is_public": True}
            )

    def create_accounts(self):
        """Create the demo accounts that are missing; returns {username: password} for them."""
        User = get_user_model()
        passwords = {}
        for username, group_name, is_superuser in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username=username,
                email=f"{username}@masthead.example",
                password=password,
                first_name=username.capitalize(),
                last_name="Demo",
                is_staff=is_superuser,
                is_superuser=is_superuser,
            )
            if group_name:
                group, created = Group.objects.get_or_create(name=group_name)
                if created:
                    self.stderr.write(
                        f"Note: group {group_name!r} did not exist and was created without "
                        "permissions (the newsroom app's migration normally provides it)."
                    )
                user.groups.add(group)
            passwords[username] = password
        if passwords:
            self.save_passwords(passwords)
        return passwords

    def save_passwords(self, passwords):
        path = demo_dir() / "accounts.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        path.chmod(0o600)
        with path.open("a", encoding="utf-8") as handle:
            for username, password in passwords.items():
                handle.write(f"{username} {password}\n")

    def print_welcome(self, passwords):
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
        if passwords:
            self.stdout.write("Demo accounts (also in %s):" % (demo_dir() / "accounts.txt"))
            for username, password in passwords.items():
                self.stdout.write(f"  {username:<8} {password}")
        self.stdout.write(f"Log in at {site_url()}admin/ ; the site is at {site_url()}")
