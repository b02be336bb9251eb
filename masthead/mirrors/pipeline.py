"""One export run: build a new version beside the current one, sign it, switch, push."""

import errno
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from . import addresses, conf, files, manifest, status, targets
from .export import Exporter, ExportError, failed_pages_message, utcnow
from .versions import VersionError, VersionStore

logger = logging.getLogger("masthead.mirrors")


@dataclass
class ExportResult:
    version: Path
    files: dict
    changed: set
    removed: set
    pages: int
    bytes: int
    seconds: float
    broken: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    pushed: dict = field(default_factory=dict)
    signed: bool = False
    page_files: set = field(default_factory=set)  # the manifest's pages
    public_pages: int | None = None  # the public pages the site had, as the manifest says

    def summary(self):
        line = (
            f"{self.pages} pages, {len(self.files)} files, {self.bytes:,} bytes, "
            f"{len(self.changed)} changed, {len(self.removed)} removed, {self.seconds:.1f} s"
        )
        if self.broken:
            line += f"; {len(self.broken)} broken links"
        if self.errors:
            line += f"; {len(self.errors)} pages failed"
        return line


class ShrinkRefused(ExportError):
    """A full export that would drop too many of the current copy's pages."""


def read_manifest(version_dir):
    try:
        return manifest.parse((version_dir / manifest.MANIFEST_PATH).read_bytes())
    except (OSError, manifest.ManifestError):
        return None


def read_manifest_files(version_dir):
    parsed = read_manifest(version_dir)
    return parsed.files if parsed else None


def build_version(root, pages=None, progress=False, workers=1, allow_shrink=False, public_url=None):
    """Export into a new version of the store at root; pages=None means a full export.

    allow_shrink: False refuses a full version that drops more than MASTHEAD_MIRROR_MAX_SHRINK
    of the pages; True switches anyway; "explained" allows the drop the site's own count
    of public pages accounts for (editors took them down), and refuses the rest.
    public_url: the address the copy in root is read at (None: the primary domain's)."""
    start = time.monotonic()
    store = VersionStore(root)
    try:
        with store.locked():
            previous = store.current()
            before = read_manifest(previous) if previous else None
            if pages is not None and (before is None or before.pages is None):
                pages = None  # no copy yet, or one that does not list its pages: redo it all
            if pages is not None and addresses.address_changed(previous, public_url):
                pages = None  # every feed and sitemap must name the new address
            build = store.new_build() if pages is None else incremental_build(store)
            try:
                if pages is None:
                    exporter = Exporter(
                        build, progress=progress, workers=workers, public_url=public_url
                    )
                    exporter.full()
                    exporter.output.compare_with(before.files if before else {})
                else:
                    files.sync_tree(build, read_manifest_files(build) or {}, previous, before.files)
                    exporter = Exporter(
                        build,
                        previous,
                        before.files,
                        progress=progress,
                        workers=workers,
                        previous_pages=before.pages,
                        public_url=public_url,
                    )
                    exporter.update(pages, build_holds_previous=True)
                if exporter.errors:
                    raise ExportError(failed_pages_message(exporter.errors))
                public_now = public_page_count()
                if pages is None and allow_shrink is not True:
                    expected = expected_share(before, public_now, allow_shrink == "explained")
                    refuse_shrink(before, exporter.output.pages, conf.max_shrink(), expected)
                manifest_bytes, signature = write_manifest(
                    build, exporter.output.entries, exporter.output.pages, public_now
                )
                version = store.commit(build, conf.keep_versions())
            except BaseException:
                store.discard(build)
                raise
    except VersionError as error:
        raise ExportError(f"cannot export to {root}: {error}") from None
    except OSError as error:
        raise ExportError(explain(error, root)) from None
    return (
        ExportResult(
            version=version,
            files=exporter.output.entries,
            changed=exporter.output.changed,
            removed=exporter.output.removed,
            pages=exporter.pages,
            bytes=sum(size for size, _sha in exporter.output.entries.values()),
            seconds=time.monotonic() - start,
            broken=exporter.broken,
            errors=exporter.errors,
            signed=signature is not None,
            page_files=exporter.output.pages,
            public_pages=public_now,
        ),
        manifest_bytes,
        signature,
    )


def public_page_count():
    """Live pages a reader may see (no login or password), as the database counts them."""
    from wagtail.models import Page

    return Page.objects.live().public().count()


def expected_share(before, public_now, explained):
    """The share of the previous pages the new version should keep: all of them, or, when
    a drop may be explained, as many as the site's public pages went down by."""
    had_public = before.summary.get("public_pages") if before else None
    if not explained or not had_public:
        return 1.0
    return min(1.0, public_now / had_public)


