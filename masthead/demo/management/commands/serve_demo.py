"""masthead serve_demo: the site on MASTHEAD_PRIMARY_URL's port with its background helpers.

First it makes sure the demo's copies are signed (an Ed25519 key generated once into
MASTHEAD_MIRROR_SIGNING_KEY_FILE, var/mirror-signing-key.pem) and writes a full static
copy to every configured mirror target (`make demo`: var/mirror/current), so the copy can
be served at once; if that export fails it says why and stops with a non-zero status
before serving anything. Then it starts three child processes and watches them:
  - the development server (runserver on the primary URL's host and port, DEBUG on),
  - the task worker (django_tasks_db's db_worker: mirror refreshes, search and
    reference index updates),
  - a scheduler loop running Wagtail's publish_scheduled every 30 seconds.
Ctrl-C (or SIGTERM) stops all three; if one of them dies, the others are stopped too.
"""

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from masthead.mirrors import conf as mirrors_conf

# Seconds between the worker's polls of an empty queue (django-tasks-db defaults to 1).
WORKER_INTERVAL = "0.2"
# How long a child gets to finish after being asked to stop, before it is killed.
STOP_TIMEOUT_SECONDS = 10


def default_address():
    """host:port of MASTHEAD_PRIMARY_URL, so the links the site writes point at this server."""
    parts = urlsplit(settings.PRIMARY_URL)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def ensure_signing_key():
    """The demo signs its copies: a key file generated on the first run and kept after.

    Returns (public key, path or None, created); path is None when the key comes from
    MASTHEAD_MIRROR_SIGNING_KEY itself."""
    if settings.MASTHEAD_MIRROR_SIGNING_KEY:
        return mirrors_conf.published_public_key(), None, False
    path, created = mirrors_conf.create_signing_key_file()
    return mirrors_conf.published_public_key(), path, created


def export_copies():
    """A full export to every configured target; raises CommandError if any of it failed."""
    from masthead.mirrors.export import ExportError
    from masthead.mirrors.pipeline import run

    try:
        result = run(progress=False)
    except ExportError as error:
        raise CommandError(f"the start-up export of the mirror copy failed: {error}") from None
    if result.errors:
        listed = "\n".join(f"  {path}: {error}" for path, error in result.errors[:20])
        more = f"\n  ... and {len(result.errors) - 20} more" if len(result.errors) > 20 else ""
        raise CommandError(
            f"the start-up export of the mirror copy failed: {len(result.errors)} pages could"
            f" not be rendered:\n{listed}{more}"
        )
    return result


def manage(*args):
    """The command line that runs a management command in a child process."""
    return [sys.executable, "-m", "masthead.cli", *args]


class Command(BaseCommand):
    help = (
        "Export the demo's signed static copy, then run the site with the task worker and"
        " the scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address", help="host:port for runserver (default: MASTHEAD_PRIMARY_URL's)"
        )
        parser.add_argument("--scheduler-interval", type=float, default=30)

    def handle(self, *args, **options):
        options["address"] = options["address"] or default_address()
        self.prepare_copies()
        self.serve(options)

    def prepare_copies(self):
        public_key, path, created = ensure_signing_key()
        if path is not None:
            verb = "Generated" if created else "Using"
            self.stdout.write(f"{verb} the mirror signing key {path} (public key {public_key}).")
        if not mirrors_conf.targets():
            self.stdout.write("MASTHEAD_MIRROR_TARGETS is empty: no static copy is written.")
            return
        self.stdout.write("Writing the static copy (a full export) ...")
        try:
            result = export_copies()
        except CommandError as error:
            self.stderr.write(self.style.ERROR(f"ERROR: {error}"))
            raise CommandError(
                "not serving the demo: the static copy could not be written."
            ) from None
        for path in result.broken[:20]:
            self.stderr.write(self.style.WARNING(f"broken link in the copy: {path}"))
        from masthead.mirrors.targets import primary_local_root

        current = primary_local_root() / "current"
        self.stdout.write(
            f"Static copy written ({result.summary()}); serve it with"
            f" python3 -m http.server -d {os.path.relpath(current)} 8001"
        )

    def serve(self, options):
        env = {**os.environ, "DEBUG": "1", "PYTHONUNBUFFERED": "1"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")
        commands = {
            "web": manage("runserver", options["address"]),
            # A short idle poll: a publish reaches the mirror in well under a second.
            "worker": manage("db_worker", "--interval", WORKER_INTERVAL),
            "scheduler": manage(
                "publish_scheduled_loop", "--interval", str(options["scheduler_interval"])
            ),
        }
        children = {}
        # Started in the background by a shell, this process (and so its children) would
        # ignore Ctrl-C; put the usual handler back. SIGTERM stops everything the same way.
        previous_sigint = signal.signal(signal.SIGINT, signal.default_int_handler)
        previous_sigterm = signal.signal(signal.SIGTERM, self.on_sigterm)
        try:
            for name, command in commands.items():
                children[name] = subprocess.Popen(command, env=env)
            self.stdout.write(
                f"Serving http://{options['address']}/ (admin: http://{options['address']}/admin/)"
                " with the task worker and the scheduler. Ctrl-C stops everything."
            )
            failed = self.watch(children)
            if failed:
                raise CommandError(f"the {failed} process stopped; everything was shut down.")
        except KeyboardInterrupt:
            self.stdout.write("Stopping ...")
        finally:
            self.stop(children)
            signal.signal(signal.SIGTERM, previous_sigterm)
            signal.signal(signal.SIGINT, previous_sigint)

    def on_sigterm(self, signum, frame):
        raise KeyboardInterrupt

    def watch(self, children):
        """Wait until a child exits; return its name."""
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    return name
            time.sleep(0.5)

    def stop(self, children):
        for child in children.values():
            if child.poll() is None:
                child.terminate()  # SIGTERM: each of them shuts down cleanly on it
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
