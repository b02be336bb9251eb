"""masthead serve_demo: the site on http://127.0.0.1:8000/ with its background helpers.

Starts three child processes and watches them:
  - the development server (runserver 127.0.0.1:8000, DEBUG on),
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

from django.core.management.base import BaseCommand, CommandError

ADDRESS = "127.0.0.1:8000"
# Seconds between the worker's polls of an empty queue (django-tasks-db defaults to 1).
WORKER_INTERVAL = "0.2"
# How long a child gets to finish after being asked to stop, before it is killed.
STOP_TIMEOUT_SECONDS = 10


def manage(*args):
    """The command line that runs a management command in a child process."""
    return [sys.executable, "-m", "masthead.cli", *args]


class Command(BaseCommand):
    help = "Run the demo site on 127.0.0.1:8000 with the task worker and the scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--address", default=ADDRESS, help="host:port for runserver")
        parser.add_argument("--scheduler-interval", type=float, default=30)

    def handle(self, *args, **options):
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
