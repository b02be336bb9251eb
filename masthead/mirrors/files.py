"""Every byte the exporter writes goes through these two functions (tests patch them to
simulate a full disk). Files are always created anew, never rewritten in place: a version
directory shares unchanged files with the previous one through hard links, and writing
into a shared inode would change the live version too.
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
