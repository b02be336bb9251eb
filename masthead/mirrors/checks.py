"""`masthead check`: a mirror target that cannot work is reported at start, naming it,
not at the first publish."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .targets import LOCAL_BACKEND, Target, TargetError, check_public_url


@register("mirrors")
def check_targets(app_configs=None, **kwargs):
    value = settings.MASTHEAD_MIRROR_TARGETS or {}
    if not isinstance(value, dict):
        return [
            Error(
                "MASTHEAD_MIRROR_TARGETS must map target names to options.",
                hint='e.g. {"local": {"BACKEND": "masthead.mirrors.targets.LocalDirectory", '
                '"PATH": "/srv/mirror"}}',
                id="mirrors.E001",
            )
        ]
    problems = []
    for name, options in value.items():
        problems.extend(target_problems(name, options))
    return problems


def target_problems(name, options):
    if not isinstance(options, dict):
        return [Error(f"Mirror target {name!r}: its options must be an object.", id="mirrors.E001")]
    path = options.get("BACKEND", LOCAL_BACKEND)
    try:
        backend = import_string(path)
    except ImportError as error:
        return [
            Error(
                f"Mirror target {name!r}: its BACKEND {path!r} cannot be imported ({error}).",
                hint="Give the dotted path of a target class, e.g. "
                "masthead.mirrors.targets.LocalDirectory or masthead.mirrors.targets.S3Bucket.",
                id="mirrors.E002",
            )
        ]
    if not (isinstance(backend, type) and issubclass(backend, Target)):
        return [
            Error(
                f"Mirror target {name!r}: {path!r} is not a mirror target class.",
                hint="A target subclasses masthead.mirrors.targets.Target.",
                id="mirrors.E003",
            )
        ]
    problems = [
        Error(
            f"Mirror target {name!r} has no {option} option.",
            hint=f"{backend.__name__} needs {', '.join(backend.required)}.",
            id="mirrors.E004",
        )
        for option in backend.required
        if not options.get(option)
    ]
    if options.get("PUBLIC_URL"):
        try:
            check_public_url(name, options["PUBLIC_URL"])
        except TargetError as error:
            problems.append(Error(str(error), id="mirrors.E005"))
    return problems
