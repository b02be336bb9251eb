"""Reading the environment: one helper per kind of value, each refusing a bad one by name.

Only the settings modules call these; apps read `django.conf.settings`. An error names the
variable, what it got and what it expects, e.g. "MASTHEAD_CDN_MAX_AGE must be a whole
number of seconds, got 'abc'", so a typo stops `masthead check` or the server at start
rather than surfacing later as an unexplained ValueError. A variable set to the empty
string counts as unset (`VAR=` in a unit file or a compose file clears it). Values that may
hold secrets (JSON with API tokens) are not echoed back.
"""

import json
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
JSON_KINDS = {dict: "object", list: "array", str: "string", int: "number", float: "number"}
JSON_KINDS.update({bool: "true or false", type(None): "null"})


def _raw(name):
    """The variable's value stripped of surrounding blanks, or None if unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None


def _refuse(name, expected, value):
    return ImproperlyConfigured(f"{name} must be {expected}, got {value!r}")


def env_str(name, default=None):
    value = _raw(name)
    return default if value is None else value


def env_bool(name, default=False):
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise _refuse(name, "on or off (1, true, yes, on / 0, false, no, off)", value)


def _range_phrase(minimum, maximum):
    if minimum is not None and maximum is not None:
        return f" (from {minimum} to {maximum})"
    if minimum is not None:
        return f" (at least {minimum})"
    if maximum is not None:
        return f" (at most {maximum})"
    return ""


def _number(name, default, convert, kind, unit, minimum, maximum):
    value = _raw(name)
    if value is None:
        return default
    expected = kind + (f" of {unit}" if unit else "") + _range_phrase(minimum, maximum)
    try:
        number = convert(value)
    except ValueError:
        raise _refuse(name, expected, value) from None
    if number != number or number in (float("inf"), float("-inf")):  # nan and infinities
        raise _refuse(name, expected, value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise _refuse(name, expected, value)
    return number


def env_int(name, default, *, unit="", minimum=None, maximum=None):
    """A whole number, e.g. env_int("MASTHEAD_CDN_MAX_AGE", 300, unit="seconds", minimum=0)."""
    return _number(name, default, int, "a whole number", unit, minimum, maximum)


def env_float(name, default, *, unit="", minimum=None, maximum=None):
    """A number that may have a fraction, e.g. hours: "0.25"."""
    return _number(name, default, float, "a number", unit, minimum, maximum)


def env_list(name, default=""):
    """Comma-separated items, blanks dropped: "a.example, b.example" -> two items."""
    value = env_str(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_extensions(name, default, *, refused=frozenset(), why=""):
    """File-name extensions, lower case without the dot: "PDF, .docx" -> ["pdf", "docx"].

    Any extension in `refused` stops the settings, `why` saying what makes it unsafe.
    """
    extensions = [item.lower().lstrip(".") for item in env_list(name, default)]
    extensions = [extension for extension in extensions if extension]
    unsafe = [extension for extension in extensions if extension in refused]
    if unsafe:
        expected = f"a list of file extensions without {', '.join(unsafe)} ({why})"
        raise _refuse(name, expected, _raw(name))
    return extensions


def env_choice(name, default, choices):
    """One of a few words, compared without regard to case; returned as spelled in choices."""
    value = _raw(name)
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise _refuse(name, "one of " + ", ".join(choices), value)


def env_json(name, default=None, *, expect=None, form="JSON"):
    """Parsed JSON; with `expect` (dict, list) the top-level value must be of that type.

    The value is not quoted in errors: frontend-cache and target options may carry tokens.
    """
    value = _raw(name)
    if value is None:
        return default
    try:
        parsed = json.loads(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON ({error}); expected {form}") from None
    if expect is not None and not isinstance(parsed, expect):
        kind = JSON_KINDS.get(type(parsed), type(parsed).__name__)
        raise ImproperlyConfigured(f"{name} must be {form}, got a JSON {kind}")
    return parsed


def env_url(name, default, *, schemes=("http", "https")):
    """An absolute address such as https://news.example, without a trailing slash."""
    value = _raw(name)
    if value is None:
        return default
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in schemes or not parts.hostname:
        example = f"{'https' if 'https' in schemes else schemes[0]}://news.example"
        expected = f"an absolute {' or '.join(schemes)} address such as {example}"
        raise _refuse(name, expected, value)
    return value.rstrip("/")


def env_database(name, default, **options):
    """A database URL as Django's DATABASES entry, e.g. postgres://user@host/db. The value is
    never echoed: it may carry a password."""
    import dj_database_url

    value = _raw(name) or default
    expected = "a database URL such as postgres://user@host/db or sqlite:////path/to/file"
    try:
        return dj_database_url.parse(value, **options)
    except dj_database_url.UnknownSchemeError as error:
        raise ImproperlyConfigured(
            f"{name} must be {expected}; its scheme {error.scheme}:// is not one Django knows"
        ) from None
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {expected}") from None
