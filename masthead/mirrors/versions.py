"""Versioned export directories with an atomic switch.

    DEST/versions/<UTC timestamp>/   one complete copy each
    DEST/current -> versions/<...>   what the web server serves (a relative symlink)

A new version is built in DEST/versions/.build-<timestamp>-<pid>/, renamed into place,
and only then does `current` change, by os.replace() of a fresh symlink: a reader sees
the old copy or the new one, never a mix, and a crash at any point leaves `current`
on the previous, complete version. Half-built directories are removed by the next run.

An incremental update does not copy the whole tree: once the store holds `keep`
versions, the oldest one (about to be pruned anyway) is renamed back into a build
directory and brought level with `current` file by file (files.sync_tree), so a publish
costs filesystem work in proportion to what changed, not to the size of the archive.
"""

import contextlib
import datetime as dt
import fcntl
import os
import shutil
from pathlib import Path

VERSIONS = "versions"
CURRENT = "current"
BUILD_PREFIX = ".build-"
LOCK_NAME = ".lock"


class VersionError(Exception):
    pass


def _timestamp():
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


class VersionStore:
    def __init__(self, root):
        self.root = Path(root)
        self.versions = self.root / VERSIONS
        self.current_link = self.root / CURRENT

    def prepare(self):
        try:
            self.versions.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise VersionError(f"cannot create {self.versions}: {error.strerror}") from None
        if self.current_link.exists() and not self.current_link.is_symlink():
            raise VersionError(
                f"{self.current_link} exists and is not a symlink; move it away first"
            )
        if not os.access(self.versions, os.W_OK | os.X_OK):
            raise VersionError(f"{self.versions} is not writable")

    def current(self):
        """The directory `current` points at, or None before the first export."""
        if not self.current_link.is_symlink():
            return None
        target = self.current_link.resolve()
        return target if target.is_dir() else None

    @contextlib.contextmanager
    def locked(self):
        """One writer at a time per destination (the command and the task worker)."""
        self.prepare()
        with open(self.root / LOCK_NAME, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def new_build(self):
        """Call under locked(): clears leftovers of crashed runs, returns an empty dir."""
        self.clear_leftovers()
        build = self.build_path()
        build.mkdir()
        return build

    def clear_leftovers(self):
        for leftover in self.versions.glob(BUILD_PREFIX + "*"):
            shutil.rmtree(leftover, ignore_errors=True)

    def build_path(self):
        return self.versions / f"{BUILD_PREFIX}{_timestamp()}-{os.getpid()}"

    def recycle_oldest(self, keep):
        """Call under locked(): the oldest version renamed into a build directory, when the
        store already holds `keep` versions (so one would be pruned after this build);
        None otherwise. Its files are still those of the version it was."""
        current = self.current()
        complete = self.complete_versions()
        old = [path for path in complete if path != current]
        if current is None or not old or len(complete) < keep:
            return None
        self.clear_leftovers()
        build = self.build_path()
        os.rename(old[0], build)
        return build

    def complete_versions(self):
        """Finished versions, oldest first (their names are UTC timestamps)."""
        return sorted(
            (path for path in self.versions.iterdir() if not path.name.startswith(".")),
            key=lambda path: path.name,
        )

    def discard(self, build):
        shutil.rmtree(build, ignore_errors=True)

    def commit(self, build, keep):
        final = self.versions / _timestamp()
        os.rename(build, final)
        _fsync_dir(self.versions)
        temp_link = self.root / f".current-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            temp_link.unlink()
        os.symlink(os.path.join(VERSIONS, final.name), temp_link)
        os.replace(temp_link, self.current_link)
        _fsync_dir(self.root)
        self.prune(keep)
        return final

    def prune(self, keep):
        current = self.current()
        old = [path for path in self.complete_versions() if path != current]
        for path in old[: max(0, len(old) - (keep - 1))]:
            shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
