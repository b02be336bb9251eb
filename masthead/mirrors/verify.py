"""Check a copy (a local directory or an http(s) URL) against its signed manifest."""

import datetime as dt
import hashlib
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import conf, manifest

MAX_FETCH_BYTES = 2 * 1024 * 1024 * 1024  # a single file larger than 2 GB is not ours
HTTP_WORKERS = 8
USER_AGENT = "masthead-mirror-verify/1"


@dataclass
class Report:
    location: str
    manifest_error: str = ""
    signature: str = "not checked"  # "valid", "missing", "invalid", "not checked"
    generated_at: dt.datetime | None = None
    stale: bool = False
    missing: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    checked: int = 0
    extra_checked: bool = True

    @property
    def ok(self):
        return not (
            self.manifest_error
            or self.signature in ("missing", "invalid")
            or self.stale
            or self.missing
            or self.changed
            or self.extra
        )

    def lines(self, limit=20):
        out = [f"copy: {self.location}"]
        if self.manifest_error:
            out.append(f"MANIFEST REJECTED: {self.manifest_error}")
            return out
        age = dt.datetime.now(dt.UTC) - self.generated_at
        out.append(
            f"generated {self.generated_at.isoformat()} ({age.total_seconds() / 3600:.1f} h ago)"
            + (" STALE" if self.stale else "")
        )
        out.append(f"signature: {self.signature}")
        for name in ("missing", "changed", "extra"):
            items = getattr(self, name)
            out.append(f"{name}: {len(items)}")
            out.extend(f"  {item}" for item in items[:limit])
            if len(items) > limit:
                out.append(f"  ... and {len(items) - limit} more")
        if not self.extra_checked:
            out.append("extra: not checkable over HTTP")
        out.append(f"checked {self.checked} files: {'OK' if self.ok else 'MISMATCH'}")
        return out


def verify(location, public_key=None, max_age_hours=None):
    is_url = urlsplit(location).scheme in ("http", "https")
    source = HttpCopy(location) if is_url else DirectoryCopy(location)
    report = Report(location=location, extra_checked=not is_url)
    try:
        data = source.read(manifest.MANIFEST_PATH)
    except OSError as error:
        report.manifest_error = f"cannot read the manifest: {error}"
        return report
    try:
        parsed = manifest.parse(data)
    except manifest.ManifestError as error:
        report.manifest_error = str(error)
        return report
    report.generated_at = parsed.generated_at
    max_age = conf.stale_hours() if max_age_hours is None else max_age_hours
    report.stale = dt.datetime.now(dt.UTC) - parsed.generated_at > dt.timedelta(hours=max_age)
    key = public_key or conf.public_key()
    if not key and conf.signing_key():
        key = manifest.public_key_of(conf.signing_key())
    if key:
        try:
            signature = source.read(manifest.SIGNATURE_PATH).decode("ascii", "replace")
        except OSError:
            report.signature = "missing"
        else:
            valid = manifest.signature_valid(data, signature, key)
            report.signature = "valid" if valid else "invalid"
    for path, outcome in source.check_all(parsed.files):
        report.checked += 1
        if outcome == "missing":
            report.missing.append(path)
        elif outcome == "changed":
            report.changed.append(path)
    if not is_url:
        listed = set(parsed.files) | {manifest.MANIFEST_PATH, manifest.SIGNATURE_PATH}
        report.extra = sorted(path for path in source.all_files() if path not in listed)
    report.missing.sort()
    report.changed.sort()
    return report


class DirectoryCopy:
    def __init__(self, location):
        root = Path(location)
        # An export destination: check what its web server serves.
        if (root / "current").is_dir() and not (root / manifest.MANIFEST_PATH).exists():
            root = root / "current"
        self.root = root.resolve()

    def read(self, rel):
        return (self.root / rel).read_bytes()

    def check_one(self, rel, expected):
        path = self.root / rel
        try:
            if path.is_symlink() or not path.is_file():
                return "missing"
            digest, size = hashlib.sha256(), 0
            with open(path, "rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError:
            return "missing"
        return "ok" if (size, digest.hexdigest()) == expected else "changed"

    def check_all(self, entries):
        for rel, expected in sorted(entries.items()):
            yield rel, self.check_one(rel, expected)

    def all_files(self):
        for directory, _dirs, names in os.walk(self.root):
            for name in names:
                yield Path(directory, name).relative_to(self.root).as_posix()


class HttpCopy:
    def __init__(self, location):
        self.base = location if location.endswith("/") else location + "/"

    def url(self, rel):
        return self.base + quote(rel, safe="/-._~")

    def read(self, rel, limit=manifest.MAX_MANIFEST_BYTES):
        # Only http(s): the location's scheme was checked in verify().
        request = urllib.request.Request(self.url(rel), headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=conf.check_timeout()) as response:  # noqa: S310
                data = response.read(limit + 1)
        except (urllib.error.URLError, ValueError, TimeoutError) as error:
            raise OSError(str(getattr(error, "reason", error))) from None
        if len(data) > limit:
            raise OSError("response too large")
        return data

    def check_one(self, item):
        rel, expected = item
        # Only http(s): the location's scheme was checked in verify().
        request = urllib.request.Request(self.url(rel), headers={"User-Agent": USER_AGENT})  # noqa: S310
        digest, size = hashlib.sha256(), 0
        try:
            with urllib.request.urlopen(request, timeout=conf.check_timeout()) as response:  # noqa: S310
                while chunk := response.read(1024 * 1024):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > MAX_FETCH_BYTES:
                        return rel, "changed"
        except (urllib.error.URLError, ValueError, TimeoutError, OSError):
            return rel, "missing"
        return rel, "ok" if (size, digest.hexdigest()) == expected else "changed"

    def check_all(self, entries):
        with ThreadPoolExecutor(HTTP_WORKERS) as pool:
            yield from pool.map(self.check_one, sorted(entries.items()))
