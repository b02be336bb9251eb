"""Every byte the exporter writes goes through write_bytes and copy_stream (tests patch
them to simulate a full disk); BuildFiles keeps the account of a version being built.

Files are always created anew, never rewritten in place: a version directory shares
unchanged files with the previous one through hard links, and writing into a shared inode
would change the live version too.
"""

import hashlib
import os
from pathlib import Path

CHUNK_SIZE = 1024 * 1024


def write_bytes(path: Path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    with open(path, "xb") as handle:
        handle.write(data)


def copy_stream(source, path: Path):
    """Copy a readable binary file object to path; return (size, sha256 hex)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    digest, size = hashlib.sha256(), 0
    with open(path, "xb") as handle:
        while chunk := source.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return size, digest.hexdigest()


def link_or_copy(source: Path, path: Path):
    """Share an unchanged file with the previous version (hard link), or copy it."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, path)
    except OSError:
        with open(source, "rb") as handle:
            copy_stream(handle, path)


def sync_tree(tree: Path, tree_files: dict, source: Path, source_files: dict):
    """Make `tree` (described by tree_files: path -> (size, sha256)) hold the files of
    `source` (source_files), touching only the paths whose entries differ."""
    for rel, meta in source_files.items():
        if tree_files.get(rel) != meta:
            target = tree / rel
            if target.is_symlink() or target.exists():
                target.unlink()
            link_or_copy(source / rel, target)
    for rel in tree_files.keys() - source_files.keys():
        (tree / rel).unlink(missing_ok=True)


def sha256_file(path: Path):
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


class BuildFiles:
    """The files of a version being built, as its manifest will list them: path ->
    (size, sha256), which are pages (the copy's entry points), and what changed or went
    since the version it started from."""

    def __init__(self, directory, previous_files=None, previous_pages=None):
        self.directory = Path(directory)
        self.entries = dict(previous_files or {})
        self.pages = set(previous_pages or ())
        self.changed, self.removed = set(), set()

    def holds(self, rel):
        return rel in self.entries and (self.directory / rel).exists()

    def put(self, rel, data, page=False):
        """Write data unless the file already holds it: 'changed' or 'unchanged'."""
        if page:
            self.pages.add(rel)
        else:
            self.pages.discard(rel)
        entry = (len(data), sha256_bytes(data))
        if self.entries.get(rel) == entry and (self.directory / rel).exists():
            return "unchanged"
        write_bytes(self.directory / rel, data)
        self.entries[rel] = entry
        self.changed.add(rel)
        return "changed"

    def put_stream(self, rel, source):
        self.entries[rel] = copy_stream(source, self.directory / rel)
        self.changed.add(rel)
        return "changed"

    def remove(self, rel):
        self.pages.discard(rel)
        if rel in self.entries:
            del self.entries[rel]
            (self.directory / rel).unlink(missing_ok=True)
            self.removed.add(rel)

    def read(self, rel):
        return (self.directory / rel).read_bytes()

    def link_all_from(self, previous_dir):
        for rel in list(self.entries):
            link_or_copy(Path(previous_dir) / rel, self.directory / rel)

    def compare_with(self, previous_files):
        """A full export writes every file into an empty build: what changed is what
        differs from the current version, not everything written."""
        self.changed = {
            rel for rel, entry in self.entries.items() if previous_files.get(rel) != entry
        }
        self.removed = set(previous_files) - set(self.entries)
