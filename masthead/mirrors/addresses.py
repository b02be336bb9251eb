"""Each target's own address (option PUBLIC_URL) in its copy's feeds, sitemaps and robots.txt.

HTML pages link relatively and work at any address, and their canonical links name the
primary domain wherever they are read; only the files export.names_its_address() lists
carry absolute URLs of the copy itself. The version is built for the address of the
target it is built in. Every other address gets those files rendered again, with the
rest of the version hard-linked beside them (same file system), and its own signed
manifest, since the files' hashes differ.
"""

import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from . import conf
from .export import Exporter, ExportError, failed_pages_message
from .targets import TargetError, builds_in

SITEMAP_LINE = "Sitemap: "
SITEMAP_FILE = "sitemap.xml"


def check_public_urls(configured):
    """Refuse to export at all while a target's PUBLIC_URL is malformed."""
    for target in configured:
        try:
            target.public_url  # noqa: B018 - the property validates
        except TargetError as error:
            raise ExportError(str(error)) from None


def build_address(configured, root):
    """The address of the copy in root: its LocalDirectory target's PUBLIC_URL, if any."""
    for target in configured:
        if builds_in(target, root):
            return target.public_url
    return None


def primary_base():
    """What an export without PUBLIC_URL names: the primary origin, as the exporter's
    requests build it."""
    primary = urlsplit(conf.primary_url())
    return f"{primary.scheme}://{primary.netloc}/"


def address_of(version_dir):
    """The address a version was built for, from its robots.txt; None if it has none."""
    try:
        text = (Path(version_dir) / "robots.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith(SITEMAP_LINE) and line.endswith(SITEMAP_FILE):
            return line[len(SITEMAP_LINE) : -len(SITEMAP_FILE)]
    return None


def address_changed(version_dir, public_url):
    """True when the previous version was built for another address (PUBLIC_URL was set,
    changed or removed): updating it in part would leave old addresses in its feeds."""
    known = address_of(version_dir) if version_dir else None
    return known is not None and known != (public_url or primary_base())


class Copies:
    """The built version as each target's address needs it; the extra ones are removed
    when the context ends.

    write_manifest(build, file_map, page_files, public_pages) -> (manifest bytes,
    signature) signs one copy; every copy lists the same pages as the built version.
    """

    def __init__(self, root, result, manifest_bytes, signature, address, write_manifest):
        self.root = Path(root)
        self.version = result.version
        self.files = result.files
        self.write_manifest = write_manifest
        self.pages, self.public_pages = result.page_files, result.public_pages
        self.made = {address: (result.version, result.files, manifest_bytes, signature)}
        self.builds = []

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        for build in self.builds:
            shutil.rmtree(build, ignore_errors=True)

    def for_target(self, target):
        """(version dir, file map, manifest bytes, signature) to push to target."""
        address = target.public_url
        if address not in self.made:
            self.made[address] = self.readdressed(address)
        return self.made[address]

    def readdressed(self, address):
        build = Path(tempfile.mkdtemp(prefix=".address-", dir=self.root))
        self.builds.append(build)
        exporter = Exporter(
            build, self.version, self.files, previous_pages=self.pages, public_url=address
        )
        exporter.readdress()
        if exporter.errors:
            raise ExportError(
                f"for {address or primary_base()}: {failed_pages_message(exporter.errors)}"
            )
        manifest_bytes, signature = self.write_manifest(
            build, exporter.output.entries, exporter.output.pages, self.public_pages
        )
        return build, exporter.output.entries, manifest_bytes, signature
