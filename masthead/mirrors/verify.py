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

from . import conf, files, manifest

MAX_FETCH_BYTES = 2 * 1024 * 1024 * 1024  # a single file larger than 2 GB is not ours
HTTP_WORKERS = 8
USER_AGENT = "masthead-mirror-verify/1"
SIGNATURE_NAME = manifest.SIGNATURE_PATH.rsplit("/", 1)[-1]


@dataclass
class Report:
    location: str
    manifest_error: str = ""
    signature: str = "not checked"  # "valid", "missing", "invalid", "not checked"
    generated_at: dt.datetime | None = None
    stale: bool = False
    key: str = ""  # the public key the signature was checked with
    signed: bool = False  # the copy carries a signature file (checked or not)
    missing: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    redirected: list = field(default_factory=list)  # sent to another host: not this copy's
    pages: list = field(default_factory=list)  # what is wrong with the manifest's page list
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
            or self.redirected
            or self.pages
        )

    def signature_line(self):
        short = self.key[:12] + "…" if self.key else ""
        if self.signature == "valid":
            return f"signature: valid (public key {short})"
        if self.signature == "invalid":
            return (
                f"signature: INVALID with public key {short}: the manifest was altered, or "
                "signed with another key (check the key you were given)"
            )
        if self.signature == "missing":
            return (
                f"signature: MISSING ({SIGNATURE_NAME} not found): the copy was exported "
                "without a signing key, or the file was removed"
            )
        if self.signed:
            return (
                "signature: NOT CHECKED: the copy is signed but no public key was given "
                "(pass --public-key KEY, from the admin's Mirrors panel or "
                "/.well-known/masthead-mirrors.json on an address you trust)"
            )
        return "signature: none (an unsigned copy, and no public key given to require one)"

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
        out.append(self.signature_line())
        out.extend(f"pages: {problem}" for problem in self.pages)
        for name in ("missing", "changed", "extra", "redirected"):
            if name == "extra" and not self.extra_checked:
                # Over HTTP there is no listing to compare with: "extra: 0" would be a guess.
                out.append("extra: not checkable over HTTP")
                continue
            items = getattr(self, name)
            out.append(f"{name}: {len(items)}")
            out.extend(f"  {item}" for item in items[:limit])
            if len(items) > limit:
                out.append(f"  ... and {len(items) - limit} more")
        verdict = "OK" if self.ok else "MISMATCH"
        if self.ok and self.signature != "valid":
            verdict += " (files only: the signature was not checked)"
        out.append(f"checked {self.checked} files: {verdict}")
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
    check_signature(report, source, data, public_key)
    report.pages = page_problems(parsed)
    for path, outcome in source.check_all(parsed.files):
        report.checked += 1
        if outcome in ("missing", "changed", "redirected"):
            getattr(report, outcome).append(path)
    if not is_url:
        listed = set(parsed.files) | {manifest.MANIFEST_PATH, manifest.SIGNATURE_PATH}
        report.extra = sorted(path for path in source.all_files() if path not in listed)
    report.missing.sort()
    report.changed.sort()
    return report


def check_signature(report, source, data, public_key):
    key = public_key or conf.public_key()
    if not key and conf.signing_key():
        key = manifest.public_key_of(conf.signing_key())
    try:
        signature = source.read(manifest.SIGNATURE_PATH).decode("ascii", "replace")
    except OSError:
        signature = None
    report.signed, report.key = signature is not None, key or ""
    if not key:
        return
    if signature is None:
        report.signature = "missing"
    else:
        valid = manifest.signature_valid(data, signature, key)
        report.signature = "valid" if valid else "invalid"


def page_problems(parsed):
    """A copy holds the pages its manifest's summary counts, the front page among them."""
    if parsed.pages is None:
        return ["the manifest lists no pages (made by an older export): export again"]
    problems = []
    if parsed.summary.get("pages") != len(parsed.pages):
        problems.append(
            f"the summary counts {parsed.summary.get('pages')} pages, "
            f"the manifest lists {len(parsed.pages)}"
        )
    if parsed.summary.get("files") != len(parsed.files):
        problems.append(
            f"the summary counts {parsed.summary.get('files')} files, "
            f"the manifest lists {len(parsed.files)}"
        )
    unlisted = [page for page in parsed.pages if page not in parsed.files]
    problems.extend(f"{page} is a page but not among the files" for page in unlisted[:20])
    if "index.html" not in parsed.pages:
        problems.append("there is no front page (index.html)")
    return problems


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
            found = files.sha256_file(path)
        except OSError:
            return "missing"
        return "ok" if found == expected else "changed"

    def check_all(self, entries):
        for rel, expected in sorted(entries.items()):
            yield rel, self.check_one(rel, expected)

    def all_files(self):
        for directory, _dirs, names in os.walk(self.root):
            for name in names:
                yield Path(directory, name).relative_to(self.root).as_posix()


class OffHostRedirect(urllib.error.URLError):
    pass


class SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """A copy's file must come from the copy: a redirect to another host (a hijacked
    bucket, a parked domain) is reported, never followed."""

    def __init__(self, origin):
        self.origin = origin

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if origin_of(newurl) != self.origin:
            raise OffHostRedirect(f"redirected to another host: {newurl[:200]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def origin_of(url):
    parts = urlsplit(url)
    return (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)


class HttpCopy:
    def __init__(self, location):
        self.base = location if location.endswith("/") else location + "/"
        self.opener = urllib.request.build_opener(SameHostRedirects(origin_of(self.base)))

    def url(self, rel):
        return self.base + quote(rel, safe="/-._~")

    def read(self, rel, limit=manifest.MAX_MANIFEST_BYTES):
        # Only http(s): the location's scheme was checked in verify().
        request = urllib.request.Request(self.url(rel), headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with self.opener.open(request, timeout=conf.check_timeout()) as response:
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
            with self.opener.open(request, timeout=conf.check_timeout()) as response:
                while chunk := response.read(1024 * 1024):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > MAX_FETCH_BYTES:
                        return rel, "changed"
        except OffHostRedirect:
            return rel, "redirected"
        except (urllib.error.URLError, ValueError, TimeoutError, OSError):
            return rel, "missing"
        return rel, "ok" if (size, digest.hexdigest()) == expected else "changed"

    def check_all(self, entries):
        with ThreadPoolExecutor(HTTP_WORKERS) as pool:
            yield from pool.map(self.check_one, sorted(entries.items()))
