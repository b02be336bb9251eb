"""The manifest: what a copy should contain (path, size, SHA-256 of every file), signed.

The manifest is /.well-known/masthead-manifest.json; its Ed25519 signature, base64 over
the manifest's exact bytes, is the detached file /.well-known/masthead-manifest.json.sig.
A manifest read from a copy is untrusted input: parse_manifest() validates every field
and raises ManifestError rather than returning anything half-checked.
"""

import base64
import binascii
import datetime as dt
import json
import posixpath
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MANIFEST_PATH = ".well-known/masthead-manifest.json"
SIGNATURE_PATH = MANIFEST_PATH + ".sig"
FORMAT = "masthead-manifest/1"
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
# Control characters (NUL included) and backslashes have no place in a copy's paths.
UNSAFE_CHARACTER_RE = re.compile(r"[\x00-\x1f\\]")
# Bounds for untrusted manifests, far above any real export.
MAX_MANIFEST_BYTES = 200 * 1024 * 1024
MAX_FILES = 5_000_000


class ManifestError(ValueError):
    pass


class KeyFormatError(ValueError):
    pass


def build(files, generated_at, primary_url, pages=None, public_pages=None):
    """files: {relative path: (size, sha256)}; pages: the files that are rendered pages,
    the copy's entry points (a redirect stub or an asset is not one); public_pages: how
    many public pages the site had (the shrink guard compares). Returns the bytes."""
    listed = files.keys() - {MANIFEST_PATH, SIGNATURE_PATH}
    page_list = sorted(set(pages or ()) & listed)
    summary = {"pages": len(page_list), "files": len(listed)}
    if public_pages is not None:
        summary["public_pages"] = public_pages
    document = {
        "format": FORMAT,
        "generated_at": generated_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "primary_url": primary_url,
        "summary": summary,
        "pages": page_list,
        "files": [
            {"path": path, "size": size, "sha256": sha}
            for path, (size, sha) in sorted(files.items())
            if path not in (MANIFEST_PATH, SIGNATURE_PATH)
        ],
    }
    # Compact: an indented dump takes json's pure-Python path, ten times slower at 10,000
    # files, and the manifest is rewritten on every publish.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def safe_relative_path(path):
    """A manifest path must stay inside the copy: no absolute paths, '..', or odd bytes."""
    if not isinstance(path, str) or not path or len(path) > 1024:
        return False
    if path.startswith("/") or UNSAFE_CHARACTER_RE.search(path):
        return False
    normal = posixpath.normpath(path)
    return normal == path and not normal.startswith("../") and normal != ".."


class Manifest:
    def __init__(self, generated_at, primary_url, files, pages=None, summary=None):
        self.generated_at = generated_at
        self.primary_url = primary_url
        self.files = files  # {path: (size, sha256)}
        # None in a manifest written before pages were listed.
        self.pages = pages
        self.summary = summary or {}


def parse(data):
    if not isinstance(data, bytes | bytearray) or len(data) > MAX_MANIFEST_BYTES:
        raise ManifestError("manifest missing or too large")
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ManifestError(f"manifest is not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ManifestError(f"manifest format is not {FORMAT!r}")
    generated = document.get("generated_at")
    try:
        generated_at = dt.datetime.fromisoformat(generated)
    except (TypeError, ValueError):
        raise ManifestError("manifest generated_at is not an ISO 8601 time") from None
    if generated_at.tzinfo is None:
        raise ManifestError("manifest generated_at has no time zone")
    entries = document.get("files")
    if not isinstance(entries, list) or len(entries) > MAX_FILES:
        raise ManifestError("manifest files is not a list")
    files = {}
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ManifestError(f"manifest entry {number} is not an object")
        path, size, sha = entry.get("path"), entry.get("size"), entry.get("sha256")
        if not safe_relative_path(path):
            raise ManifestError(f"manifest entry {number} has an unsafe path {path!r:.80}")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ManifestError(f"manifest entry {path!r} has an invalid size")
        if not isinstance(sha, str) or not SHA256_RE.match(sha):
            raise ManifestError(f"manifest entry {path!r} has an invalid sha256")
        if path in files:
            raise ManifestError(f"manifest lists {path!r} twice")
        files[path] = (size, sha)
    primary = document.get("primary_url")
    pages, summary = parse_pages(document)
    primary = primary if isinstance(primary, str) else ""
    return Manifest(generated_at, primary, files, pages, summary)


def parse_pages(document):
    """The page list and the summary's counts, type-checked; verify compares them."""
    if "pages" not in document:
        return None, {}
    pages, summary = document["pages"], document.get("summary")
    if not isinstance(pages, list) or not all(isinstance(page, str) for page in pages):
        raise ManifestError("manifest pages is not a list of paths")
    if not isinstance(summary, dict):
        raise ManifestError("manifest lists pages but has no summary")
    counts = {}
    for name in ("pages", "files"):
        value = summary.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ManifestError(f"manifest summary {name} is not a count")
        counts[name] = value
    public = summary.get("public_pages")
    if isinstance(public, int) and not isinstance(public, bool) and public >= 0:
        counts["public_pages"] = public
    return pages, counts


# Keys: raw 32-byte Ed25519 keys, base64-encoded, so they fit in an environment variable.


def _b64decode(value, what):
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError, AttributeError):
        raise KeyFormatError(f"{what} is not base64") from None
    if len(raw) != 32:
        raise KeyFormatError(f"{what} must be 32 bytes of base64 (an Ed25519 raw key)")
    return raw


def load_private_key(value):
    return Ed25519PrivateKey.from_private_bytes(_b64decode(value, "signing key"))


def load_public_key(value):
    return Ed25519PublicKey.from_public_bytes(_b64decode(value, "public key"))


def public_key_of(private_value):
    key = load_private_key(private_value)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def generate_keypair():
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(private).decode(), public_key_of(base64.b64encode(private).decode())


def private_key_to_pem(private_value):
    """The base64 raw key as PKCS#8 PEM, the form `openssl pkey` and others read."""
    return load_private_key(private_value).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_key_from_pem(data):
    """Base64 of the raw private key in a PEM file (PKCS#8 Ed25519, unencrypted)."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise KeyFormatError(f"not an unencrypted PEM private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError("not an Ed25519 key")
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def sign(data, private_value):
    return base64.b64encode(load_private_key(private_value).sign(data)).decode() + "\n"


def signature_valid(data, signature_text, public_value):
    try:
        signature = base64.b64decode(signature_text.strip(), validate=True)
    except (binascii.Error, ValueError, AttributeError):
        return False
    try:
        load_public_key(public_value).verify(signature, data)
    except InvalidSignature:
        return False
    return True
