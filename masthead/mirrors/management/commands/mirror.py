"""masthead mirror export|verify|check|keygen: static copies of the site and their health."""

import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from masthead.mirrors import conf, manifest


class Command(BaseCommand):
    help = "Export, verify and check static mirrors of the public site."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        export = sub.add_parser(
            "export",
            help="Write a new version of the static copy and switch DEST/current to it.",
        )
        export.add_argument(
            "dest", nargs="?", help="A local directory; default: MASTHEAD_MIRROR_TARGETS"
        )
        export.add_argument(
            "--target", action="append", help="Only this configured target (repeatable)"
        )
        export.add_argument("--no-progress", action="store_true")
        export.add_argument(
            "--allow-shrink",
            action="store_true",
            help="Switch to a full version even if it drops more than "
            "MASTHEAD_MIRROR_MAX_SHRINK of the current version's pages",
        )
        export.add_argument(
            "--workers",
            type=int,
            default=conf.export_workers(),
            help="Processes rendering pages in a full export (not with an in-memory database)",
        )

        verify = sub.add_parser("verify", help="Check a copy against its manifest and signature.")
        verify.add_argument("location", help="A directory or an http(s):// URL of a copy")
        verify.add_argument("--public-key", help="Base64 Ed25519 public key to trust")
        verify.add_argument(
            "--max-age",
            type=float,
            help=f"Hours before a copy is stale (default {conf.stale_hours():g})",
        )

        sub.add_parser("check", help="Fetch every registered mirror's manifest and report.")
        sub.add_parser("keygen", help="Generate an Ed25519 signing key pair.")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options) or None

    def do_export(
        self, dest=None, target=None, no_progress=False, workers=1, allow_shrink=False, **options
    ):
        from masthead.mirrors.export import ExportError
        from masthead.mirrors.pipeline import run

        progress = not no_progress and sys.stderr.isatty()
        try:
            result = run(
                dest=dest,
                only=target,
                progress=progress,
                workers=workers,
                allow_shrink=allow_shrink,
            )
        except ExportError as error:
            raise CommandError(str(error)) from None
        for path in result.broken[:20]:
            self.stderr.write(f"broken link: {path}")
        for path, error in result.errors[:20]:
            self.stderr.write(f"failed: {path}: {error}")
        for name, counts in result.pushed.items():
            uploaded, deleted = counts["uploaded"], counts["deleted"]
            self.stdout.write(f"pushed to {name}: {uploaded} uploaded, {deleted} deleted")
        self.stdout.write(f"exported {result.version}: {result.summary()}")
        if not result.signed:
            self.stderr.write(
                "warning: the copy is not signed, so readers cannot tell it from a forgery: "
                "set MASTHEAD_MIRROR_SIGNING_KEY or MASTHEAD_MIRROR_SIGNING_KEY_FILE "
                "(`masthead mirror keygen` makes a key)"
            )

    def do_verify(self, location, public_key=None, max_age=None, **options):
        from masthead.mirrors.verify import verify

        if public_key:
            try:
                manifest.load_public_key(public_key)
            except manifest.KeyFormatError as error:
                raise CommandError(str(error)) from None
        try:
            report = verify(location, public_key=public_key, max_age_hours=max_age)
        except ImproperlyConfigured as error:
            raise CommandError(f"{error} (or pass --public-key)") from None
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{location} does not match its manifest")

    def do_check(self, **options):
        from masthead.mirrors.health import check_all

        results = check_all()
        if not results:
            self.stdout.write("no mirrors registered")
        for status in results:
            self.stdout.write(status.line())
        if any(not status.reachable for status in results):
            raise CommandError("some mirrors are unreachable")

    def do_keygen(self, **options):
        private, public = manifest.generate_keypair()
        self.stdout.write(
            "Keep the private key secret (the exporting server's environment only):\n"
            f"MASTHEAD_MIRROR_SIGNING_KEY={private}\n"
            "Publish the public key (readers and `mirror verify --public-key` use it):\n"
            f"MASTHEAD_MIRROR_PUBLIC_KEY={public}"
        )
