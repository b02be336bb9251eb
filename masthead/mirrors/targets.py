"""Where exports go: local directories (versioned, atomic) and S3-compatible buckets.

Every export is built in one local version store (the first LocalDirectory target, or
MASTHEAD_MIRROR_WORK_DIR when only buckets are configured); buckets are then brought
up to date from it, sending only files whose hash changed.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.module_loading import import_string

from . import conf, files, manifest
from .versions import VersionStore

LOCAL_BACKEND = "masthead.mirrors.targets.LocalDirectory"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".sig": "text/plain; charset=us-ascii",
}


class TargetError(Exception):
    pass


def content_type(path):
    suffix = Path(path).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


class Target:
    required = ()  # options a target cannot work without (checked by `masthead check`)

    def __init__(self, name, options):
        self.name = name
        self.options = options

    @property
    def public_url(self):
        """Where readers find this copy (option PUBLIC_URL), e.g. 'https://bucket.example/news/';
        its feeds, sitemaps and robots.txt name it. None: they name the primary domain."""
        value = self.options.get("PUBLIC_URL") or None
        if value is not None:
            check_public_url(self.name, value)
        return value

    def push(self, version_dir, file_map, manifest_bytes, signature):  # pragma: no cover
        raise NotImplementedError


class LocalDirectory(Target):
    """A directory a web server serves through DEST/current."""

    required = ("PATH",)

    @property
    def path(self):
        return Path(self.options["PATH"])

    def push(self, version_dir, file_map, manifest_bytes, signature):
        """Mirror a version built elsewhere into this store (hard links where possible)."""
        store = VersionStore(self.path)
        with store.locked():
            build = store.new_build()
            try:
                for rel in [*file_map, manifest.MANIFEST_PATH, manifest.SIGNATURE_PATH]:
                    source = Path(version_dir) / rel
                    if source.exists():
                        files.link_or_copy(source, build / rel)
                store.commit(build, conf.keep_versions())
            except BaseException:
                store.discard(build)
                raise
        return {"uploaded": len(file_map), "deleted": 0}


class S3Bucket(Target):
    """An S3-compatible bucket (AWS, MinIO, Ceph, R2...) reached with boto3.

    Options: BUCKET, PREFIX, ENDPOINT_URL, REGION_NAME, ACCESS_KEY_ID and
    SECRET_ACCESS_KEY (else boto3's usual credential chain), ACL (e.g. "public-read"
    where the provider uses ACLs rather than a bucket policy for public reading).

    Order matters because readers may fetch during the upload: content (assets, then
    story pages, deepest first) goes up before the pages that link to it (listings,
    feeds, home), the manifest and its signature last, and removed files are deleted
    only once the manifest no longer lists them.
    """

    required = ("BUCKET",)

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.options.get("ENDPOINT_URL") or None,
            region_name=self.options.get("REGION_NAME") or None,
            aws_access_key_id=self.options.get("ACCESS_KEY_ID") or None,
            aws_secret_access_key=self.options.get("SECRET_ACCESS_KEY") or None,
            config=Config(
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=conf.check_timeout(),
                read_timeout=60,
            ),
        )

    @property
    def bucket(self):
        return self.options["BUCKET"]

    @property
    def prefix(self):
        prefix = self.options.get("PREFIX", "").strip("/")
        return prefix + "/" if prefix else ""

    def remote_files(self, client):
        from botocore.exceptions import ClientError

        try:
            body = client.get_object(Bucket=self.bucket, Key=self.prefix + manifest.MANIFEST_PATH)[
                "Body"
            ].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return {}
            raise
        try:
            return manifest.parse(body).files
        except manifest.ManifestError:
            return {}  # unknown state: send everything

    def put(self, client, key, body, rel):
        extra = {"ACL": self.options["ACL"]} if self.options.get("ACL") else {}
        client.put_object(
            Bucket=self.bucket,
            Key=self.prefix + key,
            Body=body,
            ContentType=content_type(rel),
            **extra,
        )

    def push(self, version_dir, file_map, manifest_bytes, signature):
        from botocore.exceptions import BotoCoreError, ClientError

        client = self.client()
        try:
            remote = self.remote_files(client)
            changed = [rel for rel, entry in file_map.items() if remote.get(rel) != entry]
            for rel in sorted(changed, key=upload_order):
                with open(Path(version_dir) / rel, "rb") as handle:
                    self.put(client, rel, handle, rel)
            if signature:
                self.put(
                    client, manifest.SIGNATURE_PATH, signature.encode(), manifest.SIGNATURE_PATH
                )
            self.put(client, manifest.MANIFEST_PATH, manifest_bytes, manifest.MANIFEST_PATH)
            gone = [rel for rel in remote if rel not in file_map]
            for start in range(0, len(gone), 1000):  # S3 deletes at most 1,000 keys a call
                chunk = gone[start : start + 1000]
                client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": self.prefix + rel} for rel in chunk]},
                )
        except (ClientError, BotoCoreError) as error:
            raise TargetError(
                f"bucket {self.bucket!r} ({self.name}): {error}; "
                "its previous manifest and entry pages still stand"
            ) from None
        return {"uploaded": len(changed), "deleted": len(gone)}


def check_public_url(name, value):
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
        host = parts and parts.hostname
    except ValueError:  # e.g. an unclosed [ in an IPv6 address
        parts = host = None
    if (
        parts is None
        or not host
        or parts.scheme not in ("http", "https")
        or not parts.path.endswith("/")
        or parts.query
        or parts.fragment
    ):
        raise TargetError(
            f"mirror target {name!r}: PUBLIC_URL {value!r} is not an http:// or https:// "
            "address ending with / (without ? or #), e.g. 'https://mirror.example/' or "
            "'https://bucket.example/news/'; fix it in MASTHEAD_MIRROR_TARGETS"
        )


def upload_order(rel):
    """Assets, then story pages deepest first, then listings, feeds, and the home page."""
    if rel.startswith(("static/", "media/")):
        tier = 0
    elif rel == "index.html":
        tier = 4
    elif rel.endswith(".html"):
        tier = 1 if "/page/" not in rel else 2
    else:
        tier = 3
    return (tier, -rel.count("/"), rel)


def configured():
    """Instantiated targets from MASTHEAD_MIRROR_TARGETS, in their configured order."""
    result = []
    for name, options in conf.targets().items():
        backend = import_string(options.get("BACKEND", LOCAL_BACKEND))
        result.append(backend(name, options))
    return result


def builds_in(target, root):
    """True for the target whose directory the version is built in (nothing to push)."""
    return isinstance(target, LocalDirectory) and target.path == root


def primary_local_root():
    """The local version store exports are built in, or None when nothing is configured."""
    targets = configured()
    for target in targets:
        if isinstance(target, LocalDirectory):
            return target.path
    return conf.work_dir() if targets else None
