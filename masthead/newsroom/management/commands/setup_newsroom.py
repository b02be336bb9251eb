"""Re-apply the newsroom's groups and review workflow (after an upgrade adds permissions)."""

from django.apps import apps
from django.core.management.base import BaseCommand

from masthead.newsroom.editorial import apply_editorial_setup


class Command(BaseCommand):
    help = "Create or repair the editorial groups and the review workflow."

    def handle(self, *args, **options):
        writers, editors, admins = apply_editorial_setup(apps)
        names = ", ".join(group.name for group in (writers, editors, admins))
        self.stdout.write(f"Groups ready: {names}; workflow assigned to the home page.")