def refuse_shrink(before, page_files, allowed, expected=1.0):
    if before is None or not before.pages:
        return
    had, has = len(before.pages), len(page_files)
    if has >= had * expected * (1 - allowed):
        return
    raise ShrinkRefused(
        f"the new version has {has} pages, {1 - has / had:.0%} fewer than the current "
        f"version's {had}, more than MASTHEAD_MIRROR_MAX_SHRINK ({allowed:.0%}) allows"
        + (" beyond the public pages taken down" if expected < 1.0 else "")
        + "; the current version is unchanged. If the pages were taken down on purpose, "
        "run `masthead mirror export --allow-shrink`."
    )


def incremental_build(store):
    """The oldest version to bring level with `current` (it lists its files in its
    manifest), or an empty build directory."""
    build = store.recycle_oldest(conf.keep_versions())
    if build is not None and read_manifest_files(build) is None:
        store.discard(build)  # nothing says what it holds: start empty
        build = None
    return build or store.new_build()


def usable_signing_key():
    """The signing key, or None (unsigned); a key that cannot sign stops the export before
    any page is rendered."""
    try:
        key = conf.signing_key()
        if key:
            manifest.load_private_key(key)
    except ImproperlyConfigured as error:
        raise ExportError(
            f"{error}; fix the file or remove it (`make demo` makes a new one)"
        ) from None
    except manifest.KeyFormatError as error:
        raise ExportError(
            f"MASTHEAD_MIRROR_SIGNING_KEY: {error} (`masthead mirror keygen` makes a key)"
        ) from None
    return key


def write_manifest(build, file_map, page_files, public_pages=None):
    data = manifest.build(
        file_map, utcnow(), conf.primary_url(), pages=page_files, public_pages=public_pages
    )
    signature = None
    key = usable_signing_key()
    if key:
        signature = manifest.sign(data, key)
        files.write_bytes(build / manifest.SIGNATURE_PATH, signature.encode())
    files.write_bytes(build / manifest.MANIFEST_PATH, data)
    return data, signature


def explain(error, root):
    where = f" ({error.filename})" if getattr(error, "filename", None) else ""
    if error.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "the destination is not writable"
    else:
        reason = error.strerror or str(error)
    return f"export to {root} stopped: {reason}{where}; the current version is unchanged"


def forget_process_cache():
    """Publishing invalidates cached feeds, menus and settings in the process that
    published. A cache private to this process (local memory: no Redis configured) never
    heard of it, so an export starts it empty rather than copy stale outputs."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        backend.clear()


def run(
    dest=None,
    pages=None,
    progress=False,
    only=None,
    workers=None,
    allow_shrink=False,
    trigger="command",
):
    """Export to DEST, or to every configured target (only: a list of target names).

    Every run's outcome is recorded for the admin's Mirrors panel, a failure included."""
    outcome = {"trigger": trigger, "destination": dest or "MASTHEAD_MIRROR_TARGETS"}
    outcome["full"] = pages is None
    try:
        result = export_and_push(dest, pages, progress, only, workers, allow_shrink)
    except Exception as error:
        status.record(ok=False, message=str(error) or repr(error), **outcome)
        raise
    status.record(ok=True, message=result.summary(), **outcome)
    return result


def export_and_push(dest, pages, progress, only, workers, allow_shrink):
    usable_signing_key()
    forget_process_cache()
    if workers is None:
        workers = conf.export_workers()
    configured = [] if dest else targets.configured()
    if only:
        configured = [target for target in configured if target.name in only]
        missing = set(only) - {target.name for target in configured}
        if missing:
            raise ExportError(f"no such mirror target: {', '.join(sorted(missing))}")
    if dest:
        root = Path(dest)
    else:
        locals_ = [t for t in configured if isinstance(t, targets.LocalDirectory)]
        root = locals_[0].path if locals_ else conf.work_dir()
        if not configured:
            raise ExportError("no DEST given and MASTHEAD_MIRROR_TARGETS is empty")
    addresses.check_public_urls(configured)
    address = addresses.build_address(configured, root)
    result, manifest_bytes, signature = build_version(
        root,
        pages=pages,
        progress=progress,
        workers=workers,
        allow_shrink=allow_shrink,
        public_url=address,
    )
    failures = []
    copies = addresses.Copies(root, result, manifest_bytes, signature, address, write_manifest)
    with copies:
        for target in configured:
            if targets.builds_in(target, root):
                continue
            try:
                result.pushed[target.name] = target.push(*copies.for_target(target))
            except (targets.TargetError, OSError, VersionError, ExportError) as error:
                logger.error("mirror push to %s failed: %s", target.name, error)
                failures.append(f"{target.name}: {error}")
    if failures:
        raise ExportError("; ".join(failures) + reached(result, root, configured))
    return result


def reached(result, root, configured):
    """The targets that did switch, so a failure elsewhere is not read as "nothing changed"."""
    done = [target.name for target in configured if targets.builds_in(target, root)]
    done += sorted(result.pushed)
    if not done:
        return ""
    return f" (the new version did reach {', '.join(done)}, which now serve it)"
