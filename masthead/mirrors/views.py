"""Machine-readable lists under /.well-known/: the mirrors, and the current export's manifest."""

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import conf
from .models import Mirror

MIRRORS_PATH = ".well-known/masthead-mirrors.json"
MANIFEST_PATH = ".well-known/masthead-manifest.json"
SIGNATURE_PATH = MANIFEST_PATH + ".sig"


def public_mirrors():
    return [
        {
            "address": mirror.address,
            "kind": mirror.kind,
            "label": mirror.label,
            "last_verified": (
                mirror.last_verified_at.isoformat() if mirror.last_verified_at else None
            ),
        }
        for mirror in Mirror.objects.filter(is_public=True)
    ]


def mirrors_document():
    # The key a copy's manifest signature verifies with (None while copies go unsigned).
    return {
        "primary": conf.primary_url(),
        "public_key": conf.published_public_key(),
        "mirrors": public_mirrors(),
    }


@require_safe
@cache_control(public=True, max_age=300)
def mirrors_json(request):
    return JsonResponse(mirrors_document(), json_dumps_params={"indent": 2, "ensure_ascii": False})


def _current_export_file(relative):
    """A file from the local export's current version, if this installation keeps one."""
    from .targets import primary_local_root

    root = primary_local_root()
    if root is None:
        return None
    path = root / "current" / relative
    try:
        return path.read_bytes()
    except OSError:
        return None


@require_safe
@cache_control(public=True, max_age=60)
def manifest_json(request):
    """Live mirrors publish the manifest of the latest export, so `mirror check` can compare."""
    data = _current_export_file(MANIFEST_PATH)
    if data is None:
        raise Http404("No export yet")
    return HttpResponse(data, content_type="application/json")


@require_safe
@cache_control(public=True, max_age=60)
def manifest_signature(request):
    data = _current_export_file(SIGNATURE_PATH)
    if data is None:
        raise Http404("Not signed")
    return HttpResponse(data, content_type="text/plain; charset=us-ascii")
