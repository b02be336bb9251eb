"""`mirror check`: how far behind is each registered mirror? Results are stored on the
Mirror rows so the admin panel shows them without touching the network."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone

from . import manifest, targets
from .export import names_its_address
from .models import Mirror
from .verify import HttpCopy

logger = logging.getLogger("masthead.mirrors")


@dataclass
class MirrorStatus:
    mirror: Mirror
    reachable: bool
    generated_at: dt.datetime | None = None
    behind: int | None = None
    message: str = ""

    def line(self):
        if not self.reachable:
            return f"{self.mirror.address}: UNREACHABLE ({self.message})"
        age = timezone.now() - self.generated_at
        behind = "?" if self.behind is None else self.behind
        return (
            f"{self.mirror.address}: reachable, generated {age.total_seconds() / 3600:.1f} h ago, "
            f"{behind} files behind" + (f" ({self.message})" if self.message else "")
        )


def local_manifest_files():
    root = targets.primary_local_root()
    if root is None:
        return None
    try:
        return manifest.parse((root / "current" / manifest.MANIFEST_PATH).read_bytes()).files
    except (OSError, manifest.ManifestError):
        return None


def files_behind(local, remote):
    """Files of the current local export that the mirror lacks or holds in another version.

    Feeds, sitemaps and robots.txt are left out: a copy with its own PUBLIC_URL holds its
    own versions of them, and a publish that changes them changes pages too."""
    return sum(
        1
        for path, entry in local.items()
        if remote.get(path) != entry and not names_its_address(path)
    )


def check_mirror(mirror, local):
    if mirror.kind == Mirror.Kind.ONION:
        return MirrorStatus(mirror, reachable=False, message="onion addresses need Tor")
    try:
        data = HttpCopy(mirror.address).read(manifest.MANIFEST_PATH)
    except OSError as error:
        return MirrorStatus(mirror, reachable=False, message=str(error)[:300])
    try:
        remote = manifest.parse(data)
    except manifest.ManifestError as error:
        return MirrorStatus(mirror, reachable=False, message=f"bad manifest: {error}"[:300])
    behind = files_behind(local, remote.files) if local is not None else None
    message = "" if local is not None else "no local export to compare with"
    return MirrorStatus(mirror, True, remote.generated_at, behind, message)


def check_all(mirrors=None):
    local = local_manifest_files()
    results = []
    for mirror in mirrors if mirrors is not None else Mirror.objects.all():
        status = check_mirror(mirror, local)
        now = timezone.now()
        update = {
            "last_checked_at": now,
            "check_reachable": status.reachable,
            "check_generated_at": status.generated_at,
            "check_files_behind": status.behind,
            "check_message": status.message[:500],
        }
        if status.reachable:
            update["last_verified_at"] = now
        Mirror.objects.filter(pk=mirror.pk).update(**update)
        results.append(status)
    return results
