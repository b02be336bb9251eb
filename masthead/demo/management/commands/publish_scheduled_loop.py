"""masthead publish_scheduled_loop: run Wagtail's publish_scheduled every 30 seconds.

In production a cron job or systemd timer runs `masthead publish_scheduled` instead;
this loop is for `serve_demo`, so scheduled stories go live while you watch.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

DEFAULT_INTERVAL_SECONDS = 30


class Command(BaseCommand):
    help = "Publish and unpublish scheduled pages every --interval seconds until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=DEFAULT_INTERVAL_SECONDS)
        parser.add_argument(
            "--once", action="store_true", help="run once and stop (for checking the setup)"
        )

    def handle(self, *args, **options):
        interval = max(options["interval"], 1.0)
        try:
            while True:
                started = time.monotonic()
                try:
                    call_command("publish_scheduled", stdout=self.stdout._out)
                except Exception as error:  # keep the loop alive; the next run may succeed
                    self.stderr.write(f"publish_scheduled failed: {error}")
                if options["once"]:
                    return
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
                # A long-lived process: drop a connection the database may have closed.
                close_old_connections()
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")
