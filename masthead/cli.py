"""The `masthead` console script: Django's manage.py under the project's name.

masthead import-jsonl corpus.jsonl --images DIR
masthead mirror export DEST
"""

import os
import sys

# Friendly names for the project's commands; anything else goes to Django as is.
ALIASES = {"import-jsonl": "import_jsonl"}


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.base")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings, which read the environment
    except ImproperlyConfigured as error:
        # A bad variable: its name and the expected form, not a page of traceback.
        sys.exit(f"masthead: {error}")

    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
